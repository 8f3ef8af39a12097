// The clip step asks the director for each clip's motion right before the clip is made, with the
// still that exists by then; the motion is kept on the take (a rerun pays nothing again) and a
// new take after a rejection gets a fresh one told the reviewer's note.
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import type { Blobs } from '../../src/blobs/port.ts';
import type { MediaTools } from '../../src/media/port.ts';
import { generateClips } from '../../src/core/pipeline/clips-step.ts';
import type { PipelineDeps } from '../../src/core/pipeline/deps.ts';
import { noopStep } from '../../src/core/pipeline/step.ts';
import type { Project, Scene } from '../../src/core/model.ts';
import { OmveeError } from '../../src/core/errors.ts';
import { createLocalDirector } from '../../src/providers/local/local-director.ts';
import type { ClipGenerator, ClipInput, Director, MotionWritingInput, Providers } from '../../src/providers/ports.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { Store } from '../../src/store/port.ts';

let home: string;
let store: Store;
let blobs: Blobs;
let project: Project;
let scene: Scene;
let stillKey: string;

const media = {
  async normalizeClip(inPath: string, _f: unknown, _n: number, outPath: string) {
    await copyFile(inPath, outPath);
  },
  async probeVideo() {
    return { durationS: 2, sizeBytes: 9, audio: null, video: { codec: 'h264', width: 1280, height: 720, fps: 30, frameCount: 60, durationS: 2, pixFmt: 'yuv420p', timeBase: '1/15360' } };
  },
} as unknown as MediaTools;

let asked: MotionWritingInput[];
let sent: ClipInput[];
let motionFails: boolean;
const director: Director = {
  ...createLocalDirector(),
  name: 'spy',
  async writeMotion(input) {
    asked.push(input);
    if (motionFails) throw new OmveeError('provider', 'the director is down', { details: { costUsd: 0.0007 } });
    return { motion_prompt: `motion #${asked.length} for ${input.imagePath.split('/').pop()}`, model: 'spy-model', costUsd: 0.001, sawImage: true };
  },
};
const clips: ClipGenerator = {
  name: 'paid',
  model: 'paid/model',
  async generate(input) {
    sent.push(input);
    await writeFile(input.outPath, 'raw-bytes');
    return { path: input.outPath, model: 'paid/model', costUsd: 0.25, predictionId: `pred-${sent.length}`, normalized: false };
  },
};
const warnings: string[] = [];
const deps = (): PipelineDeps => ({ store, blobs, media, providers: { clips, director } as unknown as Providers, workDir: join(home, 'work'), log: (m) => warnings.push(m) });

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'omvee-motion-step-'));
  store = await openLocalStore({ home });
  blobs = openLocalBlobs({ root: join(home, 'project-files') });
});
after(async () => {
  await store.close();
  await rm(home, { recursive: true, force: true });
});
beforeEach(async () => {
  asked = [];
  sent = [];
  motionFails = false;
  warnings.length = 0;
  project = await store.insert('projects', { name: `motion-${Math.random()}`, style: 'neon noir', audio_duration_s: 2, fps: 30 });
  scene = (await store.replaceScenes(project.id, [{ project_id: project.id, order_idx: 0, start_time_s: 0, end_time_s: 2, energy: 0.8, title: 'Chorus' }]))[0]!;
  stillKey = `projects/${project.id}/images/scene-001-take-1.png`;
  await blobs.put(stillKey, Buffer.from('png'));
  await store.insert('generated_images', { project_id: project.id, scene_id: scene.id, take: 1, status: 'completed', image_path: stillKey });
  await store.insert('scene_prompts', { project_id: project.id, scene_id: scene.id, image_prompt: 'a crowd under red light', motion_prompt: 'zoom in', setting: 'club' });
});

test('the motion is written for the still right before the clip, sent to the clip model, kept on the take with its cost', async () => {
  const { generated, costUsd } = await generateClips(deps(), project, {}, noopStep());
  assert.equal(asked.length, 1);
  assert.equal(asked[0]!.imagePath, blobs.localPath(stillKey), 'the director gets the still itself');
  assert.equal(asked[0]!.prompt?.image_prompt, 'a crowd under red light');
  assert.equal(asked[0]!.durationS, 2);
  assert.equal(asked[0]!.rejected, null);
  assert.equal(sent[0]!.motionPrompt, 'motion #1 for scene-001-take-1.png', 'the clip model gets the new motion, not the one written with the prompts');
  assert.equal(generated[0]!.motion_prompt, 'motion #1 for scene-001-take-1.png');
  assert.equal(generated[0]!.cost_usd, 0.251, 'motion + clip');
  assert.equal(costUsd, 0.251);
});

