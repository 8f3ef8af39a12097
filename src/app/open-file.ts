/**
 * Opening a finished video on the desktop (`omvee open`, `render --open`) with the platform's
 * opener — xdg-open, open, or start — started detached with an argument array. Without a desktop
 * (no DISPLAY/WAYLAND_DISPLAY on Linux, e.g. over ssh or in CI) it says so and gives the path.
 */
import { spawn } from 'node:child_process';
import { OmveeError } from '../core/errors.ts';

function opener(env: Record<string, string | undefined>, platform: NodeJS.Platform): { command: string; args: string[] } | null {
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  return { command: 'xdg-open', args: [] };
}

/** Open `path`; resolves with the opener's name once it started. */
export async function openFile(path: string, env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): Promise<string> {
  const how = opener(env, platform);
  if (!how) throw new OmveeError('invalid_input', `no desktop to open the video on (no DISPLAY or WAYLAND_DISPLAY): ${path}`, { hint: 'copy it where you can watch it (--out FILE), or open that path on a desktop' });
  await new Promise<void>((resolve, reject) => {
    const child = spawn(how.command, [...how.args, path], { detached: true, stdio: 'ignore', env: env as NodeJS.ProcessEnv });
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new OmveeError('invalid_input', `cannot start ${how.command} to open the video: ${error.code === 'ENOENT' ? 'not installed' : error.message}`, { hint: `open it yourself: ${path}` })),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
  return how.command;
}
