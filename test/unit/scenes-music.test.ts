// The cut follows the music: scene planning (whatever the director) snaps every cut onto the
// song's beats, section boundaries always, on the frame grid, within the bounds, energy from the
// audio; the directors are told the music and give repeated sections one motif.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import { AudioAnalysisSchema, energyBetween, NO_BEAT_NOTE } from '../../src/core/analysis/index.ts';
import type { AudioAnalysis } from '../../src/core/analysis/index.ts';
import type { Scene, Transcript } from '../../src/core/model.ts';
import type { PipelineDeps } from '../../src/core/pipeline/deps.ts';
import { followTheMusic } from '../../src/core/pipeline/scene-cuts.ts';
import { selectScenes } from '../../src/core/pipeline/scenes-step.ts';
import { noopStep } from '../../src/core/pipeline/step.ts';
import { validateScenes } from '../../src/core/timeline/index.ts';
import type { MediaTools } from '../../src/media/port.ts';
import { sceneSelectionPrompt } from '../../src/providers/llm/llm-director.ts';
import { promptWritingPrompt } from '../../src/providers/llm/prompt-writing.ts';
import { createLocalDirector } from '../../src/providers/local/local-director.ts';
import type { Director, Providers, SceneDraft } from '../../src/providers/ports.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';

const SHA = 'c0ffee00c0ffee00' + '0'.repeat(48);
const D = 64.5;
const FPS = 30;
/** 120 BPM from 0.23 s (never on the even grid), bars of 4, sections A B A B of 8 bars, B loud. */
function analysis(overrides: Partial<AudioAnalysis> = {}): AudioAnalysis {
  const beats: number[] = [];
  for (let t = 0.23; t < D; t += 0.5) beats.push(Math.round(t * 1000) / 1000);
  const downbeats = beats.filter((_, i) => i % 4 === 0);
  const starts = [0, 16.23, 32.23, 48.23];
  const labels = ['A', 'B', 'A', 'B'];
  const energyAt = (t: number): number => (labels[starts.findLastIndex((s) => t >= s)] === 'B' ? 0.9 : 0.3);
  const values = Array.from({ length: Math.ceil(D / 0.5) }, (_, i) => energyAt(i * 0.5));
  return AudioAnalysisSchema.parse({
    version: 1,
    audio_sha256: SHA,
    duration_s: D,
    tempo_bpm: 120,
    beats,
    downbeats,
    meter: 4,
    sections: starts.map((s, i) => ({ start_s: s, end_s: starts[i + 1] ?? D, label: labels[i], energy: labels[i] === 'B' ? 0.9 : 0.3 })),
    chorus_label: 'B',
    energy: { hop_s: 0.5, values },
    vocal_activity: null,
    notes: [],
    ...overrides,
  });
}

const transcript: Transcript = {
  source: 'lrc',
  segments: [
    { start: 1, end: 5.6, text: 'walking down the line' },
    { start: 17, end: 22.4, text: 'we are the fire tonight' },
    { start: 33, end: 37.1, text: 'walking down the line' },
    { start: 49, end: 54.3, text: 'we are the fire tonight' },
  ],
};

const nearest = (xs: readonly number[], t: number): number => Math.min(...xs.map((x) => Math.abs(x - t)));

async function fixture(t: { after: (fn: () => Promise<void>) => void }, director: Director, lyrics: Transcript | null = transcript) {
  const home = await mkdtemp(join(tmpdir(), 'omvee-scenes-music-'));
  const store = await openLocalStore({ home });
  t.after(async () => {
    await store.close();
    await rm(home, { recursive: true, force: true });
  });
  const blobs = openLocalBlobs({ root: join(home, 'project-files') });
  let decoded = 0;
  const media = {
    decodePcm() {
      decoded += 1;
      throw new Error('the stored analysis is current: nothing is decoded');
    },
  } as unknown as MediaTools;
  const notes: string[] = [];
  const deps: PipelineDeps = { store, blobs, media, providers: { director } as unknown as Providers, workDir: join(home, 'work'), log: (m) => notes.push(m), note: (m) => notes.push(m) };
  const project = await store.insert('projects', { name: 'beats', fps: FPS, audio_duration_s: D, transcript: lyrics, status: 'uploaded' });
  // the song's key is content-addressed (song-<sha256 prefix>): the stored analysis belongs to it
  const withSong = await store.update('projects', project.id, { audio_path: `projects/${project.id}/audio/song-${SHA.slice(0, 16)}.mp3`, audio_analysis: analysis() });
  return { deps, project: withSong, store, notes, decoded: () => decoded };
}

