/**
 * Issue 3 through the built binary, offline: `omvee run` in one go (with lyrics, and as an
 * instrumental), then the step-by-step path on one shared project — transcript import in every
 * format, scenes select/list/edit, prompts, images (+ new take), clips (remade for edited
 * scenes), review, render (refused without approvals, then with the lyrics burned in), and the
 * storyboard. Outputs are checked with ffprobe.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { hasStackTrace, makeSong, probe, sandbox, type Sandbox } from './helpers.ts';

const FPS = 30;
const EPS = 1e-6;

/** The video lasts the song to the frame, with both streams ending together, at 1280x720. */
async function assertVideo(file: string, songDuration: number): Promise<void> {
  assert.ok(existsSync(file), `${file} exists`);
  const p = await probe(file);
  assert.ok(p.hasVideo, 'video stream');
  assert.ok(p.hasAudio, 'audio stream');
  assert.equal(p.width, 1280);
  assert.equal(p.height, 720);
  assert.equal(p.fps, FPS);
  assert.equal(p.videoFrames, Math.round(songDuration * FPS), `frame count for ${songDuration} s`);
  assert.ok(Math.abs(p.videoDuration - p.videoFrames / FPS) <= 1 / FPS, `video duration ${p.videoDuration}`);
  assert.ok(Math.abs(p.audioDuration - p.videoDuration) <= 1 / FPS, `audio ${p.audioDuration} vs video ${p.videoDuration}`);
}

/** Scenes cover 0..duration exactly, in order, with no gap or overlap, each within bounds. */
function assertCoverage(scenes: any[], duration: number, bounds?: { min: number; max: number }): void {
  assert.ok(scenes.length >= 1);
  const sorted = [...scenes].sort((a, b) => a.order_idx - b.order_idx);
  assert.deepEqual(sorted.map((s) => s.order_idx), sorted.map((_, i) => i), 'order_idx 0..n-1');
  assert.equal(sorted[0].start_time_s, 0);
  assert.ok(Math.abs(sorted.at(-1).end_time_s - duration) < EPS, `last scene ends at ${sorted.at(-1).end_time_s}, song ${duration}`);
  for (let i = 1; i < sorted.length; i++) {
    assert.ok(Math.abs(sorted[i].start_time_s - sorted[i - 1].end_time_s) < EPS, `gap/overlap before scene ${i + 1}`);
  }
  if (bounds) {
    for (const s of sorted) {
      const len = s.end_time_s - s.start_time_s;
      assert.ok(len >= bounds.min - EPS && len <= bounds.max + EPS, `scene ${s.order_idx + 1} lasts ${len}`);
    }
  }
}

