/**
 * OpenTimelineIO JSON (.otio) for a cut: Timeline.1 → Stack.1 → a video Track.1 of Clip.2 (each
 * with an ExternalReference.1 to its file) and an audio Track.1 with the song; section markers
 * (Marker.2) on the stack. Field sets follow the serialized schema the OTIO project publishes
 * (docs/tutorials/otio-serialized-schema-only-fields.md in AcademySoftwareFoundation/OpenTimelineIO).
 * Times are RationalTime.1 in frames at the cut's rate.
 */
import { fileUrl, type CutTimeline } from './timeline.ts';

const rt = (value: number, rate: number): object => ({ OTIO_SCHEMA: 'RationalTime.1', rate, value });
const range = (start: number, duration: number, rate: number): object => ({ OTIO_SCHEMA: 'TimeRange.1', duration: rt(duration, rate), start_time: rt(start, rate) });

function clip(name: string, path: string, sourceIn: number, frames: number, available: number, rate: number, metadata: object = {}): object {
  return {
    OTIO_SCHEMA: 'Clip.2',
    metadata,
    name,
    source_range: range(sourceIn, frames, rate),
    effects: [],
    markers: [],
    enabled: true,
    media_references: {
      DEFAULT_MEDIA: { OTIO_SCHEMA: 'ExternalReference.1', metadata: {}, name, available_range: range(0, available, rate), available_image_bounds: null, target_url: fileUrl(path) },
    },
    active_media_reference_key: 'DEFAULT_MEDIA',
  };
}

export function writeOtio(t: CutTimeline): string {
  const rate = t.fps;
  const video = {
    OTIO_SCHEMA: 'Track.1',
    metadata: {},
    name: 'V1',
    source_range: null,
    effects: [],
    markers: [],
    enabled: true,
    children: t.clips.map((c) => clip(c.name, c.path, c.sourceIn, c.frames, c.sourceFrames, rate)),
    kind: 'Video',
  };
  const audio = {
    OTIO_SCHEMA: 'Track.1',
    metadata: {},
    name: 'A1',
    source_range: null,
    effects: [],
    markers: [],
    enabled: true,
    children: [clip(t.audio.name, t.audio.path, 0, t.frames, t.audio.frames, rate)],
    kind: 'Audio',
  };
  const markers = t.markers.map((m) => ({
    OTIO_SCHEMA: 'Marker.2',
    metadata: {},
    name: m.name,
    color: m.colour.toUpperCase(),
    marked_range: range(m.frame, 0, rate),
    comment: m.note ?? '',
  }));
  const doc = {
    OTIO_SCHEMA: 'Timeline.1',
    metadata: { omvee: { width: t.width, height: t.height } },
    name: t.name,
    global_start_time: rt(0, rate),
    tracks: { OTIO_SCHEMA: 'Stack.1', metadata: {}, name: 'tracks', source_range: null, effects: [], markers, enabled: true, children: [video, audio] },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
