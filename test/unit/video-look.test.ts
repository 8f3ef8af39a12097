import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AudioAnalysis } from '../../src/core/analysis/model.ts';
import type { Scene } from '../../src/core/model.ts';
import { sceneLooks } from '../../src/core/video/looks.ts';
import { chooseMotion } from '../../src/core/video/motion.ts';
import { beatFlashes, paceCurve } from '../../src/core/video/music.ts';
import { LevelMeter, bandCentres, visualizerEvents } from '../../src/core/video/visualizer.ts';
import { progressExpression } from '../../src/media/clips.ts';
import { COMPOSITIONS } from '../../src/media/port.ts';
import { pickComposition } from '../../src/providers/local/local-images.ts';

const analysis = {
  version: 1, audio_sha256: 'x', duration_s: 16, tempo_bpm: 120, beats: [], meter: 4,
  downbeats: [0, 2, 4, 6, 8, 10, 12, 14],
  sections: [{ start_s: 0, end_s: 4, label: 'A', energy: 0.2 }, { start_s: 4, end_s: 8, label: 'B', energy: 0.9 }, { start_s: 8, end_s: 12, label: 'A', energy: 0.3 }, { start_s: 12, end_s: 16, label: 'B', energy: 0.9 }],
  chorus_label: 'B',
  energy: { hop_s: 1, values: [0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9, 0.2, 0.2, 0.2, 0.2, 0.9, 0.9, 0.9, 0.9, 0.9] },
  vocal_activity: null, notes: [],
} satisfies AudioAnalysis;

test('the LevelMeter hears a low tone in the low bands, not the high ones, frame by frame', () => {
  const sampleRate = 22050;
  const meter = new LevelMeter({ sampleRate, fps: 25, bands: 12, wavePoints: 16 });
  const tone = new Float32Array(sampleRate); // 1 s of 110 Hz
  for (let i = 0; i < tone.length; i++) tone[i] = 0.5 * Math.sin((2 * Math.PI * 110 * i) / sampleRate);
  for (let at = 0; at < tone.length; at += 1000) meter.push(tone.subarray(at, at + 1000)); // odd chunk sizes
  const r = meter.result();
  assert.equal(r.frames, 25);
  const centres = bandCentres(12);
  const low = centres.findIndex((f) => f > 90);
  const f = 20;
  assert.ok(r.levels[f * 12 + low]! > 0.7, `band at ${centres[low]!.toFixed(0)} Hz is loud (${r.levels[f * 12 + low]})`);
  assert.ok(r.levels[f * 12 + 11]! < 0.3, `band at ${centres[11]!.toFixed(0)} Hz is quiet (${r.levels[f * 12 + 11]})`);
  assert.ok(Math.abs(r.wave[f * 16 + 3]! - 0.7) < 0.1, 'waveform peak ≈ 0.5 × 1.4');
  const events = visualizerEvents(r, { style: 'bars', band: { left: 0, top: 600, right: 1280, bottom: 700 }, color: '#ffd166', opacity: 0.4 }, 10, 15);
  assert.equal(events.length, 5, 'one drawing per frame');
  assert.match(events[0]!, /^Dialogue: 0,0:00:00\.38,0:00:00\.42,/, 'frame 10 at 25 fps: 0.38–0.42 s (half a frame either side)');
});

test('the camera pace follows energy; flashes on downbeats where the song is loud and at sections', () => {
  const pace = paceCurve(analysis, 2, 6, 4)!;
  assert.equal(pace[0], 0);
  assert.equal(pace[4], 1);
  const steps = pace.slice(1).map((v, i) => v - pace[i]!);
  assert.ok(steps[3]! > steps[0]! * 2, `faster in the loud half: ${steps.map((s) => s.toFixed(2))}`);
  assert.equal(paceCurve(null, 0, 4), null);
  const flashes = beatFlashes(analysis);
  assert.deepEqual(flashes.filter((f) => f.strength === 1).map((f) => f.at), [4, 8, 12], 'every section start');
  assert.ok(flashes.some((f) => f.at === 6) && !flashes.some((f) => f.at === 2), 'downbeats flash only where it is loud');
  assert.match(progressExpression(50, pace), /clip\(n\*4\/49-3,0,1\)/);
  assert.equal(progressExpression(50), '(n/49)');
});

test('looks: repeated sections share a key; without an analysis a repeated line does', () => {
  const scenes = [[0, 4], [4, 8], [8, 12], [12, 16]].map(([s, e], i) => ({ id: `s${i}`, order_idx: i, start_time_s: s, end_time_s: e })) as unknown as Scene[];
  const looks = sceneLooks(scenes, analysis);
  assert.equal(looks[0]!.key, looks[2]!.key);
  assert.equal(looks[1]!.key, looks[3]!.key);
  assert.notEqual(looks[0]!.key, looks[1]!.key);
  assert.equal(looks[1]!.chorus, true);
  const transcript = { source: 'lrc', segments: [{ start: 1, end: 3, text: 'Hold the line!' }, { start: 5, end: 7, text: 'verse words' }, { start: 13, end: 15, text: 'hold the line' }] };
  const byLine = sceneLooks(scenes, null, transcript);
  assert.equal(byLine[0]!.key, byLine[3]!.key);
  assert.equal(byLine[1]!.key, null);
});

test('a new take moves and looks different', () => {
  const one = chooseMotion({ prompt: 'slow zoom in', sceneIndex: 0, seed: 1, take: 1 });
  const two = chooseMotion({ prompt: 'slow zoom in', sceneIndex: 0, seed: 1, take: 2 });
  assert.equal(one.kind, 'zoom_in');
  assert.notEqual(two.kind, one.kind);
  const seen = new Set([1, 2, 3, 4].map((take) => pickComposition('a field at dawn', 5, take, 'section:B')));
  assert.equal(seen.size, 4, 'four takes, four composition families');
  assert.equal(pickComposition('x', 1, 1, 'section:B'), pickComposition('y', 2, 1, 'section:B'), 'a section keeps its family whatever the prompt');
  assert.ok(COMPOSITIONS.length >= 10);
});

test('lookPlan: a returning section gets the first palette and index; the next looks take other families', async () => {
  const { lookPlan } = await import('../../src/core/pipeline/images-step.ts');
  const scenes = [[0, 4], [4, 8], [8, 12], [12, 16]].map(([s, e], i) => ({ id: `s${i}`, project_id: 'p', order_idx: i, start_time_s: s, end_time_s: e })) as unknown as Scene[];
  const prompts = new Map(scenes.map((s, i) => [s.id, { color_palette: [`#00000${i}`, '#ffffff'] }])) as never;
  const plan = lookPlan(scenes, prompts, analysis, null);
  assert.deepEqual(plan.get('s2'), { key: 'section:A', index: plan.get('s0')!.index, palette: ['#000000', '#ffffff'] });
  assert.deepEqual(plan.get('s3')!.palette, ['#000001', '#ffffff']);
  assert.equal(plan.get('s1')!.index, plan.get('s0')!.index + 1);
  const families = new Set(['s0', 's1'].map((id) => pickComposition('x', 1, 1, plan.get(id)!.key, plan.get(id)!.index)));
  assert.equal(families.size, 2);
});
