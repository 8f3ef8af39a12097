/**
 * Interrupting a paid run: kill -9 while clip predictions are in flight, then resume — no
 * scene that had a prediction gets a second one. And Ctrl-C with --cancel-on-exit cancels the
 * in-flight predictions instead of leaving them to re-attach.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { json, probeVideo, startHarness, until, type Harness } from './harness.ts';

interface Take { kind: string; scene: number; take: number; status: string; prediction_id: string | null; cost_usd: number }
const CLIP_MODEL = 'bytedance/seedance-1-lite';
const SONG_S = 8;

/** Clip predictions the CLI has stored and is polling (a poll only starts once the id is stored). */
function polledClips(h: Harness) {
  return [...h.replicate.predictions.values()].filter((p) => p.model === CLIP_MODEL && p.polls >= 1);
}

async function takes(h: Harness, projectId: string): Promise<Take[]> {
  return json<{ takes: Take[] }>(await h.omvee(['project', 'cost', projectId, '--takes', '--json'])).takes;
}

async function onlyProject(h: Harness, name: string): Promise<string> {
  const list = json<{ id: string; name: string }[]>(await h.omvee(['project', 'list', '--json']));
  return list.find((p) => p.name === name)!.id;
}

describe('interrupted paid runs', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(SONG_S);
  });
  after(async () => {
    await h.close();
  });

  test('kill -9 mid-run, then run --project: no second prediction for any scene that had one', { timeout: 90_000 }, async () => {
    h.replicate.scripts.push({}, {}, {}, { polls: 1_000_000 }, { polls: 1_000_000 }, { polls: 1_000_000 });
    const run = h.spawnOmvee(['run', h.song, '--name', 'killed', '--concurrency', '2']);
    await until(() => polledClips(h).length >= 2, 30_000, 'two clip predictions in flight');
    run.child.kill('SIGKILL');
    const killed = await run.done;
    assert.equal(killed.signal, 'SIGKILL');
    const id = await onlyProject(h, 'killed');
    const before = (await takes(h, id)).filter((t) => t.kind === 'clip' && t.prediction_id);
    assert.ok(before.length >= 2, 'prediction ids were stored before waiting');

    // the provider finishes them while nobody is watching; new predictions finish normally
    for (const p of h.replicate.predictions.values()) p.script.polls = 0;
    h.replicate.scripts.length = 0;
    const clipCreatesBefore = [...h.replicate.predictions.values()].filter((p) => p.model === CLIP_MODEL).length;

    const resumed = await h.omvee(['run', '--project', id, '--out', 'resumed.mp4', '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal((await probeVideo(join(h.dir, 'resumed.mp4'))).frames, SONG_S * 24, 'seedance makes 24 fps: the project renders at 24');
    const after = await takes(h, id);
    const scenes = json<{ scenes: number }>(resumed).scenes;
    for (const t of before) {
      const done = after.filter((a) => a.kind === 'clip' && a.scene === t.scene);
      assert.equal(done.length, 1, `scene ${t.scene} has one clip take`);
      assert.equal(done[0]!.prediction_id, t.prediction_id, `scene ${t.scene} re-attached to its prediction`);
    }
    const clipCreates = [...h.replicate.predictions.values()].filter((p) => p.model === CLIP_MODEL).length;
    assert.equal(clipCreates, scenes, 'one clip prediction per scene in total');
    assert.equal(clipCreates - clipCreatesBefore, scenes - before.length, 'only scenes without a stored prediction got a new one');
    assert.equal([...h.replicate.predictions.values()].filter((p) => p.model === 'minimax/image-01').length, scenes);
  });

  test('Ctrl-C with --cancel-on-exit cancels the in-flight predictions', { timeout: 90_000 }, async () => {
    h.autoDirector();
    const seen = new Set(h.replicate.predictions.keys());
    h.replicate.scripts.push({}, {}, {}, { polls: 1_000_000 }, { polls: 1_000_000 }, { polls: 1_000_000 });
    // --concurrency 3 must reach both the step and the Replicate generator (their defaults are 2)
    const run = h.spawnOmvee(['run', h.song, '--name', 'canceled', '--concurrency', '3', '--cancel-on-exit']);
    await until(() => polledClips(h).filter((p) => !seen.has(p.id)).length >= 3, 30_000, 'three clip predictions in flight');
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, /canceled 3 in-flight predictions/);
    const inFlight = polledClips(h).filter((p) => !seen.has(p.id));
    assert.ok(inFlight.every((p) => p.status === 'canceled'), inFlight.map((p) => p.status).join(','));
    const id = await onlyProject(h, 'canceled');
    const clips = (await takes(h, id)).filter((t) => t.kind === 'clip' && t.prediction_id);
    assert.equal(clips.length, 3);
    assert.ok(clips.every((t) => t.status === 'failed'));
    h.replicate.scripts.length = 0;
  });
});
