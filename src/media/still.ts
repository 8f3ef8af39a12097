/**
 * Procedural stills for the offline image generator: a palette gradient, a composition family
 * (horizon, circles, stripes, grid, waves) placed by a seeded random generator, and the lyric
 * typeset on top. Everything is drawn by ffmpeg's lavfi sources and filters in one run.
 *
 * The background is drawn at half resolution and scaled up (it is soft anyway and geq is
 * per-pixel work); the text is drawn at full resolution so it stays crisp.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OmveeError } from '../core/errors.ts';
import { drawtextFontOption } from './fonts.ts';
import { COMPOSITIONS, type StillSpec } from './port.ts';
import { runFfmpeg } from './run.ts';

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

function normalizePalette(palette: readonly string[]): [number, number, number][] {
  const parsed = palette.map(parseHex).filter((c): c is [number, number, number] => c !== null);
  const base = parsed.length > 0 ? parsed : DEFAULT_PALETTE.map((c) => parseHex(c)!);
  const out: [number, number, number][] = [];
  for (let i = 0; i < 5; i++) out.push(base[i % base.length]!);
  return out;
}

const hex = (c: readonly number[]): string => '0x' + c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');

/** Wraps text into lines of at most maxChars (words longer than that are cut). */
export function wrapText(text: string, maxChars: number): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (let word of words) {
    while (word.length > maxChars) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(word.slice(0, maxChars));
      word = word.slice(maxChars);
    }
    if (!word) continue;
    if (!line) line = word;
    else if (line.length + 1 + word.length <= maxChars) line += ' ' + word;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export interface StillPlan {
  /** lavfi graph; refers to text files by relative name (run with cwd = the folder holding them) */
  graph: string;
  /** file name → content, to write next to the graph before running */
  files: Record<string, string>;
}

