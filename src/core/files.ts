/** Checks on files a person points omvee at, with messages that say what is wrong. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { OmveeError } from './errors.ts';

export interface InputFile {
  path: string;
  size: number;
}

/** The path exists, is a regular file, is readable and is not empty. */
export async function checkInputFile(path: string, what: string): Promise<InputFile> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new OmveeError('invalid_input', `${what} not found: ${path}`, { hint: 'check the path' });
    if (code === 'EACCES') throw new OmveeError('invalid_input', `${what} is not readable: ${path}`, { hint: 'check the file permissions' });
    throw new OmveeError('invalid_input', `cannot read ${what} ${path}: ${(error as Error).message}`);
  }
  if (info.isDirectory()) throw new OmveeError('invalid_input', `${what} is a directory, not a file: ${path}`, { hint: 'pass the path of a file' });
  if (!info.isFile()) throw new OmveeError('invalid_input', `${what} is not a regular file: ${path}`);
  if (info.size === 0) throw new OmveeError('invalid_input', `${what} is empty: ${path}`, { hint: 'pass a file with content' });
  try {
    const handle = await open(path, 'r');
    await handle.close();
  } catch (error) {
    throw new OmveeError('invalid_input', `${what} is not readable: ${path}`, { hint: (error as Error).message });
  }
  return { path, size: info.size };
}

/** The sha256 of a file's content, hex, streamed (songs and videos can be large). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
