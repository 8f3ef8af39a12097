/**
 * Confused deputy: an operator's worker runs with the service key (it bypasses RLS and the
 * storage policies), but the storage keys it reads come from rows and payloads that users write.
 * User B tries to make the worker read user A's files into B's project, through the real
 * Worker + stepHandlers on SupabaseStore/SupabaseBlobs → supabase-js → the PostgREST double
 * (PGlite with the project's migrations and RLS). Every attempt must fail at once (no retry),
 * name the field that held the foreign key, hand nothing of A's to a provider or to ffmpeg, and
 * copy nothing into B's project.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSupabaseStore } from '../../src/store/supabase/supabase-store.ts';
import { openSupabaseBlobs } from '../../src/blobs/supabase/supabase-blobs.ts';
import type { Blobs } from '../../src/blobs/port.ts';
import type { Store } from '../../src/store/port.ts';
import type { MediaTools, RenderSpec } from '../../src/media/port.ts';
import type { Providers } from '../../src/providers/ports.ts';
import type { PipelineDeps } from '../../src/core/pipeline/deps.ts';
import { stepHandlers } from '../../src/core/pipeline/handlers.ts';
import { Worker } from '../../src/core/jobs/worker.ts';
import type { Job, Project } from '../../src/core/model.ts';
import type { JobType } from '../../src/core/enums.ts';
import { startPostgrestDouble, type DoubleUser, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { storedObjects } from '../supabase-e2e/helpers.ts';

let double: PostgrestDouble;
let alice: DoubleUser;
let bob: DoubleUser;
let work: string;
let service: { store: Store; blobs: Blobs };
let a: { store: Store; blobs: Blobs };
let b: { store: Store; blobs: Blobs };

/** what the worker handed to providers and ffmpeg: every file's bytes */
const handed: { who: string; bytes: Buffer }[] = [];
async function record(who: string, file: string): Promise<void> {
  handed.push({ who, bytes: await readFile(file) });
}

const ALICE = {
  song: Buffer.from('ALICE-SONG-secret audio bytes'),
  lyrics: Buffer.from('[00:00.50]alice private lyric line\n'),
  image: Buffer.from('ALICE-IMAGE-secret png bytes'),
  clip: Buffer.from('ALICE-CLIP-secret mp4 bytes'),
  ref: Buffer.from('ALICE-REF-secret reference photo'),
};
const aliceBytes = Object.values(ALICE);

let aliceKeys: { song: string; lyrics: string; image: string; clip: string; ref: string; projectId: string };

const FPS = 30;
const SECONDS = 2;
const FRAMES = FPS * SECONDS;

/** providers and media that record what they are given and make plausible outputs */
function recordingDeps(store: Store, blobs: Blobs): PipelineDeps {
  const media = {
    async probeVideo() {
      return { durationS: SECONDS, sizeBytes: 10, audio: { codec: 'aac', durationS: SECONDS, sampleRate: 44100, channels: 2 }, video: { codec: 'h264', width: 1280, height: 720, fps: FPS, frameCount: FRAMES, durationS: SECONDS, pixFmt: 'yuv420p', timeBase: '1/15360' } };
    },
    async normalizeClip(inPath: string, _format: unknown, _frames: number, outPath: string) {
      await copyFile(inPath, outPath);
    },
    async render(spec: RenderSpec) {
      await record('ffmpeg render audio', spec.audioPath);
      for (const clip of spec.clipPaths) await record('ffmpeg render clip', clip);
      await writeFile(spec.outPath, 'rendered');
    },
  } as unknown as MediaTools;
  const providers = {
    transcriber: {
      name: 'recording',
      async transcribe(input: { audioPath: string }) {
        await record('transcriber', input.audioPath);
        return { transcript: { source: 'whisper', language: 'en', segments: [{ start: 0, end: 1, text: 'heard' }] }, model: 'rec', costUsd: 0 };
      },
    },
    images: {
      name: 'recording',
      model: 'rec/image',
      async generate(input: { referenceImages?: string[]; outPath: string; seed: number }) {
        for (const ref of input.referenceImages ?? []) await record('image generator reference', ref);
        await writeFile(input.outPath, 'new image');
        return { path: input.outPath, contentType: 'image/png', model: 'rec/image', seed: input.seed, costUsd: 0, predictionId: null };
      },
    },
    clips: {
      name: 'recording',
      model: 'rec/clip',
      async generate(input: { imagePath: string; outPath: string }) {
        await record('clip generator image', input.imagePath);
        await writeFile(input.outPath, 'new clip');
        return { path: input.outPath, model: 'rec/clip', costUsd: 0, predictionId: null, normalized: false };
      },
    },
  } as unknown as Providers;
  return { store, blobs, media, providers, workDir: work, log: () => undefined };
}

