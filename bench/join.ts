/**
 * The offline media pipeline on a synthetic song, against the floor (bench/floor.ts):
 * stills → motion clips (per-clip speed) → render() join + audio; and render()'s join against a
 * plain `ffmpeg -f concat -c copy` + audio mux of the same clips (target ≤ 1.5x).
 * Run: node bench/join.ts  (BENCH_SECONDS=180, BENCH_SIZE=1280x720, BENCH_FPS=30, BENCH_SCENE_S=5)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolveBinaries } from '../src/media/binaries.ts';
import { COMPOSITIONS, MOTION_KINDS } from '../src/media/port.ts';
import { createFfmpegMedia } from '../src/media/ffmpeg-media.ts';
import { concatList } from '../src/media/render.ts';
import { synthesizeSong } from '../src/media/synth.ts';
import { benchSettings, measureFloor } from './floor.ts';

const run = promisify(execFile);
const s = benchSettings();
const sceneS = Number(process.env['BENCH_SCENE_S'] ?? 5);
const bins = await resolveBinaries(process.env);
const media = createFfmpegMedia(bins);
const dir = await mkdtemp(path.join(os.tmpdir(), 'omvee-bench-join-'));
const fmt = { width: s.width, height: s.height, fps: s.fps };
const secs = (t: number): number => (performance.now() - t) / 1000;
try {
  const song = path.join(dir, 'song.mp3');
  let t = performance.now();
  await synthesizeSong(bins.ffmpeg, song, s.durationS);
  console.log(`synth song ${s.durationS} s: ${secs(t).toFixed(2)} s (not part of the pipeline)`);

  const totalFrames = Math.round(s.durationS * s.fps);
  const n = Math.ceil(s.durationS / sceneS);
  const frames: number[] = [];
  for (let i = 0; i < n; i++) frames.push(Math.round(((i + 1) * totalFrames) / n) - Math.round((i * totalFrames) / n));

  t = performance.now();
  const stills: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = path.join(dir, `s${i}.png`);
    await media.renderStill({ width: s.width, height: s.height, seed: i, palette: ['#0b132b', '#3a506b', '#5bc0be', '#ffd166', '#ef476f'], composition: COMPOSITIONS[i % COMPOSITIONS.length]! }, p);
    stills.push(p);
  }
  const tStills = secs(t);
  console.log(`stills: ${n} in ${tStills.toFixed(2)} s (${((tStills / n) * 1000).toFixed(0)} ms each)`);

  t = performance.now();
  const clips: string[] = [];
  const perKind = new Map<string, { s: number; f: number }>();
  for (let i = 0; i < n; i++) {
    const p = path.join(dir, `c${i}.mp4`);
    const kind = MOTION_KINDS[i % 6]!;
    const tc = performance.now();
    await media.motionClip(stills[i]!, fmt, frames[i]!, { kind, strength: 0.6 }, p);
    const k = perKind.get(kind) ?? { s: 0, f: 0 };
    perKind.set(kind, { s: k.s + secs(tc), f: k.f + frames[i]! });
    clips.push(p);
  }
  const tClips = secs(t);
  console.log(`motion clips: ${n} × ~${sceneS} s in ${tClips.toFixed(2)} s (${(totalFrames / tClips).toFixed(0)} fps overall)`);
  for (const [kind, v] of perKind) console.log(`  ${kind}: ${(v.f / v.s).toFixed(0)} fps, ${((v.s / v.f) * s.fps * sceneS).toFixed(2)} s per ${sceneS} s clip`);

  t = performance.now();
  await media.render({ clipPaths: clips, audioPath: song, totalFrames, fps: s.fps, outPath: path.join(dir, 'final.mp4') });
  const tRender = secs(t);

  const list = path.join(dir, 'list.txt');
  await writeFile(list, concatList(clips));
  t = performance.now();
  await run(bins.ffmpeg, ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-i', song, '-map', '0:v', '-map', '1:a', '-c:v', 'copy', '-c:a', 'aac', '-shortest', path.join(dir, 'plain.mp4')]);
  const tPlain = secs(t);
  console.log(`join: render() ${tRender.toFixed(2)} s vs plain concat+mux ${tPlain.toFixed(2)} s → ratio ${(tRender / tPlain).toFixed(2)}x (target ≤ 1.5x)`);

  const floor = await measureFloor({ ffmpeg: bins.ffmpeg, stillPath: stills[0]!, songPath: song, outDir: dir, ...s });
  const pipeline = tStills + tClips + tRender;
  console.log(`pipeline (stills + clips + render): ${pipeline.toFixed(2)} s; floor ${floor.toFixed(2)} s → ${(pipeline / floor).toFixed(2)}x (target ≤ 2x)`);
  const p = await media.probeVideo(path.join(dir, 'final.mp4'));
  console.log(`final: ${p.video?.frameCount} frames (expected ${totalFrames}), video ${p.video?.durationS} s, audio ${p.audio?.durationS} s`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
