/**
 * Helpers for the end-to-end tests of the CLI on the Supabase backend: the PostgREST test double
 * runs in the test process, the BUILT binary (run `npm run build` first; `npm test` does) runs as
 * a subprocess pointed at it with SUPABASE_URL and a key, CI=true.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PostgrestDouble } from '../support/postgrest-double/server.ts';

export const BIN = fileURLToPath(new URL('../../bin/omvee', import.meta.url));
const run = promisify(execFile);

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export type Env = Record<string, string | undefined>;

/** a fresh HOME / config dir / omvee home under the OS temp folder */
export async function tempHome(t: { after: (fn: () => Promise<void>) => void }, label = 'omvee-sb-e2e-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), label));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** the environment of one CLI user: nothing inherited but PATH */
export function baseEnv(home: string, extra: Env = {}): Env {
  return { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), OMVEE_HOME: path.join(home, 'data'), CI: 'true', NO_COLOR: '1', ...extra };
}

export const serviceEnv = (home: string, d: PostgrestDouble, extra: Env = {}): Env => baseEnv(home, { SUPABASE_URL: d.url, SUPABASE_SERVICE_KEY: d.serviceKey, ...extra });
export const anonEnv = (home: string, d: PostgrestDouble, extra: Env = {}): Env => baseEnv(home, { SUPABASE_URL: d.url, SUPABASE_ANON_KEY: d.anonKey, ...extra });

export function omvee(env: Env, args: string[], options: { input?: string; cwd?: string; timeoutMs?: number } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: env as NodeJS.ProcessEnv, cwd: options.cwd ?? os.tmpdir(), timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
    child.stdin!.end(options.input ?? '');
  });
}

/** run and expect exit 0; the JSON on stdout */
export async function omveeJson<T = Record<string, unknown>>(env: Env, args: string[], options: { input?: string; cwd?: string } = {}): Promise<T> {
  const r = await omvee(env, [...args, '--json'], options);
  if (r.code !== 0) throw new Error(`omvee ${args.join(' ')} exited ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** a short song (sine tones) and matching LRC lyrics */
export async function makeSong(dir: string, seconds = 6): Promise<{ song: string; lyrics: string }> {
  const song = path.join(dir, 'song.wav');
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=330:duration=${seconds}`, '-ar', '44100', '-ac', '2', song]);
  const lyrics = path.join(dir, 'song.lrc');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(lyrics, `[00:00.50]the first line of the song\n[00:03.00]and the second one\n[00:05.00]the end\n`);
  return { song, lyrics };
}

export async function ffprobe(file: string): Promise<{ duration: number; streams: string[] }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type', '-of', 'json', file]);
  const parsed = JSON.parse(stdout) as { format: { duration: string }; streams: { codec_type: string }[] };
  return { duration: Number(parsed.format.duration), streams: parsed.streams.map((s) => s.codec_type).sort() };
}

/** object names under a prefix, read straight from the double's storage schema */
export async function storedObjects(d: PostgrestDouble, prefix: string): Promise<string[]> {
  const res = await d.db.asOwner((tx) => tx.query<{ name: string }>("select name from storage.objects where bucket_id = 'project-files' and name like $1 order by name", [`${prefix}%`]));
  return res.rows.map((r) => r.name);
}
