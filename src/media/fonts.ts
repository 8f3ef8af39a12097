/** Picks a font for drawtext: DejaVu Sans Bold when installed, else fontconfig's "Sans". */
import { access } from 'node:fs/promises';

const CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf',
  '/usr/local/share/fonts/DejaVuSans-Bold.ttf',
  '/Library/Fonts/DejaVuSans-Bold.ttf',
];

/** Paths that can sit in a filter argument without any escaping. */
const FILTER_SAFE_PATH = /^[A-Za-z0-9_/.-]+$/;

let cached: Promise<string> | undefined;

/** A drawtext option selecting the font: `fontfile=/path` or `font=Sans`. */
export function drawtextFontOption(): Promise<string> {
  cached ??= (async () => {
    for (const file of CANDIDATES) {
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
  return cached;
}