/** Every promise the planner makes about cuts on the music. */
function assertOnTheMusic(scenes: readonly { start_time_s: number; end_time_s: number; energy: number | null }[], a: AudioAnalysis, min: number, max: number): void {
  assert.deepEqual(validateScenes(scenes as SceneDraft[], { durationS: D, sceneMinS: min, sceneMaxS: max }), []);
  assert.equal(scenes[0]!.start_time_s, 0);
  assert.equal(scenes.at(-1)!.end_time_s, D);
  for (const [i, s] of scenes.entries()) {
    if (i > 0) {
      const cut = s.start_time_s;
      assert.ok(Math.abs(cut * FPS - Math.round(cut * FPS)) < 1e-6, `cut ${cut} is on the frame grid`);
      // a beat lies in every window here (beats every 0.5 s, scenes 4–8 s): the cut is within a frame of one
      assert.ok(nearest(a.beats, cut) <= 1 / FPS + 1e-9, `cut ${cut} within a frame of a beat (nearest ${nearest(a.beats, cut).toFixed(3)} s)`);
    }
    assert.equal(s.energy, energyBetween(a, s.start_time_s, s.end_time_s), `scene ${i}: energy from the audio`);
  }
  for (const section of a.sections.slice(1)) {
    assert.ok(scenes.some((s) => Math.abs(s.start_time_s - section.start_s) <= 1 / FPS + 1e-9), `a cut at the section start ${section.start_s}`);
  }
}

describe('scene planning follows the music', () => {
  it('the local director: every cut on a beat, sections always cut, energy from the audio, lyrics re-assigned', async (t) => {
    const f = await fixture(t, createLocalDirector());
    const out = await selectScenes(f.deps, f.project, { sceneMinS: 4, sceneMaxS: 8 }, noopStep());
    assert.equal(f.decoded(), 0, 'the stored analysis is used, the song is not decoded again');
    assertOnTheMusic(out.scenes, analysis(), 4, 8);
    // loud B sections give loud scenes, quiet A quiet ones
    const inB = out.scenes.filter((s) => s.start_time_s >= 16.2 && s.end_time_s <= 32.3);
    const inA = out.scenes.filter((s) => s.start_time_s >= 32.2 && s.end_time_s <= 48.3);
    assert.ok(inB.every((s) => s.energy! > 0.8) && inA.every((s) => s.energy! < 0.4));
    // a sung line is in the excerpt of the scene that holds it
    const chorusScene = out.scenes.find((s) => s.start_time_s <= 17 && s.end_time_s > 18)!;
    assert.match(chorusScene.lyric_excerpt ?? '', /fire tonight/);
    // the same section label gives the same theme (the motif of a returning chorus)
    const themeAt = (t0: number): string | null => out.scenes.find((s) => s.start_time_s <= t0 && s.end_time_s > t0)!.theme;
    assert.equal(themeAt(20), themeAt(52));
  });

  it('an instrumental is cut by the music: loud sections cut tighter than quiet ones', async (t) => {
    const f = await fixture(t, createLocalDirector(), null);
    const out = await selectScenes(f.deps, f.project, { sceneMinS: 4, sceneMaxS: 8 }, noopStep());
    assertOnTheMusic(out.scenes, analysis(), 4, 8);
    const mean = (xs: { start_time_s: number; end_time_s: number }[]) => xs.reduce((s, x) => s + x.end_time_s - x.start_time_s, 0) / xs.length;
    const loud = out.scenes.filter((s) => s.energy! > 0.8);
    const quiet = out.scenes.filter((s) => s.energy! < 0.4);
    assert.ok(loud.length > 0 && quiet.length > 0);
    assert.ok(mean(loud) < mean(quiet) - 0.5, `loud scenes ${mean(loud).toFixed(2)} s vs quiet ${mean(quiet).toFixed(2)} s`);
    // and every cut is a bar start (downbeat) where one is in reach
    assert.ok(out.scenes.slice(1).every((s) => nearest(analysis().downbeats, s.start_time_s) <= 1 / FPS + 1e-9), 'instrumental cuts on bar starts');
  });

  it("an LLM-like director's off-beat cuts and guessed energies are snapped after it answers", async (t) => {
    let seen: AudioAnalysis | null | undefined;
    const offBeat: Director = {
      name: 'openrouter',
      async selectScenes(input) {
        seen = input.analysis;
        const cuts = [0, 6.1, 12.05, 17.9, 24.4, 30.8, 37.3, 43.6, 50.1, 57.7, D];
        return { scenes: cuts.slice(1).map((end, i) => ({ start_time_s: cuts[i]!, end_time_s: end, title: `s${i}`, theme: 'x', lyric_excerpt: '', energy: 0.5 })), model: 'm', costUsd: 0 };
      },
      writePrompts: async () => ({ prompts: [], model: 'm', costUsd: 0 }),
      writeMotion: async () => ({ motion_prompt: '', model: 'm', costUsd: 0, sawImage: false }),
    };
    const f = await fixture(t, offBeat);
    const out = await selectScenes(f.deps, f.project, { sceneMinS: 4, sceneMaxS: 8 }, noopStep());
    assert.equal(seen?.tempo_bpm, 120, 'the director was given the analysis');
    assertOnTheMusic(out.scenes, analysis(), 4, 8);
    assert.ok(out.scenes.some((s) => s.energy !== 0.5), 'the guessed energy was replaced');
    const stored = await f.store.list('selected_scenes', { where: { project_id: f.project.id }, order: { column: 'order_idx' } });
    assert.deepEqual(stored.map((s) => s.start_time_s), out.scenes.map((s) => s.start_time_s), 'stored as snapped');
  });

  it("with no steady beat the director's valid cut stays as it is; the energy is still the audio's", () => {
    const a = analysis({ tempo_bpm: null, beats: [], downbeats: [], meter: null, notes: [NO_BEAT_NOTE] });
    const drafts: SceneDraft[] = [0, 7.77, 15.5, 23.3, 31.1, 38.8, 46.6, 54.4].map((s, i, all) => ({ start_time_s: s, end_time_s: all[i + 1] ?? D, title: 't', theme: 'x', lyric_excerpt: '', energy: 0.5 }));
    const out = followTheMusic(drafts, { durationS: D, fps: FPS, sceneMinS: 4, sceneMaxS: 12, analysis: a, transcript: null });
    assert.deepEqual(out.scenes.map((s) => [s.start_time_s, s.end_time_s]), drafts.map((s) => [s.start_time_s, s.end_time_s]));
    assert.deepEqual(out.scenes.map((s) => s.energy), drafts.map((s) => energyBetween(a, s.start_time_s, s.end_time_s)));
    assert.ok(out.scenes.some((s) => s.energy !== 0.5));
  });
});

