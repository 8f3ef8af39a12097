/**
 * Failures that do not stop the video (issue 11). The fake Replicate answers with the failure
 * texts Replicate's users see: "CUDA out of memory…" and "Prediction interrupted; please retry
 * (code: PA)" (transient: retried as new attempts), and the safety filter's "The input or output
 * was flagged as sensitive. Please try again with different inputs. (E005)" (permanent:
 * https://replicate.com/docs/topics/predictions/lifecycle lists failed predictions with an
 * error; E005 is the code Replicate gives that refusal).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { json, probeVideo, startHarness, type Harness } from './harness.ts';

interface CostReport { total_usd: number; takes: { kind: string; scene: number; take: number; status: string; cost_usd: number; prediction_id: string | null }[] }

const SONG_S = 8;
const E005 = 'The input or output was flagged as sensitive. Please try again with different inputs. (E005)';
const OOM = 'CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.15 GiB total capacity)';

describe('failed predictions', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(SONG_S);
  });
  after(async () => {
    await h.close();
  });

  test('a safety refusal fails only its scene: the others finish, exit 1 names the scene, the reason and its fix; run --project makes only that one', { timeout: 150_000 }, async () => {
    h.autoDirector();
    // three images succeed; clips (concurrency 1, in scene order): scene 1 ok, scene 2 refused (E005), scene 3 out of memory then ok
    h.replicate.scripts.push({}, {}, {}, {}, { final: 'failed', error: E005 }, { final: 'failed', error: OOM }, {});
    const first = await h.omvee(['run', h.song, '--out', 'refused.mp4', '--concurrency', '1']);
    assert.equal(first.code, 1, first.stderr);
    assert.equal(h.replicate.scripts.length, 0, 'every scripted outcome was served: the other scenes went on');
    assert.match(first.stderr, /clip generation failed for 1 scene: scene 2: Replicate prediction \w+ was refused by the safety filter: The input or output was flagged as sensitive/);
    const id = /project \S+ \(([0-9a-f-]{36})\)/.exec(first.stderr)![1]!;
    assert.ok(first.stderr.includes(`(fix: omvee scenes edit ${id} 2 --theme "<gentler wording>", then omvee clips generate ${id} --scene 2 --new-take)`), first.stderr);
    assert.ok(first.stderr.includes(`Then \`omvee run --project ${id}\` makes only the failed scene`), first.stderr);
    const before = json<CostReport>(await h.omvee(['project', 'cost', id, '--takes', '--json']));
    const clips = before.takes.filter((t) => t.kind === 'clip');
    assert.deepEqual(clips.map((t) => `${t.scene}:${t.status}`), ['1:completed', '2:failed', '3:completed']);

    // the same failure from `clips generate` names that command to resume, not `omvee run`
    h.replicate.scripts.push({ final: 'failed', error: E005 });
    const direct = await h.omvee(['clips', 'generate', id]);
    assert.equal(direct.code, 1, direct.stderr);
    assert.ok(direct.stderr.includes(`Then \`omvee clips generate ${id}\` makes only the failed scene`), direct.stderr);
    assert.ok(!direct.stderr.includes('omvee run --project'), direct.stderr);

    const creates = h.replicate.creates();
    const again = await h.omvee(['run', '--project', id, '--out', 'refused.mp4', '--json']);
    assert.equal(again.code, 0, again.stderr);
    const newOnes = [...h.replicate.predictions.values()].filter((p) => p.seq > creates);
    assert.deepEqual(newOnes.map((p) => p.model), ['bytedance/seedance-1-lite'], 'only the refused scene was made again');
    const video = await probeVideo(join(h.dir, 'refused.mp4'));
    assert.equal(video.frames, SONG_S * video.fps);
  });

  test('--max-cost counts what failed attempts cost (a model billed by hardware time bills failures too)', { timeout: 120_000 }, async () => {
    const prices = join(h.dir, 'prices.json');
    await writeFile(prices, JSON.stringify({ 'acme/slow-image': { perPredictSecond: 0.001 } }));
    const env = { OMVEE_PRICES_FILE: prices, OMVEE_IMAGE_MODEL: 'acme/slow-image', OMVEE_CLIPS: 'local' };
    const lyrics = join(h.dir, 'lyrics.txt');
    await writeFile(lyrics, 'one\ntwo\nthree\n');
    const id = json<{ id: string }>(await h.omvee(['project', 'create', 'failing-spend', '--audio', h.song, '--json'], env)).id;
    h.autoDirector();
    for (const args of [['transcript', 'import', id, lyrics], ['scenes', 'select', id], ['prompts', 'generate', id]]) {
      const step = await h.omvee(args, env);
      assert.equal(step.code, 0, `${args.join(' ')}: ${step.stderr}`);
    }
    const spentBefore = json<CostReport>(await h.omvee(['project', 'cost', id, '--json'])).total_usd;
    // scene 1: out of memory after 30 s of GPU (billed), then out of retries; nothing else scripted fails
    h.replicate.scripts.push({ final: 'failed', error: OOM, predictTime: 30 }, { final: 'failed', error: OOM, predictTime: 30 }, { final: 'failed', error: OOM, predictTime: 30 });
    const r = await h.omvee(['images', 'generate', id, '--scene', '1', '--json'], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /after 3 attempts/);
    const cost = json<CostReport>(await h.omvee(['project', 'cost', id, '--takes', '--json']));
    const failed = cost.takes.find((t) => t.kind === 'image' && t.scene === 1)!;
    assert.equal(failed.status, 'failed');
    assert.equal(failed.cost_usd, 0.09, 'three failed attempts of 30 s each at $0.001/s');
    assert.equal(cost.total_usd, Math.round((spentBefore + 0.09) * 1e6) / 1e6, 'the failed spend is on the project');
    // the cap sees it: spent + 0.09 leaves no room for another ~0.005 image under spent + 0.092
    const creates = h.replicate.creates();
    const capped = await h.omvee(['images', 'generate', id, '--scene', '2', '--max-cost', String(Math.round((spentBefore + 0.092) * 1e6) / 1e6)], env);
    assert.equal(capped.code, 1);
    assert.match(capped.stderr, /over --max-cost|stopped before exceeding --max-cost/);
    assert.equal(h.replicate.creates(), creates, 'nothing paid past the cap');
  });
});
