/**
 * The whole offline pipeline on a 3-minute song at 1280x720@30, against the floor measured in
 * the same run: ffmpeg encoding 180 s of 1280x720@30 from a single still with the song
 * (libx264 veryfast). Target: at most 2x the floor.
 *
 *   node bench/pipeline.ts            (BENCH_SECONDS=180 to change the song length)
 *
 * Needs `npm run build` first (it runs the built binary, as a user would).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveBinaries } from '../src/media/binaries.ts';
import { synthesizeSong } from '../src/media/synth.ts';
import { benchSettings, measureFloor } from './floor.ts';

// omvee renders at the project's default 1280x720@30, so only the length comes from BENCH_SECONDS
const { durationS } = benchSettings();
const bin = fileURLToPath(new URL('../bin/omvee', import.meta.url));
const hasGnuTime = existsSync('/usr/bin/time');

function lrc(duration: number): string {
  const words = ['city lights are calling', 'hold the line tonight', 'an easy kill, an easy kill', 'running down the river', 'fire in the sky', 'say it soft and slow', 'every window gold', 'heart on the line'];
  const lines = ['[ti:Bench Song]', '[ar:omvee]'];
  for (let t = 2, i = 0; t < duration - 2; t += 3.7 + (i % 3) * 0.6, i += 1) {
    const m = Math.floor(t / 60);
    const s = (t - m * 60).toFixed(2).padStart(5, '0');
    lines.push(`[${String(m).padStart(2, '0')}:${s}]${words[i % words.length]}`);
  }
  return `${lines.join('\n')}\n`;
}

const dir = await mkdtemp(join(tmpdir(), 'omvee-bench-pipeline-'));
try {
  const { ffmpeg } = await resolveBinaries(process.env);
  const song = join(dir, 'song.mp3');
  const lyrics = join(dir, 'song.lrc');
  console.log(`making a ${durationS} s song…`);
  await synthesizeSong(ffmpeg, song, durationS);
  await writeFile(lyrics, lrc(durationS));

  const home = join(dir, 'home');
  const out = join(dir, 'out.mp4');
  const args = [bin, 'run', song, '--lyrics', lyrics, '--out', out, '--json', '--quiet'];
  const cmd = hasGnuTime ? '/usr/bin/time' : process.execPath;
  const cmdArgs = hasGnuTime ? ['-f', 'maxrss_kb=%M', process.execPath, ...args] : args;
  const t0 = performance.now();
  const run = spawnSync(cmd, cmdArgs, { env: { ...process.env, OMVEE_HOME: home, CI: 'true' }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const pipelineS = (performance.now() - t0) / 1000;
  if (run.status !== 0) throw new Error(`omvee run failed (${run.status}): ${run.stderr}`);
  const summary = JSON.parse(run.stdout) as { scenes: number; frame_count: number; steps: Record<string, number>; project_id: string };
  const rss = /maxrss_kb=(\d+)/.exec(run.stderr)?.[1];

  // the floor, from one of the stills the pipeline made (a realistic picture to encode)
  const still = join(home, 'project-files', 'projects', summary.project_id, 'images', 'scene-001-take-1.png');
  const floorS = await measureFloor({ ffmpeg, stillPath: still, songPath: song, durationS, width: 1280, height: 720, fps: 30, outDir: dir });

  console.log(`song                ${durationS} s, ${summary.scenes} scenes, ${summary.frame_count} frames`);
  console.log(`floor (one still)   ${floorS.toFixed(1)} s`);
  console.log(`omvee run           ${pipelineS.toFixed(1)} s   ratio ${(pipelineS / floorS).toFixed(2)}x (target ≤ 2x)`);
  console.log(`  steps             ${Object.entries(summary.steps).map(([k, v]) => `${k} ${v.toFixed(1)}s`).join(', ')}`);
  if (rss) console.log(`  peak RSS          ${(Number(rss) / 1024).toFixed(0)} MB (largest process: omvee or one ffmpeg)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
