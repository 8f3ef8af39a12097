/**
 * Captions on real pixels: burned with libass while a clip is encoded, inside the title-safe area
 * at 16:9 and 9:16, on screen at their time and not before (OCR with tesseract when installed),
 * seamless across a cut, with exact frame counts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { titleSafeArea } from '../../src/core/captions/index.ts';
import type { CaptionStyle } from '../../src/core/captions/index.ts';
import type { Project, Scene, TranscriptSegment } from '../../src/core/model.ts';
import { planFinishes } from '../../src/core/pipeline/finish.ts';
import { createFfmpegMedia } from '../../src/media/ffmpeg-media.ts';
import { bins, ff, run, tempDir } from './helpers.ts';
import { diffBox, hasTesseract } from '../support/pixels.ts';

const media = createFfmpegMedia(bins);
const execP = promisify(execFile);

/** how far a pixel must change to count as caption (this test's frames) */
const CAPTION_DIFF = 24;

async function plain(dir: string, w: number, h: number): Promise<string> {
  const p = path.join(dir, `bg-${w}x${h}.png`);
  await ff('-f', 'lavfi', '-i', `color=c=0x2a3350:s=${w}x${h}`, '-frames:v', '1', '-update', '1', p);
  return p;
}

function fakeProject(w: number, h: number, fps: number, segments: TranscriptSegment[]): Project {
  return { name: 'captions test', width: w, height: h, fps, transcript: { source: 'lrc', segments }, caption_style: null, visualizer: null } as unknown as Project;
}

const scene = (id: string, order: number, start: number, end: number): Scene => ({ id, order_idx: order, start_time_s: start, end_time_s: end }) as unknown as Scene;

async function plan(w: number, h: number, fps: number, segments: TranscriptSegment[], scenes: Scene[], style: CaptionStyle) {
  return planFinishes({ media }, { project: fakeProject(w, h, fps, segments), scenes, settings: { captions: style, visualizer: 'none' } });
}

