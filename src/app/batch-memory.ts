/**
 * What an earlier `omvee run --batch FILE` did with each line of FILE, so running the same batch
 * again resumes the lines that failed (their projects, not new ones) and keeps the lines that
 * finished. Kept on this machine beside the omvee home (`$OMVEE_HOME/batches/<hash of FILE's
 * path>.json`, 0600), written after every line so an interrupted batch remembers its progress.
 * A line is known by its song and project name, so reordering or adding lines keeps the memory.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface RememberedLine {
  project_id: string | null;
  status: 'ok' | 'failed' | 'skipped' | 'kept';
  output: string | null;
}

export interface BatchMemory {
  get(audio: string, name: string): RememberedLine | undefined;
  set(audio: string, name: string, line: RememberedLine): Promise<void>;
}

const keyOf = (audio: string, name: string) => `${audio}\u0000${name}`;

export async function openBatchMemory(home: string, batchFile: string): Promise<BatchMemory> {
  const path = resolve(batchFile);
  const file = join(home, 'batches', `${createHash('sha256').update(path).digest('hex').slice(0, 32)}.json`);
  let lines: Record<string, RememberedLine> = {};
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { batch_file?: string; lines?: Record<string, RememberedLine> };
    if (parsed.batch_file === path && parsed.lines && typeof parsed.lines === 'object') lines = parsed.lines;
  } catch {
    // none yet, or unreadable: start afresh
  }
  return {
    get: (audio, name) => lines[keyOf(audio, name)],
    async set(audio, name, line) {
      lines[keyOf(audio, name)] = line;
      await mkdir(join(home, 'batches'), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        await writeFile(tmp, `${JSON.stringify({ batch_file: path, updated_at: new Date().toISOString(), lines }, null, 2)}\n`, { mode: 0o600 });
        await rename(tmp, file);
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
    },
  };
}