describe('the directors are told the music', () => {
  const a = analysis();
  it('the LLM scene prompt carries tempo, meter, labelled sections with the chorus, and energy', () => {
    const prompt = sceneSelectionPrompt({ projectName: 'p', style: null, durationS: D, transcript, sceneMinS: 4, sceneMaxS: 8, analysis: a });
    assert.match(prompt, /120 BPM, 4 beats per bar/);
    assert.match(prompt, /\[16\.23–32\.23\] B \(chorus\), energy 0\.90/);
    assert.match(prompt, /B is the chorus/);
    assert.match(prompt, /Energy every 2 s from 0 .*: 0\.30 0\.30/);
    assert.match(prompt, /same setting, palette and recurring subject/);
    assert.doesNotMatch(sceneSelectionPrompt({ projectName: 'p', style: null, durationS: D, transcript, sceneMinS: 4, sceneMaxS: 8 }), /BPM/, 'nothing without an analysis');
  });

  const scenes: Scene[] = [0, 8.23, 16.23, 24.23, 32.23, 40.23, 48.23, 56.23].map((s, i, all) => ({
    id: `s${i}`, project_id: 'p', order_idx: i, start_time_s: s, end_time_s: all[i + 1] ?? D, title: `t${i}`, theme: i % 3 === 0 ? 'city' : 'ocean',
    lyric_excerpt: i % 2 ? 'we are the fire tonight' : 'walking down the line', energy: s >= 16 && s < 32 || s >= 48 ? 0.9 : 0.3, artist_id: null, artist_role: 'none', generated_by_model: null, created_at: '', updated_at: '',
  }));

  it('the LLM prompt writer labels each scene with its section and asks for one motif per label and intensity by energy', () => {
    const prompt = promptWritingPrompt({ projectName: 'p', style: null, scenes, transcript, analysis: a }, [0, 2, 6]);
    assert.match(prompt, /^0: .*\| section: A \|/m);
    assert.match(prompt, /^2: .*\| section: B \(chorus\) \|/m);
    assert.match(prompt, /same setting, colour palette and recurring subject/);
    assert.match(prompt, /high energy → fast, energetic camera/);
  });

  it('the local director gives every scene of a section label the same setting and palette, other labels another', async () => {
    const { prompts } = await createLocalDirector().writePrompts({ projectName: 'p', style: null, scenes, transcript, analysis: a }, {});
    const byLabel = (label: 'A' | 'B') => prompts.filter((_, i) => (scenes[i]!.start_time_s >= 16 && scenes[i]!.start_time_s < 32) || scenes[i]!.start_time_s >= 48 ? label === 'B' : label === 'A');
    for (const label of ['A', 'B'] as const) {
      const group = byLabel(label);
      assert.equal(group.length, 4);
      assert.equal(new Set(group.map((p) => p.setting)).size, 1, `${label}: one setting`);
      assert.equal(new Set(group.map((p) => JSON.stringify(p.color_palette))).size, 1, `${label}: one palette`);
    }
    assert.notDeepEqual(byLabel('A')[0]!.color_palette, byLabel('B')[0]!.color_palette);
    // motion intensity follows the (audio) energy
    assert.match(prompts[2]!.motion_prompt!, /brisk, punchy/);
    assert.match(prompts[0]!.motion_prompt!, /slow, gentle/);
  });
});
