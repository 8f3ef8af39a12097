/**
 * Glyph advance widths read from a TrueType/OpenType font file (the tables head, hhea, OS/2,
 * hmtx and cmap, as the OpenType spec lays them out: https://learn.microsoft.com/typography/opentype/spec/),
 * so captions can be measured before they are drawn: a line is broken and sized by the widths
 * of the font libass will really use, not by a guess per character.
 *
 * Sizes follow libass: an ASS font size is the font's Windows cell height
 * (usWinAscent + usWinDescent) in pixels — libass sets the FreeType size by that "real
 * dimension" the way GDI does — so one em is fontSize × unitsPerEm / (winAscent + winDescent).
 * Kerning and shaping are not applied; callers leave a small margin for them.
 */
import { readFile } from 'node:fs/promises';
import type { FontMetrics } from '../core/captions/layout.ts';
import { OmveeError } from '../core/errors.ts';

interface Tables {
  [tag: string]: { offset: number; length: number };
}

function readTables(buf: Buffer): Tables {
  if (buf.length < 12) throw new Error('too short');
  const version = buf.readUInt32BE(0);
  if (version !== 0x00010000 && version !== 0x4f54544f && version !== 0x74727565) throw new Error('not a TrueType/OpenType font');
  const count = buf.readUInt16BE(4);
  const tables: Tables = {};
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    const tag = buf.toString('latin1', at, at + 4);
    const offset = buf.readUInt32BE(at + 8);
    const length = buf.readUInt32BE(at + 12);
    if (offset + length > buf.length) throw new Error(`table ${tag} is out of the file`);
    tables[tag] = { offset, length };
  }
  for (const need of ['head', 'hhea', 'hmtx', 'cmap']) if (!tables[need]) throw new Error(`no ${need} table`);
  return tables;
}

/** code point → glyph id, from the best Unicode cmap subtable (format 12, else format 4). */
function readCmap(buf: Buffer, cmapOffset: number): Map<number, number> {
  const n = buf.readUInt16BE(cmapOffset + 2);
  let best: { offset: number; format: number } | null = null;
  for (let i = 0; i < n; i++) {
    const at = cmapOffset + 4 + i * 8;
    const platform = buf.readUInt16BE(at);
    const encoding = buf.readUInt16BE(at + 2);
    const offset = cmapOffset + buf.readUInt32BE(at + 4);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const format = buf.readUInt16BE(offset);
    if (format === 12 && best?.format !== 12) best = { offset, format };
    else if (format === 4 && !best) best = { offset, format };
  }
  const map = new Map<number, number>();
  if (!best) return map;
  const o = best.offset;
  if (best.format === 12) {
    const groups = buf.readUInt32BE(o + 12);
    for (let g = 0; g < groups; g++) {
      const at = o + 16 + g * 12;
      const start = buf.readUInt32BE(at);
      const end = Math.min(buf.readUInt32BE(at + 4), start + 0xffff);
      const glyph = buf.readUInt32BE(at + 8);
      for (let c = start; c <= end; c++) map.set(c, glyph + (c - start));
    }
    return map;
  }
  const segCount = buf.readUInt16BE(o + 6) / 2;
  const ends = o + 14;
  const starts = ends + segCount * 2 + 2;
  const deltas = starts + segCount * 2;
  const ranges = deltas + segCount * 2;
  for (let s = 0; s < segCount; s++) {
    const end = buf.readUInt16BE(ends + s * 2);
    const start = buf.readUInt16BE(starts + s * 2);
    const delta = buf.readInt16BE(deltas + s * 2);
    const rangeOffset = buf.readUInt16BE(ranges + s * 2);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const at = ranges + s * 2 + rangeOffset + (c - start) * 2;
        if (at + 2 > buf.length) continue;
        const g = buf.readUInt16BE(at);
        glyph = g === 0 ? 0 : (g + delta) & 0xffff;
      }
      if (glyph !== 0) map.set(c, glyph);
    }
  }
  return map;
}

/** Parses a font file's metrics; throws OmveeError('media') for a file that is not a usable font. */
export function parseFontMetrics(buf: Buffer, name = 'font'): FontMetrics {
  try {
    const t = readTables(buf);
    const unitsPerEm = buf.readUInt16BE(t['head']!.offset + 18);
    const hhea = t['hhea']!.offset;
    const hheaAscent = buf.readInt16BE(hhea + 4);
    const hheaDescent = buf.readInt16BE(hhea + 6);
    const numberOfHMetrics = buf.readUInt16BE(hhea + 34);
    let winAscent = hheaAscent;
    let winDescent = -hheaDescent;
    const os2 = t['OS/2'];
    if (os2 && os2.length >= 78) {
      const a = buf.readInt16BE(os2.offset + 74);
      const d = buf.readInt16BE(os2.offset + 76);
      if (a + d !== 0) {
        winAscent = a;
        winDescent = d;
      }
    }
    const hmtx = t['hmtx']!.offset;
    const advances: number[] = [];
    for (let g = 0; g < numberOfHMetrics; g++) advances.push(buf.readUInt16BE(hmtx + g * 4));
    const lastAdvance = advances[advances.length - 1] ?? unitsPerEm / 2;
    const cmap = readCmap(buf, t['cmap']!.offset);
    const advanceOf = (glyph: number): number => (glyph < advances.length ? advances[glyph]! : lastAdvance);
    // what a character the font lacks costs (libass draws it from a fallback font): the width of "o"
    const fallback = cmap.has(0x6f) ? advanceOf(cmap.get(0x6f)!) : unitsPerEm * 0.6;
    const cellUnits = winAscent + winDescent;
    return {
      unitsPerEm,
      ascent: winAscent / cellUnits,
      descent: winDescent / cellUnits,
      hasGlyph: (cp: number) => cmap.has(cp),
      /** width in pixels of `text` at ASS font size `fontSize` (no kerning) */
      measure(text: string, fontSize: number): number {
        let units = 0;
        for (const ch of text) {
          const cp = ch.codePointAt(0)!;
          const glyph = cmap.get(cp);
          units += glyph === undefined ? fallback : advanceOf(glyph);
        }
        return (units / cellUnits) * fontSize;
      },
    };
  } catch (err) {
    if (err instanceof OmveeError) throw err;
    throw new OmveeError('media', `the caption font ${name} could not be read: ${err instanceof Error ? err.message : String(err)}`, {
      hint: 'Reinstall omvee (npm ci) so its caption font package is complete.',
      cause: err,
    });
  }
}

export async function readFontMetrics(file: string): Promise<FontMetrics> {
  return parseFontMetrics(await readFile(file), file);
}
