/**
 * The factory that picks adapters from configuration: the embedded local store and blob
 * folder by default, Supabase when configured (or asked for with --backend supabase).
 * Heavy adapters are imported only when chosen.
 */
import { ensurePrivateDir } from '../store/local/private-files.ts';
import { join } from 'node:path';
import type { Blobs } from '../blobs/port.ts';
import { OmveeError } from '../core/errors.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import type { MediaTools } from '../media/port.ts';
import type { Store } from '../store/port.ts';

export type BackendKind = 'local' | 'supabase';

export interface Services {
  config: ResolvedConfig;
  backend: BackendKind;
  store: Store;
  blobs: Blobs;
  /** scratch folder on this machine for downloads and renders */
  workDir: string;
  media(): Promise<MediaTools>;
  close(): Promise<void>;
}

export interface ServiceOptions {
  env: Record<string, string | undefined>;
  log?: (message: string) => void;
}

export function chooseBackend(config: ResolvedConfig): BackendKind {
  const wanted = config.values.OMVEE_BACKEND ?? 'auto';
  const v = config.values;
  const supabaseConfigured = v.SUPABASE_URL !== undefined && (v.SUPABASE_SERVICE_KEY !== undefined || v.SUPABASE_ANON_KEY !== undefined);
  if (wanted === 'local') return 'local';
  if (wanted === 'supabase') {
    if (!supabaseConfigured) {
      throw new OmveeError('config', 'the Supabase backend needs SUPABASE_URL and a key', {
        hint: 'set SUPABASE_URL and SUPABASE_SERVICE_KEY (or SUPABASE_ANON_KEY and run `omvee login`) in the environment or .env',
      });
    }
    return 'supabase';
  }
  return supabaseConfigured ? 'supabase' : 'local';
}

export async function openServices(config: ResolvedConfig, options: ServiceOptions): Promise<Services> {
  const backend = chooseBackend(config);
  const home = config.paths.home;
  const workDir = join(home, 'work');
  // the home and its scratch folder (downloads, renders) are private: 0700 whatever the umask
  await (async () => {
    await ensurePrivateDir(home);
    await ensurePrivateDir(workDir);
  })().catch((error: NodeJS.ErrnoException) => {
    throw new OmveeError('config', `cannot create the omvee home folder ${home}: ${error.message}`, {
      hint: 'set OMVEE_HOME (or --home) to a writable folder',
    });
  });
  let store: Store;
  let blobs: Blobs;
  if (backend === 'local') {
    const [{ openLocalStore }, { openLocalBlobs }] = await Promise.all([
      import('../store/local/local-store.ts'),
      import('../blobs/local/local-blobs.ts'),
    ]);
    store = await openLocalStore({ home });
    blobs = openLocalBlobs({ root: join(home, 'project-files') });
  } else {
    const { openSupabaseBackend } = await import('./supabase-backend.ts');
    ({ store, blobs } = await openSupabaseBackend(config));
  }
  options.log?.(`backend: ${backend} (${store.location})`);

  let media: Promise<MediaTools> | undefined;
  return {
    config,
    backend,
    store,
    blobs,
    workDir,
    media() {
      media ??= (async () => {
        const [{ resolveBinaries }, { createFfmpegMedia }] = await Promise.all([
          import('../media/binaries.ts'),
          import('../media/ffmpeg-media.ts'),
        ]);
        const bins = await resolveBinaries({
          ...options.env,
          FFMPEG_PATH: config.values.FFMPEG_PATH,
          FFPROBE_PATH: config.values.FFPROBE_PATH,
        });
        return createFfmpegMedia(bins);
      })();
      return media;
    },
    async close() {
      await store.close();
    },
  };
}
