/**
 * A CMX3600 edit decision list for a cut: a TITLE line and FCM (frame code mode) line, then one
 * event per clip on the video track and one for the song on audio track 1, each
 *   NNN  REEL     TRACK  TRANS  SRC-IN      SRC-OUT     REC-IN      REC-OUT
 * with 3-digit event numbers, reel names of at most 8 characters, cuts (C) only and non-drop
 * timecode HH:MM:SS:FF; the record side starts at 01:00:00:00. Clip file names follow in
 * "* FROM CLIP NAME:" comments and section markers in "* LOC:" comments (read by Resolve and
 * Premiere). CMX3600 allows 999 events.
 */
import { OmveeError } from '../errors.ts';
import type { CutTimeline } from './timeline.ts';

export const RECORD_START_FRAMES_HOURS = 1;

/** Frames → non-drop timecode HH:MM:SS:FF at an integer rate. */
export function timecode(frames: number, fps: number): string {
  const f = Math.max(0, Math.round(frames));
  const ff = f % fps;
  const s = Math.floor(f / fps);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}:${p(ff)}`;
}

/** A reel name CMX3600 accepts: up to 8 characters, letters, digits and underscores, upper case. */
export function reelName(name: string): string {
  const r = name.toUpperCase().replace(/[^A-Z0-9_]/g, '').slice(0, 8);
  return r || 'AX';
}

const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ').trim();

export function writeEdl(t: CutTimeline): string {
  if (t.clips.length + 1 > 999) throw new OmveeError('invalid_input', `an EDL holds at most 999 events (this cut has ${t.clips.length + 1})`, { hint: 'export it as OTIO or FCPXML instead' });
  const fps = t.fps;
  const rec0 = RECORD_START_FRAMES_HOURS * 3600 * fps;
  const lines = [`TITLE: ${oneLine(t.name).slice(0, 60) || 'omvee'}`, 'FCM: NON-DROP FRAME', ''];
  const event = (n: number, reel: string, track: string, srcIn: number, srcOut: number, recIn: number, recOut: number): string =>
    `${String(n).padStart(3, '0')}  ${reel.padEnd(8)} ${track.padEnd(5)} C        ${timecode(srcIn, fps)} ${timecode(srcOut, fps)} ${timecode(rec0 + recIn, fps)} ${timecode(rec0 + recOut, fps)}`;
  let n = 0;
  for (const c of t.clips) {
    n += 1;
    lines.push(event(n, reelName(c.name.replace(/^scene-/, 'S')), 'V', c.sourceIn, c.sourceIn + c.frames, c.recordIn, c.recordIn + c.frames));
    lines.push(`* FROM CLIP NAME: ${oneLine(c.path.split('/').pop() ?? c.name)}`);
    for (const m of t.markers.filter((m) => m.frame >= c.recordIn && m.frame < c.recordIn + c.frames)) {
      lines.push(`* LOC: ${timecode(rec0 + m.frame, fps)} ${m.colour.toUpperCase()} ${oneLine(m.name)}`);
    }
    lines.push('');
  }
  n += 1;
  lines.push(event(n, 'SONG', 'A', 0, t.frames, 0, t.frames));
  lines.push(`* FROM CLIP NAME: ${oneLine(t.audio.path.split('/').pop() ?? t.audio.name)}`);
  lines.push('');
  return lines.join('\n');
}
