/**
 * A project's video settings — frame shape (aspect × resolution by the short side), frame rate,
 * caption style and the audio-reactive layer — as `project create`, `project update` and `run`
 * set them, and what a change of shape or frame rate makes stale.
 *
 * Policy on a change (documented in docs/notes-video2.md): stills and clips made for another
 * frame are kept as older takes and REDONE by the next images/clips step (a new take at the new
 * size); the cut never uses a clip of another shape or frame rate (render names the scenes and
 * says to regenerate). `project update` says what became stale before anything is redone.
 */
import type { Store } from '../../store/port.ts';
import type { CaptionStyle } from '../captions/styles.ts';
import type { GeneratedImage, Project, VideoClip } from '../model.ts';
import { frameSize, frameSizeForShortSide, nearestAspect, type Aspect, type FrameRate, type FrameSize, type Resolution } from './frame-format.ts';
import type { VisualizerStyle } from './visualizer.ts';

export const DEFAULT_ASPECT: Aspect = '16:9';
export const DEFAULT_RESOLUTION: Resolution = '720p';

/**
 * The frame rate of a project made without --fps when its clip model says nothing (offline clips).
 * An AI project gets its clip model's own rate instead (seedance: 24 fps, no repeated frames):
 * the caller passes it as `houseFps` (src/app/clip-defaults.ts decides it from the model's contract).
 */
export const DEFAULT_FRAME_RATE: FrameRate = 30;

export interface VideoSettings {
  aspect?: Aspect | undefined;
  resolution?: Resolution | undefined;
  fps?: FrameRate | undefined;
  captions?: CaptionStyle | undefined;
  visualizer?: VisualizerStyle | undefined;
}

export type VideoPatch = Partial<Pick<Project, 'width' | 'height' | 'fps' | 'caption_style' | 'visualizer'>>;

export function hasVideoSettings(s: VideoSettings): boolean {
  return s.aspect !== undefined || s.resolution !== undefined || s.fps !== undefined || s.captions !== undefined || s.visualizer !== undefined;
}

/** The columns a new project gets from the flags (defaults for what is not given). */
export function newProjectVideo(s: VideoSettings, houseFps: number = DEFAULT_FRAME_RATE): Required<Pick<VideoPatch, 'width' | 'height' | 'fps'>> & VideoPatch {
  const size = frameSize(s.aspect ?? DEFAULT_ASPECT, s.resolution ?? DEFAULT_RESOLUTION);
  return {
    ...size,
    fps: s.fps ?? houseFps,
    ...(s.captions !== undefined ? { caption_style: s.captions } : {}),
    ...(s.visualizer !== undefined ? { visualizer: s.visualizer } : {}),
  };
}

/**
 * The patch for an existing project: an aspect alone keeps the short side, a resolution alone
 * keeps the shape. Only columns that change are in it.
 */
export function videoPatch(project: Pick<Project, 'width' | 'height' | 'fps' | 'caption_style' | 'visualizer'>, s: VideoSettings): VideoPatch {
  const patch: VideoPatch = {};
  if (s.aspect !== undefined || s.resolution !== undefined) {
    const aspect = s.aspect ?? nearestAspect(project);
    const size = s.resolution !== undefined ? frameSize(aspect, s.resolution) : frameSizeForShortSide(aspect, Math.min(project.width, project.height));
    if (size.width !== project.width || size.height !== project.height) Object.assign(patch, size);
  }
  if (s.fps !== undefined && s.fps !== project.fps) patch.fps = s.fps;
  if (s.captions !== undefined && s.captions !== project.caption_style) patch.caption_style = s.captions;
  if (s.visualizer !== undefined && s.visualizer !== project.visualizer) patch.visualizer = s.visualizer;
  return patch;
}

/** Whether a still was made for this frame (takes from before sizes were recorded count as fitting). */
export function stillFits(image: Pick<GeneratedImage, 'width' | 'height'>, frame: FrameSize): boolean {
  return image.width === null || image.height === null || (image.width === frame.width && image.height === frame.height);
}

/** Whether a clip was made for this frame and frame rate. */
export function clipFits(clip: Pick<VideoClip, 'width' | 'height' | 'fps'>, format: FrameSize & { fps: number }): boolean {
  const sized = clip.width === null || clip.height === null || (clip.width === format.width && clip.height === format.height);
  return sized && (clip.fps === null || clip.fps === format.fps);
}

