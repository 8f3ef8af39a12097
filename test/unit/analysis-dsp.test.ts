/** The DSP of the audio analysis on synthetic signals whose answer is known. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AudioAnalysisSchema, FeatureExtractor, analyzeAudio } from '../../src/core/analysis/index.ts';
import { findDownbeats } from '../../src/core/analysis/downbeats.ts';
import { energyCurve } from '../../src/core/analysis/energy.ts';
import { RealFft, hann } from '../../src/core/analysis/fft.ts';
import { segmentUnits } from '../../src/core/analysis/sections.ts';
import { fMeasure } from '../../bench/support/metrics.ts';
import { BENCH_SONGS, renderSong } from '../../bench/support/synth-songs.ts';

const SR = 22050;

function noiseGen(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
}

/** A click (5 ms noise burst with a 2 kHz tone) at each time. */
function clicks(times: readonly number[], durationS: number): Float32Array {
  const x = new Float32Array(Math.round(durationS * SR));
  const rnd = noiseGen(7);
  for (const t of times) {
    const a = Math.round(t * SR);
    for (let i = 0; i < 0.005 * SR && a + i < x.length; i++) x[a + i] = 0.6 * rnd() + 0.3 * Math.sin((2 * Math.PI * 2000 * i) / SR);
  }
  return x;
}

describe('RealFft', () => {
  it('matches a direct DFT', () => {
    const n = 256;
    const fft = new RealFft(n);
    const x = Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 5 * i) / n) + 0.25 * Math.cos((2 * Math.PI * 40 * i) / n) + 0.1);
    const out = new Float64Array(n / 2 + 1);
    fft.power(x, out);
    for (let k = 0; k <= n / 2; k++) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < n; i++) {
        re += x[i]! * Math.cos((2 * Math.PI * k * i) / n);
        im -= x[i]! * Math.sin((2 * Math.PI * k * i) / n);
      }
      assert.ok(Math.abs(re * re + im * im - out[k]!) < 1e-6 * (1 + out[k]!), `bin ${k}`);
    }
    assert.throws(() => new RealFft(100), /power of two/);
    assert.equal(hann(4)[0], 0);
  });
});

describe('FeatureExtractor', () => {
  it('gives the same features however the signal is chunked', () => {
    const x = clicks([0.5, 1, 1.5], 2);
    const whole = new FeatureExtractor(SR);
    whole.push(x);
    const a = whole.finish();
    const parts = new FeatureExtractor(SR);
    for (let i = 0; i < x.length; i += 777) parts.push(x.subarray(i, i + 777));
    const b = parts.finish();
    assert.equal(a.frames, b.frames);
    assert.equal(a.frames, Math.floor((x.length - 1) / 441) + 1);
    assert.deepEqual(a.onset, b.onset);
    assert.deepEqual(a.chroma, b.chroma);
  });

  it('puts onset peaks on an impulse train', () => {
    const times = [0.4, 0.9, 1.7, 2.2, 3.05];
    const fe = new FeatureExtractor(SR);
    fe.push(clicks(times, 3.5));
    const f = fe.finish();
    const peaks: number[] = [];
    for (let i = 1; i + 1 < f.frames; i++) if (f.onset[i]! > 5 && f.onset[i]! >= f.onset[i - 1]! && f.onset[i]! > f.onset[i + 1]!) peaks.push(i / f.frameRate);
    assert.equal(peaks.length, times.length, `peaks at ${peaks.join(', ')}`);
    peaks.forEach((p, i) => assert.ok(Math.abs(p - times[i]!) <= 0.045, `peak ${p} near ${times[i]}`));
  });

  it('hears C, E and G in a C major chord', () => {
    const x = new Float32Array(SR * 2);
    for (const hz of [261.63, 329.63, 392.0, 130.81]) for (let i = 0; i < x.length; i++) x[i] = x[i]! + 0.2 * Math.sin((2 * Math.PI * hz * i) / SR);
    const fe = new FeatureExtractor(SR);
    fe.push(x);
    const f = fe.finish();
    const sum = new Float64Array(12);
    for (let r = 10; r < f.frames - 10; r++) for (let c = 0; c < 12; c++) sum[c] = sum[c]! + f.chroma[r * 12 + c]!;
    const top = [...sum.keys()].sort((a, b) => sum[b]! - sum[a]!).slice(0, 3).sort((a, b) => a - b);
    assert.deepEqual(top, [0, 4, 7]);
    const others = [...sum.keys()].filter((c) => ![0, 4, 7].includes(c)).map((c) => sum[c]!);
    assert.ok(Math.max(...others) < 0.1 * sum[0]!, 'other pitch classes stay small');
  });
});

