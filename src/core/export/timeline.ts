/**
 * The cut as an editor's timeline: the clips in order on one video track (each with its source
 * in/out and its record position, in frames), the song on one audio track, and markers where the
 * song's sections start. Pure data, written out by the OTIO, CMX3600 EDL and FCPXML writers.
 */
import type { AudioAnalysis } from '../analysis/model.ts';
import { OmveeError } from '../errors.ts';
import type { Project, Scene, VideoClip } from '../model.ts';
import { frameBoundary, totalFrames } from '../timeline/index.ts';

export const EXPORT_FORMATS = ['otio', 'edl', 'fcpxml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(v: unknown): v is ExportFormat {
  return typeof v === 'string' && (EXPORT_FORMATS as readonly string[]).includes(v);
}

export const MARKER_COLOURS = ['red', 'orange', 'yellow', 'green', 'cyan', 'blue', 'purple', 'magenta'] as const;
export type MarkerColour = (typeof MARKER_COLOURS)[number];

export interface CutClip {
  /** e.g. "scene-003" */
  name: string;
  /** absolute path of the exported media file */
  path: string;
  /** where the clip starts in the cut (frames from 0) */
  recordIn: number;
  /** its length in frames */
  frames: number;
  /** first frame used from the source (house clips are used whole: 0) */
  sourceIn: number;
  /** frames the source file has */
  sourceFrames: number;
}

export interface CutMarker {
  frame: number;
  name: string;
  colour: MarkerColour;
  note?: string;
}

export interface CutTimeline {
  name: string;
  fps: number;
  width: number;
  height: number;
  frames: number;
  clips: CutClip[];
  audio: { name: string; path: string; frames: number; sampleRate: number | null; channels: number | null };
  markers: CutMarker[];
}

export interface CutInput {
  project: Project;
  scenes: readonly Scene[];
  /** the clip of each scene, in scene order */
  clips: readonly VideoClip[];
  /** absolute path of each exported clip, by clip id */
  clipPaths: ReadonlyMap<string, string>;
  songPath: string;
  analysis?: AudioAnalysis | null;
}

export function cutTimeline(input: CutInput): CutTimeline {
  const { project, scenes, clips } = input;
  const fps = project.fps;
  if (!Number.isInteger(fps) || fps <= 0) throw new OmveeError('invalid_input', `timelines are written at whole frame rates (the project has ${fps})`);
  if (scenes.length !== clips.length) throw new OmveeError('invalid_input', 'every scene needs a clip to export the cut');
  const frames = totalFrames(project.audio_duration_s ?? scenes[scenes.length - 1]!.end_time_s, fps);
  const cut: CutClip[] = scenes.map((scene, i) => {
    const clip = clips[i]!;
    const recordIn = frameBoundary(scene.start_time_s, fps);
    const length = frameBoundary(scene.end_time_s, fps) - recordIn;
    const path = input.clipPaths.get(clip.id);
    if (!path) throw new OmveeError('internal', `no exported file for the clip of scene ${scene.order_idx + 1}`);
    return { name: `scene-${String(scene.order_idx + 1).padStart(3, '0')}`, path, recordIn, frames: length, sourceIn: 0, sourceFrames: clip.frame_count ?? length };
  });
  const labels: string[] = [];
  const markers: CutMarker[] = (input.analysis?.sections ?? []).map((s) => {
    if (!labels.includes(s.label)) labels.push(s.label);
    const chorus = s.label === input.analysis?.chorus_label;
    return {
      frame: Math.min(frames - 1, frameBoundary(s.start_s, fps)),
      name: `Section ${s.label}${chorus ? ' (chorus)' : ''}`,
      colour: MARKER_COLOURS[labels.indexOf(s.label) % MARKER_COLOURS.length]!,
      note: `energy ${Math.round(s.energy * 100)} %`,
    };
  });
  return {
    name: project.name,
    fps,
    width: project.width,
    height: project.height,
    frames,
    clips: cut,
    audio: { name: project.audio_filename ?? 'song', path: input.songPath, frames, sampleRate: project.audio_sample_rate, channels: project.audio_channels },
    markers,
  };
}

/** file:// URL of an absolute path (percent-encoded per RFC 8089 / WHATWG URL). */
export function fileUrl(absPath: string): string {
  return new URL(`file://${absPath.split('/').map(encodeURIComponent).join('/')}`).href;
}