/** One video frame as 8-bit gray pixels. */
async function grayFrame(file: string, frame: number, w: number, h: number): Promise<Buffer> {
  const { stdout } = await run(bins.ffmpeg, ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${frame}),format=gray`, '-frames:v', '1', '-f', 'rawvideo', '-'], { encoding: 'buffer', maxBuffer: 64 << 20 });
  assert.equal(stdout.length, w * h, 'one gray frame');
  return stdout;
}

const LONG = 'every window gold and every street a river running down to where the night begins again';

for (const [w, h] of [[640, 360], [360, 640]] as const) {
  test(`a long caption at ${w}x${h} stays inside the title-safe area`, async (t) => {
    const dir = await tempDir(t);
    const bg = await plain(dir, w, h);
    const fps = 25;
    const frames = 50;
    const p = await plan(w, h, fps, [{ start: 0.4, end: 1.8, text: LONG }], [scene('s', 0, 0, 2)], 'karaoke');
    const f = p.byScene.get('s')!;
    assert.ok(f.finish, 'a finish to burn');
    const withCaption = path.join(dir, 'c.mp4');
    const without = path.join(dir, 'n.mp4');
    await media.motionClip(bg, { width: w, height: h, fps }, frames, { kind: 'none', strength: 0 }, withCaption, undefined, f.finish);
    await media.motionClip(bg, { width: w, height: h, fps }, frames, { kind: 'none', strength: 0 }, without);
    const probe = await media.probeVideo(withCaption);
    assert.deepEqual([probe.video?.width, probe.video?.height, probe.video?.frameCount], [w, h, frames]);
    const box = diffBox(await grayFrame(withCaption, 30, w, h), await grayFrame(without, 30, w, h), w, h, CAPTION_DIFF);
    const safe = titleSafeArea({ width: w, height: h });
    assert.ok(box.count > 200, `caption pixels found (${box.count})`);
    assert.ok(box.left >= safe.left && box.right <= safe.right && box.top >= safe.top && box.bottom <= safe.bottom, `caption ${JSON.stringify(box)} inside safe ${JSON.stringify(safe)}`);
    // the layout predicted where it would be drawn
    const cue = p.cues[0]!;
    assert.ok(Math.abs(box.bottom - cue.box.bottom) <= 0.04 * h && Math.abs(box.left - cue.box.left) <= 0.06 * w, `drawn ${JSON.stringify(box)} vs laid out ${JSON.stringify(cue.box)}`);
    // and nothing at all before the line is sung
    const before = diffBox(await grayFrame(withCaption, 5, w, h), await grayFrame(without, 5, w, h), w, h, CAPTION_DIFF);
    assert.equal(before.count, 0, 'no caption pixels at 0.2 s, before the line starts at 0.4 s');
  });
}

test('the line is on screen at its time and not before (OCR)', { skip: hasTesseract ? false : 'tesseract is not installed (apt-get install tesseract-ocr) — OCR check skipped' }, async (t) => {
  const dir = await tempDir(t);
  const [w, h, fps] = [1280, 720, 25];
  const bg = await plain(dir, w, h);
  const p = await plan(w, h, fps, [{ start: 0.2, end: 0.9, text: 'Hold the line' }, { start: 1.2, end: 2, text: 'Running down the river' }], [scene('s', 0, 0, 2)], 'line');
  const clip = path.join(dir, 'c.mp4');
  await media.motionClip(bg, { width: w, height: h, fps }, 50, { kind: 'none', strength: 0 }, clip, undefined, p.byScene.get('s')!.finish);
  const ocr = async (frame: number): Promise<string> => {
    const png = path.join(dir, `f${frame}.png`);
    await run(bins.ffmpeg, ['-v', 'error', '-y', '-i', clip, '-vf', `select=eq(n\\,${frame})`, '-frames:v', '1', '-update', '1', png]);
    return (await execP('tesseract', [png, '-', '--psm', '6'])).stdout.toLowerCase();
  };
  const at = async (s: number): Promise<string> => ocr(Math.round(s * fps));
  assert.doesNotMatch(await at(0.12), /hold|line|river/, 'nothing before the first line');
  assert.match(await at(0.5), /hold the line/);
  assert.doesNotMatch(await at(1.1), /hold|river/, 'the first line left at its end; the second has not started');
  const later = await at(1.6);
  assert.match(later, /running down the river/);
  assert.doesNotMatch(later, /hold/);
});

test('a line that crosses a cut continues seamlessly: joined clips show what one clip shows', async (t) => {
  const dir = await tempDir(t);
  const [w, h, fps] = [480, 270, 30];
  const bg = await plain(dir, w, h);
  const segments = [{ start: 0.5, end: 2.5, text: 'across the cut we go', words: [{ start: 0.5, end: 1, text: 'across' }, { start: 1, end: 1.4, text: 'the' }, { start: 1.4, end: 1.7, text: 'cut' }, { start: 1.7, end: 2, text: 'we' }, { start: 2, end: 2.5, text: 'go' }] }];
  const split = await plan(w, h, fps, segments, [scene('a', 0, 0, 1.5), scene('b', 1, 1.5, 3)], 'karaoke');
  const whole = await plan(w, h, fps, segments, [scene('w', 0, 0, 3)], 'karaoke');
  const a = path.join(dir, 'a.mp4');
  const b = path.join(dir, 'b.mp4');
  const one = path.join(dir, 'one.mp4');
  const still = { kind: 'none' as const, strength: 0 };
  await media.motionClip(bg, { width: w, height: h, fps }, split.byScene.get('a')!.frameCount, still, a, undefined, split.byScene.get('a')!.finish);
  await media.motionClip(bg, { width: w, height: h, fps }, split.byScene.get('b')!.frameCount, still, b, undefined, split.byScene.get('b')!.finish);
  await media.motionClip(bg, { width: w, height: h, fps }, 90, still, one, undefined, whole.byScene.get('w')!.finish);
  const song = path.join(dir, 'silence.wav');
  await ff('-f', 'lavfi', '-i', 'anullsrc=r=22050:cl=mono', '-t', '3', song);
  const joined = path.join(dir, 'joined.mp4');
  await media.render({ clipPaths: [a, b], audioPath: song, totalFrames: 90, fps, outPath: joined });
  assert.equal((await media.probeVideo(joined)).video?.frameCount, 90);
  for (const frame of [40, 44, 45, 46, 52]) {
    const x = await grayFrame(joined, frame, w, h);
    const y = await grayFrame(one, frame, w, h);
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
    assert.ok(sum / x.length < 1.5, `frame ${frame}: mean difference ${(sum / x.length).toFixed(2)}`);
  }
  // and the sweep moved on between the two sides of the cut (it is not a frozen picture)
  const before = await grayFrame(joined, 40, w, h);
  const after = await grayFrame(joined, 52, w, h);
  assert.ok(diffBox(before, after, w, h, CAPTION_DIFF).count > 50, 'the karaoke highlight advances across the cut');
});

test('9:16 720p with captions and a visualizer: 720x1280 to the frame, exact frame count', async (t) => {
  const dir = await tempDir(t);
  const bg = await plain(dir, 720, 1280);
  const song = path.join(dir, 'tone.wav');
  await ff('-f', 'lavfi', '-i', 'sine=f=220:d=2:r=22050', song);
  const project = fakeProject(720, 1280, 30, [{ start: 0.1, end: 1.5, text: 'vertical video for everyone' }]);
  const p = await planFinishes({ media }, { project, scenes: [scene('s', 0, 0, 1.3)], settings: { captions: 'karaoke', visualizer: 'bars' }, songPath: song });
  const out = path.join(dir, 'v.mp4');
  await media.motionClip(bg, { width: 720, height: 1280, fps: 30 }, 39, { kind: 'zoom_in', strength: 0.6 }, out, undefined, p.byScene.get('s')!.finish);
  const probe = await media.probeVideo(out);
  assert.deepEqual([probe.video?.width, probe.video?.height, probe.video?.frameCount, probe.video?.fps], [720, 1280, 39, 30]);
  assert.match(p.byScene.get('s')!.finish!.ass, /\\p1\}m \d+ \d+ l/, 'visualizer drawings in the document');
  await writeFile(path.join(dir, 'keep.txt'), 'ok');
});
