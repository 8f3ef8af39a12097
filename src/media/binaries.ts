/**
 * Finds the ffmpeg and ffprobe executables: FFMPEG_PATH / FFPROBE_PATH first, then PATH.
 * No packaged fallback yet (a registry package with static binaries could be added later).
 */
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { OmveeError } from '../core/errors.ts';

export interface MediaBinaries {
  ffmpeg: string;
  ffprobe: string;
}

const INSTALL_HINT =
  'Install ffmpeg (e.g. `apt-get install -y ffmpeg`, `brew install ffmpeg`) or set FFMPEG_PATH and FFPROBE_PATH to the executables.';

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks a bare command name up in a PATH string; returns the first executable hit. */
export async function findOnPath(name: string, pathValue: string | undefined, platform: string = process.platform): Promise<string | null> {
  if (!pathValue) return null;
  const exts = platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of pathValue.split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

async function resolveOne(name: 'ffmpeg' | 'ffprobe', envVar: string, env: Record<string, string | undefined>): Promise<string> {
  const explicit = env[envVar];
  if (explicit !== undefined && explicit !== '') {
    if (await isExecutable(explicit)) return explicit;
    throw new OmveeError('ffmpeg_missing', `${envVar} points to ${explicit}, which is not an executable file`, {
      hint: `Fix ${envVar} or unset it to use ${name} from PATH. ${INSTALL_HINT}`,
    });
  }
  const found = await findOnPath(name, env['PATH'] ?? env['Path']);
  if (found) return found;
  throw new OmveeError('ffmpeg_missing', `${name} was not found on PATH`, { hint: INSTALL_HINT });
}

/** Resolves both binaries from an environment (pass process.env from the edge, or a test env). */
export async function resolveBinaries(env: Record<string, string | undefined>): Promise<MediaBinaries> {
  const ffmpeg = await resolveOne('ffmpeg', 'FFMPEG_PATH', env);
  const ffprobe = await resolveOne('ffprobe', 'FFPROBE_PATH', env);
  return { ffmpeg, ffprobe };
}
