/**
 * The audio analysis: chunks of mono PCM in, an AudioAnalysis out.
 *
 *   const analyser = new AudioAnalyser({ sampleRate: 22050, durationS, sha256 });
 *   for await (const chunk of decodePcm(ffmpeg, file)) analyser.push(chunk);
 *   const analysis = analyser.finish();
 *
 * or `await analyzeAudio(decodePcm(ffmpeg, file), opts)`. Only frame features are kept while the
 * song streams (~110 bytes per 20 ms); everything else runs once at the end. Whatever the input —
 * silence, noise, a 2-second clip, half an hour — the result passes AudioAnalysisSchema: no NaN,
 * sections covering [0, duration], and notes saying what could not be found.
 */
import { findDownbeats } from './downbeats.ts';
import { ENERGY_HOP_S, energyCurve, meanEnergy } from './energy.ts';
import { FeatureExtractor, WAVEFORM_HOP_S } from './features.ts';
import type { FrameFeatures } from './features.ts';
import { AudioAnalysisSchema } from './model.ts';
import type { AudioAnalysis } from './model.ts';
import { MIN_BEAT_SALIENCE, MIN_BEAT_STRENGTH, findRhythm } from './rhythm.ts';
import { findSections } from './sections.ts';
import { median, ms } from './stats.ts';

/** Bump when results change, so stored analyses are redone. */
export const ANALYSIS_VERSION = 1;
/** Shortest song a tempo is looked for in. */
const MIN_TEMPO_S = 6;
/** At most this many waveform values are kept (a 30-minute song gets a coarser envelope). */
const MAX_WAVEFORM_VALUES = 4000;
export const NO_BEAT_NOTE = 'no steady beat found; cuts fall on an even grid';

export interface AnalyzeOptions {
  /** sample rate of the PCM pushed (22050 from decodePcm) */
  sampleRate: number;
  /** the song's duration (ffprobe); the PCM's own length is used when missing or wrong */
  durationS?: number;
  /** sha256 of the song file, stored with the analysis */
  sha256: string;
}

export class AudioAnalyser {
  readonly #opts: AnalyzeOptions;
  readonly #features: FeatureExtractor;
  #result: AudioAnalysis | null = null;

  constructor(opts: AnalyzeOptions) {
    this.#opts = opts;
    this.#features = new FeatureExtractor(opts.sampleRate);
  }

