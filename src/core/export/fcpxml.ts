/**
 * Final Cut Pro XML (FCPXML 1.9) for a cut: a format resource (frame size and rate), an asset per
 * clip file and one for the song, and a project whose sequence spine holds an asset-clip per
 * scene; the song is a connected asset-clip (lane -1) of the first clip, and section markers sit
 * on the clips they fall in. Element order and required attributes follow Apple's DTD for
 * version 1.9 (FCPXMLv1_9.dtd: fcpxml, resources, format, asset, media-rep, library, event,
 * project, sequence, spine, asset-clip, marker). Times are rational seconds "frames/fps s".
 */
import { fileUrl, type CutTimeline } from './timeline.ts';

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Frames → an FCPXML time: "0s", or "N/fps s" reduced ("90/30s" → "3s"). */
export function fcpTime(frames: number, fps: number): string {
  if (frames === 0) return '0s';
  const g = gcd(Math.abs(frames), fps);
  const num = frames / g;
  const den = fps / g;
  return den === 1 ? `${num}s` : `${num}/${den}s`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export function writeFcpxml(t: CutTimeline): string {
  const fps = t.fps;
  const T = (f: number): string => fcpTime(f, fps);
  const a = (k: string, v: string | number): string => ` ${k}="${xmlEscape(String(v))}"`;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE fcpxml>', '<fcpxml version="1.9">', '  <resources>'];
  out.push(`    <format${a('id', 'r1')}${a('name', `omvee ${t.width}x${t.height}@${fps}`)}${a('frameDuration', fcpTime(1, fps))}${a('width', t.width)}${a('height', t.height)}/>`);
  t.clips.forEach((c, i) => {
    out.push(`    <asset${a('id', `r${i + 2}`)}${a('name', c.name)}${a('start', '0s')}${a('duration', T(c.sourceFrames))}${a('hasVideo', 1)}${a('format', 'r1')}${a('videoSources', 1)}>`);
    out.push(`      <media-rep${a('kind', 'original-media')}${a('src', fileUrl(c.path))}/>`);
    out.push('    </asset>');
  });
  const songId = `r${t.clips.length + 2}`;
  out.push(`    <asset${a('id', songId)}${a('name', t.audio.name)}${a('start', '0s')}${a('duration', T(t.audio.frames))}${a('hasAudio', 1)}${a('audioSources', 1)}${a('audioChannels', t.audio.channels ?? 2)}${t.audio.sampleRate ? a('audioRate', t.audio.sampleRate) : ''}>`);
  out.push(`      <media-rep${a('kind', 'original-media')}${a('src', fileUrl(t.audio.path))}/>`);
  out.push('    </asset>');
  out.push('  </resources>');
  out.push('  <library>');
  out.push(`    <event${a('name', t.name)}>`);
  out.push(`      <project${a('name', t.name)}>`);
  out.push(`        <sequence${a('format', 'r1')}${a('duration', T(t.frames))}${a('tcStart', '0s')}${a('tcFormat', 'NDF')}${a('audioLayout', 'stereo')}${a('audioRate', '48k')}>`);
  out.push('          <spine>');
  t.clips.forEach((c, i) => {
    const open = `            <asset-clip${a('ref', `r${i + 2}`)}${a('offset', T(c.recordIn))}${a('name', c.name)}${a('start', T(c.sourceIn))}${a('duration', T(c.frames))}${a('format', 'r1')}${a('tcFormat', 'NDF')}`;
    const inner: string[] = [];
    if (i === 0) inner.push(`              <asset-clip${a('ref', songId)}${a('lane', -1)}${a('offset', T(c.sourceIn))}${a('name', t.audio.name)}${a('start', '0s')}${a('duration', T(t.frames))}${a('audioRole', 'music')}/>`);
    for (const m of t.markers.filter((m) => m.frame >= c.recordIn && m.frame < c.recordIn + c.frames)) {
      // a marker's start is in the clip's own time: its source start plus how far into the clip it is
      inner.push(`              <marker${a('start', T(c.sourceIn + m.frame - c.recordIn))}${a('duration', T(1))}${a('value', m.name)}${m.note ? a('note', m.note) : ''}/>`);
    }
    if (inner.length === 0) out.push(`${open}/>`);
    else out.push(`${open}>`, ...inner, '            </asset-clip>');
  });
  out.push('          </spine>', '        </sequence>', '      </project>', '    </event>', '  </library>', '</fcpxml>', '');
  return out.join('\n');
}
