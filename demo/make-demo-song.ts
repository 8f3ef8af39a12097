/**
 * Makes the bundled demo song: `node demo/make-demo-song.ts` writes demo/easy-kill.mp3 (48 s,
 * synthesised by ffmpeg, royalty-free because this project makes it) and demo/easy-kill.lrc.
 * The lyrics are timed to the synthesiser's bars (100 BPM → one bar every 2.4 s).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveBinaries } from '../src/media/binaries.ts';
import { synthesizeSong } from '../src/media/synth.ts';

export const DEMO_DURATION_S = 48;
const BAR_S = 2.4;

/** Lines in order, each starting at a bar number (0-based); two bars per line. */
const LINES: readonly [bar: number, text: string][] = [
  [2, 'Streetlights hum a song I used to know'],
  [4, 'Every window gold and every shadow slow'],
  [6, 'You said the night was ours to give away'],
  [8, "I kept a little, just in case you'd stay"],
  [10, "It's an easy kill, an easy kill"],
  [12, 'Heart on the line and the clock stands still'],
  [14, 'Say it soft, say it like you will'],
  [16, 'Love was never gonna be an easy kill'],
  [18, '(an easy kill)'],
];

const lrcTime = (s: number): string => {
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return `${String(m).padStart(2, '0')}:${rest.toFixed(2).padStart(5, '0')}`;
};

export function demoLrc(): string {
  const head = ['[ar:omvee demo band]', '[ti:Easy Kill]', '[al:omvee demo]', `[length:${lrcTime(DEMO_DURATION_S).slice(0, 5)}]`, '[by:omvee make-demo-song]'];
  return [...head, ...LINES.map(([bar, text]) => `[${lrcTime(bar * BAR_S)}]${text}`), ''].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const { ffmpeg } = await resolveBinaries(process.env);
  await synthesizeSong(ffmpeg, path.join(here, 'easy-kill.mp3'), DEMO_DURATION_S, { bitrateK: 80 });
  await writeFile(path.join(here, 'easy-kill.lrc'), demoLrc(), 'utf8');
  process.stdout.write(`wrote ${path.join(here, 'easy-kill.mp3')} and easy-kill.lrc\n`);
}
