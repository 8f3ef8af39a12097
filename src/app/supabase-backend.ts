/** Opens the Supabase adapters from configuration (service key, or anon key + a login session). */
import { join } from 'node:path';
import type { Blobs } from '../blobs/port.ts';
import { OmveeError } from '../core/errors.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import type { Store } from '../store/port.ts';

export async function openSupabaseBackend(config: ResolvedConfig): Promise<{ store: Store; blobs: Blobs }> {
  const v = config.values;
  const url = v.SUPABASE_URL;
  if (!url) throw new OmveeError('config', 'SUPABASE_URL is not set', { hint: 'set SUPABASE_URL in the environment or .env' });
  const [{ openSupabaseStore }, { openSupabaseBlobs }] = await Promise.all([
    import('../store/supabase/supabase-store.ts'),
    import('../blobs/supabase/supabase-blobs.ts'),
  ]);
  let key: string;
  let accessToken: (() => Promise<string>) | undefined;
  if (v.SUPABASE_SERVICE_KEY) {
    key = v.SUPABASE_SERVICE_KEY;
  } else if (v.SUPABASE_ANON_KEY) {
    key = v.SUPABASE_ANON_KEY;
    const { openSessionTokens } = await import('../store/supabase/session.ts');
    // asked before every request: refreshed (once, shared by every omvee process) near expiry
    const tokens = await openSessionTokens({ url, anonKey: key, configDir: config.paths.configDir });
    if (!tokens) {
      throw new OmveeError('config', 'not signed in to Supabase', { hint: 'run `omvee login` (or set SUPABASE_SERVICE_KEY for operators and CI)' });
    }
    await tokens.token();
    accessToken = () => tokens.token();
  } else {
    throw new OmveeError('config', 'no Supabase key configured', { hint: 'set SUPABASE_SERVICE_KEY, or SUPABASE_ANON_KEY and run `omvee login`' });
  }
  const store = await openSupabaseStore({ url, key, ...(accessToken ? { accessToken } : {}) });
  const blobs = openSupabaseBlobs({
    url,
    key,
    ...(accessToken ? { accessToken } : {}),
    maxUploadBytes: v.OMVEE_MAX_UPLOAD_BYTES,
    resumeStateFile: join(config.paths.home, 'supabase-uploads.json'),
  });
  return { store, blobs };
}
