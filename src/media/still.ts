/**
 * Procedural stills for the offline image generator: backgrounds without any text (captions are
 * drawn later, over the moving picture). A palette gradient, then one of ten composition families
 * (horizon, circles, stripes, grid, waves, bokeh, rays, ridges, rings, aurora) placed by a seeded
 * random generator as soft-edged shapes, a blur, a scrim that darkens the lower part a little
 * (where captions go) and a vignette.
 *
 * Drawn in JavaScript on typed arrays at half resolution, upscaled and written as a PNG with
 * node:zlib — a few tens of milliseconds a still, deterministic for a seed (no ffmpeg run).
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { OmveeError } from '../core/errors.ts';
import { COMPOSITIONS, type Composition, type StillSpec } from './port.ts';

/** Small deterministic PRNG (mulberry32); the same seed always draws the same picture. */
export function seededRandom(seed: number): () => number {
  let a = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** '#a1b2c3' / 'a1b2c3' / '#abc' → [r,g,b]; anything else → null */
export function parseHex(hex: string): [number, number, number] | null {
  let h = hex.trim().replace(/^#/, '').replace(/^0x/i, '');
  if (/^[0-9a-f]{3}$/i.test(h)) h = [...h].map((c) => c + c).join('');
  if (!/^[0-9a-f]{6}$/i.test(h)) return null;
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

const DEFAULT_PALETTE = ['#1d2b53', '#7e2553', '#ff77a8', '#ffccaa', '#29adff'];

type Rgb = [number, number, number];

function normalizePalette(palette: readonly string[]): Rgb[] {
  const parsed = palette.map(parseHex).filter((c): c is Rgb => c !== null);
  const base = parsed.length > 0 ? parsed : DEFAULT_PALETTE.map((c) => parseHex(c)!);
  const out: Rgb[] = [];
  for (let i = 0; i < 5; i++) out.push(base[i % base.length]!);
  return out;
}

/** A shape blended over the picture: alpha 0..1 at a point of the half-resolution picture. */
interface Layer {
  alpha: (x: number, y: number) => number;
  color: Rgb;
  /** bounding box outside which alpha is 0 (skips work), half-resolution pixels */
  box?: { x0: number; y0: number; x1: number; y1: number };
}

const clip01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Soft disc: 1 inside radius r, fading to 0 over `feather` pixels. */
function disc(cx: number, cy: number, r: number, feather: number, strength: number, color: Rgb): Layer {
  const f = Math.max(0.5, feather);
  return {
    alpha: (x, y) => strength * clip01((r - Math.hypot(x - cx, y - cy)) / f),
    color,
    box: { x0: cx - r - 1, y0: cy - r - 1, x1: cx + r + 1, y1: cy + r + 1 },
  };
}

/** Glow: a disc whose edge fades over `feather` pixels outside radius r. */
function glow(cx: number, cy: number, r: number, feather: number, strength: number, color: Rgb): Layer {
  return { alpha: (x, y) => strength * clip01((r + feather - Math.hypot(x - cx, y - cy)) / feather) ** 2, color, box: { x0: cx - r - feather, y0: cy - r - feather, x1: cx + r + feather, y1: cy + r + feather } };
}

/** The layers of a composition family (half-resolution coordinates w × h) and how much to soften. */
function compositionLayers(composition: Composition, w: number, h: number, pal: Rgb[], rnd: () => number): { layers: Layer[]; blur: number } {
  const L: Layer[] = [];
  const col = (i: number): Rgb => pal[2 + (i % 3)]!;
  const s = Math.min(w, h);
  switch (composition) {
    case 'horizon': {
      const horizon = h * (0.55 + rnd() * 0.15);
      const sx = w * (0.2 + rnd() * 0.6);
      const sr = s * (0.16 + rnd() * 0.12);
      L.push(glow(sx, horizon - sr * 0.3, sr, sr * 1.8, 0.6, pal[3]!));
      L.push(disc(sx, horizon - sr * 0.3, sr, 1.5, 0.95, pal[3]!));
      L.push({ alpha: (_x, y) => 0.93 * clip01((y - horizon) / 1.5), color: pal[2]! });
      L.push({ alpha: (_x, y) => 0.8 * clip01(1 - Math.abs(y - horizon) / 1.2), color: pal[4]! });
      return { layers: L, blur: 0.6 };
    }
    case 'circles': {
      const n = 4 + Math.floor(rnd() * 5);
      for (let i = 0; i < n; i++) L.push(disc(rnd() * w, rnd() * h, s * (0.1 + rnd() * 0.35), 1.5, 0.35 + rnd() * 0.4, col(i)));
      return { layers: L, blur: 0.5 };
    }
    case 'stripes': {
      const n = 5 + Math.floor(rnd() * 5);
      const angle = (rnd() - 0.5) * 1.4;
      const [ca, sa] = [Math.cos(angle), Math.sin(angle)];
      const span = Math.hypot(w, h);
      for (let i = 0; i < n; i++) {
        const at = (rnd() - 0.5) * span;
        const half = s * (0.02 + rnd() * 0.08);
        const a = 0.3 + rnd() * 0.4;
        L.push({ alpha: (x, y) => a * clip01((half - Math.abs((x - w / 2) * ca + (y - h / 2) * sa - at)) / 1.2), color: col(i) });
      }
      return { layers: L, blur: 0.4 };
    }
    case 'grid': {
      const cell = Math.round(s * (0.14 + rnd() * 0.14));
      const ox = Math.round(rnd() * cell);
      const oy = Math.round(rnd() * cell);
      const filled = 3 + Math.floor(rnd() * 5);
      for (let i = 0; i < filled; i++) {
        const gx = ox + Math.floor(rnd() * (w / cell)) * cell;
        const gy = oy + Math.floor(rnd() * (h / cell)) * cell;
        L.push({ alpha: () => 0.55, color: col(i), box: { x0: gx, y0: gy, x1: gx + cell, y1: gy + cell } });
      }
      const line = (v: number, o: number): number => clip01(1.2 - (((v - o) % cell) + cell) % cell);
      L.push({ alpha: (x, y) => 0.45 * Math.max(line(x, ox), line(y, oy)), color: pal[4]! });
      return { layers: L, blur: 0.3 };
    }
    case 'waves': {
      const layers = 2 + Math.floor(rnd() * 3);
      for (let i = 0; i < layers; i++) {
        const base = h * (0.4 + i * 0.14 + rnd() * 0.06);
        const amp = h * (0.03 + rnd() * 0.06);
        const len = w * (0.3 + rnd() * 0.5);
        const phase = rnd() * 6.28;
        L.push({ alpha: (x, y) => 0.82 * clip01((y - base - amp * Math.sin((2 * Math.PI * x) / len + phase)) / 1.5), color: col(i) });
      }
      return { layers: L, blur: 0.5 };
    }
    case 'bokeh': {
      const n = 14 + Math.floor(rnd() * 10);
      for (let i = 0; i < n; i++) L.push(disc(rnd() * w, rnd() * h, s * (0.03 + rnd() * 0.09), s * 0.02, 0.18 + rnd() * 0.35, col(i)));
      return { layers: L, blur: 2.2 };
    }
    case 'rays': {
      const cx = w * (0.2 + rnd() * 0.6);
      const cy = h * (rnd() < 0.5 ? -0.1 : 0.35 + rnd() * 0.3);
      const n = 7 + Math.floor(rnd() * 8);
      const turn = rnd() * 6.28;
      L.push({ alpha: (x, y) => 0.35 * clip01(Math.sin(n * Math.atan2(y - cy, x - cx) + turn) * 3), color: pal[3]! });
      L.push(glow(cx, cy, s * 0.05, s * 0.25, 0.75, pal[4]!));
      L.push({ alpha: (x, y) => 0.45 * clip01((Math.hypot(x - cx, y - cy) - s * 0.5) / (s * 0.7)), color: pal[0]! });
      return { layers: L, blur: 0.8 };
    }
    case 'ridges': {
      L.push(glow(w * (0.2 + rnd() * 0.6), h * (0.12 + rnd() * 0.12), s * 0.08, s * 0.1, 0.9, pal[3]!));
      const n = 3 + Math.floor(rnd() * 2);
      for (let i = 0; i < n; i++) {
        const base = h * (0.42 + i * 0.14);
        const a1 = h * (0.07 + rnd() * 0.07);
        const l1 = w * (0.22 + rnd() * 0.25);
        const p1 = rnd() * 3;
        const a2 = h * (0.006 + rnd() * 0.008);
        const l2 = w * (0.03 + rnd() * 0.03);
        const c = pal[Math.max(1, 4 - i)]!;
        const k = 1 - i * 0.2;
        const dark: Rgb = [c[0] * k, c[1] * k, c[2] * k];
        // a peaked ridge line: |sin| makes sharp summits, a small second wave roughens the slopes
        L.push({ alpha: (x, y) => 0.96 * clip01((y - base + a1 * (1 - Math.abs(Math.sin((Math.PI * x) / l1 + p1))) + a2 * Math.sin((2 * Math.PI * x) / l2)) / 1.2), color: dark });
      }
      return { layers: L, blur: 0.5 };
    }
    case 'rings': {
      const cx = w * (0.25 + rnd() * 0.5);
      const cy = h * (0.3 + rnd() * 0.4);
      const k = s * (0.035 + rnd() * 0.03);
      L.push({ alpha: (x, y) => { const d = Math.hypot(x - cx, y - cy); return 0.5 * clip01((Math.sin(d / k) - 0.55) * 4) * clip01(1 - d / (s * 1.1)); }, color: pal[3]! });
      L.push(glow(cx, cy, s * 0.06, s * 0.12, 0.5, pal[4]!));
      L.push(disc(cx, cy, s * 0.08, 2, 0.85, pal[4]!));
      return { layers: L, blur: 0.6 };
    }
    default: {
      // aurora: soft curtains of light swaying across the upper half, a dark land below
      const n = 2 + Math.floor(rnd() * 2);
      for (let i = 0; i < n; i++) {
        const mid = h * (0.22 + rnd() * 0.25);
        const amp = h * (0.06 + rnd() * 0.08);
        const len = w * (0.4 + rnd() * 0.6);
        const thick = h * (0.08 + rnd() * 0.08);
        const phase = rnd() * 6.28;
        const fine = s * (0.05 + rnd() * 0.05);
        L.push({ alpha: (x, y) => 0.6 * Math.exp(-(((y - mid - amp * Math.sin((2 * Math.PI * x) / len + phase)) / thick) ** 2)) * (0.7 + 0.3 * Math.sin(x / fine + phase)), color: col(i + 1) });
      }
      const land: Rgb = [pal[0]![0] * 0.45, pal[0]![1] * 0.45, pal[0]![2] * 0.45];
      const lb = h * 0.8;
      const la = h * 0.03;
      const ll = w * (0.3 + rnd() * 0.3);
      L.push({ alpha: (x, y) => 0.95 * clip01((y - lb - la * Math.sin((2 * Math.PI * x) / ll)) / 1.2), color: land });
      return { layers: L, blur: 1.2 };
    }
  }
}

/** Three box blurs ≈ a gaussian of the given sigma (in place, one channel-interleaved RGB float buffer). */
function blurRgb(buf: Float32Array, w: number, h: number, sigma: number): void {
  if (sigma < 0.3) return;
  const r = Math.max(1, Math.round(Math.sqrt((12 * sigma * sigma) / 3 + 1) / 2));
  const tmp = new Float32Array(buf.length);
  const pass = (src: Float32Array, dst: Float32Array, len: number, count: number, stride: number, step: number): void => {
    for (let line = 0; line < count; line++) {
      const base = line * stride;
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let k = -r; k <= r; k++) acc += src[base + Math.min(len - 1, Math.max(0, k)) * step + c]!;
        for (let i = 0; i < len; i++) {
          dst[base + i * step + c] = acc / (2 * r + 1);
          const add = Math.min(len - 1, i + r + 1);
          const sub = Math.max(0, i - r);
          acc += src[base + add * step + c]! - src[base + sub * step + c]!;
        }
      }
    }
  };
  for (let k = 0; k < 3; k++) {
    pass(buf, tmp, w, h, w * 3, 3); // rows
    pass(tmp, buf, h, w, 3, w * 3); // columns
  }
}

/**
 * Draws a still into an 8-bit RGB buffer at full size: the picture at half resolution (gradient,
 * layers, blur, scrim, vignette), then a bilinear upscale with a faint seeded dither against banding.
 */
export function drawStill(spec: StillSpec): { width: number; height: number; rgb: Uint8Array } {
  const W = Math.max(16, Math.round(spec.width / 2) * 2);
  const H = Math.max(16, Math.round(spec.height / 2) * 2);
  const w = W / 2;
  const h = H / 2;
  const rnd = seededRandom(spec.seed);
  const pal = normalizePalette(spec.palette);

  // gradient between two palette colours along a seeded direction
  const angle = rnd() * Math.PI * 2;
  const [dx, dy] = [Math.cos(angle), Math.sin(angle)];
  const reach = (Math.abs(dx) * w + Math.abs(dy) * h) / 2;
  const c0 = pal[0]!;
  const c1 = pal[1]!;
  const buf = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = clip01(((x - w / 2) * dx + (y - h / 2) * dy) / (2 * reach) + 0.5);
      const i = (y * w + x) * 3;
      buf[i] = c0[0] + (c1[0] - c0[0]) * t;
      buf[i + 1] = c0[1] + (c1[1] - c0[1]) * t;
      buf[i + 2] = c0[2] + (c1[2] - c0[2]) * t;
    }
  }

  const composition = (COMPOSITIONS as readonly string[]).includes(spec.composition) ? spec.composition : COMPOSITIONS[Math.floor(rnd() * COMPOSITIONS.length)]!;
  const { layers, blur } = compositionLayers(composition, w, h, pal, rnd);
  for (const layer of layers) {
    const x0 = Math.max(0, Math.floor(layer.box?.x0 ?? 0));
    const y0 = Math.max(0, Math.floor(layer.box?.y0 ?? 0));
    const x1 = Math.min(w, Math.ceil(layer.box?.x1 ?? w));
    const y1 = Math.min(h, Math.ceil(layer.box?.y1 ?? h));
    const [cr, cg, cb] = layer.color;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const a = layer.alpha(x + 0.5, y + 0.5);
        if (!(a > 0)) continue;
        const i = (y * w + x) * 3;
        buf[i] = buf[i]! * (1 - a) + cr * a;
        buf[i + 1] = buf[i + 1]! * (1 - a) + cg * a;
        buf[i + 2] = buf[i + 2]! * (1 - a) + cb * a;
      }
    }
  }
  blurRgb(buf, w, h, blur * (Math.min(w, h) / 360));
  // captions sit low in the frame: darken the lower part a little; a vignette at the corners
  for (let y = 0; y < h; y++) {
    const scrim = 1 - 0.32 * clip01((y / h - 0.5) / 0.5);
    for (let x = 0; x < w; x++) {
      const d = Math.hypot((x / w - 0.5) * 2, (y / h - 0.5) * 2) / Math.SQRT2;
      const k = scrim * (1 - 0.45 * d ** 2.2);
      const i = (y * w + x) * 3;
      buf[i] = buf[i]! * k;
      buf[i + 1] = buf[i + 1]! * k;
      buf[i + 2] = buf[i + 2]! * k;
    }
  }

  // bilinear upscale to W × H with a seeded ±0.5 dither (a noise table, cycled)
  const out = new Uint8Array(W * H * 3);
  const noise = new Float32Array(1 << 16);
  const dither = seededRandom(spec.seed ^ 0x5bd1e995);
  for (let i = 0; i < noise.length; i++) noise[i] = dither() - 0.5;
  const xa = new Int32Array(W);
  const xb = new Int32Array(W);
  const fxs = new Float32Array(W);
  for (let X = 0; X < W; X++) {
    const sx = Math.min(w - 1, Math.max(0, (X + 0.5) / 2 - 0.5));
    xa[X] = Math.floor(sx) * 3;
    xb[X] = Math.min(w - 1, Math.floor(sx) + 1) * 3;
    fxs[X] = sx - Math.floor(sx);
  }
  let o = 0;
  for (let Y = 0; Y < H; Y++) {
    const sy = Math.min(h - 1, Math.max(0, (Y + 0.5) / 2 - 0.5));
    const rowA = Math.floor(sy) * w * 3;
    const rowB = Math.min(h - 1, Math.floor(sy) + 1) * w * 3;
    const fy = sy - Math.floor(sy);
    for (let X = 0; X < W; X++) {
      const a = xa[X]!;
      const b = xb[X]!;
      const fx = fxs[X]!;
      const n = noise[(Y * 7919 + X) & 0xffff]!;
      for (let c = 0; c < 3; c++) {
        const top = buf[rowA + a + c]! + (buf[rowA + b + c]! - buf[rowA + a + c]!) * fx;
        const bottom = buf[rowB + a + c]! + (buf[rowB + b + c]! - buf[rowB + a + c]!) * fx;
        const v = top + (bottom - top) * fy + n + 0.5;
        out[o++] = v <= 0 ? 0 : v >= 255 ? 255 : v | 0;
      }
    }
  }
  return { width: W, height: H, rgb: out };
}

/** An 8-bit RGB PNG (PNG spec, ISO/IEC 15948): IHDR, one zlib IDAT with the Sub filter on each row, IEND. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const at = y * (stride + 1);
    raw[at] = 1; // Sub: each byte minus the byte of the pixel to its left
    for (let i = 0; i < stride; i++) raw[at + 1 + i] = (rgb[y * stride + i]! - (i >= 3 ? rgb[y * stride + i - 3]! : 0)) & 0xff;
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 2 })), chunk('IEND', Buffer.alloc(0))]);
}

export async function renderStillPng(spec: StillSpec, outPath: string): Promise<void> {
  if (!(spec.width > 0 && spec.height > 0 && spec.width <= 8192 && spec.height <= 8192)) {
    throw new OmveeError('invalid_input', `still size ${spec.width}x${spec.height} is out of range (1..8192)`);
  }
  const { width, height, rgb } = drawStill(spec);
  const out = path.resolve(outPath);
  const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.partial`;
  try {
    await writeFile(tmp, encodePng(width, height, rgb));
    await rename(tmp, out);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