describe('omvee run', () => {
  test('song + lyrics → --json summary and a frame-exact video', async (t) => {
    const sb = await sandbox(t);
    const song = await makeSong(sb.file('ten.wav'), 10.37);
    const lrc = sb.file('ten.lrc');
    await writeFile(lrc, '[ti:Ten]\n[00:00.80]first words\n[00:03.40]second words\n[00:06.10]third words\n[00:08.90]last words\n');
    const out = sb.file('out/video.mp4');
    const r = await sb.run(['run', song, '--lyrics', lrc, '--out', out, '--json'], { timeoutMs: 90_000 });
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.match(summary.project_id, /^[0-9a-f-]{36}$/);
    assert.equal(summary.output, out);
    assert.equal(summary.fps, FPS);
    assert.ok(Math.abs(summary.duration_s - 10.37) < 0.01);
    assert.equal(summary.frame_count, Math.round(10.37 * FPS));
    assert.ok(summary.scenes >= 2, 'a 10 s song with 5–10 s scenes has at least 2');
    assert.equal(summary.images, summary.scenes);
    assert.equal(summary.clips, summary.scenes);
    assert.ok(!hasStackTrace(r.stderr));

    const project = await sb.json(['project', 'show', summary.project_id]);
    assert.equal(project.status, 'rendered');
    await assertVideo(out, project.audio_duration_s);
    const stored = path.join(sb.home, 'project-files', summary.video_path);
    await assertVideo(stored, project.audio_duration_s);
    assert.deepEqual(await readFile(stored), await readFile(out), '--out is a copy of the stored video');

    const scenes = await sb.json(['scenes', 'list', summary.project_id]);
    assertCoverage(scenes, project.audio_duration_s, { min: 5, max: 10 });
    const jobs = await sb.json(['jobs', 'list', '--project', summary.project_id]);
    const types = new Set(jobs.map((j: any) => j.type));
    for (const type of ['transcribe', 'analyze_audio', 'analyze_scenes', 'generate_prompts', 'generate_images', 'generate_clips', 'assemble_video']) {
      assert.ok(types.has(type), `a ${type} job`);
    }
    assert.ok(jobs.every((j: any) => j.status === 'completed'), JSON.stringify(jobs.map((j: any) => [j.type, j.status])));
  });

  test('an instrumental (no lyrics) renders too, honouring --scene-min/--scene-max', async (t) => {
    const sb = await sandbox(t);
    const song = await makeSong(sb.file('inst.wav'), 9);
    const out = sb.file('inst.mp4');
    const r = await sb.run(['run', song, '--name', 'Instrumental', '--scene-min', '2', '--scene-max', '3', '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.name, 'Instrumental');
    assert.ok(summary.scenes >= 3 && summary.scenes <= 5, `${summary.scenes} scenes`);
    assertCoverage(await sb.json(['scenes', 'list', summary.project_id]), 9, { min: 2, max: 3 });
    const tr = await sb.json(['transcript', 'show', summary.project_id]);
    assert.deepEqual(tr.segments, []);
    await assertVideo(out, 9);
  });
});

describe('step by step on one project', () => {
  let sb: Sandbox & { cleanup: () => Promise<void> };
  let id: string;
  let duration: number;
  const ok = async (args: string[]) => {
    const r = await sb.run(args, { timeoutMs: 90_000 });
    assert.equal(r.code, 0, `omvee ${args.join(' ')}\n${r.stderr}`);
    assert.ok(!hasStackTrace(r.stderr));
    return r;
  };

  before(async () => {
    sb = await sandbox();
    const song = await makeSong(sb.file('twelve.wav'), 12);
    const p = await sb.json(['project', 'create', 'Steps', '--audio', song, '--style', 'neon city at night']);
    id = p.id;
    duration = p.audio_duration_s;
    assert.equal(duration, 12);
  });
  after(() => sb.cleanup());

  const importAndShow = async (name: string, content: string | Buffer) => {
    const file = sb.file(name);
    await writeFile(file, content);
    const r = await ok(['transcript', 'import', id, file]);
    const tr = await sb.json(['transcript', 'show', id]);
    return { r, tr };
  };

  test('transcript import: SRT', async () => {
    const { tr } = await importAndShow('l.srt', '1\n00:00:01,000 --> 00:00:03,500\n<i>Hello</i> there\n\n2\n00:00:04,000 --> 00:00:06,000\nSecond &amp; line\n');
    assert.deepEqual(tr.segments.map((s: any) => [s.start, s.end, s.text]), [[1, 3.5, 'Hello there'], [4, 6, 'Second & line']]);
  });

  test('transcript import: WebVTT', async () => {
    const { tr } = await importAndShow('l.vtt', 'WEBVTT\n\nNOTE a comment\n\ncue-1\n00:00.500 --> 00:02.000 align:start\n<v Singer>Vtt one</v>\n\n00:00:02.000 --> 00:00:05.250\nVtt two\n');
    assert.deepEqual(tr.segments.map((s: any) => [s.start, s.end, s.text]), [[0.5, 2, 'Vtt one'], [2, 5.25, 'Vtt two']]);
  });

  test('transcript import: Whisper verbose_json', async () => {
    const json = { task: 'transcribe', language: 'english', duration: 12, text: 'x', segments: [{ id: 0, start: 0.2, end: 2.4, text: ' Whisper one' }, { id: 1, start: 3, end: 7.5, text: ' Whisper two' }] };
    const { tr } = await importAndShow('l.json', JSON.stringify(json));
    assert.deepEqual(tr.segments.map((s: any) => [s.start, s.end, s.text]), [[0.2, 2.4, 'Whisper one'], [3, 7.5, 'Whisper two']]);
  });

  test('transcript import: plain text spreads lines over the song', async () => {
    const { tr } = await importAndShow('l.txt', 'plain one\nplain two\n\nplain three\n');
    assert.deepEqual(tr.segments.map((s: any) => s.text), ['plain one', 'plain two', 'plain three']);
    for (let i = 0; i < tr.segments.length; i++) {
      const s = tr.segments[i];
      assert.ok(s.start >= 0 && s.end <= duration + EPS && s.start < s.end);
      if (i > 0) assert.ok(s.start >= tr.segments[i - 1].start);
    }
  });

  test('transcript import: LRC with BOM, CRLF, metadata, [offset:], repeated stamps, word times', async () => {
    const lrc =
      '\ufeff[ar:Band]\r\n[ti:Steps]\r\n[offset:+500]\r\n' +
      '[00:01.00][00:08.50]Chorus line\r\n' +
      '[00:03.00]<00:03.00>Word <00:03.60>by <00:04.10>word\r\n' +
      'a line without a timestamp\r\n' +
      '[00:05.70]Verse line\r\n';
    const { r, tr } = await importAndShow('l.lrc', lrc);
    assert.match(r.stderr, /warning: .*without a timestamp/);
    assert.equal(r.stderr.match(/^warning: ignored/gm)?.length, 1, `the warning is printed once:\n${r.stderr}`);
    // [offset:+500] shows every line 0.5 s earlier.
    assert.deepEqual(tr.segments.map((s: any) => [s.start, s.text]), [[0.5, 'Chorus line'], [2.5, 'Word by word'], [5.2, 'Verse line'], [8, 'Chorus line']]);
    assert.ok(tr.segments[1].words?.length === 3, 'word times kept');
    assert.ok(tr.segments.every((s: any) => s.end <= duration + EPS));
  });

  test('transcript show --format srt / lrc / vtt', async () => {
    const srt = (await ok(['transcript', 'show', id, '--format', 'srt'])).stdout;
    assert.match(srt, /^1\n00:00:00,500 --> 00:00:02,500\nChorus line\n/);
    assert.match(srt, /\n4\n00:00:08,000 --> [0-9:,]+\nChorus line/);
    const vtt = (await ok(['transcript', 'show', id, '--format', 'vtt'])).stdout;
    assert.match(vtt, /^WEBVTT\n/);
    assert.match(vtt, /00:00:02\.500 --> 00:00:05\.200\nWord by word/);
    const lrc = (await ok(['transcript', 'show', id, '--format', 'lrc'])).stdout;
    assert.match(lrc, /^\[00:05\.20\]Verse line$/m);
    // What `show --format lrc` prints imports back to the same lines.
    const back = sb.file('roundtrip.lrc');
    await writeFile(back, lrc);
    const before = await sb.json(['transcript', 'show', id]);
    await ok(['transcript', 'import', id, back]);
    const after = await sb.json(['transcript', 'show', id]);
    assert.deepEqual(after.segments.map((s: any) => [s.start, s.text]), before.segments.map((s: any) => [s.start, s.text]));
  });

  let scenes: any[];

  test('scenes select honours --scene-min/--scene-max and covers 0..duration; list --json fields', async () => {
    await ok(['scenes', 'select', id, '--scene-min', '2', '--scene-max', '4']);
    scenes = await sb.json(['scenes', 'list', id]);
    assertCoverage(scenes, duration, { min: 2, max: 4 });
    assert.ok(scenes.length >= 3);
    for (const s of scenes) {
      for (const key of ['id', 'order_idx', 'start_time_s', 'end_time_s', 'lyric_excerpt', 'theme']) assert.ok(key in s, `scene has ${key}`);
      assert.equal(s.project_id, id);
    }
    assert.ok(scenes.some((s) => /Chorus line|Word by word|Verse line/.test(s.lyric_excerpt ?? '')), 'lyrics reach the scenes');
    const tsv = (await ok(['scenes', 'list', id])).stdout.trimEnd().split('\n');
    assert.equal(tsv.length, scenes.length);
  });

  test('prompts, images (+ a new take that keeps the first), clips', async () => {
    await ok(['prompts', 'generate', id]);
    const prompts = await sb.json(['prompts', 'list', id]);
    assert.equal(prompts.length, scenes.length);
    for (const p of prompts) {
      for (const key of ['image_prompt', 'style_notes', 'negative_prompt', 'setting', 'shot_type', 'mood', 'color_palette', 'motion_prompt', 'generated_by_model']) {
        assert.ok(p[key] !== null && p[key] !== undefined && p[key] !== '', `prompt.${key}`);
      }
    }
    await ok(['images', 'generate', id]);
    await ok(['images', 'generate', id, '--scene', '1', '--new-take']);
    const images = await sb.json(['images', 'list', id]);
    const first = images.filter((i: any) => i.scene_id === scenes[0].id);
    assert.deepEqual(first.map((i: any) => i.take).sort(), [1, 2], 'both takes of scene 1 kept');
    assert.equal(images.length, scenes.length + 1);
    for (const img of images) {
      assert.equal(img.status, 'completed');
      assert.equal(img.width, 1280);
      assert.equal(img.height, 720);
      const png = await readFile(path.join(sb.home, 'project-files', img.image_path));
      assert.equal(png.subarray(1, 4).toString(), 'PNG');
    }
    await ok(['clips', 'generate', id]);
    const clips = await sb.json(['clips', 'list', id]);
    assert.equal(clips.length, scenes.length);
    assert.equal(clips.reduce((n: number, c: any) => n + c.frame_count, 0), Math.round(duration * FPS), 'clips sum to the song');
    for (const c of clips) {
      assert.equal(c.status, 'completed');
      assert.equal(c.review, 'unreviewed');
      const p = await probe(path.join(sb.home, 'project-files', c.clip_path));
      assert.equal(p.videoFrames, c.frame_count);
    }
  });

  test('scenes edit moves the neighbour, keeps coverage whole, and clips are remade for edited scenes', async () => {
    const s2 = scenes[1];
    const newEnd = Math.round((s2.end_time_s - 0.5) * 100) / 100;
    await ok(['scenes', 'edit', id, '2', '--end', String(newEnd), '--theme', 'storm']);
    const edited = await sb.json(['scenes', 'list', id]);
    assertCoverage(edited, duration);
    assert.equal(edited[1].end_time_s, newEnd);
    assert.equal(edited[1].theme, 'storm');
    assert.equal(edited[2].start_time_s, newEnd, 'the next scene starts where scene 2 now ends');
    assert.equal(edited[2].end_time_s, scenes[2].end_time_s);
    assert.equal(edited[0].end_time_s, scenes[0].end_time_s);
    scenes = edited;

    const r = await ok(['clips', 'generate', id, '--json']);
    const res = JSON.parse(r.stdout);
    assert.equal(res.generated, 2, 'only the two changed scenes');
    const clips = await sb.json(['clips', 'list', id]);
    const latest = new Map<string, any>();
    for (const c of clips) if (!latest.has(c.scene_id) || latest.get(c.scene_id).take < c.take) latest.set(c.scene_id, c);
    for (const s of edited) {
      const c = latest.get(s.id);
      assert.ok(c, `scene ${s.order_idx + 1} has a clip`);
      const expectTake = s.order_idx === 1 || s.order_idx === 2 ? 2 : 1;
      assert.equal(c.take, expectTake, `scene ${s.order_idx + 1} take`);
    }
    const total = [...latest.values()].reduce((n, c) => n + c.frame_count, 0);
    assert.equal(total, Math.round(duration * FPS));
  });

  test('review: render refuses unapproved clips with a hint; approve/reject with --note; render with overlay', async () => {
    const refused = await sb.run(['render', id]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /error: .*not approved/);
    assert.match(refused.stderr, /hint: .*(clips approve|--yes)/);
    assert.ok(!hasStackTrace(refused.stderr));

    const approve = await ok(['clips', 'approve', id, '1', '2', '--note', 'looks good']);
    assert.match(approve.stderr, /approved 2/);
    await ok(['clips', 'reject', id, '3', '--note', 'too dark']);
    let clips = await sb.json(['clips', 'list', id]);
    const review = (scene: number) => clips.filter((c: any) => c.scene === scene).sort((a: any, b: any) => b.take - a.take)[0];
    assert.equal(review(1).review, 'approved');
    assert.equal(review(1).review_note, 'looks good');
    assert.equal(review(3).review, 'rejected');
    assert.equal(review(3).review_note, 'too dark');

    const stillRefused = await sb.run(['render', id]);
    assert.equal(stillRefused.code, 1);
    assert.match(stillRefused.stderr, /rejected/);

    // approving the whole project leaves the rejected take alone (issue 13), --force approves it too
    const skipping = await ok(['clips', 'approve', id]);
    assert.match(skipping.stderr, /scene 3: take \d+ was rejected \("too dark"\), left as it is/);
    clips = await sb.json(['clips', 'list', id]);
    assert.equal(review(3).review, 'rejected');
    await ok(['clips', 'approve', id, '--force']);
    clips = await sb.json(['clips', 'list', id]);
    for (let n = 1; n <= scenes.length; n++) assert.equal(review(n).review, 'approved');

    const out = sb.file('steps.mp4');
    const r = await ok(['render', id, '--lyrics-overlay', '--out', out, '--json']);
    const res = JSON.parse(r.stdout);
    assert.equal(res.lyrics_overlay, true);
    assert.equal(res.frame_count, Math.round(duration * FPS));
    await assertVideo(out, duration);
    assert.equal((await sb.json(['project', 'show', id])).status, 'rendered');
  });

  test('render --yes uses the latest takes without review', async () => {
    const short = await makeSong(sb.file('six.wav'), 6);
    const other = await sb.json(['project', 'create', 'Unreviewed', '--audio', short]);
    for (const step of [['scenes', 'select', other.id], ['prompts', 'generate', other.id], ['images', 'generate', other.id], ['clips', 'generate', other.id]]) await ok(step);
    const out = sb.file('yes.mp4');
    await ok(['render', other.id, '--yes', '--out', out]);
    await assertVideo(out, 6);
  });

  test('scenes storyboard writes a PNG contact sheet', async () => {
    const out = sb.file('board.png');
    const r = await ok(['scenes', 'storyboard', id, '--out', out]);
    assert.match(r.stderr, /storyboard/);
    const png = await readFile(out);
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    const p = await probe(out);
    assert.ok((p.width ?? 0) >= 320 && (p.height ?? 0) >= 100, `${p.width}x${p.height}`);
  });
});