export interface FormatChange {
  /** scenes whose chosen (latest) still was made for another frame */
  stills: number;
  /** scenes whose latest clip was made for another frame or frame rate */
  clips: number;
  /** the final cuts made before: they stay as history */
  finals: number;
  from: { width: number; height: number; fps: number };
  to: { width: number; height: number; fps: number };
}

/** What a shape or frame-rate patch makes stale on a project (nothing when the patch keeps both). */
export async function formatChange(store: Store, project: Project, patch: VideoPatch): Promise<FormatChange | null> {
  const to = { width: patch.width ?? project.width, height: patch.height ?? project.height, fps: patch.fps ?? project.fps };
  const from = { width: project.width, height: project.height, fps: project.fps };
  if (to.width === from.width && to.height === from.height && to.fps === from.fps) return null;
  const [images, clips, finals] = await Promise.all([
    store.list('generated_images', { where: { project_id: project.id, status: 'completed' } }),
    store.list('video_clips', { where: { project_id: project.id, status: 'completed' } }),
    store.count('final_videos', { project_id: project.id, status: 'completed' }),
  ]);
  // the steps' own rule: a scene is made again when none of its takes fits the frame (so going back
  // to an earlier frame, whose takes are kept, makes nothing stale)
  const scenesWithNoFit = <R extends { scene_id: string }>(rows: readonly R[], fits: (r: R) => boolean): number => {
    const fitting = new Set(rows.filter(fits).map((r) => r.scene_id));
    return new Set(rows.map((r) => r.scene_id).filter((id) => !fitting.has(id))).size;
  };
  return {
    stills: scenesWithNoFit(images, (i) => stillFits(i, to)),
    clips: scenesWithNoFit(clips, (c) => clipFits(c, to)),
    finals,
    from,
    to,
  };
}

/** The sentence `project update` / `run` print about a change of frame (null when nothing is stale). */
/**
 * Who makes the stale takes again, in the warning: the commands a person runs next (`project
 * update`), this run (`run --project`), or the steps just queued (`run --detach`).
 */
export type RedoBy = 'commands' | 'this run' | 'the queued steps';

export function describeFormatChange(change: FormatChange | null, projectId: string, redoBy: RedoBy = 'commands'): string | null {
  if (!change || (change.stills === 0 && change.clips === 0)) return null;
  const f = (x: FormatChange['from']) => `${x.width}×${x.height} at ${x.fps} fps`;
  const parts = [change.stills > 0 ? `${change.stills} still${change.stills === 1 ? '' : 's'}` : null, change.clips > 0 ? `${change.clips} clip${change.clips === 1 ? '' : 's'}` : null].filter(Boolean).join(' and ');
  const redo = [change.stills > 0 ? `omvee images generate ${projectId}` : null, `omvee clips generate ${projectId}`].filter(Boolean).join(' then ');
  const were = change.stills + change.clips === 1 ? 'was' : 'were';
  const kept = `${parts} ${were} made for ${f(change.from)}, not ${f(change.to)}: ${change.stills + change.clips === 1 ? 'it is' : 'they are'} kept as older takes and`;
  if (redoBy !== 'commands') return `${kept} ${redoBy === 'this run' ? 'this run makes' : 'the queued steps make'} new ones for the new frame`;
  return `${kept} made again for the new frame by ${redo} (or omvee run --project ${projectId}); paid providers charge for the new takes`;
}

/**
 * A new frame or look for an existing project: the columns that change are written, and the
 * warning says what became stale and who makes it again (null when nothing did).
 */
export async function applyVideoChange(store: Store, project: Project, settings: VideoSettings, redoBy: RedoBy = 'commands', extra: Partial<Pick<Project, 'name' | 'style'>> = {}): Promise<{ project: Project; patch: VideoPatch; stale: string | null }> {
  const patch = videoPatch(project, settings);
  if (Object.keys(patch).length === 0 && Object.keys(extra).length === 0) return { project, patch, stale: null };
  const stale = describeFormatChange(await formatChange(store, project, patch), project.id, redoBy);
  return { project: await store.update('projects', project.id, { ...extra, ...patch }), patch, stale };
}
