/**
 * Songs with known beats, bars and sections, for measuring the audio analysis (bench/analysis.ts)
 * and for tests: a small arranger and additive/wavetable synthesiser in plain TypeScript. A song is
 * a list of sections (bars, tempo, chords per bar, which instruments play, how loud); each bar is
 * played by kick/snare/hi-hats, a bass line, a chord pad, an arpeggio and a vocal-like lead
 * (formant-shaped harmonics with vibrato), through a small Schroeder reverb. Sections with the same
 * name are the same music (same chords, same drum pattern, same melody), so the ground truth for
 * labels is the section name.
 */

/** full: kick, snare, eighth hats; light: kick, snare, quarter hats; hats: hats only */
export type Drums = 'full' | 'light' | 'hats' | 'none';

export interface SectionSpec {
  name: string;
  bars: number;
  bpm: number;
  /** chord names per bar, cycled: C, Am, F#m, Bb, G7 is not supported (triads only) */
  chords: string[];
  drums: Drums;
  bass: boolean;
  arp: boolean;
  pad: boolean;
  /** melody seed name: sections sharing it sing the same tune; null = no lead */
  lead: string | null;
  /** overall level of the section, 0 = silence */
  gain: number;
  /** the lead an octave up (choruses often lift) */
  leadUp?: boolean;
  /** a crash cymbal on the section's first beat */
  crash?: boolean;
  /** kick positions in beats (default 1 and 3, plus the and-of-3 every other bar) */
  kicks?: number[];
}

export interface SongSpec {
  id: string;
  what: string;
  sections: SectionSpec[];
  /** position of the off-beat eighth within the beat: 0.5 straight, 0.62–0.67 swung */
  swing?: number;
  /** bar-to-bar tempo wander (a band without a click): each bar's tempo × (1 ± drift) */
  drift?: number;
  /** timing spread of every note and drum hit (± ms) */
  jitterMs?: number;
  seed?: number;
}

export interface SongTruth {
  durationS: number;
  beats: number[];
  downbeats: number[];
  /** section starts except the first (the boundaries to find) */
  boundaries: number[];
  sections: { name: string; start: number; end: number }[];
  /** spans where the lead sings */
  vocals: { start: number; end: number }[];
}

const PC: Record<string, number> = { C: 0, 'C#': 1, Db: 1, D: 2, 'D#': 3, Eb: 3, E: 4, F: 5, 'F#': 6, Gb: 6, G: 7, 'G#': 8, Ab: 8, A: 9, 'A#': 10, Bb: 10, B: 11 };

