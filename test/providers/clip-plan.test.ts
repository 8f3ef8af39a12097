// One plan of a scene's predictions (contract/plan.ts), used by the clip generator before it
// creates them and by --dry-run / --max-cost to price them: durations, resolution by the short
// side, several predictions for a scene longer than the model makes, each covering exact frames.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clipBilling, fixtureContract, mapClipRequest, planClipPredictions, plannedBilling } from '../../src/providers/replicate/contract/index.ts';
import { priceWork, type PlannedWork, type WorkModels } from '../../src/core/cost/estimate.ts';
import { DEFAULT_PRICES } from '../../src/providers/cost.ts';

const seedance = fixtureContract('bytedance/seedance-1-lite')!;
const kling = fixtureContract('kwaivgi/kling-v2.1-master')!;

describe('a scene’s predictions', () => {
  test('seedance: the next whole second, the resolution by the short side', () => {
    // 7.3 s at 30 fps = 219 frames → 8 s
    assert.deepEqual(planClipPredictions(seedance, { frameCount: 219, fps: 30, width: 1280, height: 720 }), [{ durationS: 8, coversS: 219 / 30, frames: 219, resolution: '720p' }]);
    assert.equal(planClipPredictions(seedance, { frameCount: 219, fps: 30, width: 720, height: 1280 })[0]!.resolution, '720p', '9:16 720p is 720p, not 1080p');
    assert.equal(planClipPredictions(seedance, { frameCount: 219, fps: 30, width: 1080, height: 1920 })[0]!.resolution, '1080p');
    assert.equal(planClipPredictions(seedance, { frameCount: 219, fps: 30, width: 1280, height: 720, resolution: '480p' })[0]!.resolution, '480p');
    // exactly 6 s (180 frames) is 6, one frame more is 7
    assert.equal(planClipPredictions(seedance, { frameCount: 180, fps: 30, width: 1280, height: 720 })[0]!.durationS, 6);
    assert.equal(planClipPredictions(seedance, { frameCount: 181, fps: 30, width: 1280, height: 720 })[0]!.durationS, 7);
  });

  test('a scene longer than the model makes: the cheapest parts, whose frames add up to the scene', () => {
    const long = planClipPredictions(kling, { frameCount: 312, fps: 24, width: 1280, height: 720 }); // 13 s
    assert.deepEqual(long.map((p) => p.durationS), [10, 5]);
    assert.deepEqual(long.map((p) => p.frames), [240, 72]);
    const odd = planClipPredictions(seedance, { frameCount: 451, fps: 30, width: 1280, height: 720 }); // 15.03 s
    assert.deepEqual(odd.map((p) => p.durationS), [8, 8]);
    assert.equal(odd.reduce((s, p) => s + p.frames, 0), 451);
  });

  test('what the estimate bills is what the mapped input says', () => {
    for (const [contract, scene] of [[seedance, { frameCount: 219, fps: 30, width: 1080, height: 1920 }], [kling, { frameCount: 312, fps: 24, width: 1280, height: 720 }]] as const) {
      const planned = planClipPredictions(contract, scene);
      const estimated = plannedBilling(contract, scene);
      planned.forEach((part, i) => {
        const mapped = mapClipRequest(contract, { prompt: 'p', firstFrame: 'data:image/png;base64,AA==', sceneS: part.coversS, durationS: part.durationS ?? undefined, width: scene.width, height: scene.height, fps: scene.fps, seed: 1, resolution: part.resolution ?? undefined });
        assert.deepEqual(clipBilling(contract, mapped.input, part), estimated[i]);
      });
    }
  });

  test('the work estimate prices each planned prediction', () => {
    const models: WorkModels = { transcriber: null, director: null, images: null, clips: 'kwaivgi/kling-v2.1-master', clipPredictions: (s) => plannedBilling(kling, s) };
    const work: PlannedWork = { durationS: 20, transcript: false, scenes: false, prompts: 0, images: [], clips: [13, 7], clipFrames: [312, 168], frame: { width: 1280, height: 720, fps: 24 }, scenesEstimated: false };
    const est = priceWork(DEFAULT_PRICES, models, work);
    // 10 + 5 s for the 13 s scene, 10 s for the 7 s one, at $0.28/s
    assert.equal(est.totalUsd, Math.round(25 * 0.28 * 1e6) / 1e6);
    assert.match(est.lines[0]!.detail, /2 clips in 3 predictions, 25 s of video/);
  });
});
