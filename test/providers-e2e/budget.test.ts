/** The --max-cost guard and the work estimate, without processes. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetStop, createBudgetGuard, type Reservation } from '../../src/core/cost/budget.ts';
import { priceWork, unitPrice, type PlannedWork, type WorkModels } from '../../src/core/cost/estimate.ts';
import { clipModelLimits } from '../../src/providers/replicate/inputs.ts';
import { targetSceneCount } from '../../src/core/timeline/bounds.ts';
import { DEFAULT_PRICES } from '../../src/providers/cost.ts';
import { OmveeError } from '../../src/core/errors.ts';

const work = (label: string) => ({ projectId: 'p', kind: 'image' as const, sceneDurationS: 5, label });

describe('budget guard', () => {
  test('parallel reservations cannot squeeze past the cap together', async () => {
    let spent = 0.5;
    const guard = createBudgetGuard({ maxUsd: 1, spentUsd: async () => spent, estimateUsd: () => 0.2 });
    const results = await Promise.allSettled([1, 2, 3, 4].map((i) => guard.reserve(work(`scene ${i}`))));
    // 0.5 + 0.2 + 0.2 = 0.9 fits, a third 0.2 would make 1.1
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(refused.reason instanceof OmveeError && refused.reason.code === 'budget');
    assert.match(refused.reason.message, /--max-cost \$1\.00/);
    // once a generation's cost is recorded and its reservation released, the guard sees the spend
    const first = (results[0] as PromiseFulfilledResult<Reservation>).value;
    spent = 0.75;
    first.release();
    await assert.rejects(guard.reserve(work('scene 5')), /stopped before exceeding/);
    (results[1] as PromiseFulfilledResult<Reservation>).value.release();
    await guard.reserve(work('scene 6')); // 0.75 + 0.2 ≤ 1
  });

  test('a generation paid in parts (a long scene, a failed attempt) keeps the rest of its estimate reserved', async () => {
    let spent = 0;
    const guard = createBudgetGuard({ maxUsd: 1, spentUsd: async () => spent, estimateUsd: (w) => (w.label === 'long' ? 0.6 : 0.3) });
    const long = await guard.reserve(work('long'));
    // its first prediction is paid and recorded: 0.3 spent, 0.3 still to come
    spent = 0.3;
    long.paid(0.3);
    // 0.3 spent + 0.3 held + 0.3 new = 0.9 fits; a second 0.3 would be 1.2
    const other = await guard.reserve(work('short'));
    await assert.rejects(guard.reserve(work('short')), /stopped before exceeding/);
    // paying more than was held never frees another generation's share
    long.paid(5);
    spent = 0.6;
    await assert.rejects(guard.reserve(work('short')), /stopped before exceeding/, '0.6 spent + 0.3 held by the other + 0.3 > 1');
    other.release();
    long.release();
    await guard.reserve(work('short')); // 0.6 + 0.3 ≤ 1
  });

  test('budgetStop reports one clear error for the scenes the cap stopped', () => {
    const cap = new OmveeError('budget', 'stopped before exceeding --max-cost $1.00: …', { hint: 'raise it' });
    const stop = budgetStop([{ error: cap }, { error: cap }, { error: new Error('boom') }]);
    assert.ok(stop);
    assert.equal(stop.code, 'budget');
    assert.match(stop.message, /2 scenes not generated, 1 other scene failed/);
    assert.equal(budgetStop([{ error: new Error('boom') }]), null);
  });
});

describe('work estimate', () => {
  const models: WorkModels = { transcriber: 'whisper-1', director: 'deepseek/deepseek-v3.1-terminus', images: 'minimax/image-01', clips: 'bytedance/seedance-1-lite', clipResolution: '720p', clipDurationsS: clipModelLimits('bytedance/seedance-1-lite').durationsS };

  test('prices only the work left, clips by the model duration that covers each scene', () => {
    const left: PlannedWork = { durationS: 20, transcript: false, scenes: false, prompts: 0, images: [], clips: [4, 6, 10], scenesEstimated: false };
    const est = priceWork(DEFAULT_PRICES, models, left);
    assert.deepEqual(est.lines.map((l) => l.step), ['clips']);
    // 4 s + 6 s + 10 s at 720p: seedance's published schema takes any whole second from 2 to 12
    assert.deepEqual(models.clipDurationsS, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.equal(est.totalUsd, Math.round(20 * 0.036 * 1e6) / 1e6);
    assert.equal(unitPrice(DEFAULT_PRICES, models, 'image', 7), 0.01);
    assert.equal(unitPrice(DEFAULT_PRICES, { ...models, images: null }, 'image', 7), 0, 'local images are free');
  });

  test('scene count follows the song length within the bounds', () => {
    assert.equal(targetSceneCount(180, 5, 10), 18, 'at most 10 s each');
    assert.equal(targetSceneCount(180, 5, 12), 17, '~one per 10 s');
    assert.equal(targetSceneCount(8, 2, 3), 3);
    assert.equal(targetSceneCount(8, 5, 10), 1);
  });
});