/** Builds the lavfi graph for a still. Pure: the same spec and font give the same graph. */
export function planStill(spec: StillSpec, fontOption: string): StillPlan {
  const W = Math.max(16, Math.round(spec.width / 2) * 2);
  const H = Math.max(16, Math.round(spec.height / 2) * 2);
  const w = W / 2;
  const h = H / 2;
  const rnd = seededRandom(spec.seed);
  const pick = (): number => Math.floor(rnd() * 5);
  const pal = normalizePalette(spec.palette);
  const files: Record<string, string> = {};
  const bg: string[] = [];

  // Gradient between two palette colours along a seeded direction.
  const angle = rnd() * Math.PI * 2;
  const cx = w / 2;
  const cy = h / 2;
  const r = Math.hypot(w, h) / 2;
  // gradients refuses negative coordinates: clamp the end points into the frame
  const clampX = (v: number): number => Math.round(Math.min(w, Math.max(0, v)));
  const clampY = (v: number): number => Math.round(Math.min(h, Math.max(0, v)));
  const [x0, y0, x1, y1] = [clampX(cx - Math.cos(angle) * r), clampY(cy - Math.sin(angle) * r), clampX(cx + Math.cos(angle) * r), clampY(cy + Math.sin(angle) * r)];
  bg.push(`gradients=s=${w}x${h}:c0=${hex(pal[0]!)}:c1=${hex(pal[1]!)}:x0=${x0}:y0=${y0}:x1=${x1}:y1=${y1}:nb_colors=2:speed=0.00001:seed=${Math.floor(rnd() * 4294967295)}`);
  bg.push('format=rgb24');

  const disc = (name: string, x: number, y: number, size: number, color: string): string => {
    files[name] = '\u25cf';
    return `drawtext=${fontOption}:textfile=${name}:expansion=none:fontsize=${Math.max(4, Math.round(size))}:fontcolor=${color}:x=${Math.round(x)}-text_w/2:y=${Math.round(y)}-text_h/2`;
  };

  const composition = COMPOSITIONS.includes(spec.composition as (typeof COMPOSITIONS)[number]) ? spec.composition : COMPOSITIONS[Math.floor(rnd() * COMPOSITIONS.length)]!;
  switch (composition) {
    case 'horizon': {
      const horizon = Math.round(h * (0.55 + rnd() * 0.15));
      bg.push(disc('sun.txt', w * (0.2 + rnd() * 0.6), horizon - h * 0.05, h * (0.45 + rnd() * 0.25), `${hex(pal[3]!)}@0.9`));
      bg.push(`drawbox=x=0:y=${horizon}:w=${w}:h=${h - horizon}:color=${hex(pal[2]!)}@0.92:t=fill`);
      bg.push(`drawbox=x=0:y=${horizon}:w=${w}:h=${Math.max(1, Math.round(h * 0.008))}:color=${hex(pal[4]!)}@0.9:t=fill`);
      break;
    }
    case 'circles': {
      const n = 4 + Math.floor(rnd() * 5);
      for (let i = 0; i < n; i++) {
        const alpha = (0.35 + rnd() * 0.4).toFixed(2);
        bg.push(disc(`c${i}.txt`, rnd() * w, rnd() * h, h * (0.15 + rnd() * 0.6), `${hex(pal[2 + (i % 3)]!)}@${alpha}`));
      }
      break;
    }
    case 'stripes': {
      const n = 5 + Math.floor(rnd() * 6);
      const vertical = rnd() < 0.6;
      for (let i = 0; i < n; i++) {
        const alpha = (0.25 + rnd() * 0.4).toFixed(2);
        const color = `${hex(pal[2 + pick() % 3]!)}@${alpha}`;
        if (vertical) bg.push(`drawbox=x=${Math.round(rnd() * w)}:y=0:w=${Math.round(w * (0.02 + rnd() * 0.12))}:h=${h}:color=${color}:t=fill`);
        else bg.push(`drawbox=x=0:y=${Math.round(rnd() * h)}:w=${w}:h=${Math.round(h * (0.02 + rnd() * 0.12))}:color=${color}:t=fill`);
      }
      break;
    }
    case 'grid': {
      const cell = Math.round(h * (0.12 + rnd() * 0.15));
      const ox = Math.round(rnd() * cell);
      const oy = Math.round(rnd() * cell);
      const filled = 3 + Math.floor(rnd() * 5);
      for (let i = 0; i < filled; i++) {
        const gx = ox + Math.floor(rnd() * (w / cell)) * cell;
        const gy = oy + Math.floor(rnd() * (h / cell)) * cell;
        bg.push(`drawbox=x=${gx}:y=${gy}:w=${cell}:h=${cell}:color=${hex(pal[2 + (i % 3)]!)}@0.55:t=fill`);
      }
      const lineColor = `${hex(pal[4]!)}@0.5`;
      for (let x = ox; x < w; x += cell) bg.push(`drawbox=x=${x}:y=0:w=1:h=${h}:color=${lineColor}:t=fill`);
      for (let y = oy; y < h; y += cell) bg.push(`drawbox=x=0:y=${y}:w=${w}:h=1:color=${lineColor}:t=fill`);
      break;
    }
    default: {
      // waves: two or three filled layers under sine curves, blended over the gradient
      bg.push('format=gbrp');
      const layers = 2 + Math.floor(rnd() * 2);
      for (let i = 0; i < layers; i++) {
        const base = Math.round(h * (0.45 + i * 0.15 + rnd() * 0.08));
        const amp = Math.round(h * (0.03 + rnd() * 0.06));
        const len = Math.round(w * (0.3 + rnd() * 0.5));
        const phase = (rnd() * 6.28).toFixed(2);
        const col = pal[2 + (i % 3)]!;
        const a = 0.8;
        const cond = `gt(Y,${base}+${amp}*sin(2*PI*X/${len}+${phase}))`;
        const ch = (fn: string, v: number): string => `if(${cond},${fn}(X,Y)*${(1 - a).toFixed(2)}+${Math.round(v * a)},${fn}(X,Y))`;
        bg.push(`geq=r='${ch('r', col[0])}':g='${ch('g', col[1])}':b='${ch('b', col[2])}'`);
      }
      bg.push('format=rgb24');
      break;
    }
  }

  // Up to full size, then the text at full resolution.
  const fg: string[] = [`scale=${W}:${H}:flags=bicubic`];
  const lyricLines = spec.lyric.trim() ? fitLyric(spec.lyric, W, H) : { lines: [] as string[], fontSize: 0 };
  const fs = lyricLines.fontSize;
  const lineH = Math.round(fs * 1.45);
  const blockTop = Math.round(H * 0.7 - (lyricLines.lines.length * lineH) / 2);
  lyricLines.lines.forEach((line, i) => {
    const name = `lyric${i}.txt`;
    files[name] = line;
    fg.push(
      `drawtext=${fontOption}:textfile=${name}:expansion=none:fontsize=${fs}:fontcolor=white:` +
        `box=1:boxcolor=black@0.5:boxborderw=${Math.round(fs * 0.25)}:shadowcolor=black@0.7:shadowx=2:shadowy=2:` +
        `x=(w-text_w)/2:y=${blockTop + i * lineH}`,
    );
  });
  const title = spec.title.replace(/\s+/g, ' ').trim().slice(0, 80);
  if (title) {
    files['title.txt'] = title;
    const tfs = Math.max(8, Math.round(H * 0.032));
    fg.push(`drawtext=${fontOption}:textfile=title.txt:expansion=none:fontsize=${tfs}:fontcolor=white@0.85:shadowcolor=black@0.7:shadowx=1:shadowy=1:x=${Math.round(H * 0.04)}:y=${Math.round(H * 0.04)}`);
  }
  fg.push('format=rgb24');
  return { graph: [...bg, ...fg].join(','), files };
}

/** Chooses a font size and wrapping so the lyric fits in at most 4 lines across 86 % of the width. */
export function fitLyric(lyric: string, W: number, H: number): { lines: string[]; fontSize: number } {
  let fontSize = Math.max(10, Math.round(H * 0.065));
  for (;;) {
    // DejaVu Sans Bold averages ~0.62 em per character
    const maxChars = Math.max(8, Math.floor((W * 0.86) / (fontSize * 0.62)));
    const lines = wrapText(lyric, maxChars);
    if (lines.length <= 4 || fontSize <= 10) return { lines: lines.slice(0, 6), fontSize };
    fontSize = Math.round(fontSize * 0.85);
  }
}

export async function renderStillPng(ffmpeg: string, spec: StillSpec, outPath: string): Promise<void> {
  if (!(spec.width > 0 && spec.height > 0 && spec.width <= 8192 && spec.height <= 8192)) {
    throw new OmveeError('invalid_input', `still size ${spec.width}x${spec.height} is out of range (1..8192)`);
  }
  const plan = planStill(spec, await drawtextFontOption());
  const dir = await mkdtemp(path.join(os.tmpdir(), 'omvee-still-'));
  try {
    for (const [name, content] of Object.entries(plan.files)) await writeFile(path.join(dir, name), content, 'utf8');
    await runFfmpeg(ffmpeg, ['-y', '-f', 'lavfi', '-i', plan.graph, '-frames:v', '1', '-update', '1', '-f', 'image2', '-c:v', 'png', path.resolve(outPath)], { cwd: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
