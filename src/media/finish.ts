/**
 * Burning a clip's finish (captions, beat flashes, the audio-reactive layer: one ASS document in
 * song time) in the encode that makes the clip. The frames are stamped with their song time
 * before libass draws (setpts=(N + startFrame)/(fps·TB)) and back to the clip's own time after,
 * so a line that crosses a cut is drawn exactly the same on both sides of it.
 *
 * The document and the fonts are placed in a scratch folder the encode runs in (named relatively:
 * no filter-argument escaping of user paths); the fonts folder is a symbolic link to the one
 * omvee passes to libass as `fontsdir`.
 */
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ClipFinish, ClipFormat } from './port.ts';

/** The filters that burn a finish, to append to a chain whose frames are timed N/(fps·TB). */
export function finishFilters(format: ClipFormat, finish: ClipFinish): string[] {
  const fps = format.fps;
  return [`setpts=(N+${Math.max(0, Math.round(finish.startFrame))})/(${fps}*TB)`, 'subtitles=f=finish.ass:fontsdir=fonts', `setpts=N/(${fps}*TB)`];
}

/** Writes the document and links the fonts into a fresh folder; returns it and its cleanup. */
export async function prepareFinish(finish: ClipFinish): Promise<{ cwd: string; cleanup: () => Promise<void> }> {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'omvee-finish-'));
  try {
    await writeFile(path.join(cwd, 'finish.ass'), finish.ass, 'utf8');
    await symlink(path.resolve(finish.fontsDir), path.join(cwd, 'fonts'), 'dir');
  } catch (err) {
    await rm(cwd, { recursive: true, force: true });
    throw err;
  }
  return { cwd, cleanup: () => rm(cwd, { recursive: true, force: true }) };
}
