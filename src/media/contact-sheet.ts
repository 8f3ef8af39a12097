/**
 * A contact sheet: one PNG grid of thumbnails (shaped like the video's frame), each with its
 * caption (scene number, time range, lyric), its take number and review state (a coloured badge)
 * and the reviewer's note, so a person can review a whole storyboard at a glance. Optionally a
 * timeline strip above the tiles: the song's sections (repeats share a colour), beats, downbeats
 * and the scene cuts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OmveeError } from '../core/errors.ts';
import { drawtextFontOption } from './fonts.ts';
import type { ContactSheetItem, ContactSheetOptions, ContactSheetTimeline } from './port.ts';
import { runFfmpeg } from './run.ts';
import { encodePng } from './still.ts';

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

const CAPTION_FS = 14;
const LINE_H = 18;
const PAD = 4;

/** Thumbnail size for a frame shape: 16:9 → 320×180, 9:16 → 180×320, 1:1 → 240×240. */
export function thumbSize(frame: { width: number; height: number } | undefined): { width: number; height: number } {
  if (!frame || !(frame.width > 0 && frame.height > 0)) return { width: 320, height: 180 };
  const area = 320 * 180;
  const r = frame.width / frame.height;
  const even = (v: number): number => Math.max(2, Math.round(v / 2) * 2);
  return { width: even(Math.sqrt(area * r)), height: even(Math.sqrt(area / r)) };
}

const REVIEW_COLOURS: Record<string, string> = { approved: '0x2e9e5b', rejected: '0xc8403a', unreviewed: '0x6b6b6b' };

const SECTION_COLOURS: [number, number, number][] = [
  [70, 110, 190],
  [200, 90, 110],
  [90, 160, 120],
  [210, 160, 70],
  [140, 100, 190],
  [80, 170, 180],
];

/** Draws the timeline strip (sections, beats, downbeats, cuts) as RGB pixels; labels are drawn by ffmpeg. */
export function drawTimeline(t: ContactSheetTimeline, width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  const fill = (x0: number, y0: number, x1: number, y1: number, c: readonly number[]): void => {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(height, Math.ceil(y1)); y++) {
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(width, Math.ceil(x1)); x++) {
        const i = (y * width + x) * 3;
        rgb[i] = c[0]!;
        rgb[i + 1] = c[1]!;
        rgb[i + 2] = c[2]!;
      }
    }
  };
  fill(0, 0, width, height, [16, 16, 16]);
  const left = PAD;
  const span = width - 2 * PAD;
  const xOf = (s: number): number => left + (span * Math.min(t.durationS, Math.max(0, s))) / Math.max(0.001, t.durationS);
  const labels = [...new Set(t.sections.map((s) => s.label))];
  for (const s of t.sections) fill(xOf(s.start_s) + 1, 18, xOf(s.end_s) - 1, 40, SECTION_COLOURS[labels.indexOf(s.label) % SECTION_COLOURS.length]!);
  for (const b of t.beats) fill(xOf(b), 44, xOf(b) + 1, 50, [150, 150, 150]);
  for (const d of t.downbeats) fill(xOf(d), 42, xOf(d) + 1, 54, [235, 235, 235]);
  for (const c of t.cuts) fill(xOf(c.at), 2, xOf(c.at) + 2, 58, [255, 210, 80]);
  return rgb;
}

export const TIMELINE_H = 60;

