/**
 * Issue 13 through the built binary, offline: the frame's shape, resolution and frame rate from
 * flags (9:16 → 720×1280 to the frame, 1:1), captions that stay inside the frame (their pixels
 * found by diffing the cut against the same cut without captions, and read back with tesseract
 * when it is installed), a change of shape on an existing project (what is stale, then redone),
 * the preview animatic (render --preview, run --preview), the timeline export, and review that
 * keeps a rejection.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, test, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { titleSafeArea } from '../../src/core/captions/index.ts';
import { hasStackTrace, makeSong, probe, sandbox, type Sandbox } from './helpers.ts';
import { diffBox, hasTesseract } from '../support/pixels.ts';

const execP = promisify(execFile);

/** how far a pixel must change to count as caption (this test's frames) */
const CAPTION_DIFF = 40;

const LYRICS = '[00:00.60]we ride the night until the morning light\n[00:03.50]every window gold and every street a river running down\n[00:07.00]last words\n';

async function grayFrame(file: string, atS: number, w: number, h: number): Promise<Buffer> {
  const { stdout } = await execP('ffmpeg', ['-v', 'error', '-ss', String(atS), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { encoding: 'buffer', maxBuffer: 64 << 20 });
  assert.equal(stdout.length, w * h, 'one gray frame');
  return stdout;
}

async function ocr(file: string, atS: number, png: string): Promise<string> {
  // white caption text → black on white, doubled: what tesseract reads best on any background
  await execP('ffmpeg', ['-v', 'error', '-y', '-ss', String(atS), '-i', file, '-frames:v', '1', '-vf', "format=gray,lut=y='if(gt(val,215),0,255)',scale=iw*2:-1", '-update', '1', png]);
  return (await execP('tesseract', [png, '-', '--psm', '6'])).stdout.toLowerCase().replace(/\s+/g, ' ');
}

/** A whole offline run at a shape, then the same cut without captions: the captions' pixels, inside the safe area. */
async function shapeRun(t: TestContext, sb: Sandbox, flags: string[], size: { w: number; h: number }, fps: number): Promise<void> {
  const song = await makeSong(sb.file('song.wav'), 9.4);
  const lrc = sb.file('song.lrc');
  await writeFile(lrc, LYRICS);
  const out = sb.file('with.mp4');
  const summary = await sb.json<{ project_id: string; output: string; fps: number }>(['run', song, '--lyrics', lrc, '--captions', 'line', ...flags, '--out', out], { timeoutMs: 120_000 });
  const p = await probe(out);
  assert.deepEqual([p.width, p.height, p.fps], [size.w, size.h, fps], 'the frame the flags asked for');
  assert.equal(p.videoFrames, Math.round(9.4 * fps), 'the song to the frame');
  assert.ok(Math.abs(p.audioDuration - p.videoDuration) <= 1 / fps, 'audio and video end together');
  const shown = await sb.json<{ width: number; height: number; fps: number; caption_style: string }>(['project', 'show', summary.project_id]);
  assert.deepEqual([shown.width, shown.height, shown.fps, shown.caption_style], [size.w, size.h, fps, 'line']);

  // the same cut without captions (same stills, same camera): what differs is the captions
  const upd = await sb.run(['project', 'update', summary.project_id, '--captions', 'none']);
  assert.equal(upd.code, 0, upd.stderr);
  assert.match(upd.stderr, /re-finished by the next cut/);
  const bare = sb.file('bare.mp4');
  const r = await sb.run(['render', summary.project_id, '--force', '--yes', '--out', bare]);
  assert.equal(r.code, 0, r.stderr);
  const safe = titleSafeArea({ width: size.w, height: size.h });
  for (const at of [1.5, 5.0]) {
    const box = diffBox(await grayFrame(out, at, size.w, size.h), await grayFrame(bare, at, size.w, size.h), size.w, size.h, CAPTION_DIFF);
    assert.ok(box.count > 300, `caption pixels at ${at} s (${box.count})`);
    assert.ok(box.left >= safe.left - 2 && box.right <= safe.right + 2 && box.top >= safe.top - 2 && box.bottom <= safe.bottom + 2, `caption at ${at} s ${JSON.stringify(box)} inside the title-safe area ${JSON.stringify(safe)} of ${size.w}x${size.h}`);
    assert.ok(box.left > 0 && box.right < size.w && box.bottom < size.h, 'never touching the frame edge');
  }
  // every word of the long line is on screen (a cut-off line loses its ends); a skip is reported as one
  await t.test('OCR reads every word of the long line', { skip: hasTesseract ? false : 'tesseract is not installed (apt-get install tesseract-ocr)' }, async () => {
    const text = await ocr(out, 5.0, sb.file('ocr.png'));
    for (const word of ['every', 'window', 'gold', 'river', 'running', 'down']) assert.ok(text.includes(word), `"${word}" read at 5.0 s in: ${text}`);
  });
}

describe('the frame from flags, captions inside it', () => {
  test('9:16 offline run → 720x1280 to the frame, captions inside the title-safe area', async (t) => {
    const sb = await sandbox(t);
    await shapeRun(t, sb, ['--aspect', '9:16'], { w: 720, h: 1280 }, 30);
  });

  test('1:1 at 480p and 25 fps', async (t) => {
    const sb = await sandbox(t);
    await shapeRun(t, sb, ['--aspect', '1:1', '--resolution', '480p', '--fps', '25'], { w: 480, h: 480 }, 25);
  });
});

describe('changing the shape of a project that has stills and clips', () => {
  test('project update says what is stale; render refuses the old clips; run redoes them at the new frame', async (t) => {
    const sb = await sandbox(t);
    const song = await makeSong(sb.file('s.wav'), 6.1);
    const first = await sb.json<{ project_id: string }>(['run', song, '--scene-min', '2', '--scene-max', '3']);
    const id = first.project_id;
    const scenes = (await sb.json<unknown[]>(['scenes', 'list', id])).length;
    // approved at 16:9: an approval of the old shape must not hide the take made for the new one
    assert.equal((await sb.run(['clips', 'approve', id])).code, 0);
    const upd = await sb.run(['project', 'update', id, '--aspect', '9:16', '--json']);
    assert.equal(upd.code, 0, upd.stderr);
    assert.match(upd.stderr, new RegExp(`${scenes} stills and ${scenes} clips were made for 1280×720 at 30 fps, not 720×1280 at 30 fps`));
    assert.match(JSON.parse(upd.stdout).stale, /kept as older takes/);
    const refused = await sb.run(['render', id, '--yes']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /clip made for 1280×720 at 30 fps, the project is now 720×1280/);
    assert.match(refused.stderr, /hint: .*clips generate/);
    assert.ok(!hasStackTrace(refused.stderr));
    const again = await sb.json<{ output: string; images: number }>(['run', '--project', id, '--out', sb.file('v.mp4')]);
    const p = await probe(again.output);
    assert.deepEqual([p.width, p.height, p.videoFrames], [720, 1280, Math.round(6.1 * 30)]);
    const images = await sb.json<{ scene: number; take: number; seed: number; width: number; height: number }[]>(['images', 'list', id]);
    assert.equal(images.length, scenes * 2, 'the 16:9 stills are kept as take 1, the 9:16 ones are take 2');
    for (let n = 1; n <= scenes; n++) {
      const [a, b] = [images.find((i) => i.scene === n && i.take === 1)!, images.find((i) => i.scene === n && i.take === 2)!];
      assert.deepEqual([a.width, a.height, b.width, b.height], [1280, 720, 720, 1280]);
      assert.equal(b.seed, a.seed, `scene ${n}: the same picture redrawn for the new frame (same seed)`);
    }
    // back to 30 → 24 fps: only the clips are stale, the stills fit
    const fps = await sb.run(['project', 'update', id, '--fps', '24']);
    assert.match(fps.stderr, new RegExp(`^warning: ${scenes} clips were made for 720×1280 at 30 fps, not 720×1280 at 24 fps`, 'm'));
    // run --project with a new shape says so too, and delivers the new frame at the new rate
    const square = await sb.run(['run', '--project', id, '--aspect', '1:1', '--resolution', '480p', '--out', sb.file('sq.mp4'), '--json'], { timeoutMs: 120_000 });
    assert.equal(square.code, 0, square.stderr);
    assert.match(square.stderr, new RegExp(`warning: ${scenes} stills and ${scenes} clips were made for 720×1280 at 24 fps, not 480×480 at 24 fps: they are kept as older takes and this run makes new ones`));
    const sq = await probe(sb.file('sq.mp4'));
    assert.deepEqual([sq.width, sq.height, sq.fps, sq.videoFrames], [480, 480, 24, Math.round(6.1 * 24)]);
  });
});

describe('cost estimates follow the frame', () => {
  test('run --dry-run prices clips at the resolution the flags ask for; --preview leaves the clips out', async (t) => {
    const sb = await sandbox(t);
    const song = await makeSong(sb.file('s.wav'), 9);
    // nothing is called: the price table and the model's published schema ship with omvee
    const env = { REPLICATE_API_TOKEN: 'r8_not_a_real_token' };
    const clipsUsd = async (flags: string[]) => {
      const est = await sb.json<{ lines: { step: string; usd: number }[] }>(['run', song, '--images', 'replicate', '--clips', 'replicate', '--dry-run', ...flags], { env });
      return est.lines.filter((l) => l.step === 'clips').reduce((n, l) => n + l.usd, 0);
    };
    const [low, mid, high] = [await clipsUsd(['--aspect', '9:16', '--resolution', '480p']), await clipsUsd(['--aspect', '9:16']), await clipsUsd(['--aspect', '9:16', '--resolution', '1080p'])];
    assert.ok(low > 0 && low < mid && mid < high, `480p ${low} < 720p ${mid} < 1080p ${high}`);
    assert.equal(await clipsUsd(['--preview']), 0, 'a preview run pays for no clip');
  });
});

describe('preview before paying', () => {
  test('run --preview stops after the images with a 360p animatic; render --preview cuts it again; the run goes on', async (t) => {
    const sb = await sandbox(t);
    const song = await makeSong(sb.file('s.wav'), 7.3);
    const lrc = sb.file('s.lrc');
    await writeFile(lrc, LYRICS);
    const r = await sb.run(['run', song, '--lyrics', lrc, '--aspect', '9:16', '--preview', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { project_id: string; preview: boolean; output: string; clips: number; final_video_id: string | null; next: string };
    assert.equal(summary.preview, true);
    assert.equal(summary.clips, 0, 'no clip was made');
    assert.equal(summary.final_video_id, null);
    assert.match(r.stderr, new RegExp(`continue: omvee run --project ${summary.project_id}`));
    const p = await probe(summary.output);
    assert.deepEqual([p.width, p.height, p.videoFrames], [360, 640, Math.round(7.3 * 30)]);
    assert.ok(p.hasAudio, 'the song is in it');
    const clips = await sb.json<unknown[]>(['clips', 'list', summary.project_id]);
    assert.equal(clips.length, 0);

    const again = await sb.json<{ output: string; width: number; height: number; frame_count: number }>(['render', summary.project_id, '--preview', '--out', sb.file('prev.mp4')]);
    assert.equal(again.output, sb.file('prev.mp4'));
    assert.deepEqual([again.width, again.height, again.frame_count], [360, 640, Math.round(7.3 * 30)]);
    const captioned = await probe(again.output);
    assert.equal(captioned.videoFrames, Math.round(7.3 * 30));

    const done = await sb.json<{ output: string; preview: boolean; clips: number }>(['run', '--project', summary.project_id]);
    assert.equal(done.preview, false);
    assert.ok(done.clips > 0);
    assert.deepEqual([(await probe(done.output)).width, (await probe(done.output)).height], [720, 1280]);
  });

  test('render --preview of a project without stills says what to run', async (t) => {
    const sb = await sandbox(t);
    const song = await makeSong(sb.file('s.wav'), 3);
    const created = await sb.json<{ id: string }>(['project', 'create', 'Bare', '--audio', song]);
    const r = await sb.run(['render', created.id, '--preview']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: .*no scenes yet[\s\S]*hint: run: omvee scenes select/);
    assert.ok(!hasStackTrace(r.stderr));
  });
});

describe('export for an editor', () => {
  test('render --export otio|edl|fcpxml --out FILE writes the timeline and copies its media beside it', async (t) => {
    const sb = await sandbox(t);
    const song = await makeSong(sb.file('s.wav'), 6.1);
    const run = await sb.json<{ project_id: string }>(['run', song, '--scene-min', '2', '--scene-max', '3']);
    const id = run.project_id;
    const scenes = (await sb.json<unknown[]>(['scenes', 'list', id])).length;
    const missing = await sb.run(['render', id, '--export', 'otio']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--export needs --out FILE/);

    const otio = await sb.json<{ path: string; media_dir: string; clips: number }>(['render', id, '--export', 'otio', '--out', sb.file('edit/cut.otio'), '--yes']);
    assert.equal(otio.media_dir, sb.file('edit/cut_media'));
    assert.equal(otio.clips, scenes);
    const doc = JSON.parse(await readFile(otio.path, 'utf8'));
    assert.equal(doc.OTIO_SCHEMA, 'Timeline.1');
    const tracks = doc.tracks.children as { kind: string; children: { OTIO_SCHEMA: string; media_references: { DEFAULT_MEDIA: { target_url: string } } }[] }[];
    const video = tracks.find((tr) => tr.kind === 'Video')!;
    const clips = video.children.filter((c) => c.OTIO_SCHEMA === 'Clip.2' || c.OTIO_SCHEMA === 'Clip.1');
    assert.equal(clips.length, scenes);
    for (const clip of clips) {
      const url = clip.media_references.DEFAULT_MEDIA.target_url;
      assert.match(url, /^file:\/\//);
      const file = decodeURIComponent(new URL(url).pathname);
      assert.ok(file.startsWith(otio.media_dir), `${file} is an exported copy`);
      assert.ok(existsSync(file), `${file} exists`);
      assert.equal((await probe(file)).hasVideo, true);
    }
    const audio = tracks.find((tr) => tr.kind === 'Audio')!;
    assert.ok(existsSync(decodeURIComponent(new URL(audio.children[0]!.media_references.DEFAULT_MEDIA.target_url).pathname)), 'the song is copied too');

    const edl = await sb.json<{ path: string }>(['render', id, '--export', 'edl', '--out', sb.file('edit/cut.edl'), '--yes']);
    const lines = (await readFile(edl.path, 'utf8')).split('\n');
    assert.match(lines[0]!, /^TITLE: /);
    assert.equal(lines.filter((l) => /^\d{3} {2}\S+\s+V\s+C\s+(\d\d:){3}\d\d (\d\d:){3}\d\d (\d\d:){3}\d\d (\d\d:){3}\d\d$/.test(l)).length, scenes, 'one CMX3600 video event per scene');

    const fcp = await sb.json<{ path: string; media_dir: string }>(['render', id, '--export', 'fcpxml', '--out', sb.file('edit/cut.fcpxml'), '--yes']);
    const xml = await readFile(fcp.path, 'utf8');
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE fcpxml>/);
    const srcs = [...xml.matchAll(/src="([^"]+)"/g)].map((m) => decodeURIComponent(new URL(m[1]!).pathname));
    assert.equal(srcs.length, scenes + 1, 'an asset per clip and the song');
    for (const src of srcs) assert.ok(src.startsWith(fcp.media_dir) && existsSync(src), src);

    const bad = await sb.run(['render', id, '--export', 'otio', '--out', sb.file('edit'), '--yes']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /is a folder/);
  });
});

describe('review that means something', () => {
  test('approving the whole project skips a rejected take unless --force; its new take differs', async (t) => {
    const sb = await sandbox(t);
    const song = await makeSong(sb.file('s.wav'), 6.1);
    const run = await sb.json<{ project_id: string }>(['run', song, '--scene-min', '2', '--scene-max', '3']);
    const id = run.project_id;
    assert.equal((await sb.run(['clips', 'reject', id, '2', '--note', 'too static, want a pan'])).code, 0);
    const approve = await sb.run(['clips', 'approve', id, '--json']);
    assert.equal(approve.code, 0, approve.stderr);
    assert.match(approve.stderr, /scene 2: take 1 was rejected \("too static, want a pan"\), left as it is/);
    const approved = JSON.parse(approve.stdout) as { scene: number }[];
    assert.ok(!approved.some((a) => a.scene === 2), 'scene 2 stays rejected');
    type Clip = { scene: number; take: number; review: string; seed: number; motion_prompt: string };
    let clips = await sb.json<Clip[]>(['clips', 'list', id]);
    assert.equal(clips.find((c) => c.scene === 2)!.review, 'rejected');

    // the next clips step makes a new take for the rejected scene: another seed and another camera move
    assert.equal((await sb.run(['clips', 'generate', id])).code, 0);
    clips = await sb.json<Clip[]>(['clips', 'list', id]);
    const [one, two] = [clips.find((c) => c.scene === 2 && c.take === 1)!, clips.find((c) => c.scene === 2 && c.take === 2)!];
    assert.ok(two, 'a second take of scene 2');
    assert.notEqual(two.seed, one.seed, 'a new seed');
    assert.notEqual(two.motion_prompt, one.motion_prompt, 'a new motion');

    assert.equal((await sb.run(['clips', 'reject', id, '2'])).code, 0);
    const forced = await sb.json<{ scene: number; take: number }[]>(['clips', 'approve', id, '--force']);
    assert.ok(forced.some((a) => a.scene === 2 && a.take === 2), '--force approves the rejected take too');
  });
});