before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'omvee-deputy-'));
  double = await startPostgrestDouble();
  alice = await double.createUser('alice@example.test', 'alice-password');
  bob = await double.createUser('bob@example.test', 'bob-password');
  const as = async (user: DoubleUser | null) => {
    const conn = user ? { url: double.url, key: double.anonKey, accessToken: user.accessToken, retry: false } : { url: double.url, key: double.serviceKey, retry: false };
    return { store: await openSupabaseStore(conn), blobs: openSupabaseBlobs(conn) };
  };
  service = await as(null);
  a = await as(alice);
  b = await as(bob);

  // alice's project and artist, with her files stored under her own keys
  const project = await a.store.insert('projects', { name: 'alice private song' });
  const artist = await a.store.insert('artists', { name: 'alice herself' });
  aliceKeys = {
    projectId: project.id,
    song: `projects/${project.id}/audio/song-alice.wav`,
    lyrics: `projects/${project.id}/transcripts/source.lrc`,
    image: `projects/${project.id}/images/scene-001-take-1.png`,
    clip: `projects/${project.id}/clips/scene-001-take-1.mp4`,
    ref: `artists/${artist.id}/ref-1.png`,
  };
  await a.blobs.put(aliceKeys.song, ALICE.song);
  await a.blobs.put(aliceKeys.lyrics, ALICE.lyrics);
  await a.blobs.put(aliceKeys.image, ALICE.image);
  await a.blobs.put(aliceKeys.clip, ALICE.clip);
  await a.blobs.put(aliceKeys.ref, ALICE.ref);
  await a.store.update('artists', artist.id, { reference_images: [aliceKeys.ref] });
  // bob cannot read any of it himself: that is what the worker must not do for him either
  await assert.rejects(b.blobs.get(aliceKeys.song));
});
after(async () => {
  await double?.close();
  await rm(work, { recursive: true, force: true });
});

/** a complete, legitimate project of bob's: song, one scene, prompt, image and clip of his own */
async function bobProject(name: string): Promise<{ project: Project; sceneId: string; imageId: string; clipId: string }> {
  const project = await b.store.insert('projects', { name, fps: FPS, status: 'clips_generated' });
  const song = `projects/${project.id}/audio/song-bob.wav`;
  await b.blobs.put(song, Buffer.from('bob song'));
  await b.store.update('projects', project.id, { audio_path: song, audio_duration_s: SECONDS });
  const [scene] = await b.store.replaceScenes(project.id, [{ order_idx: 0, start_time_s: 0, end_time_s: SECONDS }]);
  await b.store.insert('scene_prompts', { project_id: project.id, scene_id: scene!.id, image_prompt: 'a lake', motion_prompt: 'zoom in' });
  const imageKey = `projects/${project.id}/images/scene-001-take-1.png`;
  await b.blobs.put(imageKey, Buffer.from('bob image'));
  const image = await b.store.insert('generated_images', { project_id: project.id, scene_id: scene!.id, take: 1, status: 'completed', image_path: imageKey });
  const clipKey = `projects/${project.id}/clips/scene-001-take-1.mp4`;
  await b.blobs.put(clipKey, Buffer.from('bob clip'));
  const clip = await b.store.insert('video_clips', { project_id: project.id, scene_id: scene!.id, image_id: image.id, take: 1, status: 'completed', clip_path: clipKey, frame_count: FRAMES, fps: FPS });
  return { project: (await b.store.get('projects', project.id))!, sceneId: scene!.id, imageId: image.id, clipId: clip.id };
}

/** bob queues a job in his own project; the operator's service-key worker drains the queue */
async function bobQueues(projectId: string, type: JobType, payload: Record<string, unknown>): Promise<Job> {
  const queued = await b.store.insert('jobs', { type, project_id: projectId, payload, max_attempts: 3 });
  const worker = new Worker({ store: service.store, handlers: stepHandlers(recordingDeps(service.store, service.blobs)), workerId: 'operator-worker', once: true, projectId, leaseSeconds: 30 });
  await worker.run();
  return (await service.store.get('jobs', queued.id))!;
}