describe('tempo and beats', () => {
  it('tracks a click track at 132 BPM: tempo, beats, no NaN', () => {
    const beats: number[] = [];
    for (let t = 0.3; t < 20; t += 60 / 132) beats.push(t);
    const a = analyzeAudio(clicks(beats, 20.5), { sampleRate: SR, sha256: 'c' });
    assert.ok(a.tempo_bpm !== null && Math.abs(a.tempo_bpm - 132) < 1, `tempo ${a.tempo_bpm}`);
    assert.ok(fMeasure(a.beats, beats).f >= 0.95, `beat F ${fMeasure(a.beats, beats).f}`);
  });

  it('finds the beats, bars and sections of a short synthesised song', () => {
    const spec = BENCH_SONGS.find((s) => s.id === 'steady-145')!;
    const { samples, truth } = renderSong(spec, SR);
    const a = analyzeAudio(samples, { sampleRate: SR, durationS: truth.durationS, sha256: 's' });
    assert.ok(Math.abs(a.tempo_bpm! - 145) < 1.5, `tempo ${a.tempo_bpm}`);
    assert.ok(fMeasure(a.beats, truth.beats).f >= 0.9);
    assert.ok(fMeasure(a.downbeats, truth.downbeats).f >= 0.7);
    assert.equal(a.meter, 4);
    assert.deepEqual(a.sections.map((s) => s.label), ['A', 'B', 'A', 'B']);
    assert.equal(a.chorus_label, 'B');
    AudioAnalysisSchema.parse(a);
  });

  it('places downbeats where the chords change, every fourth beat', () => {
    // beats every 0.5 s; chord changes (C → F → G → Am) every 4 beats starting at beat 2
    const fr = 50;
    const beats = Array.from({ length: 32 }, (_, i) => (i * 0.5 + 0.1) * fr);
    const frames = Math.ceil(16.5 * fr);
    const chroma = new Float32Array(frames * 12);
    const chords = [[0, 4, 7], [5, 9, 0], [7, 11, 2], [9, 0, 4]];
    for (let r = 0; r < frames; r++) {
      const beat = Math.floor((r / fr - 0.1) / 0.5);
      const bar = Math.floor((beat - 2) / 4);
      for (const pc of chords[((bar % 4) + 4) % 4]!) chroma[r * 12 + pc] = 1;
    }
    const f = { sampleRate: 22050, frameRate: fr, frames, samples: frames * 441, onset: new Float32Array(frames), onsetLow: new Float32Array(frames), onsetMid: new Float32Array(frames), rms: new Float32Array(frames).fill(0.1), chroma, mfcc: new Float32Array(frames * 12), waveform: new Float32Array(0) };
    const db = findDownbeats(beats, f);
    assert.equal(db.meter, 4);
    assert.deepEqual(db.indices.slice(0, 4), [2, 6, 10, 14]);
  });
});

describe('sections', () => {
  it('segmentUnits puts a boundary at a known change and none in steady material', () => {
    const rnd = noiseGen(3);
    const vec = (base: number): Float64Array => Float64Array.from({ length: 8 }, (_, d) => (d === 0 ? base : 0) + 0.1 * rnd());
    const units = [...Array.from({ length: 12 }, () => vec(0)), ...Array.from({ length: 10 }, () => vec(2))];
    assert.deepEqual(segmentUnits(units).cuts, [12]);
    assert.deepEqual(segmentUnits(Array.from({ length: 24 }, () => vec(0))).cuts, []);
  });
});

describe('energy', () => {
  it('is 0 for silence, 1 for the loud part, in between for a quiet part', () => {
    const rms = new Float32Array(50 * 30);
    for (let i = 0; i < rms.length; i++) rms[i] = i < 500 ? 0 : i < 1000 ? 0.02 : 0.3;
    const e = energyCurve(rms, 50, 30);
    assert.equal(e.length, 60);
    assert.equal(e[2], 0);
    assert.equal(e[58], 1);
    assert.ok(e[30]! > 0.05 && e[30]! < 0.9, `quiet part ${e[30]}`);
    assert.ok(e.every((v) => v >= 0 && v <= 1 && Number.isFinite(v)));
  });
});

describe('queries', () => {
  it('energy of a span, the section at a time and the main section of a scene', async () => {
    const { energyBetween, mainSection, sectionAt } = await import('../../src/core/analysis/index.ts');
    const a = {
      energy: { hop_s: 0.5, values: [0, 0, 1, 1, 0.5, 0.5] },
      sections: [
        { start_s: 0, end_s: 1, label: 'A', energy: 0 },
        { start_s: 1, end_s: 3, label: 'B', energy: 0.75 },
      ],
    };
    assert.equal(energyBetween(a, 1, 2), 1);
    assert.equal(energyBetween(a, 0, 3), 0.5);
    assert.equal(sectionAt(a, 0.5)!.label, 'A');
    assert.equal(sectionAt(a, 9)!.label, 'B');
    assert.equal(mainSection(a, 0.6, 2.5)!.label, 'B');
  });
});
