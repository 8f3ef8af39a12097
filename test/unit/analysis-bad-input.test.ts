/** Whatever the audio, the analysis is a valid AudioAnalysis with no NaN and says what it could not find. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AudioAnalyser, AudioAnalysisSchema, NO_BEAT_NOTE, analyzeAudio } from '../../src/core/analysis/index.ts';
import type { AudioAnalysis } from '../../src/core/analysis/index.ts';

const SR = 22050;

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
}

/** Valid by the schema, every number finite, sections covering [0, duration] without gaps. */
function assertSound(a: AudioAnalysis, durationS: number): void {
  AudioAnalysisSchema.parse(a);
  const walk = (v: unknown): void => {
    if (typeof v === 'number') assert.ok(Number.isFinite(v), 'finite number');
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(a);
  assert.equal(a.duration_s, durationS);
  assert.equal(a.sections[0]!.start_s, 0);
  assert.equal(a.sections[a.sections.length - 1]!.end_s, durationS);
  for (let i = 1; i < a.sections.length; i++) assert.equal(a.sections[i]!.start_s, a.sections[i - 1]!.end_s);
  for (let i = 1; i < a.beats.length; i++) assert.ok(a.beats[i]! > a.beats[i - 1]!, 'beats ascend');
  assert.ok(a.beats.every((t) => t >= 0 && t < durationS));
  assert.ok(a.downbeats.every((t) => a.beats.includes(t)), 'downbeats are beats');
}

describe('analysis of bad input', () => {
  it('silence: no tempo, one section, energy 0, no singing', () => {
    const a = analyzeAudio(new Float32Array(SR * 12), { sampleRate: SR, durationS: 12, sha256: 'z' });
    assertSound(a, 12);
    assert.equal(a.tempo_bpm, null);
    assert.deepEqual(a.beats, []);
    assert.deepEqual(a.sections.map((s) => s.label), ['A']);
    assert.ok(a.energy.values.every((v) => v === 0));
    assert.deepEqual(a.vocal_activity, []);
    assert.deepEqual(a.notes, ['the song is silent']);
  });

  it('white noise: no steady beat, cuts on an even grid', () => {
    const r = rng(5);
    const x = Float32Array.from({ length: SR * 20 }, () => r() * 0.6);
    const a = analyzeAudio(x, { sampleRate: SR, durationS: 20, sha256: 'n' });
    assertSound(a, 20);
    assert.equal(a.tempo_bpm, null);
    assert.deepEqual(a.beats, []);
    assert.ok(a.notes.includes(NO_BEAT_NOTE));
  });

  it('a held chord (no onsets at all) has no beat', () => {
    const x = Float32Array.from({ length: SR * 15 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / SR) + 0.2 * Math.sin((2 * Math.PI * 277.2 * i) / SR));
    const a = analyzeAudio(x, { sampleRate: SR, durationS: 15, sha256: 'd' });
    assertSound(a, 15);
    assert.equal(a.tempo_bpm, null);
    assert.equal(a.sections.length, 1);
  });

  it('a 2-second clip: too short for a tempo, still a result', () => {
    const x = Float32Array.from({ length: SR * 2 }, (_, i) => ((i % 11025) < 300 ? 0.8 : 0.05) * Math.sin(i * 0.2));
    const a = analyzeAudio(x, { sampleRate: SR, durationS: 2, sha256: 's' });
    assertSound(a, 2);
    assert.equal(a.tempo_bpm, null);
    assert.match(a.notes.join(' '), /too short/);
  });

  it('empty input, NaN and huge samples, and a wrong duration', () => {
    const empty = analyzeAudio(new Float32Array(0), { sampleRate: SR, sha256: 'e' });
    AudioAnalysisSchema.parse(empty);
    assert.equal(empty.duration_s, 0);
    const bad = Float32Array.from({ length: SR * 8 }, (_, i) => (i % 5000 === 0 ? NaN : i % 7000 === 0 ? Infinity : i % 3000 === 0 ? 1e9 : Math.sin(i)));
    assertSound(analyzeAudio(bad, { sampleRate: SR, durationS: 8, sha256: 'b' }), 8);
    // ffprobe said 10 s but the PCM holds 8: sections still cover the stated 10
    assertSound(analyzeAudio(bad, { sampleRate: SR, durationS: 10, sha256: 'b' }), 10);
    // no usable duration: the PCM's own length
    assert.equal(analyzeAudio(bad, { sampleRate: SR, durationS: NaN, sha256: 'b' }).duration_s, 8);
  });

  it('a 30-minute click track streams through in bounded memory and keeps its beat', () => {
    // low sample rate keeps the test fast; the code path is the same
    const sr = 4000;
    const analyser = new AudioAnalyser({ sampleRate: sr, durationS: 1800, sha256: 'long' });
    const r = rng(9);
    const period = Math.round(sr * 0.5); // 120 BPM
    const chunk = new Float32Array(sr * 10);
    for (let c = 0; c < 180; c++) {
      for (let i = 0; i < chunk.length; i++) {
        const n = c * chunk.length + i;
        chunk[i] = n % period < 60 ? r() * (n % (period * 4) < 60 ? 1 : 0.6) : 0.002 * r();
      }
      analyser.push(chunk);
    }
    const a = analyser.finish();
    assertSound(a, 1800);
    assert.ok(a.tempo_bpm !== null && Math.abs(a.tempo_bpm - 120) < 1, `tempo ${a.tempo_bpm}`);
    assert.ok(Math.abs(a.beats.length - 3600) < 20, `${a.beats.length} beats`);
    assert.ok((a.waveform?.values.length ?? 0) <= 4000, 'the waveform stays small');
    assert.equal(a.energy.values.length, 3600);
    assert.throws(() => analyser.push(chunk), /after finish/);
  });

  it('rejects an impossible sample rate', () => {
    assert.throws(() => new AudioAnalyser({ sampleRate: 10, sha256: 'x' }), /sample rate/);
  });
});
