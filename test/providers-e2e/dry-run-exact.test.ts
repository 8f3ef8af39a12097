/**
 * `--dry-run` and `--max-cost` price exactly what is then created (issue 11): for each clip
 * model (seedance: a 2–12 s range, 480p/720p/1080p; kling: 5 or 10 s, 1080p only) and each frame
 * shape (16:9 720p, 9:16 1080p — the resolution goes by the short side), the built binary's
 * `clips generate --dry-run` estimate is compared with what the fake Replicate BILLED for the
 * predictions the real `clips generate` then created. The fake bills the inputs it received at
 * the rate card it is given — omvee's own, so the rates are not what is checked here: the plan is
 * (how many predictions, their durations and resolutions, as the fake received them). Motion prompts are written by the local director here, so the
 * clips are the only spend (an LLM director's motion prompts are priced by tokens). The real run is given --max-cost = spent + estimate: the guard,
 * pricing each scene the same way, must let every clip through. A scene longer than the model
 * makes is two predictions, priced the same and joined to the exact frame count.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { json, probeVideo, startHarness, type Harness } from './harness.ts';

interface DryRun { dry_run: boolean; estimate_usd: number; spent_usd: number; lines: { step: string; usd: number; detail: string }[] }
interface CostReport { total_usd: number; takes: { kind: string; scene: number; status: string; cost_usd: number }[] }

const SONG_S = 8;

describe('the estimate is the bill', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(SONG_S);
  });
  after(async () => {
    await h.close();
  });

  async function projectWithStills(name: string, env: Record<string, string>, frame: { width: number; height: number } | null): Promise<string> {
    const created = await h.omvee(['project', 'create', name, '--audio', h.song, '--json'], env);
    assert.equal(created.code, 0, created.stderr);
    const id = json<{ id: string }>(created).id;
    if (frame) {
      // a portrait project (the --aspect flag is another helper's; the frame is a project field)
      const { openLocalStore } = await import('../../src/store/local/local-store.ts');
      const store = await openLocalStore({ home: h.env['OMVEE_HOME']! });
      try {
        await store.update('projects', id, frame);
      } finally {
        await store.close();
      }
    }
    const lyrics = join(h.dir, `${name}.txt`);
    await writeFile(lyrics, 'one\ntwo\nthree\n');
    h.autoDirector();
    for (const args of [['transcript', 'import', id, lyrics], ['scenes', 'select', id], ['prompts', 'generate', id], ['images', 'generate', id]]) {
      const step = await h.omvee(args, env);
      assert.equal(step.code, 0, `${args.join(' ')}: ${step.stderr}`);
    }
    return id;
  }

  async function estimateThenBill(id: string, model: string, modelEnv: Record<string, string>): Promise<{ estimate: DryRun; billed: number; predictions: { input: Record<string, unknown> }[] }> {
    // motion prompts written by the local director (free): the only spend is the clips
    const env = { ...modelEnv, OMVEE_DIRECTOR: 'local' };
    const dry = await h.omvee(['clips', 'generate', id, '--dry-run', '--json'], env);
    assert.equal(dry.code, 0, dry.stderr);
    const estimate = json<DryRun>(dry);
    assert.deepEqual(estimate.lines.map((l) => l.step), ['clips']);
    const before = new Set(h.replicate.predictions.keys());
    const cap = Math.round((estimate.spent_usd + estimate.estimate_usd) * 1e6) / 1e6;
    const real = await h.omvee(['clips', 'generate', id, '--max-cost', String(cap), '--json'], env);
    assert.equal(real.code, 0, `the real run fits a --max-cost equal to the estimate: ${real.stderr}`);
    const made = [...h.replicate.predictions.values()].filter((p) => !before.has(p.id) && p.model === model);
    const billed = Math.round(made.reduce((s, p) => s + p.billedUsd, 0) * 1e6) / 1e6;
    return { estimate, billed, predictions: made };
  }

  const cases = [
    { model: 'bytedance/seedance-1-lite', shape: '16:9', frame: null, resolution: '720p' },
    { model: 'bytedance/seedance-1-lite', shape: '9:16', frame: { width: 1080, height: 1920 }, resolution: '1080p' },
    { model: 'kwaivgi/kling-v2.1-master', shape: '16:9', frame: null, resolution: null },
    { model: 'kwaivgi/kling-v2.1-master', shape: '9:16', frame: { width: 1080, height: 1920 }, resolution: null },
  ];
  for (const c of cases) {
    test(`${c.model}, ${c.shape}: clips generate --dry-run equals what the real run is billed, to the cent`, { timeout: 120_000 }, async () => {
      const env = { OMVEE_CLIP_MODEL: c.model };
      const id = await projectWithStills(`exact-${c.model.split('/')[1]}-${c.shape.replace(':', 'x')}`, env, c.frame);
      const { estimate, billed, predictions } = await estimateThenBill(id, c.model, env);
      assert.ok(predictions.length >= 2, 'one prediction per scene');
      assert.ok(billed > 0);
      assert.equal(estimate.estimate_usd.toFixed(2), billed.toFixed(2), 'to the cent');
      assert.equal(estimate.estimate_usd, billed, 'and to the millionth');
      if (c.resolution) for (const p of predictions) assert.equal(p.input['resolution'], c.resolution, 'the resolution by the short side');
      // what omvee recorded is what was billed
      const cost = json<CostReport>(await h.omvee(['project', 'cost', id, '--takes', '--json']));
      const clipTakes = cost.takes.filter((t) => t.kind === 'clip' && t.status === 'completed');
      assert.equal(clipTakes.length, predictions.length);
    });
  }

});

describe('a scene longer than the model makes', () => {
  let h: Harness;
  const LONG_S = 13;
  before(async () => {
    h = await startHarness(LONG_S);
  });
  after(async () => {
    await h.close();
  });

  test('kling (5 or 10 s), one 13 s scene: 10 s + 5 s predictions, the second from the first one’s last frame, priced as created, joined to the exact frames', { timeout: 180_000 }, async () => {
    const model = 'kwaivgi/kling-v2.1-master';
    const env = { OMVEE_CLIP_MODEL: model, OMVEE_SCENE_MIN: '12.5', OMVEE_SCENE_MAX: String(LONG_S) };
    const created = await h.omvee(['project', 'create', 'long', '--audio', h.song, '--json'], env);
    const id = json<{ id: string }>(created).id;
    const lyrics = join(h.dir, 'long.txt');
    await writeFile(lyrics, 'one long line\n');
    h.autoDirector();
    for (const args of [['transcript', 'import', id, lyrics], ['scenes', 'select', id], ['prompts', 'generate', id], ['images', 'generate', id]]) {
      const step = await h.omvee(args, env);
      assert.equal(step.code, 0, `${args.join(' ')}: ${step.stderr}`);
    }
    const dry = json<DryRun>(await h.omvee(['clips', 'generate', id, '--dry-run', '--json'], env));
    assert.match(dry.lines[0]!.detail, /1 clips in 2 predictions, 15 s of video/);
    const before = new Set(h.replicate.predictions.keys());
    const real = await h.omvee(['clips', 'generate', id, '--json'], env);
    assert.equal(real.code, 0, real.stderr);
    const made = [...h.replicate.predictions.values()].filter((p) => !before.has(p.id) && p.model === model).sort((a, b) => a.seq - b.seq);
    assert.deepEqual(made.map((p) => p.input['duration']), [10, 5]);
    assert.notEqual(made[1]!.input['start_image'], made[0]!.input['start_image'], 'the second part starts from the first one’s last frame, not the still again');
    const billed = Math.round(made.reduce((s, p) => s + p.billedUsd, 0) * 1e6) / 1e6;
    assert.equal(dry.estimate_usd, billed);
    const cost = json<CostReport>(await h.omvee(['project', 'cost', id, '--takes', '--json']));
    const take = cost.takes.find((t) => t.kind === 'clip' && t.status === 'completed')!;
    assert.ok(Math.abs(take.cost_usd - billed) < 0.001, `take ${take.cost_usd} vs billed ${billed} (plus the motion prompt)`);
    const render = await h.omvee(['render', id, '--out', 'long.mp4', '--auto-approve'], env);
    assert.equal(render.code, 0, render.stderr);
    const video = await probeVideo(join(h.dir, 'long.mp4'));
    assert.equal(video.frames, Math.round(LONG_S * video.fps), 'the final cut is the song to the frame');
  });
});
