/**
 * The analyze step through real ffmpeg and the local store: idempotent per song file (decoded
 * once; skipped while the stored analysis matches the song's sha256 and ANALYSIS_VERSION; redone
 * when the song is replaced or the version is old), and bad input (silence, noise, a 2-second
 * clip) gives a clear note, a schema-valid stored analysis and scenes that still work.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import { ANALYSIS_VERSION, AudioAnalysisSchema, NO_BEAT_NOTE, storedAnalysis } from '../../src/core/analysis/index.ts';
import { attachAudio, createProjectWithSong } from '../../src/core/audio.ts';
import { sha256File } from '../../src/core/files.ts';
import type { Job, Project } from '../../src/core/model.ts';
import type { PipelineDeps } from '../../src/core/pipeline/deps.ts';
import { selectScenes } from '../../src/core/pipeline/scenes-step.ts';
import { noopStep } from '../../src/core/pipeline/step.ts';
import analyzeAudioStep from '../../src/core/pipeline/steps/analyze-audio.ts';
import { validateScenes } from '../../src/core/timeline/index.ts';
import { createFfmpegMedia } from '../../src/media/ffmpeg-media.ts';
import type { MediaTools } from '../../src/media/port.ts';
import { synthesizeSong } from '../../src/media/synth.ts';
import { createLocalDirector } from '../../src/providers/local/local-director.ts';
import type { Providers } from '../../src/providers/ports.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { bins, ff } from './helpers.ts';

const real = createFfmpegMedia(bins);

async function fixture(t: { after: (fn: () => Promise<void>) => void }) {
  const home = await mkdtemp(join(tmpdir(), 'omvee-analyze-step-'));
  const store = await openLocalStore({ home });
  t.after(async () => {
    await store.close();
    await rm(home, { recursive: true, force: true });
  });
  let decodes = 0;
  const media: MediaTools = {
    ...real,
    decodePcm(path, signal) {
      decodes += 1;
      return real.decodePcm(path, signal);
    },
  };
  const notes: string[] = [];
  const deps: PipelineDeps = {
    store,
    blobs: openLocalBlobs({ root: join(home, 'project-files') }),
    media,
    providers: { director: createLocalDirector() } as unknown as Providers,
    workDir: join(home, 'work'),
    log: (m) => notes.push(m),
    note: (m) => notes.push(m),
  };
  return { home, store, deps, notes, decodes: () => decodes };
}

const control = () => ({ ...noopStep(), job: { id: 'job' } as Job, lease: { id: 'job', workerId: 'w', attempt: 1 } });
const reload = async (deps: PipelineDeps, p: Project): Promise<Project> => (await deps.store.get('projects', p.id))!;

test('analysed once per song file: skipped while current, redone for a new song or an old version', async (t) => {
  const f = await fixture(t);
  const songA = join(f.home, 'a.mp3');
  const songB = join(f.home, 'b.mp3');
  await synthesizeSong(bins.ffmpeg, songA, 14, { bpm: 100 });
  await synthesizeSong(bins.ffmpeg, songB, 14, { bpm: 128 });
  let project = await createProjectWithSong(f.deps, { name: 'twice', style: null }, songA);
  const plan = analyzeAudioStep.plan!;
  assert.equal(await plan.needed(f.store, project, { bounds: { sceneMinS: 3, sceneMaxS: 8 }, lyricsOverlay: false }), true, 'needed before it ran');

  const first = await analyzeAudioStep.run(f.deps, project, {}, control());
  assert.equal(first.result['skipped'], false);
  assert.equal(f.decodes(), 1);
  project = await reload(f.deps, project);
  const a = storedAnalysis(project)!;
  assert.ok(a, 'stored, and it parses');
  assert.equal(a.audio_sha256, await sha256File(songA));
  assert.equal(a.version, ANALYSIS_VERSION);
  assert.ok(Math.abs(a.tempo_bpm! - 100) < 2, `tempo ≈ 100 (got ${a.tempo_bpm})`);
  assert.equal(await plan.needed(f.store, project, { bounds: { sceneMinS: 3, sceneMaxS: 8 }, lyricsOverlay: false }), false, 'not needed once current');

  const again = await analyzeAudioStep.run(f.deps, project, {}, control());
  assert.equal(again.result['skipped'], true);
  assert.equal(f.decodes(), 1, 'the song is not decoded again');
  assert.deepEqual((await reload(f.deps, project)).audio_analysis, a, 'unchanged');

  // an analysis made by another version of the algorithm is redone
  project = await f.store.update('projects', project.id, { audio_analysis: { ...a, version: ANALYSIS_VERSION + 1 } });
  assert.equal(await plan.needed(f.store, project, { bounds: { sceneMinS: 3, sceneMaxS: 8 }, lyricsOverlay: false }), true);
  assert.equal((await analyzeAudioStep.run(f.deps, project, {}, control())).result['skipped'], false);
  assert.equal(f.decodes(), 2);

  // a new song: needed again, analysed from the new file
  project = await attachAudio(f.deps, await reload(f.deps, project), songB);
  assert.equal(await plan.needed(f.store, project, { bounds: { sceneMinS: 3, sceneMaxS: 8 }, lyricsOverlay: false }), true, 'needed for a new song');
  await analyzeAudioStep.run(f.deps, project, {}, control());
  const b = storedAnalysis(await reload(f.deps, project))!;
  assert.equal(b.audio_sha256, await sha256File(songB));
  assert.ok(Math.abs(b.tempo_bpm! - 128) < 2.5, `tempo ≈ 128 (got ${b.tempo_bpm})`);
  assert.equal(f.decodes(), 3);

  // scenes select on a song without a stored analysis makes it first, then cuts on it
  await f.store.update('projects', project.id, { audio_analysis: null });
  const out = await selectScenes(f.deps, await reload(f.deps, project), { sceneMinS: 3, sceneMaxS: 8 }, noopStep());
  assert.equal(f.decodes(), 4);
  for (const s of out.scenes.slice(1)) assert.ok(b.beats.some((x) => Math.abs(x - s.start_time_s) <= 1 / project.fps + 1e-9), `cut ${s.start_time_s} on a beat`);
});

test('bad input — silence, noise, a 2-second clip: a clear note, a valid stored analysis, working scenes', async (t) => {
  const f = await fixture(t);
  const cases = [
    { name: 'silence', args: ['-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=mono', '-t', '12'], note: /silent/ },
    { name: 'noise', args: ['-f', 'lavfi', '-i', 'anoisesrc=r=44100:a=0.3:c=white:seed=7', '-t', '12'], note: new RegExp(NO_BEAT_NOTE) },
    { name: 'short', args: ['-f', 'lavfi', '-i', 'sine=f=440:r=44100', '-t', '2'], note: /too short to find a tempo/ },
  ];
  for (const c of cases) {
    const file = join(f.home, `${c.name}.wav`);
    await ff(...c.args, file);
    const project = await createProjectWithSong(f.deps, { name: c.name, style: null }, file);
    const out = await analyzeAudioStep.run(f.deps, project, {}, control());
    assert.ok((out.result['notes'] as string[]).some((n) => c.note.test(n)), `${c.name}: note ${JSON.stringify(out.result['notes'])}`);
    const stored = (await reload(f.deps, project)).audio_analysis;
    assert.ok(AudioAnalysisSchema.safeParse(stored).success, `${c.name}: stored analysis passes the schema`);
    assert.ok(JSON.stringify(stored).match(/NaN|Infinity/) === null, `${c.name}: no NaN stored`);
    const scenes = await selectScenes(f.deps, await reload(f.deps, project), { sceneMinS: 3, sceneMaxS: 6 }, noopStep());
    const D = project.audio_duration_s!;
    assert.deepEqual(validateScenes(scenes.scenes, { durationS: D, sceneMinS: D < 3 ? 0 : 3, sceneMaxS: 6 }), [], `${c.name}: scenes cover the song`);
    for (const s of scenes.scenes) assert.ok(Number.isFinite(s.energy) && s.energy! >= 0 && s.energy! <= 1, `${c.name}: energy ${s.energy}`);
  }
});
