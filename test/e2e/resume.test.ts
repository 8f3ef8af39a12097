/**
 * Resumption through the built binary: `omvee run` killed mid-way (kill -9 during the clips,
 * Ctrl-C during the images), then `omvee run --project <id>` finishes the job without duplicate
 * takes, without rows that point at missing files, and with a valid video.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { firstUuid, hasStackTrace, makeSong, probe, sandbox, type Sandbox } from './helpers.ts';

const FPS = 30;
const SONG_S = 12;

async function prepare(sb: Sandbox): Promise<{ song: string; lrc: string }> {
  const song = await makeSong(sb.file('resume.wav'), SONG_S);
  const lrc = sb.file('resume.lrc');
  await writeFile(lrc, '[00:00.50]one\n[00:02.60]two\n[00:04.70]three\n[00:06.80]four\n[00:08.90]five\n[00:10.50]six\n');
  return { song, lrc };
}

/** Per scene exactly one completed image and clip, all take 1, each pointing at an existing file. */
async function assertNoDuplicatesNoDangling(sb: Sandbox, id: string): Promise<void> {
  const scenes = await sb.json(['scenes', 'list', id]);
  const images = await sb.json(['images', 'list', id]);
  const clips = await sb.json(['clips', 'list', id]);
  for (const [kind, rows, key] of [['image', images, 'image_path'], ['clip', clips, 'clip_path']] as const) {
    for (const s of scenes) {
      const mine = rows.filter((r: any) => r.scene_id === s.id);
      const done = mine.filter((r: any) => r.status === 'completed');
      assert.equal(done.length, 1, `scene ${s.order_idx + 1}: ${done.length} completed ${kind}s (${JSON.stringify(mine.map((r: any) => [r.take, r.status]))})`);
      assert.deepEqual([...new Set(mine.map((r: any) => r.take))], [1], `scene ${s.order_idx + 1}: ${kind} takes numbered 1 only`);
    }
    for (const r of rows) {
      if (r.status !== 'completed') continue;
      assert.ok(r[key], `completed ${kind} ${r.id} has a path`);
      assert.ok(existsSync(path.join(sb.home, 'project-files', r[key])), `completed ${kind} ${r.id} points at a missing file: ${r[key]}`);
    }
  }
  assert.equal(
    clips.filter((c: any) => c.status === 'completed').reduce((n: number, c: any) => n + c.frame_count, 0),
    SONG_S * FPS,
    'clips sum to the song',
  );
}

async function resumeAndCheck(sb: Sandbox, id: string): Promise<void> {
  const out = sb.file('resumed.mp4');
  const r = await sb.run(['run', '--project', id, '--out', out, '--json'], { timeoutMs: 90_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!hasStackTrace(r.stderr));
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.project_id, id);
  assert.equal(summary.resumed, true);
  assert.equal(summary.frame_count, SONG_S * FPS);
  await assertNoDuplicatesNoDangling(sb, id);
  const projects = await sb.json(['project', 'list']);
  assert.equal(projects.length, 1, 'resuming created no second project');

  const p = await probe(out);
  assert.ok(p.hasVideo && p.hasAudio);
  assert.equal(p.videoFrames, SONG_S * FPS);
  assert.ok(Math.abs(p.audioDuration - p.videoDuration) <= 1 / FPS);
  assert.equal(p.width, 1280);
}

test('kill -9 during the clips, then run --project finishes without duplicates', async (t) => {
  const sb = await sandbox(t);
  const { song, lrc } = await prepare(sb);
  const running = sb.start(['run', song, '--lyrics', lrc, '--scene-min', '2', '--scene-max', '3'], { timeoutMs: 90_000 });
  await running.waitFor(/clips 1\/\d+/);
  running.child.kill('SIGKILL');
  const killed = await running.done;
  assert.equal(killed.signal, 'SIGKILL', `the run ended by itself before the kill (code ${killed.code})`);
  const id = firstUuid(killed.stderr);
  assert.ok(id, `the project id is announced on stderr:\n${killed.stderr}`);

  const mid = await sb.json(['clips', 'list', id]);
  const scenes = await sb.json(['scenes', 'list', id]);
  assert.ok(mid.filter((c: any) => c.status === 'completed').length < scenes.length, 'killed before all clips were done');

  await resumeAndCheck(sb, id);
});

test('Ctrl-C (SIGINT) exits 130, then run --project finishes without duplicates', async (t) => {
  const sb = await sandbox(t);
  const { song, lrc } = await prepare(sb);
  const running = sb.start(['run', song, '--lyrics', lrc, '--scene-min', '2', '--scene-max', '3'], { timeoutMs: 90_000 });
  await running.waitFor(/images 1\/\d+/);
  running.child.kill('SIGINT');
  const stopped = await running.done;
  assert.equal(stopped.code, 130, `exit ${stopped.code} / ${stopped.signal}\n${stopped.stderr}`);
  assert.ok(!hasStackTrace(stopped.stderr), stopped.stderr);
  const id = firstUuid(stopped.stderr);
  assert.ok(id);
  assert.match(stopped.stderr, /interrupt|omvee run --project/i, 'says how to resume');

  await resumeAndCheck(sb, id);
});

test('kill -9 twice (during the images, then during the final render), then it still finishes', async (t) => {
  const sb = await sandbox(t);
  const { song, lrc } = await prepare(sb);
  const first = sb.start(['run', song, '--lyrics', lrc, '--scene-min', '2', '--scene-max', '3'], { timeoutMs: 90_000 });
  await first.waitFor(/images 1\/\d+/);
  first.child.kill('SIGKILL');
  const a = await first.done;
  assert.equal(a.signal, 'SIGKILL');
  const id = firstUuid(a.stderr);
  assert.ok(id);

  const second = sb.start(['run', '--project', id], { timeoutMs: 90_000 });
  await second.waitFor(/rendering \d+%/);
  second.child.kill('SIGKILL');
  const b = await second.done;
  assert.equal(b.signal, 'SIGKILL', `the second run ended by itself (code ${b.code})`);
  const finals = await sb.json(['project', 'show', id]);
  assert.notEqual(finals.status, 'rendered', 'killed before the render completed');

  await resumeAndCheck(sb, id);
});
