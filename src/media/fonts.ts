/**
 * Fonts omvee draws with, found by path, never by luck:
 * - captions: Montserrat ExtraBold (SIL Open Font License 1.1), a TTF shipped in the npm package
 *   @expo-google-fonts/montserrat, a dependency of omvee. libass loads it from the fonts
 *   directory omvee passes to the subtitles filter (`fontsdir=`) and selects it by its family name;
 *   its metrics are read from the same file so captions are measured with the font that draws them.
 * - drawtext (contact sheets): DejaVu Sans Bold (Debian's fonts-dejavu-core, which bin/setup installs
 *   with ffmpeg) when present, else the caption font file.
 */
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { OmveeError } from '../core/errors.ts';
import { readFontMetrics } from './font-metrics.ts';
import type { CaptionFont } from './port.ts';

export type { CaptionFont };

const CAPTION_FONT_MODULE = '@expo-google-fonts/montserrat/800ExtraBold/Montserrat_800ExtraBold.ttf';
const CAPTION_FONT_FAMILY = 'Montserrat ExtraBold';

let captionCache: Promise<CaptionFont> | undefined;

/** The caption font (resolved once per process). */
export function captionFont(): Promise<CaptionFont> {
  captionCache ??= (async () => {
    let file: string;
    try {
      file = createRequire(import.meta.url).resolve(CAPTION_FONT_MODULE);
      await access(file);
    } catch (err) {
      captionCache = undefined;
      throw new OmveeError('media', 'the caption font (Montserrat ExtraBold from @expo-google-fonts/montserrat) is not installed', {
        hint: 'Reinstall omvee\'s dependencies (npm ci, or bin/setup in a checkout).',
        cause: err,
      });
    }
    const metrics = await readFontMetrics(file);
    return { family: CAPTION_FONT_FAMILY, file, dir: path.dirname(file), metrics };
  })();
  return captionCache;
}

const DRAWTEXT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf',
  '/usr/local/share/fonts/DejaVuSans-Bold.ttf',
  '/Library/Fonts/DejaVuSans-Bold.ttf',
];

/** Paths that can sit in a filter argument without any escaping. */
const FILTER_SAFE_PATH = /^[A-Za-z0-9_/.@+-]+$/;

let drawtextCache: Promise<string> | undefined;

/** A drawtext option selecting a font: `fontfile=/path` (DejaVu Sans Bold, else the caption font), or `font=Sans`. */
export function drawtextFontOption(): Promise<string> {
  drawtextCache ??= (async () => {
    const candidates = [...DRAWTEXT_CANDIDATES];
    try {
      candidates.push((await captionFont()).file);
    } catch {
      // no caption font: fontconfig's Sans below
    }
    for (const file of candidates) {
      if (!FILTER_SAFE_PATH.test(file)) continue;
      try {
        await access(file);
        return `fontfile=${file}`;
      } catch {
        // try the next one
      }
    }
    return 'font=Sans';
  })();
  return drawtextCache;
}
