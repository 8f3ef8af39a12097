/**
 * The user config file ($XDG_CONFIG_HOME/omvee/config.json), written by `omvee config set/unset`:
 * read whole, changed, and replaced atomically (a temp file then rename), private to the user
 * (folder 0700, file 0600) because it may also hold keys the user put there by hand.
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OmveeError } from '../core/errors.ts';

async function readObject(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new OmveeError('config', `cannot read ${path}: ${(error as Error).message}`);
  }
  if (text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new OmveeError('config', `${path} is not a JSON object of settings`, { hint: 'fix the file by hand (or move it away) before changing settings with omvee config set' });
}

async function writeObject(path: string, data: Record<string, unknown>): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw new OmveeError('config', `cannot write ${path}: ${(error as Error).message}`, { hint: 'check that the folder is writable' });
  }
}

/** Set one setting; returns the value it had in the file (undefined when none). */
export async function setUserSetting(path: string, key: string, value: string): Promise<unknown> {
  const data = await readObject(path);
  const before = data[key];
  data[key] = value;
  await writeObject(path, data);
  return before;
}

/** Remove one setting; returns whether the file had it. */
export async function unsetUserSetting(path: string, key: string): Promise<boolean> {
  const data = await readObject(path);
  if (!(key in data)) return false;
  delete data[key];
  await writeObject(path, data);
  return true;
}
