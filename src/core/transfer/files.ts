/** Checking an export's target folder. */
import { readdir, stat } from 'node:fs/promises';
import { OmveeError } from '../errors.ts';

/** 'missing' | 'empty' (an empty folder) — anything else is refused. */
export async function checkExportTarget(dir: string): Promise<'missing' | 'empty'> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new OmveeError('invalid_input', `cannot use ${dir}: ${error.message}`);
  });
  if (!info) return 'missing';
  if (!info.isDirectory()) {
    throw new OmveeError('conflict', `${dir} exists and is not a folder`, { hint: 'pass --out with a new or empty folder' });
  }
  if ((await readdir(dir)).length > 0) {
    throw new OmveeError('conflict', `the export folder ${dir} exists and is not empty`, { hint: 'pass --out with a new or empty folder (nothing was written)' });
  }
  return 'empty';
}