  push(chunk: ArrayLike<number>): void {
    if (this.#result) throw new Error('AudioAnalyser: push after finish');
    this.#features.push(chunk);
  }

  finish(): AudioAnalysis {
    this.#result ??= analyseFeatures(this.#features.finish(), this.#opts);
    return this.#result;
  }
}

type Source = ArrayLike<number> | Iterable<ArrayLike<number>>;

function isAsync(x: unknown): x is AsyncIterable<ArrayLike<number>> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

/** Analyses PCM given whole, as chunks, or as an async stream of chunks (then returns a Promise). */
export function analyzeAudio(source: AsyncIterable<ArrayLike<number>>, opts: AnalyzeOptions): Promise<AudioAnalysis>;
export function analyzeAudio(source: Source, opts: AnalyzeOptions): AudioAnalysis;
export function analyzeAudio(source: Source | AsyncIterable<ArrayLike<number>>, opts: AnalyzeOptions): AudioAnalysis | Promise<AudioAnalysis> {
  const analyser = new AudioAnalyser(opts);
  if (isAsync(source)) {
    return (async () => {
      for await (const chunk of source) analyser.push(chunk);
      return analyser.finish();
    })();
  }
  if (ArrayBuffer.isView(source) || Array.isArray(source) && typeof source[0] !== 'object' || !(Symbol.iterator in Object(source))) {
    analyser.push(source as ArrayLike<number>);
  } else {
    for (const chunk of source as Iterable<ArrayLike<number>>) analyser.push(chunk);
  }
  return analyser.finish();
}

/** Frames with sound within a quarter second (a click track is "active" between its clicks). */
function activeFrames(f: FrameFeatures): boolean[] {
  let peak = 0;
  for (let i = 0; i < f.frames; i++) peak = Math.max(peak, f.rms[i]!);
  const floor = Math.max(10 ** (-70 / 20), peak * 10 ** (-50 / 20));
  const reach = Math.max(1, Math.round(0.25 * f.frameRate));
  const active: boolean[] = new Array(f.frames).fill(false);
  let last = -Infinity;
  for (let i = 0; i < f.frames; i++) {
    if (f.rms[i]! > floor) {
      for (let k = Math.max(0, i - reach, last + reach + 1); k <= i; k++) active[k] = true;
      last = i;
    }
    if (i - last <= reach) active[i] = true;
  }
  return active;
}

function waveformOf(f: FrameFeatures): { hop_s: number; values: number[] } {
  const raw = f.waveform;
  const factor = Math.max(1, Math.ceil(raw.length / MAX_WAVEFORM_VALUES));
  const values: number[] = [];
  for (let i = 0; i < raw.length; i += factor) {
    let p = 0;
    for (let k = i; k < Math.min(raw.length, i + factor); k++) p = Math.max(p, raw[k]!);
    values.push(Math.round(p * 1000) / 1000);
  }
  return { hop_s: WAVEFORM_HOP_S * factor, values };
}

export function analyseFeatures(f: FrameFeatures, opts: AnalyzeOptions): AudioAnalysis {
  const pcmDuration = f.samples / f.sampleRate;
  const given = opts.durationS;
  const durationS = given !== undefined && Number.isFinite(given) && given > 0 ? given : pcmDuration;
  const notes: string[] = [];
  const energyValues = energyCurve(f.rms, f.frameRate, durationS);
  const silent = energyValues.every((v) => v === 0);
  const active = activeFrames(f);

  let beats: number[] = [];
  let downbeats: number[] = [];
  let tempo: number | null = null;
  let meter: number | null = null;
  if (silent) {
    notes.push('the song is silent');
  } else if (pcmDuration < MIN_TEMPO_S) {
    notes.push(`the song is shorter than ${MIN_TEMPO_S} s: too short to find a tempo; cuts fall on an even grid`);
  } else {
    const rhythm = findRhythm(f.onset, f.onsetMid, f.onsetLow, active, f.frameRate);
    const inSong = rhythm.beats.filter((t) => t >= 0 && t < durationS);
    if (rhythm.strength < MIN_BEAT_STRENGTH || inSong.length < 8 || rhythm.salience < MIN_BEAT_SALIENCE) {
      notes.push(NO_BEAT_NOTE);
    } else {
      beats = inSong.map(ms);
      tempo = Math.round(tempoOf(beats, rhythm.varies) * 10) / 10;
      if (rhythm.varies) {
        const lo = Math.min(...slidingTempo(beats));
        const hi = Math.max(...slidingTempo(beats));
        if (hi / lo > 1.04) notes.push(`the tempo changes: between ${Math.round(lo)} and ${Math.round(hi)} BPM`);
      }
      const frames = beats.map((t) => t * f.frameRate);
      const db = findDownbeats(frames, f);
      meter = db.meter;
      downbeats = db.indices.map((i) => beats[i]!);
      if (meter === null) notes.push('the meter is unclear: no bar starts given');
    }
  }

  const energyOf = (a: number, b: number): number => meanEnergy(energyValues, ENERGY_HOP_S, a, b);
  const cut = silent
    ? { bounds: [0, durationS], labels: ['A'], chorusLabel: null }
    : findSections(durationS, downbeats.length >= 4 ? downbeats : everyNth(beats, 4), f, energyOf, musicSpan(beats, active, f.frameRate, durationS));
  const sections = cut.labels.map((label, i) => ({
    start_s: ms(cut.bounds[i]!),
    end_s: i === cut.labels.length - 1 ? durationS : ms(cut.bounds[i + 1]!),
    label,
    energy: Math.round(energyOf(cut.bounds[i]!, cut.bounds[i + 1]!) * 1000) / 1000,
  }));
  if (cut.chorusLabel === null && !silent) notes.push('no section repeats: no chorus named');

  const analysis: AudioAnalysis = {
    version: ANALYSIS_VERSION,
    audio_sha256: opts.sha256,
    duration_s: durationS,
    tempo_bpm: tempo,
    beats,
    downbeats,
    meter,
    sections,
    chorus_label: cut.chorusLabel,
    energy: { hop_s: ENERGY_HOP_S, values: energyValues },
    vocal_activity: silent ? [] : null,
    waveform: waveformOf(f),
    notes,
  };
  return AudioAnalysisSchema.parse(analysis);
}

/** Where the music starts and ends: the beats when there are any, else the first/last sound. */
function musicSpan(beats: readonly number[], active: readonly boolean[], frameRate: number, durationS: number): { startS: number; endS: number } {
  if (beats.length >= 2) {
    const period = (beats[beats.length - 1]! - beats[0]!) / (beats.length - 1);
    return { startS: beats[0]!, endS: Math.min(durationS, beats[beats.length - 1]! + period) };
  }
  const firstOn = active.indexOf(true);
  const lastOn = active.lastIndexOf(true);
  if (firstOn < 0) return { startS: 0, endS: durationS };
  return { startS: firstOn / frameRate, endS: Math.min(durationS, (lastOn + 1) / frameRate) };
}

function everyNth(xs: readonly number[], n: number): number[] {
  return xs.filter((_, i) => i % n === 0);
}

/** BPM of a beat list: the least-squares beat period when steady, else the median of 8-beat windows. */
function tempoOf(beats: readonly number[], varies: boolean): number {
  if (varies) return median(slidingTempo(beats));
  const n = beats.length;
  const mi = (n - 1) / 2;
  const mt = beats.reduce((s, t) => s + t, 0) / n;
  let num = 0;
  let den = 0;
  beats.forEach((t, i) => {
    num += (i - mi) * (t - mt);
    den += (i - mi) ** 2;
  });
  const period = den > 0 ? num / den : 0;
  return period > 0 ? 60 / period : median(slidingTempo(beats));
}

/** Tempo over 8-beat windows (for the tempo-change note). */
function slidingTempo(beats: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 8 < beats.length; i += 4) out.push((60 * 8) / (beats[i + 8]! - beats[i]!));
  return out.length ? out : [60 / Math.max(1e-6, (beats[beats.length - 1]! - beats[0]!) / Math.max(1, beats.length - 1))];
}
