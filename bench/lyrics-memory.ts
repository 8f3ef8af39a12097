/**
 * Peak memory of `omvee transcript import` for a lyrics file that is one very long line (the
 * issue-12 case: a 60 MB line once took 3.85 GB), against a normal lyrics file. Runs the built
 * binary on the local backend in a temporary home, under GNU time (`/usr/bin/time -f %M`, the
 * maximum resident set size in KB), and prints exit code, time and peak RSS per case.
 *
 *   node bench/lyrics-memory.ts [sizes in MB, default "1 10 60"] [--bin path/to/bin/omvee]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const binAt = args.indexOf('--bin');
const bin = binAt >= 0 ? args.splice(binAt, 2)[1]! : fileURLToPath(new URL('../bin/omvee', import.meta.url));
const sizes = (args.length ? args : ['1', '10', '60']).map(Number);
if (!existsSync('/usr/bin/time')) throw new Error('needs GNU time at /usr/bin/time');

const home = mkdtempSync(join(tmpdir(), 'omvee-bench-lyrics-'));
const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), OMVEE_HOME: join(home, 'data'), CI: 'true', NO_COLOR: '1' };
try {
  const song = join(home, 'song.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=5', '-ar', '44100', song]);
  const created = JSON.parse(execFileSync(process.execPath, [bin, 'project', 'create', 'bench', '--audio', song, '--json'], { env }).toString()) as { id: string };

  const cases: { label: string; file: string }[] = [];
  const normal = join(home, 'normal.lrc');
  writeFileSync(normal, '[00:00.50]the first line of the song\n[00:02.00]and the second one\n[00:04.00]the end\n');
  cases.push({ label: 'normal 3-line LRC', file: normal });
  for (const mb of sizes) {
    const file = join(home, `line-${mb}mb.lrc`);
    writeFileSync(file, `[00:00.50]${'la '.repeat(Math.floor((mb * 1024 * 1024) / 3))}\n`);
    cases.push({ label: `one ${mb} MB line`, file });
  }
  console.log(`omvee transcript import, local backend (${bin})`);
  for (const c of cases) {
    const rssFile = join(home, 'rss.txt');
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-o', rssFile, '-f', '%M', process.execPath, bin, 'transcript', 'import', created.id, c.file, '--json'], { env, encoding: 'utf8' });
    const ms = performance.now() - t0;
    const peakKb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    const said = (/error: [^\n]*/.exec(r.stderr)?.[0] ?? '').slice(0, 110);
    console.log(`${c.label.padEnd(20)} exit ${r.status}  ${(ms / 1000).toFixed(2).padStart(6)} s  peak RSS ${(peakKb / 1024).toFixed(0).padStart(5)} MB  ${said}`);
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
