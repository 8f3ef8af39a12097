/**
 * The built binary with the real adapters (Whisper, the LLM director over OpenRouter,
 * Replicate images and clips) against the fake provider servers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { json, probeVideo, startHarness, type Harness } from './harness.ts';
import { isMotionRequest, textOf } from '../support/fake-openai/server.ts';

interface RunSummary { project_id: string; output: string; frame_count: number; fps: number; duration_s: number; scenes: number; cost_usd: number }
interface CostReport { total_usd: number; steps: { step: string; usd: number; items: number }[]; takes: { kind: string; scene: number; take: number; status: string; prediction_id: string | null; cost_usd: number }[] }

const SONG_S = 8;
// seedance makes 24 fps, so an AI project renders at 24 (no repeated frames)
const FPS = 24;

describe('omvee run with real providers (fake servers)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(SONG_S);
  });
  after(async () => {
    await h.close();
  });

  test('a full run ends in a frame-exact video, and project cost equals what the providers billed', { timeout: 90_000 }, async () => {
    const r = await h.omvee(['run', h.song, '--out', 'full.mp4', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = json<RunSummary>(r);
    const video = await probeVideo(join(h.dir, 'full.mp4'));
    assert.equal(video.frames, SONG_S * FPS);
    assert.equal(summary.frame_count, SONG_S * FPS);
    // every step went through the fakes
    assert.equal(h.openai.uploads.length, 1, 'one Whisper upload');
    // scene selection, prompt writing (one chunk: the song has under 4 scenes), then one motion per clip, written after its still
    assert.equal(h.openai.chatRequests.length, 2 + summary.scenes, 'scene selection + prompt writing + a motion per clip');
    const motions = h.openai.chatRequests.filter(isMotionRequest);
    assert.equal(motions.length, summary.scenes);
    const creates = [...h.replicate.predictions.values()];
    assert.equal(creates.filter((p) => p.model === 'minimax/image-01').length, summary.scenes);
    assert.equal(creates.filter((p) => p.model === 'bytedance/seedance-1-lite').length, summary.scenes);

    const c = await h.omvee(['project', 'cost', summary.project_id, '--takes', '--json']);
    assert.equal(c.code, 0, c.stderr);
    const cost = json<CostReport>(c);
    assert.ok(h.billedUsd() > 0);
    assert.equal(cost.total_usd, h.billedUsd());
    assert.equal(summary.cost_usd, h.billedUsd());
    // per take: each recorded cost is what the fake billed for that prediction
    // per take: each recorded cost is what the fakes billed for it (a clip take: its prediction and its motion call)
    const motionBilled = (scene: number): number => {
      const call = h.openai.chatRequests.findIndex((r) => isMotionRequest(r) && new RegExp(`Scene ${scene}:`).test(r.messages.map(textOf).join('\n')));
      return h.openai.billing.find((b) => b.kind === 'chat' && b.call === call)!.usd;
    };
    for (const t of cost.takes) {
      assert.ok(t.prediction_id);
      const prediction = h.replicate.predictions.get(t.prediction_id)!.billedUsd;
      assert.equal(t.cost_usd, t.kind === 'clip' ? Math.round((prediction + motionBilled(t.scene)) * 1e6) / 1e6 : prediction, `${t.kind} scene ${t.scene}`);
    }
    const clip = await h.omvee(['clips', 'list', summary.project_id, '--json']);
    const listed = json<{ motion_prompt: string | null }[]>(clip);
    assert.equal(listed.length, summary.scenes);
    for (const c of listed) assert.match(c.motion_prompt ?? '', /^The camera pushes in slowly on scene \d+/, 'the motion written for the still went to the clip');
    assert.deepEqual(cost.steps.map((s) => s.step), ['transcript', 'scenes', 'prompts', 'images', 'clips']);
    assert.ok(cost.steps.every((s) => s.usd > 0 && s.items > 0));
  });

  test('--dry-run prints an estimate and creates nothing', { timeout: 90_000 }, async () => {
    const before = { creates: h.replicate.creates(), uploads: h.openai.uploads.length, chats: h.openai.chatRequests.length };
    const projects = json<unknown[]>(await h.omvee(['project', 'list', '--json'])).length;
    const r = await h.omvee(['run', h.song, '--dry-run', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = json<{ dry_run: boolean; estimate_usd: number; lines: { step: string; usd: number }[] }>(r);
    assert.equal(report.dry_run, true);
    assert.deepEqual(report.lines.map((l) => l.step), ['transcript', 'scenes', 'prompts', 'images', 'clips']);
    assert.ok(report.estimate_usd > 0);
    assert.equal(h.replicate.creates(), before.creates);
    assert.equal(h.openai.uploads.length, before.uploads);
    assert.equal(h.openai.chatRequests.length, before.chats);
    assert.equal(json<unknown[]>(await h.omvee(['project', 'list', '--json'])).length, projects, 'no project created');
  });

  test('--max-cost below the estimate refuses before spending anything', { timeout: 90_000 }, async () => {
    const creates = h.replicate.creates();
    const projects = json<unknown[]>(await h.omvee(['project', 'list', '--json'])).length;
    const r = await h.omvee(['run', h.song, '--max-cost', '0.05']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /over --max-cost \$0\.05/);
    assert.match(r.stderr, /hint: .*--max-cost/);
    assert.equal(h.replicate.creates(), creates);
    assert.equal(json<unknown[]>(await h.omvee(['project', 'list', '--json'])).length, projects);
    const bad = await h.omvee(['run', h.song, '--max-cost', 'lots']);
    assert.equal(bad.code, 2);
  });

  test('--max-cost stops mid-run before a generation that would exceed it, keeping finished work', { timeout: 90_000 }, async () => {
    // an image model billed by hardware time: the estimate assumes 5 s, the fake reports 40 s
    const prices = join(h.dir, 'prices.json');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(prices, JSON.stringify({ 'acme/slow-image': { perPredictSecond: 0.001 } }));
    const env = { OMVEE_PRICES_FILE: prices, OMVEE_IMAGE_MODEL: 'acme/slow-image', OMVEE_CLIPS: 'local' };
    const lyrics = join(h.dir, 'lyrics.txt');
    await writeFile(lyrics, 'one\ntwo\nthree\n');
    // scenes and prompts first, without images
    const created = await h.omvee(['project', 'create', 'budget', '--audio', h.song, '--json']);
    const id = json<{ id: string }>(created).id;
    h.autoDirector();
    for (const args of [['transcript', 'import', id, lyrics], ['scenes', 'select', id], ['prompts', 'generate', id]]) {
      const step = await h.omvee(args, env);
      assert.equal(step.code, 0, `${args.join(' ')}: ${step.stderr}`);
    }
    const spentBefore = json<CostReport>(await h.omvee(['project', 'cost', id, '--json'])).total_usd;
    for (let i = 0; i < 3; i++) h.replicate.scripts.push({ predictTime: 40 });
    const creates = h.replicate.creates();
    // up front: 3 × ~0.005 fits under +0.03; after the first image really cost 0.04, the next must not start
    const r = await h.omvee(['images', 'generate', id, '--concurrency', '1', '--max-cost', String(spentBefore + 0.03)], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /stopped before exceeding --max-cost/);
    const cost = json<CostReport>(await h.omvee(['project', 'cost', id, '--takes', '--json']));
    const images = cost.takes.filter((t) => t.kind === 'image' && t.status === 'completed');
    assert.equal(images.length, 1, 'finished work kept, nothing started past the cap');
    assert.equal(h.replicate.creates() - creates, 1, 'one prediction paid for');
    assert.equal(cost.total_usd, Math.round((spentBefore + 0.04) * 1e6) / 1e6);
    h.replicate.scripts.length = 0;
  });

  test('429 storms, 500s and a failed prediction: a clear error, then the resumed run finishes the video', { timeout: 90_000 }, async () => {
    const billedBefore = h.billedUsd();
    h.autoDirector();
    h.openai.faults.push({ route: 'transcriptions', kind: 'status', status: 500 }, { route: 'chat', kind: 'status', status: 429, retryAfter: '0.1', times: 3 });
    h.replicate.faults.push({ route: 'create', kind: 'status', status: 429, retryAfter: '0.1', times: 3 }, { route: 'get', kind: 'status', status: 500, times: 2 });
    h.replicate.scripts.push({ final: 'failed', error: 'NSFW content detected' });
    const first = await h.omvee(['run', h.song, '--out', 'faults.mp4', '--concurrency', '1']);
    assert.equal(first.code, 1, first.stderr);
    assert.match(first.stderr, /error: image generation failed for 1 scene: scene \d+: Replicate prediction \w+ was refused by the safety filter: NSFW content detected/);
    assert.match(first.stderr, /hint: The model's safety filter refused this scene\. Rewrite the scene's image or motion prompt/);
    assert.equal(h.openai.faults.queue.length + h.replicate.faults.queue.length, 0, 'every injected fault was served');
    const id = /project \S+ \(([0-9a-f-]{36})\)/.exec(first.stderr)![1]!;

    const again = await h.omvee(['run', '--project', id, '--out', 'faults.mp4', '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((await probeVideo(join(h.dir, 'faults.mp4'))).frames, SONG_S * FPS);
    const cost = json<CostReport>(await h.omvee(['project', 'cost', id, '--takes', '--json']));
    assert.equal(cost.total_usd, Math.round((h.billedUsd() - billedBefore) * 1e6) / 1e6);
    assert.equal(cost.takes.filter((t) => t.kind === 'image').length, 3, 'the failed take was retried in place, not duplicated');
  });

  test('a transient failure storm (out of memory, interrupted) still ends in a frame-exact video; every attempt is on its take', { timeout: 120_000 }, async () => {
    const billedBefore = h.billedUsd();
    h.autoDirector();
    const OOM = 'CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.15 GiB total capacity)';
    const PA = 'Prediction interrupted; please retry (code: PA)';
    // three images, then the clips: scene 1 fails twice (OOM, interrupted), scene 2 once
    h.replicate.scripts.push({}, {}, {}, { final: 'failed', error: OOM }, { final: 'failed', error: PA }, {}, { final: 'failed', error: OOM }, {}, {});
    const r = await h.omvee(['run', h.song, '--out', 'storm.mp4', '--concurrency', '1', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = json<RunSummary>(r);
    assert.equal((await probeVideo(join(h.dir, 'storm.mp4'))).frames, SONG_S * FPS);
    assert.equal(h.replicate.scripts.length, 0, 'every scripted outcome was served');
    const { openLocalStore } = await import('../../src/store/local/local-store.ts');
    const store = await openLocalStore({ home: h.env['OMVEE_HOME']! });
    try {
      const clips = (await store.list('video_clips', { where: { project_id: summary.project_id }, order: { column: 'take' } })).sort((a, b) => a.created_at.localeCompare(b.created_at));
      assert.equal(clips.length, summary.scenes, 'retries are attempts of one take, not new takes');
      assert.deepEqual(clips.map((c) => (c.attempts ?? []).map((a) => `${a.status}${a.transient ? '*' : ''}`)), [['failed*', 'failed*', 'succeeded'], ['failed*', 'succeeded'], ['succeeded']]);
      for (const c of clips) {
        assert.equal(c.status, 'completed');
        // the take's cost: its attempts, plus the director's motion prompt written for it (an LLM call)
        const attempts = Math.round((c.attempts ?? []).reduce((s, a) => s + a.cost_usd, 0) * 1e6) / 1e6;
        assert.ok(c.cost_usd !== null && c.cost_usd > attempts && c.cost_usd - attempts < 0.001, `take ${c.take}: ${c.cost_usd} vs attempts ${attempts}`);
      }
    } finally {
      await store.close();
    }
    const cost = json<CostReport>(await h.omvee(['project', 'cost', summary.project_id, '--json']));
    assert.equal(cost.total_usd, Math.round((h.billedUsd() - billedBefore) * 1e6) / 1e6, 'what omvee counts is what was billed');
  });

  test('doctor checks each key with a cheap call and never prints it', { timeout: 90_000 }, async () => {
    const badKey = 'sk-wrong-key-do-not-print-1234567';
    const r = await h.omvee(['doctor', '--json'], { OPENAI_API_KEY: badKey });
    assert.equal(r.code, 1);
    assert.ok(!r.stdout.includes(badKey) && !r.stderr.includes(badKey), 'key printed');
    const checks = json<{ check: string; status: string; detail: string; hint: string | null }[]>(r);
    const openai = checks.find((c) => c.check === 'openai')!;
    assert.equal(openai.status, 'fail');
    assert.match(openai.hint ?? '', /OPENAI_API_KEY/);
    assert.equal(checks.find((c) => c.check === 'replicate')!.status, 'ok');
    assert.equal(checks.find((c) => c.check === 'openrouter')!.status, 'ok');

    const requests = h.replicate.requests.length;
    const offline = await h.omvee(['doctor', '--offline', '--json'], { OPENAI_API_KEY: badKey });
    assert.equal(h.replicate.requests.length, requests, '--offline calls nothing');
    assert.equal(json<{ check: string; status: string }[]>(offline).find((c) => c.check === 'openai')!.status, 'ok');
  });
});
