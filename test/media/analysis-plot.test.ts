import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { AudioAnalysisSchema } from '../../src/core/analysis/model.ts';
import type { AudioAnalysis } from '../../src/core/analysis/model.ts';
import { plotAnalysis } from '../../src/media/analysis-plot.ts';
import { bins, tempDir } from './helpers.ts';

const run = promisify(execFile);

/** The PNG's pixels as RGB. */
async function pixels(file: string, w: number, h: number): Promise<(x: number, y: number) => [number, number, number]> {
  const { stdout } = await run(bins.ffmpeg, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { encoding: 'buffer', maxBuffer: 64 << 20 });
  assert.equal(stdout.length, w * h * 3);
  return (x, y) => {
    const o = (y * w + x) * 3;
    return [stdout[o]!, stdout[o + 1]!, stdout[o + 2]!];
  };
}

function analysis(): AudioAnalysis {
  const beats = Array.from({ length: 120 }, (_, i) => i * 0.5);
  return AudioAnalysisSchema.parse({
    version: 1,
    audio_sha256: 'x',
    duration_s: 60,
    tempo_bpm: 120,
    beats,
    downbeats: beats.filter((_, i) => i % 4 === 0),
    meter: 4,
    sections: [
      { start_s: 0, end_s: 16, label: 'A', energy: 0.4 },
      { start_s: 16, end_s: 32, label: 'B', energy: 0.9 },
      { start_s: 32, end_s: 48, label: 'A', energy: 0.4 },
      { start_s: 48, end_s: 60, label: 'B', energy: 0.9 },
    ],
    chorus_label: 'B',
    energy: { hop_s: 0.5, values: beats.map((t) => (Math.floor(t / 16) % 2 ? 0.9 : 0.4)) },
    vocal_activity: null,
    waveform: { hop_s: 0.05, values: Array.from({ length: 1200 }, (_, i) => 0.3 + 0.3 * Math.abs(Math.sin(i / 10))) },
    notes: [],
  });
}

test('plots sections in colour, beats, downbeats, scene cuts and sung lines into a 1600×600 PNG', async (t) => {
  const dir = await tempDir(t);
  const out = path.join(dir, 'plot.png');
  const scenes = [
    { start_time_s: 0, end_time_s: 16 },
    { start_time_s: 16, end_time_s: 40 },
    { start_time_s: 40, end_time_s: 60 },
  ];
  await plotAnalysis(bins.ffmpeg, analysis(), out, { scenes, lines: [{ start: 2, end: 6 }] });
  const { stdout } = await run(bins.ffprobe, ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', out]);
  assert.equal(stdout.trim(), 'png,1600,600');
  const px = await pixels(out, 1600, 600);
  const xOf = (s: number): number => Math.round(92 + (s / 60) * (1600 - 92 - 24));
  // section band (y ≈ 63): A and its repeat share a colour, B differs
  const a1 = px(xOf(4), 63);
  const b1 = px(xOf(20), 63);
  const a2 = px(xOf(36), 63);
  assert.deepEqual(a1, a2, 'repeated label, same colour');
  assert.notDeepEqual(a1, b1);
  // a downbeat tick (y ≈ 395, dark) and a plain beat (lower half of the row only)
  const dark = (c: number[]): boolean => c.every((v) => v < 90);
  assert.ok(dark(px(xOf(8), 392)), 'downbeat tick at 8 s');
  assert.ok(!dark(px(xOf(8.5), 392)), 'a plain beat is not drawn at the top of the row');
  // the scene cut at 40 s is red through the main panel
  const [r, g, b] = px(xOf(40), 300);
  assert.ok(r > 150 && g < 120 && b < 120, `red cut at 40 s, got ${[r, g, b]}`);
  // the sung line 2–6 s is blue
  const lyric = px(xOf(4), 467);
  assert.ok(lyric[2] > 150 && lyric[0] < 150, `blue line, got ${lyric}`);
  // text was drawn: the title row is not blank
  let inked = 0;
  for (let x = 92; x < 500; x++) if (dark(px(x, 22))) inked += 1;
  assert.ok(inked > 20, 'title text');
});

test('a song with no beat still plots, and a bad output path is a media error', async (t) => {
  const dir = await tempDir(t);
  const a = { ...analysis(), tempo_bpm: null, beats: [], downbeats: [], meter: null, notes: ['no steady beat found; cuts fall on an even grid'] };
  delete (a as Partial<AudioAnalysis>).waveform;
  const out = path.join(dir, 'nobeat.png');
  await plotAnalysis(bins.ffmpeg, a, out, { width: 800, height: 300 });
  const { stdout } = await run(bins.ffprobe, ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', out]);
  assert.equal(stdout.trim(), '800,300');
  await assert.rejects(plotAnalysis(bins.ffmpeg, a, path.join(dir, 'no', 'such', 'dir', 'x.png')), /ffmpeg failed/);
});
