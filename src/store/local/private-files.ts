/**
 * Private files on a shared machine: omvee's folders are 0700 and its state files 0600, set
 * with chmod (which the umask does not touch) after creating them, so even `umask 000` leaves
 * nothing readable or writable by group or others. Folders and files made by older versions
 * with looser modes are tightened the next time they are opened.
 */
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

function tighten(path: string, mode: number, current: number): void {
  if ((current & 0o777) === mode) return;
  try {
    chmodSync(path, mode);
  } catch (error) {
    // a folder we do not own (e.g. OMVEE_HOME pointed at a shared one): leave it as its owner set it
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}

/** Create `path` (and missing parents) if needed and make it 0700. */
export function ensurePrivateDirSync(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(path, PRIVATE_DIR_MODE, statSync(path).mode);
}

export async function ensurePrivateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  const info = await stat(path);
  if ((info.mode & 0o777) === PRIVATE_DIR_MODE) return;
  await chmod(path, PRIVATE_DIR_MODE).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPERM') throw error;
  });
}

/** Make an existing file 0600; with `create`, create it empty (0600) when missing. */
export function ensurePrivateFileSync(path: string, create = false): void {
  if (!existsSync(path)) {
    if (!create) return;
    try {
      writeFileSync(path, '', { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  tighten(path, PRIVATE_FILE_MODE, statSync(path).mode);
}
