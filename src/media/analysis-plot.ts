/**
 * A picture of what omvee heard: `plotAnalysis(ffmpeg, analysis, 'out.png', { scenes, lines })`.
 *
 *   title line       tempo · meter · duration · chorus
 *   sections         coloured blocks with their labels (the chorus marked)
 *   main panel       waveform (grey) over section-tinted background, energy curve (orange),
 *                    scene cuts (red lines) when given
 *   beats            thin ticks; downbeats taller and darker
 *   scenes / lyrics  scene numbers, sung lines as blue bars (when given)
 *   time axis        m:ss labels
 *
 * The graphics are drawn here into an RGB buffer; ffmpeg adds the text (drawtext, one small text
 * file per label so nothing needs escaping) and writes the PNG.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AudioAnalysis } from '../core/analysis/model.ts';
import { OmveeError } from '../core/errors.ts';
import { drawtextFontOption } from './fonts.ts';
import type { AnalysisPlotInput } from './port.ts';
import { runFfmpeg } from './run.ts';

/** What the port lets callers pass (scenes, sung lines, a signal), and the picture's own knobs. */
export interface AnalysisPlotOptions extends AnalysisPlotInput {
  width?: number;
  height?: number;
  /** replaces the default title (tempo, meter, duration) */
  title?: string;
}

type RGB = readonly [number, number, number];

const BG: RGB = [250, 250, 248];
const INK: RGB = [40, 40, 48];
const GRID: RGB = [215, 215, 215];
const WAVE: RGB = [120, 128, 140];
const ENERGY: RGB = [230, 120, 20];
const CUT: RGB = [210, 40, 40];
const LYRIC: RGB = [60, 110, 200];
const LYRIC_ALT: RGB = [35, 70, 165];
const BEAT: RGB = [150, 150, 160];
const DOWNBEAT: RGB = [30, 30, 40];
/** one colour per label, in order of first appearance */
const PALETTE: RGB[] = [
  [102, 194, 165],
  [252, 141, 98],
  [141, 160, 203],
  [231, 138, 195],
  [166, 216, 84],
  [255, 217, 47],
  [229, 196, 148],
  [179, 179, 179],
];

class Raster {
  readonly w: number;
  readonly h: number;
  readonly px: Uint8Array;
  constructor(w: number, h: number, bg: RGB) {
    this.w = w;
    this.h = h;
    this.px = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) this.px.set(bg, i * 3);
  }
  /** Fills [x0, x1) × [y0, y1) with colour c at opacity a. */
  rect(x0: number, y0: number, x1: number, y1: number, c: RGB, a = 1): void {
    const xa = Math.max(0, Math.floor(x0));
    const xb = Math.min(this.w, Math.ceil(x1));
    const ya = Math.max(0, Math.floor(y0));
    const yb = Math.min(this.h, Math.ceil(y1));
    for (let y = ya; y < yb; y++) {
      for (let x = xa; x < xb; x++) {
        const o = (y * this.w + x) * 3;
        for (let k = 0; k < 3; k++) this.px[o + k] = Math.round(this.px[o + k]! * (1 - a) + c[k]! * a);
      }
    }
  }
}

const PAD_L = 92;
const PAD_R = 24;

function tickStep(durationS: number, pixels: number): number {
  const steps = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600];
  for (const s of steps) if (durationS / s <= pixels / 110) return s;
  return 600;
}

export const formatClock = (t: number, withTenths = false): string => {
  const m = Math.floor(t / 60);
  const s = t - m * 60;
  return `${m}:${withTenths ? s.toFixed(1).padStart(4, '0') : String(Math.floor(s)).padStart(2, '0')}`;
};

interface Label {
  text: string;
  /** y is where a capital letter's top goes: every label in a row shares one baseline */
  x: number;
  y: number;
  size: number;
  color: string;
  /** x is the centre */
  centre?: boolean;
}