test('a rerun of the same take (the clip failed) reuses the stored motion: the director is not asked again', async () => {
  let fail = true;
  const flaky: ClipGenerator = {
    ...clips,
    async generate(input) {
      if (fail) throw new OmveeError('provider', 'GPU fell over');
      return clips.generate(input, {});
    },
  };
  const d = { ...deps(), providers: { clips: flaky, director } as unknown as Providers };
  await assert.rejects(generateClips(d, project, {}, noopStep()), /GPU fell over/);
  const [failed] = await store.list('video_clips', { where: { scene_id: scene.id } });
  assert.equal(failed!.status, 'failed');
  assert.equal(failed!.motion_prompt, 'motion #1 for scene-001-take-1.png');
  assert.equal(failed!.cost_usd, 0.001, 'the motion that was paid for is on the take');
  fail = false;
  const { generated } = await generateClips(d, project, {}, noopStep());
  assert.equal(asked.length, 1, 'no second motion call');
  assert.equal(sent[0]!.motionPrompt, 'motion #1 for scene-001-take-1.png');
  assert.equal(generated[0]!.take, 1);
  assert.equal(generated[0]!.cost_usd, 0.251, 'the motion is counted once');
});

test('a new take after a rejection gets a fresh motion that is told the note and the rejected motion', async () => {
  const [first] = (await generateClips(deps(), project, {}, noopStep())).generated;
  await store.insert('user_approvals', { project_id: project.id, scene_id: scene.id, clip_id: first!.id, decision: 'rejected', note: 'too shaky' });
  const { generated } = await generateClips(deps(), project, {}, noopStep());
  assert.equal(generated[0]!.take, 2);
  assert.equal(asked.length, 2);
  assert.deepEqual(asked[1]!.rejected, { note: 'too shaky', motionPrompt: 'motion #1 for scene-001-take-1.png' });
  assert.equal(generated[0]!.motion_prompt, 'motion #2 for scene-001-take-1.png');
});

test('the director cannot write a motion: the clip is still made with the prompt\'s motion, said in a warning, the failed call\'s cost kept', async () => {
  motionFails = true;
  const { generated } = await generateClips(deps(), project, {}, noopStep());
  assert.equal(sent[0]!.motionPrompt, 'zoom in');
  assert.equal(generated[0]!.motion_prompt, 'zoom in');
  assert.equal(generated[0]!.cost_usd, 0.2507);
  assert.ok(warnings.some((w) => /scene 1: the spy director wrote no motion for the still \(the director is down\)/.test(w)), warnings.join('\n'));
});

test('the local director writes motion from its templates: the planned camera move, energy-paced, one shot; another move after a rejection', async () => {
  const local = createLocalDirector();
  const base: MotionWritingInput = {
    projectName: 'Easy Kill',
    style: 'neon noir',
    scene: { ...scene, theme: 'city', energy: 0.9 },
    prompt: { image_prompt: 'x', style_notes: null, setting: 'a neon-lit street after rain', shot_type: null, mood: null, motion_prompt: 'zoom in, brisk camera movement' },
    imagePath: '/nowhere.png',
    durationS: 4,
  };
  const intense = await local.writeMotion(base, {});
  assert.equal(intense.costUsd, 0);
  assert.match(intense.motion_prompt, /^Fast zoom in on a neon-lit street after rain; .+; one continuous 4\.0-second shot at an energetic pace/);
  const calm = await local.writeMotion({ ...base, scene: { ...base.scene, energy: 0.1 } }, {});
  assert.match(calm.motion_prompt, /^Slow zoom in on/);
  const again = await local.writeMotion({ ...base, rejected: { note: 'too fast', motionPrompt: intense.motion_prompt } }, {});
  assert.doesNotMatch(again.motion_prompt, /zoom in/, 'another camera move');
  assert.match(again.motion_prompt, /^Steady /, 'the note calmed it one step');
  for (const m of [intense, calm, again]) assert.doesNotMatch(m.motion_prompt, /\b(no|not|without|don't)\b/i);
});
