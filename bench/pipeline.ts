/**
 * The whole offline pipeline on a 3-minute song at 1280x720@30 — karaoke captions (enhanced LRC
 * word times) and the audio-reactive layer (visualizer bars) burned into every clip — against the
 * floor measured in the same run: ffmpeg encoding 180 s of 1280x720@30 from a single still with
 * the song (libx264 veryfast). Target: at most 1.2x the floor. Before that, once the stills
 * exist, `omvee render --preview` (the 360p animatic) of the same project. Target: ≤ 20 s for a
 * 3-minute song. The omvee run after it resumes the project (stills already made).
 *
 *   node bench/pipeline.ts            (BENCH_SECONDS=180 to change the song length, BENCH_ASPECT=9:16,
 *                                      BENCH_VISUALIZER=none|bars|wave, BENCH_CAPTIONS=karaoke|line|minimal|none)
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
import { benchSettings, cpuSeconds, measureFloor, measureFloorCpu } from './floor.ts';

// the length from BENCH_SECONDS; the frame from BENCH_ASPECT (default 16:9) at 720p, 30 fps
const { durationS } = benchSettings();
const aspect = process.env['BENCH_ASPECT'] ?? '16:9';
const bin = fileURLToPath(new URL('../bin/omvee', import.meta.url));
const hasGnuTime = existsSync('/usr/bin/time');

/** One omvee command, under GNU time when it is installed: its CPU (with every ffmpeg it ran) and peak RSS. */
function omvee(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string; cpuS: number | null; rssKb: number | null } {
  const cmd = hasGnuTime ? '/usr/bin/time' : process.execPath;
  const cmdArgs = hasGnuTime ? ['-f', 'maxrss_kb=%M cpu_s=%U+%S', process.execPath, bin, ...args] : [bin, ...args];
  const r = spawnSync(cmd, cmdArgs, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const rss = /maxrss_kb=(\d+)/.exec(r.stderr)?.[1];
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, cpuS: cpuSeconds(r.stderr), rssKb: rss ? Number(rss) : null };
}

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
  // the project, its frame, captions and visualizer (flags), and its lyrics
  const captions = process.env['BENCH_CAPTIONS'] ?? 'karaoke';
  const visualizer = process.env['BENCH_VISUALIZER'] ?? 'bars';
  const created = spawnSync(process.execPath, [bin, 'project', 'create', 'bench', '--audio', song, '--aspect', aspect, '--resolution', '720p', '--fps', '30', '--captions', captions, '--visualizer', visualizer, '--json'], { env, encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`project create failed: ${created.stderr}`);
  const project = JSON.parse(created.stdout) as { id: string; width: number; height: number };
  const projectId = project.id;
  const imported = spawnSync(process.execPath, [bin, 'transcript', 'import', projectId, lyrics, '--json'], { env, encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`transcript import failed: ${imported.stderr}`);

  // the preview animatic first, as a user would ask for it before paying for clips: scenes,
  // prompts and stills (timed apart), then `omvee render --preview` (timed: the figure)
  const s0 = performance.now();
  // the whole pipeline's CPU and peak RSS: the steps up to the stills and the run that finishes it
  const pipelineRuns: ReturnType<typeof omvee>[] = [];
  for (const step of [['scenes', 'select'], ['prompts', 'generate'], ['images', 'generate']]) {
    const r = omvee([...step, projectId, '--json', '--quiet'], env);
    if (r.status !== 0) throw new Error(`${step.join(' ')} failed: ${r.stderr}`);
    pipelineRuns.push(r);
  }
  const stillsS = (performance.now() - s0) / 1000;
  const p0 = performance.now();
  const prev = omvee(['render', projectId, '--preview', '--json', '--quiet'], env);
  const previewS = (performance.now() - p0) / 1000;
  if (prev.status !== 0) throw new Error(`render --preview failed (${prev.status}): ${prev.stderr}`);
  const preview = JSON.parse(prev.stdout) as { width: number; height: number; frame_count: number };
  const t0 = performance.now();
  const run = omvee(['run', '--project', projectId, '--out', out, '--json', '--quiet'], env);
  // the pipeline's time: the steps up to the stills (run before the preview) plus the run that finished it
  const pipelineS = stillsS + (performance.now() - t0) / 1000;
  if (run.status !== 0) throw new Error(`omvee run failed (${run.status}): ${run.stderr}`);
  pipelineRuns.push(run);
  const summary = JSON.parse(run.stdout) as { scenes: number; frame_count: number; steps: Record<string, number>; project_id: string };
  const rssKbs = pipelineRuns.map((r) => r.rssKb).filter((k): k is number => k !== null);
  const rss = rssKbs.length > 0 ? Math.max(...rssKbs) : null;

  // the floor, from one of the stills the pipeline made (a realistic picture to encode)
  const still = join(home, 'project-files', 'projects', summary.project_id, 'images', 'scene-001-take-1.png');
  const floorInput = { ffmpeg, stillPath: still, songPath: song, durationS, width: project.width, height: project.height, fps: 30, outDir: dir };
  const floorS = await measureFloor(floorInput);
  const floorCpu = await measureFloorCpu(floorInput);
  const runCpu = pipelineRuns.every((r) => r.cpuS !== null) ? pipelineRuns.reduce((sum, r) => sum + r.cpuS!, 0) : null;

  console.log(`song                ${durationS} s, ${summary.scenes} scenes, ${summary.frame_count} frames, ${project.width}x${project.height} (${aspect}), captions ${captions}, visualizer ${visualizer}`);
  console.log(`floor (one still)   ${floorS.toFixed(1)} s`);
  console.log(`omvee pipeline      ${pipelineS.toFixed(1)} s   ratio ${(pipelineS / floorS).toFixed(2)}x (target ≤ 1.2x; scenes+prompts+stills ${stillsS.toFixed(1)} s, then run --project)`);
  if (floorCpu !== null && runCpu !== null) console.log(`  cpu time          omvee ${runCpu.toFixed(1)} s vs floor ${floorCpu.toFixed(1)} s: ratio ${(runCpu / floorCpu).toFixed(2)}x (scenes+prompts+stills and run --project; not inflated by other work on the machine)`);
  console.log(`render --preview    ${previewS.toFixed(1)} s   ${preview.width}x${preview.height}, ${preview.frame_count} frames (target ≤ 20 s; the whole command, from the stills)${prev.cpuS !== null ? `, ${prev.cpuS.toFixed(1)} s CPU` : ''}`);
  console.log(`  steps             ${Object.entries(summary.steps).map(([k, v]) => `${k} ${v.toFixed(1)}s`).join(', ')}`);
  if (rss !== null) console.log(`  peak RSS          ${(rss / 1024).toFixed(0)} MB (largest process of the pipeline's commands: omvee or one ffmpeg)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