/** Draws the analysis as a PNG at outPath. */
export async function plotAnalysis(ffmpegBin: string, a: AudioAnalysis, outPath: string, opts: AnalysisPlotOptions = {}): Promise<void> {
  const W = Math.max(400, Math.min(8000, Math.round(opts.width ?? 1600)));
  const H = Math.max(300, Math.min(4000, Math.round(opts.height ?? 600)));
  const D = a.duration_s > 0 ? a.duration_s : 1;
  const img = new Raster(W, H, BG);
  const labels: Label[] = [];
  const plotW = W - PAD_L - PAD_R;
  const xOf = (t: number): number => PAD_L + (Math.min(D, Math.max(0, t)) / D) * plotW;
  // rows (scaled from a 600-px layout)
  const k = H / 600;
  const rows = {
    title: 14 * k,
    sections: [46 * k, 80 * k],
    main: [86 * k, 380 * k],
    beats: [388 * k, 418 * k],
    scenes: [426 * k, 450 * k],
    lyrics: [458 * k, 476 * k],
    axis: [486 * k, 500 * k],
    legend: 560 * k,
  } as const;
  const font = Math.round(15 * k);
  const small = Math.round(13 * k);

  // section colours and the tinted main panel
  const colourOf = new Map<string, RGB>();
  for (const s of a.sections) if (!colourOf.has(s.label)) colourOf.set(s.label, PALETTE[colourOf.size % PALETTE.length]!);
  for (const s of a.sections) {
    const c = colourOf.get(s.label)!;
    const x0 = xOf(s.start_s);
    const x1 = xOf(s.end_s);
    img.rect(x0, rows.sections[0], x1, rows.sections[1], c, 0.95);
    img.rect(x0, rows.main[0], x1, rows.main[1], c, 0.18);
    img.rect(x0, rows.sections[0], x0 + Math.max(1, k), rows.main[1], INK, 0.5);
    const chorus = s.label === a.chorus_label;
    const text = chorus && x1 - x0 > 70 * k ? `${s.label} chorus` : s.label;
    if (x1 - x0 >= 14 * k) labels.push({ text, x: (x0 + x1) / 2, y: (rows.sections[0] + rows.sections[1]) / 2 - font / 2, size: font, color: '0x282830', centre: true });
  }
  // time grid
  const step = tickStep(D, plotW);
  for (let t = 0; t <= D + 1e-9; t += step) {
    const x = xOf(t);
    img.rect(x, rows.main[0], x + 1, rows.main[1], GRID, 0.9);
    img.rect(x, rows.axis[0] - 6 * k, x + Math.max(1, k), rows.axis[0], INK);
    labels.push({ text: formatClock(t), x, y: rows.axis[0] + 2 * k, size: small, color: '0x282830', centre: true });
  }
  // waveform
  const [m0, m1] = rows.main;
  const mid = (m0 + m1) / 2;
  const half = (m1 - m0) / 2 - 4 * k;
  const wf = a.waveform;
  if (wf && wf.values.length > 0) {
    for (let x = PAD_L; x < PAD_L + plotW; x++) {
      const t0 = ((x - PAD_L) / plotW) * D;
      const t1 = ((x + 1 - PAD_L) / plotW) * D;
      let peak = 0;
      for (let i = Math.floor(t0 / wf.hop_s); i <= Math.min(wf.values.length - 1, Math.floor(t1 / wf.hop_s)); i++) peak = Math.max(peak, wf.values[i]!);
      const h = Math.max(0.5, peak * half);
      img.rect(x, mid - h, x + 1, mid + h, WAVE, 0.85);
    }
  }
  // energy curve: 0 at the panel's bottom, 1 at its top
  const ev = a.energy.values;
  if (ev.length > 0) {
    const yOf = (v: number): number => m1 - 3 * k - v * (m1 - m0 - 6 * k);
    let prevY: number | null = null;
    for (let x = PAD_L; x < PAD_L + plotW; x++) {
      const t = ((x + 0.5 - PAD_L) / plotW) * D;
      const i = Math.min(ev.length - 1, Math.floor(t / a.energy.hop_s));
      const y = yOf(ev[i]!);
      const lo = prevY === null ? y : Math.min(y, prevY);
      const hi = prevY === null ? y : Math.max(y, prevY);
      img.rect(x, lo - 1.2 * k, x + 1, hi + 1.2 * k, ENERGY);
      prevY = y;
    }
  }
  // beats and downbeats
  const [b0, b1] = rows.beats;
  for (const t of a.beats) img.rect(xOf(t), b0 + (b1 - b0) * 0.45, xOf(t) + 1, b1, BEAT);
  for (const t of a.downbeats) img.rect(xOf(t) - 0.5 * k, b0, xOf(t) + 1.5 * k, b1, DOWNBEAT);
  if (a.beats.length === 0) labels.push({ text: 'no steady beat', x: PAD_L + 6, y: b0 + 4 * k, size: small, color: '0x707078' });
  // scenes
  const scenes = opts.scenes ?? [];
  scenes.forEach((s, i) => {
    const x0 = xOf(s.start_time_s);
    const x1 = xOf(s.end_time_s);
    img.rect(x0, rows.scenes[0], x1, rows.scenes[1], i % 2 ? [236, 226, 226] : [222, 206, 206]);
    if (i > 0) img.rect(x0 - 0.5 * k, m0, x0 + 1.5 * k, rows.scenes[1], CUT, 0.85);
    if (x1 - x0 >= 16 * k) labels.push({ text: String(i + 1), x: (x0 + x1) / 2, y: rows.scenes[0] + 4 * k, size: small, color: '0x802020', centre: true });
  });
  // lyric lines
  // lines that follow each other without a pause (LRC) stay apart: a gap and alternating shades
  const sung = (opts.lines ?? []).filter((l) => Number.isFinite(l.start) && Number.isFinite(l.end) && l.end > l.start).sort((a, b) => a.start - b.start);
  sung.forEach((l, i) => {
    const x0 = xOf(l.start) + k;
    img.rect(x0, rows.lyrics[0], Math.max(x0 + 1, xOf(l.end) - k), rows.lyrics[1], i % 2 ? LYRIC_ALT : LYRIC, 0.8);
  });
  // row labels
  const rowLabel = (text: string, y0: number, y1: number): void => {
    labels.push({ text, x: 10, y: (y0 + y1) / 2 - small / 2, size: small, color: '0x505058' });
  };
  rowLabel('sections', rows.sections[0], rows.sections[1]);
  rowLabel('audio', m0, m1);
  rowLabel('beats', rows.beats[0], rows.beats[1]);
  if (scenes.length) rowLabel('scenes', rows.scenes[0], rows.scenes[1]);
  if (opts.lines?.length) rowLabel('lyrics', rows.lyrics[0], rows.lyrics[1]);
  // legend
  const legend: [string, RGB][] = [
    ['waveform', WAVE],
    ['energy', ENERGY],
    ['beat', BEAT],
    ['downbeat', DOWNBEAT],
    ...(scenes.length ? ([['scene cut', CUT]] as [string, RGB][]) : []),
    ...(opts.lines?.length ? ([['sung line', LYRIC]] as [string, RGB][]) : []),
  ];
  let lx = PAD_L;
  for (const [text, c] of legend) {
    img.rect(lx, rows.legend - 5 * k, lx + 22 * k, rows.legend + 5 * k, c);
    labels.push({ text, x: lx + 28 * k, y: rows.legend - small / 2, size: small, color: '0x404048' });
    lx += (40 + text.length * 8.5) * k;
  }
  // title
  const meter = a.meter ? ` · ${a.meter}/4` : '';
  const tempo = a.tempo_bpm !== null ? `${Math.round(a.tempo_bpm * 10) / 10} BPM${meter}` : 'no steady beat';
  const chorus = a.chorus_label ? ` · chorus ${a.chorus_label}` : '';
  const title = opts.title ?? `${tempo} · ${formatClock(D, true)} · ${a.sections.length} section${a.sections.length === 1 ? '' : 's'}${chorus} · ${a.beats.length} beats`;
  labels.push({ text: title, x: PAD_L, y: rows.title, size: Math.round(18 * k), color: '0x202028' });
  if (a.notes.length) labels.push({ text: a.notes.join('; '), x: PAD_L, y: rows.legend + 16 * k, size: small, color: '0x707078' });

  await render(ffmpegBin, img, labels, outPath, opts.signal);
}

