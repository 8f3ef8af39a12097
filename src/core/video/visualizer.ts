/**
 * The audio-reactive layer: per video frame, the level of a few frequency bands (bars) or the
 * shape of the waveform (wave), drawn as ASS vector drawings in the same libass pass as the
 * captions (no extra input or overlay in the encode).
 *
 * LevelMeter is fed mono PCM in chunks (streaming, any chunk size) and measures, for each frame
 * of 1/fps s, the RMS of each band (a bank of band-pass biquads, RBJ Audio EQ Cookbook constant
 * 0 dB peak gain form) in dB mapped to 0..1, with a fast attack and a slow release so bars fall
 * smoothly; and the waveform's peak in `wavePoints` slices of the frame.
 */
import type { Rect } from '../captions/safe-area.ts';
import { assTime } from '../captions/ass.ts';

export const VISUALIZER_STYLES = ['bars', 'wave', 'none'] as const;
export type VisualizerStyle = (typeof VISUALIZER_STYLES)[number];

export function isVisualizerStyle(value: unknown): value is VisualizerStyle {
  return typeof value === 'string' && (VISUALIZER_STYLES as readonly string[]).includes(value);
}

export interface AudioLevels {
  fps: number;
  bands: number;
  /** frames × bands, 0..1 */
  levels: Float32Array;
  wavePoints: number;
  /** frames × wavePoints, 0..1 (peak amplitude of each slice) */
  wave: Float32Array;
  frames: number;
}

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}

function bandPass(f0: number, q: number, sampleRate: number): Biquad {
  const w0 = (2 * Math.PI * f0) / sampleRate;
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  return { b0: alpha / a0, b1: 0, b2: -alpha / a0, a1: (-2 * Math.cos(w0)) / a0, a2: (1 - alpha) / a0, x1: 0, x2: 0, y1: 0, y2: 0 };
}

/** Band centres, log-spaced from 55 Hz to 7 kHz. */
export function bandCentres(bands: number): number[] {
  const lo = Math.log(55);
  const hi = Math.log(7000);
  return Array.from({ length: bands }, (_, i) => Math.exp(lo + ((hi - lo) * (i + 0.5)) / bands));
}

export class LevelMeter {
  readonly sampleRate: number;
  readonly fps: number;
  readonly bands: number;
  readonly wavePoints: number;
  #filters: Biquad[];
  #sums: Float64Array;
  #slicePeak = 0;
  #sliceIndex = 0;
  #inFrame = 0;
  #frameSamples: number;
  #framesDone = 0;
  #levels: number[] = [];
  #wave: number[] = [];
  #prev: Float64Array;
  #sampleCount = 0;

  constructor(opts: { sampleRate: number; fps: number; bands?: number; wavePoints?: number }) {
    this.sampleRate = opts.sampleRate;
    this.fps = opts.fps;
    this.bands = opts.bands ?? 24;
    this.wavePoints = opts.wavePoints ?? 48;
    const q = 2.2;
    this.#filters = bandCentres(this.bands).map((f) => bandPass(Math.min(f, opts.sampleRate * 0.45), q, opts.sampleRate));
    this.#sums = new Float64Array(this.bands);
    this.#prev = new Float64Array(this.bands);
    this.#frameSamples = opts.sampleRate / opts.fps;
  }

