// A scene longer than the clip model makes is several predictions (kling: 5 or 10 s, so 13 s is
// 10 + 5): the second starts from the first one's last frame, the parts are joined to the exact
// frames, each attempt records its part, and a take stopped between its parts re-attaches part by
// part on the rerun instead of paying again. Against the fake Replicate (published schemas).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeReplicate, type FakeReplicate } from '../support/fake-replicate/server.ts';
import { makePng } from '../support/fake-replicate/media.ts';
import { createReplicateClipGenerator } from '../../src/providers/replicate/generators.ts';
import { buildPriceTable, DEFAULT_PRICES } from '../../src/providers/cost.ts';
import { createFfmpegMedia } from '../../src/media/ffmpeg-media.ts';
import { resolveBinaries } from '../../src/media/binaries.ts';
import type { Scene, TakeAttempt } from '../../src/core/model.ts';
import type { ClipInput } from '../../src/providers/ports.ts';

const KLING = 'kwaivgi/kling-v2.1-master';
const media = createFfmpegMedia(await resolveBinaries(process.env));
const now = new Date().toISOString();
const scene: Scene = {
  id: 's1', project_id: 'p1', order_idx: 0, start_time_s: 0, end_time_s: 13, title: 'Long', theme: 'a long drive',
  lyric_excerpt: null, energy: 0.5, artist_id: null, artist_role: 'none', generated_by_model: null, created_at: now, updated_at: now,
};

describe('a take made of several predictions', () => {
  let fake: FakeReplicate;
  let dir: string;
  let still: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omvee-parts-'));
    still = join(dir, 'still.png');
    await writeFile(still, makePng(320, 180));
    fake = await startFakeReplicate({ prices: DEFAULT_PRICES as never });
  });
  after(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  const gen = (timeoutMs?: number) => createReplicateClipGenerator({ apiToken: fake.token, baseUrl: fake.baseUrl, pollIntervalMs: 5, allowLoopbackHttp: true, retry: { sleep: async () => undefined }, retryDelayMs: 0, lostCreateDelayMs: 0, prices: buildPriceTable(), model: KLING, media, ...(timeoutMs ? { timeoutMs } : {}) });
  const input = (extra: Partial<ClipInput> = {}): ClipInput => ({ scene, imagePath: still, motionPrompt: 'the road runs on', frameCount: 13 * 24, fps: 24, width: 1280, height: 720, seed: 5, take: 1, outPath: join(dir, `c-${Math.random()}.mp4`), ...extra });

  test('13 s on kling: 10 s + 5 s, the second from the first one’s last frame, joined to the exact frames, each attempt with its part', async () => {
    const attempts: TakeAttempt[] = [];
    const before = fake.creates();
    const res = await gen().generate(input({ onAttempt: async (a) => void attempts.push(a) }), {});
    assert.equal(fake.creates() - before, 2);
    const made = [...fake.predictions.values()].sort((a, b) => a.seq - b.seq).slice(-2);
    assert.deepEqual(made.map((p) => p.input['duration']), [10, 5]);
    assert.notEqual(made[1]!.input['start_image'], made[0]!.input['start_image']);
    assert.deepEqual(attempts.map((a) => [a.part, a.status]), [[1, 'succeeded'], [2, 'succeeded']]);
    assert.equal(res.costUsd, Math.round((made[0]!.billedUsd + made[1]!.billedUsd) * 1e6) / 1e6);
    const p = await media.probeVideo(res.path);
    assert.equal(p.video?.frameCount, 13 * 24, 'joined to the exact frames');
    assert.equal(p.video?.width, 1280);
  });

  test('stopped while the second part runs: the rerun re-attaches both parts and pays for nothing new', async () => {
    const attempts: TakeAttempt[] = [];
    const stored: string[] = [];
    // part 1 finishes, part 2 is still running when omvee stops waiting
    fake.scripts.push({}, { polls: 40 });
    const hooks = { onAttempt: async (a: TakeAttempt) => void attempts.push(a), onPrediction: async (id: string) => void stored.push(id) };
    await assert.rejects(gen(150).generate(input(hooks), {}), /still (starting|processing)/);
    assert.deepEqual(attempts.map((a) => a.part), [1], 'part 1 recorded');
    const before = fake.creates();
    const res = await gen().generate(input({ ...hooks, resumePredictionId: stored.at(-1)!, attempts }), {});
    assert.equal(fake.creates() - before, 0, 'nothing paid twice');
    assert.equal(res.predictionId, stored.at(-1));
    assert.equal((await media.probeVideo(res.path)).video?.frameCount, 13 * 24);
  });
});
