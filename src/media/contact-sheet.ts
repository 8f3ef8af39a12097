/**
 * A contact sheet: one PNG grid of thumbnails, each with its caption (e.g. time range + lyric)
 * typeset underneath, so a person can review a whole storyboard at a glance.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OmveeError } from '../core/errors.ts';
import { drawtextFontOption } from './fonts.ts';
import { runFfmpeg } from './run.ts';
import { wrapText } from './still.ts';

export const THUMB_W = 320;
export const THUMB_H = 180;
const CAPTION_FS = 14;
const CAPTION_LINES = 3;
const CAPTION_H = CAPTION_LINES * 18 + 12;

export async function makeContactSheet(ffmpeg: string, items: readonly { imagePath: string; caption: string }[], outPath: string, columns: number): Promise<void> {
  if (items.length === 0) throw new OmveeError('invalid_input', 'a contact sheet needs at least one image');
  const cols = Math.max(1, Math.min(Math.floor(columns) || 1, items.length));
  const rows = Math.ceil(items.length / cols);
  const font = await drawtextFontOption();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'omvee-sheet-'));
  try {
    const inputs: string[] = [];
    const chains: string[] = [];
    for (const [i, item] of items.entries()) {
      inputs.push('-f', 'image2', '-pattern_type', 'none', '-i', path.resolve(item.imagePath));
      const lines = wrapText(item.caption, 34).slice(0, CAPTION_LINES);
      const draws: string[] = [];
      for (const [j, line] of lines.entries()) {
        const name = `cap${i}_${j}.txt`;
        await writeFile(path.join(dir, name), line, 'utf8');
        draws.push(`drawtext=${font}:textfile=${name}:expansion=none:fontsize=${CAPTION_FS}:fontcolor=white:x=8:y=${THUMB_H + 6 + j * 18}`);
      }
      chains.push(
        [
          `[${i}:v]scale=${THUMB_W}:${THUMB_H}:force_original_aspect_ratio=decrease:flags=bicubic`,
          `pad=${THUMB_W}:${THUMB_H}:(ow-iw)/2:(oh-ih)/2:color=0x000000`,
          `pad=${THUMB_W}:${THUMB_H + CAPTION_H}:0:0:color=0x181818`,
          ...draws,
          'setsar=1',
          `format=rgb24[t${i}]`,
        ].join(','),
      );
    }
    const labels = items.map((_, i) => `[t${i}]`).join('');
    const graph = `${chains.join(';')};${labels}concat=n=${items.length}:v=1:a=0,tile=${cols}x${rows}:padding=4:margin=4:color=0x101010[out]`;
    await runFfmpeg(ffmpeg, ['-y', ...inputs, '-filter_complex', graph, '-map', '[out]', '-frames:v', '1', '-update', '1', '-f', 'image2', '-c:v', 'png', path.resolve(outPath)], { cwd: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