function parseChord(name: string): { root: number; minor: boolean } {
  const m = /^([A-G](?:#|b)?)(m?)$/.exec(name);
  if (!m) throw new Error(`unsupported chord ${name}`);
  return { root: PC[m[1]!]!, minor: m[2] === 'm' };
}

const midiHz = (m: number): number => 440 * 2 ** ((m - 69) / 12);

/** mulberry32: a small seeded PRNG */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashName(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const TABLE = 2048;

/** One period of a waveform with harmonic amplitudes `amps` (amps[0] = fundamental). */
function table(amps: readonly number[]): Float32Array {
  const t = new Float32Array(TABLE + 1);
  let peak = 0;
  for (let i = 0; i <= TABLE; i++) {
    let v = 0;
    for (let k = 0; k < amps.length; k++) v += amps[k]! * Math.sin((2 * Math.PI * (k + 1) * i) / TABLE);
    t[i] = v;
    peak = Math.max(peak, Math.abs(v));
  }
  for (let i = 0; i <= TABLE; i++) t[i] = t[i]! / (peak || 1);
  return t;
}

const PAD = table([1, 0.45, 0.25, 0.12, 0.06]);
const BASS = table([1, 0.6, 0.35, 0.2, 0.1, 0.05]);
const PLUCK = table([1, 0.5, 0.3, 0.15]);

/** A vowel-like spectrum: harmonics of f0 shaped by formants at 700, 1150 and 2600 Hz. */
function vowelTable(f0: number): Float32Array {
  const amps: number[] = [];
  for (let k = 1; k * f0 < 5000 && k <= 24; k++) {
    const f = k * f0;
    const formant = Math.exp(-(((f - 700) / 180) ** 2)) + 0.7 * Math.exp(-(((f - 1150) / 200) ** 2)) + 0.25 * Math.exp(-(((f - 2600) / 300) ** 2));
    amps.push((0.15 + formant) / Math.sqrt(k));
  }
  return table(amps);
}

class Mixer {
  readonly out: Float32Array;
  readonly send: Float32Array;
  readonly sr: number;
  readonly noise: () => number;
  constructor(samples: number, sr: number, seed: number) {
    this.out = new Float32Array(samples);
    this.send = new Float32Array(samples);
    this.sr = sr;
    this.noise = rng(seed ^ 0x9e3779b9);
  }

  /** Wavetable note with an ADSR-ish envelope and optional vibrato. */
  tone(tab: Float32Array, t0: number, dur: number, hz: number, amp: number, o: { attack?: number; decay?: number; sustain?: number; release?: number; vibrato?: number; reverb?: number; detune?: number } = {}): void {
    const sr = this.sr;
    const attack = o.attack ?? 0.01;
    const release = o.release ?? 0.08;
    const decay = o.decay ?? 0.2;
    const sustain = o.sustain ?? 0.7;
    const start = Math.max(0, Math.round(t0 * sr));
    const end = Math.min(this.out.length, Math.round((t0 + dur + release) * sr));
    let phase = 0;
    let phase2 = 0.25;
    const det = o.detune ?? 0;
    for (let i = start; i < end; i++) {
      const t = (i - start) / sr;
      let env: number;
      if (t < attack) env = t / attack;
      else if (t < attack + decay) env = 1 - ((1 - sustain) * (t - attack)) / decay;
      else env = sustain;
      if (t > dur) env *= Math.max(0, 1 - (t - dur) / release);
      let f = hz;
      if (o.vibrato && t > 0.12) f *= 2 ** ((o.vibrato * Math.sin(2 * Math.PI * 5.5 * t) * Math.min(1, (t - 0.12) / 0.2)) / 12);
      phase += (f / sr) * TABLE;
      if (phase >= TABLE) phase -= TABLE;
      const k = Math.floor(phase);
      let v = tab[k]! + (tab[k + 1]! - tab[k]!) * (phase - k);
      if (det) {
        phase2 += ((f * (1 + det)) / sr) * TABLE;
        if (phase2 >= TABLE) phase2 -= TABLE;
        const k2 = Math.floor(phase2);
        v = 0.5 * v + 0.5 * (tab[k2]! + (tab[k2 + 1]! - tab[k2]!) * (phase2 - k2));
      }
      const s = v * env * amp;
      this.out[i] = this.out[i]! + s;
      if (o.reverb) this.send[i] = this.send[i]! + s * o.reverb;
    }
  }

  kick(t0: number, amp: number): void {
    const sr = this.sr;
    const start = Math.max(0, Math.round(t0 * sr));
    const end = Math.min(this.out.length, start + Math.round(0.45 * sr));
    let phase = 0;
    for (let i = start; i < end; i++) {
      const t = (i - start) / sr;
      const f = 48 + 120 * Math.exp(-t / 0.035);
      phase += (2 * Math.PI * f) / sr;
      const click = t < 0.004 ? (this.noise() * 2 - 1) * 0.3 * (1 - t / 0.004) : 0;
      this.out[i] = this.out[i]! + amp * (Math.sin(phase) * Math.exp(-t / 0.22) + click);
    }
  }

  snare(t0: number, amp: number): void {
    const sr = this.sr;
    const start = Math.max(0, Math.round(t0 * sr));
    const end = Math.min(this.out.length, start + Math.round(0.3 * sr));
    let prev = 0;
    let phase = 0;
    for (let i = start; i < end; i++) {
      const t = (i - start) / sr;
      const n = this.noise() * 2 - 1;
      const hp = n - prev;
      prev = n;
      phase += (2 * Math.PI * 185) / sr;
      const s = amp * (0.55 * hp * Math.exp(-t / 0.07) + 0.5 * Math.sin(phase) * Math.exp(-t / 0.045));
      this.out[i] = this.out[i]! + s;
      this.send[i] = this.send[i]! + 0.3 * s;
    }
  }

  hat(t0: number, amp: number, open: boolean): void {
    const sr = this.sr;
    const start = Math.max(0, Math.round(t0 * sr));
    const decay = open ? 0.12 : 0.025;
    const end = Math.min(this.out.length, start + Math.round(decay * 6 * sr));
    let p1 = 0;
    let p2 = 0;
    for (let i = start; i < end; i++) {
      const t = (i - start) / sr;
      const n = this.noise() * 2 - 1;
      const h1 = n - p1;
      p1 = n;
      const h2 = h1 - p2;
      p2 = h1;
      this.out[i] = this.out[i]! + amp * 0.35 * h2 * Math.exp(-t / decay);
    }
  }

  crash(t0: number, amp: number): void {
    const sr = this.sr;
    const start = Math.max(0, Math.round(t0 * sr));
    const end = Math.min(this.out.length, start + Math.round(1.6 * sr));
    let p = 0;
    for (let i = start; i < end; i++) {
      const t = (i - start) / sr;
      const n = this.noise() * 2 - 1;
      const h = n - p;
      p = n;
      const v = amp * 0.3 * h * Math.exp(-t / 0.5);
      this.out[i] = this.out[i]! + v;
      this.send[i] = this.send[i]! + 0.3 * v;
    }
  }

  /** Schroeder reverb of the send bus added to the output. */
  reverb(mix: number): void {
    const sr = this.sr;
    const combs = [0.0297, 0.0371, 0.0411, 0.0437].map((d) => ({ buf: new Float32Array(Math.round(d * sr)), pos: 0, fb: 0.78 }));
    const alls = [0.005, 0.0017].map((d) => ({ buf: new Float32Array(Math.round(d * sr)), pos: 0 }));
    for (let i = 0; i < this.out.length; i++) {
      const x = this.send[i]!;
      let y = 0;
      for (const c of combs) {
        const d = c.buf[c.pos]!;
        c.buf[c.pos] = x + d * c.fb;
        c.pos = (c.pos + 1) % c.buf.length;
        y += d;
      }
      y /= combs.length;
      for (const a of alls) {
        const d = a.buf[a.pos]!;
        const v = y + d * 0.5;
        a.buf[a.pos] = v;
        a.pos = (a.pos + 1) % a.buf.length;
        y = d - 0.5 * v;
      }
      this.out[i] = this.out[i]! + mix * y;
    }
  }
}

interface MelodyNote {
  /** beat offset in the 2-bar phrase */
  at: number;
  len: number;
  /** chord-tone degree: 0 root, 1 third, 2 fifth, 3 octave, 4 ninth-ish */
  degree: number;
}

/** A 2-bar phrase from the melody seed: same seed, same tune. */
function phrase(seedName: string): MelodyNote[] {
  const r = rng(hashName(seedName));
  const notes: MelodyNote[] = [];
  let at = r() < 0.5 ? 0 : 0.5;
  while (at < 6.5) {
    const len = [0.5, 1, 1, 1.5, 2][Math.floor(r() * 5)]!;
    notes.push({ at, len: Math.min(len, 7 - at) * 0.92, degree: Math.floor(r() * 5) });
    at += len;
    if (r() < 0.2) at += 0.5;
  }
  return notes; // the phrase rests for its last beat: a breath
}

/** Renders a song and its ground truth. */
export function renderSong(spec: SongSpec, sampleRate = 44100, opts: { audio?: boolean } = {}): { samples: Float32Array; truth: SongTruth } {
  const swing = spec.swing ?? 0.5;
  // timeline: bar start times
  const bars: { t: number; beat: number; sec: SectionSpec; index: number; barInSection: number }[] = [];
  let t = 0;
  const sections: SongTruth['sections'] = [];
  for (const sec of spec.sections) {
    const start = t;
    for (let b = 0; b < sec.bars; b++) {
      const wander = 1 + (spec.drift ?? 0) * Math.sin((2 * Math.PI * bars.length) / 11) * Math.cos((2 * Math.PI * bars.length) / 29);
      const beat = 60 / sec.bpm / wander;
      bars.push({ t, beat, sec, index: bars.length, barInSection: b });
      t += 4 * beat;
    }
    sections.push({ name: sec.name, start, end: t });
  }
  const tail = 1.5;
  const durationS = t + tail;
  const mixer = new Mixer(opts.audio === false ? 0 : Math.ceil(durationS * sampleRate), sampleRate, spec.seed ?? 7);
  const human = rng((spec.seed ?? 7) * 31 + 1);
  const spreadS = (spec.jitterMs ?? 3) / 1000;
  const jitter = (): number => (human() - 0.5) * 2 * spreadS;
  const vel = (): number => 0.9 + human() * 0.2;
  const beats: number[] = [];
  const downbeats: number[] = [];
  const vocals: SongTruth['vocals'] = [];
  for (const bar of bars) {
    const { sec, beat } = bar;
    const g = sec.gain;
    const chord = parseChord(sec.chords[bar.barInSection % sec.chords.length]!);
    const third = chord.minor ? 3 : 4;
    if (g > 0) {
      for (let k = 0; k < 4; k++) beats.push(bar.t + k * beat);
      downbeats.push(bar.t);
    }
    if (g <= 0) continue;
    const at = (b: number): number => bar.t + b * beat;
    // drums
    if (sec.crash && bar.barInSection === 0) mixer.crash(at(0), 0.5 * g);
    if (sec.drums === 'full' || sec.drums === 'light') {
      const kicks = sec.kicks ?? (bar.barInSection % 2 === 1 ? [0, 2, 2 + swing] : [0, 2]);
      for (const b of kicks) mixer.kick(at(b) + jitter(), 0.9 * g * vel());
      for (const b of [1, 3]) mixer.snare(at(b) + jitter(), 0.75 * g * vel());
    }
    if (sec.drums !== 'none') {
      for (let k = 0; k < 4; k++) {
        mixer.hat(at(k) + jitter(), 0.5 * g * vel(), false);
        if (sec.drums === 'light') continue;
        const open = k === 3 && bar.barInSection % 4 === 3;
        mixer.hat(at(k + swing) + jitter(), 0.32 * g * vel(), open);
      }
    }
    // bass: root on 1, 2+, 3, 4 (octave 2), a fifth on 4+ every other bar
    const bassRoot = 36 + chord.root;
    if (sec.bass) {
      const pattern: [number, number, number][] = [
        [0, 0.9, 0],
        [1 + swing, 0.45, 0],
        [2, 0.9, 0],
        [3, 0.45, 12],
      ];
      if (bar.barInSection % 2 === 1) pattern.push([3 + swing, 0.4, 7]);
      for (const [b, len, iv] of pattern) mixer.tone(BASS, at(b) + jitter(), len * beat, midiHz(bassRoot + iv), 0.42 * g, { attack: 0.005, decay: 0.15, sustain: 0.5, release: 0.05 });
    }
    // pad: the triad around middle C, the whole bar
    const padNotes = [60 + chord.root, 60 + chord.root + third, 60 + chord.root + 7].map((m) => (m > 71 ? m - 12 : m));
    if (sec.pad) {
      for (const m of padNotes) mixer.tone(PAD, bar.t, 4 * beat - 0.05, midiHz(m), 0.075 * g, { attack: 0.06, decay: 0.4, sustain: 0.8, release: 0.25, reverb: 0.5, detune: 0.003 });
    }
    // arpeggio: eighths over chord tones an octave up
    if (sec.arp) {
      const tones = [0, third, 7, 12];
      for (let e = 0; e < 8; e++) {
        const b = Math.floor(e / 2) + (e % 2 ? swing : 0);
        mixer.tone(PLUCK, at(b) + jitter(), 0.4 * beat, midiHz(72 + chord.root + tones[e % 4]!), 0.1 * g * vel(), { attack: 0.003, decay: 0.12, sustain: 0.2, release: 0.06, reverb: 0.35 });
      }
    }
    // lead: a 2-bar phrase; the same seed sings the same tune
    if (sec.lead) {
      const notes = phrase(`${sec.lead}:${bar.barInSection % 4 < 2 ? 'a' : 'b'}`);
      const half = bar.barInSection % 2;
      const degrees = [0, third, 7, 12, 14];
      for (const n of notes) {
        if (Math.floor(n.at / 4) !== half) continue;
        const b = n.at - half * 4;
        // the chord tone in the octave from G#3 to G4, the upper degrees an octave up
        const m = 60 + (((chord.root + degrees[n.degree]!) % 12) + 8) % 12 - 8 + (n.degree >= 3 ? 12 : 0) + (sec.leadUp ? 12 : 0);
        const f0 = midiHz(m);
        if (opts.audio !== false) mixer.tone(vowelTable(f0), at(b), n.len * beat, f0, 0.16 * g, { attack: 0.04, decay: 0.2, sustain: 0.85, release: 0.08, vibrato: 0.35, reverb: 0.4 });
        vocals.push({ start: at(b), end: at(b) + n.len * beat });
      }
    }
  }
  mixer.reverb(0.5);
  // master: soft clip
  const out = mixer.out;
  for (let i = 0; i < out.length; i++) out[i] = Math.tanh(out[i]! * 0.9) * 0.95;
  const boundaries = sections.slice(1).map((s) => s.start);
  return { samples: out, truth: { durationS, beats, downbeats, boundaries, sections, vocals: mergeSpans(vocals, 0.3) } };
}

function mergeSpans(spans: { start: number; end: number }[], gap: number): { start: number; end: number }[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start - last.end <= gap) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** 16-bit PCM mono WAV bytes. */
export function wavBytes(samples: Float32Array, sampleRate: number): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) data.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32767))), i * 2);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVE', 8);
  head.write('fmt ', 12);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(sampleRate, 24);
  head.writeUInt32LE(sampleRate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36);
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

