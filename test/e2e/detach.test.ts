// `omvee run --detach` queues the whole pipeline as a chain of jobs; `omvee worker` runs it.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { makeSong, probe, sandbox } from './helpers.ts';

describe('run --detach + worker', () => {
  it('queues one job, the worker runs the chain in order, and render delivers the video', async (t) => {
    const sb = await sandbox(t);
    const song = await makeSong(sb.file('song.wav'), 7.3);
    const lrc = sb.file('song.lrc');
    await writeFile(lrc, '[00:00.50]first line\n[00:03.00]second line\n[00:05.50]third line\n');
    const queued = await sb.json<{ project_id: string; job_id: string; steps: string[] }>(['run', song, '--lyrics', lrc, '--detach', '--scene-min', '2', '--scene-max', '4']);
    assert.deepEqual(queued.steps, ['transcribe', 'analyze_audio', 'analyze_scenes', 'generate_prompts', 'generate_images', 'generate_clips', 'assemble_video']);
    // nothing ran yet: one pending job
    const before = await sb.json<{ status: string }[]>(['jobs', 'list', '--project', queued.project_id]);
    assert.deepEqual(before.map((j) => j.status), ['pending']);

    const worker = await sb.run(['worker', '--once', '--concurrency', '2']);
    assert.equal(worker.code, 0, worker.stderr);
    const jobs = await sb.json<{ id: string; type: string; status: string; created_at: string }[]>(['jobs', 'list', '--project', queued.project_id]);
    assert.equal(jobs.length, 7);
    assert.ok(jobs.every((j) => j.status === 'completed'), JSON.stringify(jobs));
    const order = [...jobs].sort((a, b) => a.created_at.localeCompare(b.created_at)).map((j) => j.type);
    assert.deepEqual(order, queued.steps);

    const scenes = await sb.json<{ start_time_s: number; end_time_s: number }[]>(['scenes', 'list', queued.project_id]);
    // jobs show: per-scene detail of the clip job
    const clipJob = jobs.find((j) => j.type === 'generate_clips') as unknown as { id: string };
    const shown = await sb.json<{ scenes: { scene: number; status: string; take: number }[] }>(['jobs', 'show', clipJob.id]);
    assert.equal(shown.scenes.length, scenes.length);
    assert.ok(shown.scenes.every((s, i) => s.scene === i + 1 && s.status === 'completed' && s.take === 1), JSON.stringify(shown.scenes));
    assert.ok(scenes.every((s) => s.end_time_s - s.start_time_s <= 4 + 1e-6));
    const out = sb.file('out.mp4');
    const rendered = await sb.run(['render', queued.project_id, '--yes', '--out', out]);
    assert.equal(rendered.code, 0, rendered.stderr);
    const p = await probe(out);
    assert.equal(p.videoFrames, Math.round(7.3 * 30));
    assert.ok(p.hasAudio);
  });

  it('refuses --detach with --out or --dry-run as usage errors, creating nothing', async (t) => {
    const sb = await sandbox(t);
    const song = await makeSong(sb.file('song.wav'), 3);
    for (const extra of [['--out', sb.file('x.mp4')], ['--dry-run']]) {
      const r = await sb.run(['run', song, '--detach', ...extra]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--detach cannot be combined/);
    }
    assert.deepEqual(await sb.json(['project', 'list']), []);
  });
});