  push(chunk: Float32Array): void {
    const filters = this.#filters;
    const sums = this.#sums;
    const sliceLen = this.#frameSamples / this.wavePoints;
    for (let n = 0; n < chunk.length; n++) {
      const x = chunk[n]!;
      for (let b = 0; b < filters.length; b++) {
        const f = filters[b]!;
        const y = f.b0 * x + f.b1 * f.x1 + f.b2 * f.x2 - f.a1 * f.y1 - f.a2 * f.y2;
        f.x2 = f.x1;
        f.x1 = x;
        f.y2 = f.y1;
        f.y1 = y;
        sums[b] = sums[b]! + y * y;
      }
      const ax = Math.abs(x);
      if (ax > this.#slicePeak) this.#slicePeak = ax;
      this.#inFrame += 1;
      this.#sampleCount += 1;
      if (this.#inFrame >= sliceLen * (this.#sliceIndex + 1) && this.#sliceIndex < this.wavePoints) {
        this.#wave.push(Math.min(1, this.#slicePeak * 1.4));
        this.#slicePeak = 0;
        this.#sliceIndex += 1;
      }
      // frame boundaries on the exact sample grid of frame k: round((k+1) * sampleRate / fps)
      if (this.#sampleCount >= Math.round((this.#framesDone + 1) * this.#frameSamples)) this.#endFrame();
    }
  }

  #endFrame(): void {
    const count = Math.max(1, this.#inFrame);
    for (let b = 0; b < this.bands; b++) {
      const rms = Math.sqrt(this.#sums[b]! / count);
      const db = 20 * Math.log10(rms + 1e-9);
      const v = Math.min(1, Math.max(0, (db + 54) / 48));
      const smoothed = v >= this.#prev[b]! ? v : this.#prev[b]! * 0.82 + v * 0.18;
      this.#prev[b] = smoothed;
      this.#levels.push(smoothed);
      this.#sums[b] = 0;
    }
    while (this.#sliceIndex < this.wavePoints) {
      this.#wave.push(Math.min(1, this.#slicePeak * 1.4));
      this.#slicePeak = 0;
      this.#sliceIndex += 1;
    }
    this.#sliceIndex = 0;
    this.#inFrame = 0;
    this.#framesDone += 1;
  }

  result(): AudioLevels {
    if (this.#inFrame > 0) this.#endFrame();
    return { fps: this.fps, bands: this.bands, levels: Float32Array.from(this.#levels), wavePoints: this.wavePoints, wave: Float32Array.from(this.#wave), frames: this.#framesDone };
  }
}

/** Where the layer is drawn: a band along the bottom of the frame. */
export function visualizerBand(size: { width: number; height: number }, heightFraction: number): Rect {
  const h = Math.round(size.height * heightFraction);
  const bottom = Math.round(size.height * 0.985);
  const margin = Math.round(size.width * 0.06);
  return { left: margin, right: size.width - margin, top: bottom - h, bottom };
}

export interface VisualizerDrawing {
  style: Exclude<VisualizerStyle, 'none'>;
  band: Rect;
  /** '#rrggbb' */
  color: string;
  /** 0..1 */
  opacity: number;
  /** draw a new shape every `every` frames (1 = each frame) */
  every?: number;
}

function assColourBgr(hex: string): string {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  const rgb = m ? m[1]! : 'ffffff';
  return `&H${rgb.slice(4, 6)}${rgb.slice(2, 4)}${rgb.slice(0, 2)}&`.toUpperCase();
}

const r1 = (v: number): string => String(Math.round(v));

/**
 * ASS Dialogue lines drawing the layer for the frames [fromFrame, toFrame) of the song. Each line
 * covers its frames (from half a frame before the first to half a frame before the next), so
 * every frame shows the shape measured for it.
 */
export function visualizerEvents(levels: AudioLevels, drawing: VisualizerDrawing, fromFrame: number, toFrame: number): string[] {
  const out: string[] = [];
  const every = Math.max(1, Math.floor(drawing.every ?? 1));
  const { band } = drawing;
  const w = band.right - band.left;
  const h = band.bottom - band.top;
  const alpha = Math.round(255 * (1 - Math.max(0, Math.min(1, drawing.opacity)))).toString(16).padStart(2, '0').toUpperCase();
  const head = `{\\an7\\pos(0,0)\\bord0\\shad0\\1c${assColourBgr(drawing.color)}\\alpha&H${alpha}&\\p1}`;
  const last = Math.min(toFrame, levels.frames);
  for (let f = Math.max(0, fromFrame - (fromFrame % every)); f < last; f += every) {
    const shapes: string[] = [];
    if (drawing.style === 'bars') {
      const n = levels.bands;
      const slot = w / n;
      const barW = Math.max(1, slot * 0.62);
      for (let b = 0; b < n; b++) {
        const v = levels.levels[f * n + b]!;
        const bh = Math.max(2, v * h);
        const x = band.left + b * slot + (slot - barW) / 2;
        shapes.push(`m ${r1(x)} ${r1(band.bottom)} l ${r1(x + barW)} ${r1(band.bottom)} ${r1(x + barW)} ${r1(band.bottom - bh)} ${r1(x)} ${r1(band.bottom - bh)}`);
      }
    } else {
      const n = levels.wavePoints;
      const mid = band.top + h / 2;
      const top: string[] = [];
      const bottom: string[] = [];
      for (let i = 0; i < n; i++) {
        const v = Math.max(0.02, levels.wave[f * n + i]!);
        const x = band.left + (w * i) / (n - 1);
        top.push(`${r1(x)} ${r1(mid - (v * h) / 2)}`);
        bottom.unshift(`${r1(x)} ${r1(mid + (v * h) / 2)}`);
      }
      shapes.push(`m ${top[0]} l ${top.slice(1).join(' ')} ${bottom.join(' ')}`);
    }
    // half a frame either side of the frames' own times: centisecond rounding never shifts a shape to a neighbour frame
    const start = Math.max(0, Math.max(f, fromFrame) - 0.5) / levels.fps;
    const end = (Math.min(f + every, last) - 0.5) / levels.fps;
    out.push(`Dialogue: 0,${assTime(start)},${assTime(end)},Flash,,0,0,0,,${head}${shapes.join(' ')}{\\p0}`);
  }
  return out;
}
