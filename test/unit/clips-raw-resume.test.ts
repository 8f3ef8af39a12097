// A paid clip is stored the moment it arrives: if normalising it fails (or the process dies),
// the next run finishes from the stored output without asking the provider again.
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import type { Blobs } from '../../src/blobs/port.ts';
import type { MediaTools } from '../../src/media/port.ts';
import { generateClips } from '../../src/core/pipeline/clips-step.ts';
import type { PipelineDeps } from '../../src/core/pipeline/deps.ts';
import { noopStep } from '../../src/core/pipeline/step.ts';
import type { ClipGenerator, Providers } from '../../src/providers/ports.ts';
import { createLocalDirector } from '../../src/providers/local/local-director.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { Store } from '../../src/store/port.ts';

let home: string;
let store: Store;
let blobs: Blobs;
before(async () => {
  home = await mkdtemp(join(tmpdir(), 'omvee-raw-'));
  store = await openLocalStore({ home });
  blobs = openLocalBlobs({ root: join(home, 'project-files') });
});
after(async () => {
  await store.close();
  await rm(home, { recursive: true, force: true });
});

test('normalise fails after a paid generation; the rerun reuses the stored output', async () => {
  const project = await store.insert('projects', { name: 'raw', audio_duration_s: 2, fps: 30 });
  const [scene] = await store.replaceScenes(project.id, [{ project_id: project.id, order_idx: 0, start_time_s: 0, end_time_s: 2 }]);
  await blobs.put(`projects/${project.id}/images/s1.png`, Buffer.from('png'));
  await store.insert('generated_images', { project_id: project.id, scene_id: scene!.id, take: 1, status: 'completed', image_path: `projects/${project.id}/images/s1.png` });
  await store.insert('scene_prompts', { project_id: project.id, scene_id: scene!.id, image_prompt: 'x', motion_prompt: 'zoom in' });

  let generations = 0;
  const clips: ClipGenerator = {
    name: 'paid',
    model: 'paid/model',
    async generate(input) {
      generations += 1;
      await writeFile(input.outPath, 'raw-bytes');
      return { path: input.outPath, model: 'paid/model', costUsd: 0.25, predictionId: `pred-${generations}`, normalized: false };
    },
  };
  let failNormalize = true;
  const media = {
    async normalizeClip(inPath: string, _f: unknown, _n: number, outPath: string) {
      if (failNormalize) throw new Error('ffmpeg crashed');
      await copyFile(inPath, outPath);
    },
    async probeVideo() {
      return { durationS: 2, sizeBytes: 9, audio: null, video: { codec: 'h264', width: 1280, height: 720, fps: 30, frameCount: 60, durationS: 2, pixFmt: 'yuv420p', timeBase: '1/15360' } };
    },
  } as unknown as MediaTools;
  const deps: PipelineDeps = { store, blobs, media, providers: { clips, director: createLocalDirector() } as unknown as Providers, workDir: join(home, 'work'), log: () => undefined };

  await assert.rejects(generateClips(deps, project, {}, noopStep()), /ffmpeg crashed/);
  const [failed] = await store.list('video_clips', { where: { scene_id: scene!.id } });
  assert.equal(failed!.status, 'failed');
  assert.equal(failed!.cost_usd, 0.25, 'the paid output is recorded with its cost');
  assert.ok(failed!.clip_path && (await blobs.exists(failed!.clip_path)), 'the raw output is in storage');

  failNormalize = false;
  const { generated } = await generateClips(deps, project, {}, noopStep());
  assert.equal(generations, 1, 'the provider was not asked again');
  assert.equal(generated.length, 1);
  assert.equal(generated[0]!.status, 'completed');
  assert.equal(generated[0]!.prediction_id, 'pred-1');
  assert.equal(await store.count('video_clips', { scene_id: scene!.id }), 1, 'no second take');
  // kept: a change of captions re-finishes the clip from the paid output instead of paying again
  assert.equal(await blobs.exists(failed!.clip_path!), true, 'the raw copy is kept once the clip is stored');
  assert.notEqual(generated[0]!.clip_path, failed!.clip_path, 'the take points at its house-format clip');
});