// ---- the bench songs ------------------------------------------------------------------------

const sec = (name: string, bars: number, bpm: number, chords: string[], parts: Partial<SectionSpec> = {}): SectionSpec => ({
  name,
  bars,
  bpm,
  chords,
  drums: 'full',
  bass: true,
  arp: true,
  pad: true,
  lead: null,
  gain: 1,
  ...parts,
});

/** Verses: lighter drums, no arpeggio, quieter; choruses: full kit, crash, arpeggio, the lead up an octave. */
const VERSE_PARTS: Partial<SectionSpec> = { lead: 'verse', arp: false, drums: 'light', gain: 0.7 };
const CHORUS_PARTS: Partial<SectionSpec> = { lead: 'chorus', crash: true, leadUp: true };
const VERSE = ['C', 'Am', 'F', 'G'];
const CHORUS = ['F', 'G', 'Em', 'Am'];

/** Verse/chorus/verse/chorus at one tempo (labels A B A B). */
function steady(id: string, bpm: number, seed: number, key: { verse: string[]; chorus: string[] } = { verse: VERSE, chorus: CHORUS }): SongSpec {
  return {
    id,
    what: `steady ${bpm} BPM, verse/chorus ×2`,
    seed,
    sections: [
      sec('verse', 8, bpm, key.verse, VERSE_PARTS),
      sec('chorus', 8, bpm, key.chorus, CHORUS_PARTS),
      sec('verse', 8, bpm, key.verse, VERSE_PARTS),
      sec('chorus', 8, bpm, key.chorus, CHORUS_PARTS),
    ],
  };
}

