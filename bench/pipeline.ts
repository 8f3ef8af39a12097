/**
 * The whole offline pipeline on a 3-minute song at 1280x720@30 — karaoke captions (enhanced LRC
 * word times) and the audio-reactive layer (visualizer bars) burned into every clip — against the
 * floor measured in the same run: ffmpeg encoding 180 s of 1280x720@30 from a single still with
 * the song (libx264 veryfast). Target: at most 1.2x the floor. Then the preview animatic (360p)
 * of the same project, in process. Target: ≤ 20 s for a 3-minute song.
 *
 *   node bench/pipeline.ts            (BENCH_SECONDS=180 to change the song length,
 *                                      BENCH_VISUALIZER=none|bars|wave, BENCH_CAPTIONS=karaoke|line|minimal|none)
 *
 * Needs `npm run build` first (it runs the built binary, as a user would).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveBinaries } from '../src/media/binaries.ts';
import { openLocalBlobs } from '../src/blobs/local/local-blobs.ts';
import type { PipelineDeps } from '../src/core/pipeline/deps.ts';
import { renderPreview } from '../src/core/pipeline/preview-step.ts';
import { createFfmpegMedia } from '../src/media/ffmpeg-media.ts';
import { synthesizeSong } from '../src/media/synth.ts';
import type { Providers } from '../src/providers/ports.ts';
import { openLocalStore } from '../src/store/local/local-store.ts';
import { benchSettings, cpuSeconds, measureFloor, measureFloorCpu } from './floor.ts';

/** CPU seconds of this process and its waited-for children (utime, stime, cutime, cstime of /proc/self/stat), or null off Linux. */
function cpuWithChildren(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // after "pid (comm) ": state is field 3, so utime..cstime (fields 14–17) are at 11..14
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / 100;
  } catch {
    return null;
  }
}

async function previewSeconds(home: string, projectId: string): Promise<{ seconds: number; cpu: number | null; width: number; height: number; frames: number }> {
  const store = await openLocalStore({ home });
  try {
    const media = createFfmpegMedia(await resolveBinaries(process.env));
    const deps: PipelineDeps = { store, blobs: openLocalBlobs({ root: join(home, 'project-files') }), media, providers: { images: { name: 'local' } } as unknown as Providers, workDir: join(home, 'work'), log: () => undefined };
    const project = (await store.get('projects', projectId))!;
    const t = performance.now();
    const c0 = cpuWithChildren();
    const out = await renderPreview(deps, project, {}, { progress: () => undefined, signal: new AbortController().signal });
    const c1 = cpuWithChildren();
    return { seconds: (performance.now() - t) / 1000, cpu: c0 !== null && c1 !== null ? c1 - c0 : null, width: out.width, height: out.height, frames: out.frameCount };
  } finally {
    await store.close();
  }
}

// omvee renders at the project's default 1280x720@30, so only the length comes from BENCH_SECONDS
const { durationS } = benchSettings();
const bin = fileURLToPath(new URL('../bin/omvee', import.meta.url));
const hasGnuTime = existsSync('/usr/bin/time');

/** Enhanced LRC: every line with word times, so the karaoke highlight has work to do. */
function lrc(duration: number): string {
  const words = ['city lights are calling', 'hold the line tonight', 'an easy kill, an easy kill', 'running down the river', 'fire in the sky', 'say it soft and slow', 'every window gold', 'heart on the line'];
  const stamp = (t: number): string => {
    const m = Math.floor(t / 60);
    return `${String(m).padStart(2, '0')}:${(t - m * 60).toFixed(2).padStart(5, '0')}`;
  };
  const lines = ['[ti:Bench Song]', '[ar:omvee]'];
  for (let t = 2, i = 0; t < duration - 2; t += 3.7 + (i % 3) * 0.6, i += 1) {
    const ws = words[i % words.length]!.split(' ');
    lines.push(`[${stamp(t)}]${ws.map((w, k) => `<${stamp(t + k * 0.45)}>${w}`).join(' ')}`);
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
  const env = { ...process.env, OMVEE_HOME: home, CI: 'true' };
  // the project, its lyrics and its look first (the look has no flag yet: set in the store)
  const created = spawnSync(process.execPath, [bin, 'project', 'create', 'bench', '--audio', song, '--json'], { env, encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`project create failed: ${created.stderr}`);
  const projectId = (JSON.parse(created.stdout) as { id: string }).id;
  const imported = spawnSync(process.execPath, [bin, 'transcript', 'import', projectId, lyrics, '--json'], { env, encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`transcript import failed: ${imported.stderr}`);
  const captions = process.env['BENCH_CAPTIONS'] ?? 'karaoke';
  const visualizer = process.env['BENCH_VISUALIZER'] ?? 'bars';
  const store = await openLocalStore({ home });
  await store.update('projects', projectId, { caption_style: captions as 'karaoke', visualizer: visualizer as 'bars' });
  await store.close();
  const args = [bin, 'run', '--project', projectId, '--out', out, '--json', '--quiet'];
  const cmd = hasGnuTime ? '/usr/bin/time' : process.execPath;
  const cmdArgs = hasGnuTime ? ['-f', 'maxrss_kb=%M cpu_s=%U+%S', process.execPath, ...args] : args;
  const t0 = performance.now();
  const run = spawnSync(cmd, cmdArgs, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const pipelineS = (performance.now() - t0) / 1000;
  if (run.status !== 0) throw new Error(`omvee run failed (${run.status}): ${run.stderr}`);
  const summary = JSON.parse(run.stdout) as { scenes: number; frame_count: number; steps: Record<string, number>; project_id: string };
  const rss = /maxrss_kb=(\d+)/.exec(run.stderr)?.[1];

  // the floor, from one of the stills the pipeline made (a realistic picture to encode)
  const still = join(home, 'project-files', 'projects', summary.project_id, 'images', 'scene-001-take-1.png');
  const floorInput = { ffmpeg, stillPath: still, songPath: song, durationS, width: 1280, height: 720, fps: 30, outDir: dir };
  const floorS = await measureFloor(floorInput);
  const floorCpu = await measureFloorCpu(floorInput);
  const runCpu = cpuSeconds(run.stderr);

  // the preview animatic of the same project, in process (what render --preview will call)
  const preview = await previewSeconds(home, projectId);

  console.log(`song                ${durationS} s, ${summary.scenes} scenes, ${summary.frame_count} frames, captions ${captions}, visualizer ${visualizer}`);
  console.log(`floor (one still)   ${floorS.toFixed(1)} s`);
  console.log(`omvee run           ${pipelineS.toFixed(1)} s   ratio ${(pipelineS / floorS).toFixed(2)}x (target ≤ 1.2x)`);
  if (floorCpu !== null && runCpu !== null) console.log(`  cpu time          omvee ${runCpu.toFixed(1)} s vs floor ${floorCpu.toFixed(1)} s: ratio ${(runCpu / floorCpu).toFixed(2)}x (not inflated by other work on the machine)`);
  console.log(`preview (360p)      ${preview.seconds.toFixed(1)} s   ${preview.width}x${preview.height}, ${preview.frames} frames (target ≤ 20 s)${preview.cpu !== null ? `; cpu ${preview.cpu.toFixed(1)} s` : ''}`);
  console.log(`  steps             ${Object.entries(summary.steps).map(([k, v]) => `${k} ${v.toFixed(1)}s`).join(', ')}`);
  if (rss) console.log(`  peak RSS          ${(Number(rss) / 1024).toFixed(0)} MB (largest process: omvee or one ffmpeg)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
