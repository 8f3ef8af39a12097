/**
 * The `--out` of an interrupted `omvee run`, remembered so that `omvee run --project <id>`
 * delivers the video to the same place without `--out` again.
 *
 * Kept on this machine, in the omvee home (`$OMVEE_HOME/resume/<project id>.json`), rather than
 * in the project's rows: a file path means something only on the machine it was typed on. A
 * Supabase project is resumed from other machines, whose omvee must not write files wherever a
 * row says; and a path like /home/alice/… has no place in `project export`. No schema change.
 *
 * Written before any step runs (so a `kill -9` keeps it), atomically and private (0600 in a
 * 0700 folder); a `--out` given to the resumed run replaces it; forgotten once the video has
 * been delivered, so a later `run --project` of a finished project does not overwrite it again.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { checkOutPath } from './deliver.ts';

interface Remembered {
  out: string;
  remembered_at: string;
}

const DIR = 'resume';

function fileOf(home: string, projectId: string): string {
  // project ids are uuids (local) or whatever the backend hands out: never a path
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(projectId)) throw new Error(`unexpected project id ${JSON.stringify(projectId)}`);
  return join(home, DIR, `${projectId}.json`);
}

/** Remember `out` (an absolute path) for `projectId`. */
export async function rememberOut(home: string, projectId: string, out: string): Promise<void> {
  if (!isAbsolute(out)) throw new Error(`--out to remember must be absolute (got ${out})`);
  const file = fileOf(home, projectId);
  await mkdir(join(home, DIR), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const record: Remembered = { out, remembered_at: new Date().toISOString() };
  try {
    await writeFile(tmp, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** The `--out` remembered for `projectId`, or undefined (none, or a file that makes no sense). */
export async function recallOut(home: string, projectId: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(fileOf(home, projectId), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const record = JSON.parse(text) as Partial<Remembered>;
    if (typeof record.out !== 'string' || !isAbsolute(record.out)) return undefined;
    checkOutPath(record.out);
    return record.out;
  } catch {
    return undefined;
  }
}

export async function forgetOut(home: string, projectId: string): Promise<void> {
  await rm(fileOf(home, projectId), { force: true });
}