/** Raw RGB → ffmpeg (drawtext per label) → PNG. */
async function render(ffmpegBin: string, img: Raster, labels: readonly Label[], outPath: string, signal: AbortSignal | undefined): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'omvee-plot-'));
  try {
    await writeFile(path.join(dir, 'frame.rgb'), img.px);
    const fontOpt = await drawtextFontOption();
    const filters: string[] = [];
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i]!;
      const file = `t${i}.txt`;
      // control characters out; the file is read verbatim, so nothing else needs escaping
      await writeFile(path.join(dir, file), l.text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 400), 'utf8');
      const x = l.centre ? `${Math.round(l.x)}-text_w/2` : String(Math.round(l.x));
      // a shared baseline: 'ascent' is this text's own height above it
      const y = `${Math.round(l.y + l.size * 0.78)}-ascent`;
      filters.push(`drawtext=${fontOpt}:textfile=${file}:expansion=none:fontsize=${l.size}:fontcolor=${l.color}:x=${x}:y=${y}`);
    }
    await writeFile(path.join(dir, 'filters.txt'), filters.length ? filters.join(',\n') : 'null', 'utf8');
    await runFfmpeg(
      ffmpegBin,
      ['-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${img.w}x${img.h}`, '-i', 'frame.rgb', '-filter_script:v', 'filters.txt', '-frames:v', '1', '-update', '1', path.resolve(outPath)],
      { cwd: dir, signal },
    );
  } catch (err) {
    if (err instanceof OmveeError) throw err;
    throw new OmveeError('media', `the analysis plot could not be drawn: ${(err as Error).message}`, { cause: err });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