export async function makeContactSheet(ffmpeg: string, items: readonly ContactSheetItem[], outPath: string, columns: number, options: ContactSheetOptions = {}): Promise<void> {
  if (items.length === 0) throw new OmveeError('invalid_input', 'a contact sheet needs at least one image');
  const cols = Math.max(1, Math.min(Math.floor(columns) || 1, items.length));
  const rows = Math.ceil(items.length / cols);
  const { width: TW, height: TH } = thumbSize(options.frame);
  const chars = Math.max(16, Math.floor(TW / 8.6));
  const hasReview = items.some((i) => i.take !== undefined || i.review !== undefined || i.note);
  const capLines = 3;
  const noteLines = hasReview ? 2 : 0;
  const captionH = (capLines + (hasReview ? 1 : 0) + noteLines) * LINE_H + 12;
  const font = await drawtextFontOption();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'omvee-sheet-'));
  try {
    const inputs: string[] = [];
    const chains: string[] = [];
    let fileNo = 0;
    const text = async (content: string): Promise<string> => {
      const name = `t${fileNo++}.txt`;
      await writeFile(path.join(dir, name), content, 'utf8');
      return name;
    };
    for (const [i, item] of items.entries()) {
      inputs.push('-f', 'image2', '-pattern_type', 'none', '-i', path.resolve(item.imagePath));
      const draws: string[] = [];
      let y = TH + 6;
      for (const line of wrapText(item.caption, chars).slice(0, capLines)) {
        draws.push(`drawtext=${font}:textfile=${await text(line)}:expansion=none:fontsize=${CAPTION_FS}:fontcolor=white:x=8:y=${y}`);
        y += LINE_H;
      }
      y = TH + 6 + capLines * LINE_H;
      if (hasReview) {
        const state = item.review ?? 'unreviewed';
        const badge = `${item.take !== undefined && item.take !== null ? `take ${item.take}` : 'no take'} · ${state}`;
        draws.push(`drawbox=x=6:y=${y - 2}:w=${Math.round(badge.length * 8 + 10)}:h=${LINE_H}:color=${REVIEW_COLOURS[state] ?? REVIEW_COLOURS['unreviewed']}@0.95:t=fill`);
        draws.push(`drawtext=${font}:textfile=${await text(badge)}:expansion=none:fontsize=${CAPTION_FS - 1}:fontcolor=white:x=11:y=${y}`);
        y += LINE_H;
        for (const line of wrapText(item.note ? `“${item.note}”` : '', chars).slice(0, noteLines)) {
          draws.push(`drawtext=${font}:textfile=${await text(line)}:expansion=none:fontsize=${CAPTION_FS - 1}:fontcolor=0xd8d8a8:x=8:y=${y}`);
          y += LINE_H;
        }
      }
      chains.push(
        [
          `[${i}:v]scale=${TW}:${TH}:force_original_aspect_ratio=decrease:flags=bicubic`,
          `pad=${TW}:${TH}:(ow-iw)/2:(oh-ih)/2:color=0x000000`,
          `pad=${TW}:${TH + captionH}:0:0:color=0x181818`,
          ...draws,
          'setsar=1',
          `format=rgb24[t${i}]`,
        ].join(','),
      );
    }
    const labels = items.map((_, i) => `[t${i}]`).join('');
    let graph = `${chains.join(';')};${labels}concat=n=${items.length}:v=1:a=0,tile=${cols}x${rows}:padding=${PAD}:margin=${PAD}:color=0x101010`;
    const sheetW = cols * TW + (cols - 1) * PAD + 2 * PAD;
    if (options.timeline && options.timeline.durationS > 0) {
      const t = options.timeline;
      await writeFile(path.join(dir, 'timeline.png'), encodePng(sheetW, TIMELINE_H, drawTimeline(t, sheetW, TIMELINE_H)));
      inputs.push('-f', 'image2', '-pattern_type', 'none', '-i', path.join(dir, 'timeline.png'));
      const span = sheetW - 2 * PAD;
      const xOf = (s: number): number => Math.round(PAD + (span * Math.min(t.durationS, Math.max(0, s))) / t.durationS);
      const marks: string[] = [];
      for (const s of t.sections) {
        if (xOf(s.end_s) - xOf(s.start_s) < 14) continue;
        marks.push(`drawtext=${font}:textfile=${await text(s.label)}:expansion=none:fontsize=13:fontcolor=white:x=${xOf(s.start_s) + 4}:y=22`);
      }
      let lastX = -100;
      for (const c of t.cuts) {
        const x = xOf(c.at);
        if (x - lastX < 18) continue;
        lastX = x;
        marks.push(`drawtext=${font}:textfile=${await text(String(c.scene))}:expansion=none:fontsize=11:fontcolor=0xffd250:x=${x + 3}:y=3`);
      }
      graph += `[grid];[${items.length}:v]${marks.length > 0 ? marks.join(',') + ',' : ''}format=rgb24[strip];[strip][grid]vstack=inputs=2[out]`;
    } else {
      graph += '[out]';
    }
    await runFfmpeg(ffmpeg, ['-y', ...inputs, '-filter_complex', graph, '-map', '[out]', '-frames:v', '1', '-update', '1', '-f', 'image2', '-c:v', 'png', path.resolve(outPath)], { cwd: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