export const BENCH_SONGS: SongSpec[] = [
  steady('steady-72', 72, 1, { verse: ['Am', 'F', 'C', 'G'], chorus: ['F', 'C', 'G', 'Am'] }),
  steady('steady-96', 96, 2, { verse: ['D', 'Bm', 'G', 'A'], chorus: ['G', 'A', 'F#m', 'Bm'] }),
  steady('steady-120', 120, 3),
  steady('steady-145', 145, 4, { verse: ['E', 'C#m', 'A', 'B'], chorus: ['A', 'B', 'G#m', 'C#m'] }),
  steady('steady-174', 174, 5, { verse: ['G', 'Em', 'C', 'D'], chorus: ['C', 'D', 'Bm', 'Em'] }),
  { ...steady('swing-108', 108, 6, { verse: ['F', 'Dm', 'Bb', 'C'], chorus: ['Bb', 'C', 'Am', 'Dm'] }), what: 'swung eighths (2:1) at 108 BPM', swing: 0.66 },
  {
    id: 'tempo-change',
    what: '96 BPM, then 128 BPM from bar 17',
    seed: 8,
    sections: [
      sec('verse', 8, 96, VERSE, VERSE_PARTS),
      sec('chorus', 8, 96, CHORUS, CHORUS_PARTS),
      sec('verse', 8, 128, VERSE, VERSE_PARTS),
      sec('chorus', 8, 128, CHORUS, CHORUS_PARTS),
    ],
  },
  {
    id: 'silent-intro',
    what: '4.4 s of silence, then 110 BPM',
    seed: 9,
    sections: [
      sec('silence', 2, 110, ['C'], { gain: 0 }),
      sec('verse', 8, 110, VERSE, VERSE_PARTS),
      sec('chorus', 8, 110, CHORUS, CHORUS_PARTS),
      sec('verse', 8, 110, VERSE, VERSE_PARTS),
    ],
  },
  {
    id: 'drumless-intro',
    what: '4 bars of pad + arpeggio, then drums at 100 BPM',
    seed: 10,
    sections: [
      sec('intro', 4, 100, ['Am', 'F'], { drums: 'none', bass: false, gain: 0.7 }),
      sec('verse', 8, 100, VERSE, VERSE_PARTS),
      sec('chorus', 8, 100, CHORUS, CHORUS_PARTS),
      sec('verse', 8, 100, VERSE, VERSE_PARTS),
      sec('chorus', 8, 100, CHORUS, CHORUS_PARTS),
    ],
  },
  {
    id: 'breakdown',
    what: '124 BPM with an 8-bar quiet breakdown (pad + lead only)',
    seed: 11,
    sections: [
      sec('verse', 8, 124, VERSE, VERSE_PARTS),
      sec('chorus', 8, 124, CHORUS, CHORUS_PARTS),
      sec('breakdown', 8, 124, ['Dm', 'Am', 'Bb', 'F'], { drums: 'none', bass: false, arp: false, lead: 'bridge', gain: 0.35 }),
      sec('chorus', 8, 124, CHORUS, CHORUS_PARTS),
    ],
  },
  {
    id: 'live-feel',
    what: '~112 BPM played without a click: tempo wanders ±4% bar to bar, ±12 ms timing, syncopated kick',
    seed: 13,
    drift: 0.04,
    jitterMs: 12,
    sections: [
      sec('verse', 8, 112, ['Em', 'C', 'G', 'D'], { ...VERSE_PARTS, kicks: [0, 1.5, 2.5] }),
      sec('chorus', 8, 112, ['C', 'D', 'Em', 'Em'], { ...CHORUS_PARTS, kicks: [0, 0.5, 2, 2.5] }),
      sec('verse', 8, 112, ['Em', 'C', 'G', 'D'], { ...VERSE_PARTS, kicks: [0, 1.5, 2.5] }),
      sec('chorus', 8, 112, ['C', 'D', 'Em', 'Em'], { ...CHORUS_PARTS, kicks: [0, 0.5, 2, 2.5] }),
    ],
  },
  {
    id: 'structured',
    what: 'intro/verse/chorus/verse/chorus/outro at 104 BPM',
    seed: 12,
    sections: [
      sec('intro', 4, 104, ['Am', 'F', 'C', 'G'], { drums: 'hats', bass: false, gain: 0.6 }),
      sec('verse', 8, 104, ['Am', 'Am', 'F', 'G'], VERSE_PARTS),
      sec('chorus', 8, 104, ['C', 'G', 'Dm', 'F'], CHORUS_PARTS),
      sec('verse', 8, 104, ['Am', 'Am', 'F', 'G'], VERSE_PARTS),
      sec('chorus', 8, 104, ['C', 'G', 'Dm', 'F'], CHORUS_PARTS),
      sec('outro', 4, 104, ['F', 'G', 'C', 'C'], { drums: 'none', bass: true, arp: true, gain: 0.55 }),
    ],
  },
];
