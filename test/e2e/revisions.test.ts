// Changing your mind: rejecting a clip, replacing the song, and flags that cannot go together.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { makeSong, probe, sandbox } from './helpers.ts';

interface Clip { id: string; scene: number; take: number; status: string; review: string }

describe('revising a rendered project', () => {
  it('a rejected clip gets a new take on resume and the cut uses it', async (t) => {
    const sb = await sandbox(t);
    const song = await makeSong(sb.file('song.wav'), 6.2);
    const first = await sb.json<{ project_id: string; final_video_id: string }>(['run', song, '--scene-min', '2', '--scene-max', '3']);
    const p = first.project_id;
    const rejected = await sb.run(['clips', 'reject', p, '2', '--note', 'too dark']);
    assert.equal(rejected.code, 0, rejected.stderr);
    // without --yes a plain render refuses and says how to make a new take
    const refused = await sb.run(['render', p]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /scene 2 \(rejected\)|not approved/);
    assert.match(refused.stderr, /clips generate/);

    const again = await sb.json<{ final_video_id: string; output: string | null; video_path: string }>(['run', '--project', p]);
    assert.notEqual(again.final_video_id, first.final_video_id, 'the old cut had the rejected clip: a new one is made');
    const clips = await sb.json<Clip[]>(['clips', 'list', p]);
    const scene2 = clips.filter((c) => c.scene === 2);
    assert.deepEqual(scene2.map((c) => [c.take, c.review]), [[1, 'rejected'], [2, 'unreviewed']]);
    assert.equal(clips.filter((c) => c.scene !== 2).every((c) => c.take === 1), true, 'other scenes keep their clips');
    const video = await probe(`${sb.home}/project-files/${again.video_path}`);
    assert.equal(video.videoFrames, Math.round(6.2 * 30));
  });

  it('replacing the song asks first, then resets what was built for the old one', async (t) => {
    const sb = await sandbox(t);
    const song = await makeSong(sb.file('song.wav'), 5.1);
    const other = await makeSong(sb.file('other.wav'), 3.4);
    const lrc = sb.file('song.lrc');
    await writeFile(lrc, '[00:00.50]one\n[00:02.50]two\n');
    const { project_id: p } = await sb.json<{ project_id: string }>(['run', song, '--lyrics', lrc, '--scene-min', '2', '--scene-max', '3']);
    const before = await sb.json<unknown[]>(['scenes', 'list', p]);

    const refused = await sb.run(['upload', 'audio', p, other]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /--yes required/);
    assert.deepEqual(await sb.json<unknown[]>(['scenes', 'list', p]), before, 'nothing changed');

    const replaced = await sb.json<{ audio_duration_s: number; transcript: unknown; status: string }>(['upload', 'audio', p, other, '--yes']);
    assert.ok(Math.abs(replaced.audio_duration_s - 3.4) < 0.05);
    assert.equal(replaced.transcript, null);
    assert.equal(replaced.status, 'uploaded');
    assert.deepEqual(await sb.json<unknown[]>(['scenes', 'list', p]), []);

    const rerun = await sb.json<{ frame_count: number }>(['run', '--project', p, '--scene-min', '1', '--scene-max', '2']);
    assert.equal(rerun.frame_count, Math.round(3.4 * 30));
  });

  it('render --detach with --out is a usage error that queues nothing', async (t) => {
    const sb = await sandbox(t);
    const { id } = await sb.json<{ id: string }>(['project', 'create', 'p']);
    const r = await sb.run(['render', id, '--detach', '--out', sb.file('x.mp4')]);
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual(await sb.json<unknown[]>(['jobs', 'list']), []);
  });
});