/** the job failed for good (not queued for a retry on the operator's keys) naming the field */
function refused(job: Job, field: RegExp): void {
  assert.equal(job.status, 'failed', `the job must fail, not ${job.status} (result ${JSON.stringify(job.result)})`);
  assert.equal(job.attempts, 1, 'a refusal is permanent: no second attempt');
  assert.match(job.error ?? '', field);
  assert.match(job.error ?? '', /outside/);
}

async function assertNothingOfAliceIn(projectId: string): Promise<void> {
  const leaked = handed.filter((h) => aliceBytes.some((s) => h.bytes.includes(s)));
  assert.deepEqual(leaked.map((h) => h.who), [], "nothing of alice's reached a provider or ffmpeg");
  for (const key of await storedObjects(double, `projects/${projectId}/`)) {
    const bytes = await service.blobs.get(key);
    assert.ok(!aliceBytes.some((s) => bytes.includes(s)), `${key} holds a copy of alice's file`);
  }
}

describe("the service-key worker never reads another user's files for a job", () => {
  it('transcript import: payload.source_key naming alice\'s lyrics', async () => {
    const { project } = await bobProject('bob import');
    const job = await bobQueues(project.id, 'transcribe', { mode: 'import', source_key: aliceKeys.lyrics, file_name: 'stolen.lrc' });
    refused(job, /payload\.source_key/);
    assert.equal((await service.store.get('projects', project.id))!.transcript, null, "bob's transcript is not alice's lyrics");
    await assertNothingOfAliceIn(project.id);
  });

  it("audio_path patched to alice's song, then transcribe, analyze_audio and assemble_video", async () => {
    const { project } = await bobProject('bob audio');
    await b.store.update('projects', project.id, { audio_path: aliceKeys.song });
    refused(await bobQueues(project.id, 'transcribe', { mode: 'provider' }), /projects\.audio_path/);
    refused(await bobQueues(project.id, 'analyze_audio', {}), /projects\.audio_path/);
    assert.equal((await service.store.get('projects', project.id))!.audio_analysis, null, "no analysis of alice's song");
    refused(await bobQueues(project.id, 'assemble_video', { auto_approve: true, lyrics_overlay: false }), /projects\.audio_path/);
    assert.equal(await service.store.count('final_videos', { project_id: project.id, status: 'completed' }), 0, 'no video of alice\'s song');
    await assertNothingOfAliceIn(project.id);
  });

  it("clip_path naming alice's clip, then assemble_video", async () => {
    const { project, clipId } = await bobProject('bob clip');
    await b.store.update('video_clips', clipId, { clip_path: aliceKeys.clip });
    refused(await bobQueues(project.id, 'assemble_video', { auto_approve: true, lyrics_overlay: false }), /video_clips\.clip_path/);
    await assertNothingOfAliceIn(project.id);
  });

  it("image_path naming alice's image, then generate_clips", async () => {
    const { project, imageId } = await bobProject('bob image');
    await b.store.update('generated_images', imageId, { image_path: aliceKeys.image });
    refused(await bobQueues(project.id, 'generate_clips', { new_take: true }), /generated_images\.image_path/);
    await assertNothingOfAliceIn(project.id);
  });

  it("reference_images of bob's own artist naming alice's artist and project files, then generate_images", async () => {
    for (const stolen of [aliceKeys.ref, aliceKeys.image]) {
      const { project, sceneId } = await bobProject(`bob artist ${stolen.slice(0, 7)}`);
      const artist = await b.store.insert('artists', { name: `bob borrowing ${stolen}`, reference_images: [stolen] });
      await b.store.update('selected_scenes', sceneId, { artist_id: artist.id, artist_role: 'primary' });
      refused(await bobQueues(project.id, 'generate_images', { new_take: true }), /artists\.reference_images/);
      await assertNothingOfAliceIn(project.id);
    }
  });

  it("bob's own files still work: the same worker renders his legitimate project", async () => {
    const { project } = await bobProject('bob legit');
    const job = await bobQueues(project.id, 'assemble_video', { auto_approve: true, lyrics_overlay: false });
    assert.equal(job.status, 'completed', job.error ?? '');
    assert.ok(handed.some((h) => h.who === 'ffmpeg render audio' && h.bytes.equals(Buffer.from('bob song'))));
    await assertNothingOfAliceIn(project.id);
  });
});
