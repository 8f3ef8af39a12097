/**
 * The finish of every clip of a project: what is burned over its picture while it is encoded —
 * the captions (the project's style), flashes on downbeats (with an analysis) and the
 * audio-reactive layer — as the part of one song-time ASS document that overlaps the clip, plus a
 * key (sha256) that says what was burned, stored with the clip. The clips step passes the finish
 * to the encode that makes each clip; the final cut re-finishes a clip whose key differs from the
 * one it needs, so the join always stream-copies.
 */
import { createHash } from 'node:crypto';
import type { ClipFinish } from '../../media/port.ts';
import type { AudioAnalysis } from '../analysis/model.ts';
import { assDocument } from '../captions/ass.ts';
import { titleSafeArea } from '../captions/safe-area.ts';
import { resolveCaptionStyle, type CaptionStyle } from '../captions/styles.ts';
import { captionTrack, type CaptionCue } from '../captions/track.ts';
import type { Project, Scene } from '../model.ts';
import { frameBoundary } from '../timeline/index.ts';
import type { FrameFormat } from '../video/frame-format.ts';
import { beatFlashes } from '../video/music.ts';
import { visualizerBand, visualizerEvents, type AudioLevels, type VisualizerStyle } from '../video/visualizer.ts';
import type { PipelineDeps } from './deps.ts';

export interface FinishRequest {
  /** asked for on this call; else the project's setting; else the provider's default */
  captions?: CaptionStyle | null | undefined;
  visualizer?: VisualizerStyle | null | undefined;
  /** the older render payload flag: true asks for captions (a project whose style is none gets `line`) */
  lyricsOverlay?: boolean | undefined;
  /** the song's analysis; absent: the one stored with the project (analysisOf), null: none */
  analysis?: AudioAnalysis | null | undefined;
}

export interface FinishSettings {
  captions: CaptionStyle;
  visualizer: VisualizerStyle;
}

/** Offline projects are those whose stills are procedural (the local image generator). */
export function isOffline(deps: Pick<PipelineDeps, 'providers'>): boolean {
  return deps.providers.images?.name === 'local';
}

/**
 * Whether a project's video is an offline one (its default captions are karaoke; AI videos get
 * none unless asked): judged by its stills when it has some — every one made by omvee's own
 * procedural generator (model omvee-local-…) — else by the image provider of this run. `render`
 * runs without providers, so the stills are what tell an AI project from an offline one.
 */
export async function projectIsOffline(deps: Pick<PipelineDeps, 'providers' | 'store'>, project: Pick<Project, 'id'>): Promise<boolean> {
  const stills = await deps.store.list('generated_images', { where: { project_id: project.id, status: 'completed' } });
  if (stills.length === 0) return isOffline(deps);
  return stills.every((s) => (s.model ?? '').startsWith('omvee-local'));
}

export function finishSettings(deps: Pick<PipelineDeps, 'providers'>, project: Project, request: FinishRequest, offline: boolean = isOffline(deps)): FinishSettings {
  return {
    captions: resolveCaptionStyle({ requested: request.captions ?? null, project: project.caption_style ?? null, lyricsOverlay: request.lyricsOverlay, offline }),
    visualizer: request.visualizer ?? project.visualizer ?? 'none',
  };
}

export interface SceneFinish {
  startFrame: number;
  frameCount: number;
  /** undefined: nothing to burn (a clean clip) */
  finish: ClipFinish | undefined;
  /** sha256 of what is burned, null for nothing */
  key: string | null;
}

/** Band height of the visualizer as a fraction of the frame height. */
const VISUALIZER_HEIGHT = 0.12;
const HIGHLIGHT = '#ffd45c';

export interface FinishPlanInput {
  project: Project;
  /** every scene of the project, in order */
  scenes: readonly Scene[];
  settings: FinishSettings;
  analysis?: AudioAnalysis | null | undefined;
  /** the frame to lay out for (default: the project's) */
  format?: FrameFormat;
  /** the song on this machine (needed for the visualizer) */
  songPath?: string;
  /** per scene id, the colour of its visualizer (default white) */
  accent?: ReadonlyMap<string, string>;
  /** redraw the visualizer every n frames (1: each frame; a preview uses 2) */
  visualizerEvery?: number;
  signal?: AbortSignal;
}

export interface FinishPlan {
  settings: FinishSettings;
  cues: CaptionCue[];
  byScene: Map<string, SceneFinish>;
}

export async function planFinishes(deps: Pick<PipelineDeps, 'media'>, input: FinishPlanInput): Promise<FinishPlan> {
  const { project, scenes, settings } = input;
  const format: FrameFormat = input.format ?? { width: project.width, height: project.height, fps: project.fps };
  const size = { width: format.width, height: format.height };
  const fps = format.fps;
  const segments = project.transcript?.segments ?? [];
  const wantsCaptions = settings.captions !== 'none' && segments.length > 0;
  const wantsVisualizer = settings.visualizer !== 'none' && input.songPath !== undefined;
  const band = visualizerBand(size, VISUALIZER_HEIGHT);
  const font = wantsCaptions || wantsVisualizer || (input.analysis?.downbeats.length ?? 0) > 0 ? await deps.media.captionFont() : null;
  const cues = wantsCaptions && font ? captionTrack(segments, { size, style: settings.captions, metrics: font.metrics, reserveBottom: wantsVisualizer ? Math.max(0, titleSafeArea(size).bottom - (band.top - Math.round(size.height * 0.02))) : 0 }) : [];
  const flashes = beatFlashes(input.analysis);
  const levels: AudioLevels | null = wantsVisualizer ? await deps.media.audioLevels(input.songPath!, fps, input.signal) : null;
  const byScene = new Map<string, SceneFinish>();
  for (const scene of scenes) {
    const startFrame = frameBoundary(scene.start_time_s, fps);
    const endFrame = frameBoundary(scene.end_time_s, fps);
    const window = { from: startFrame / fps, to: endFrame / fps };
    const underlay =
      levels && settings.visualizer !== 'none'
        ? visualizerEvents(levels, { style: settings.visualizer, band, color: input.accent?.get(scene.id) ?? '#ffffff', opacity: 0.42, every: input.visualizerEvery ?? 1 }, startFrame, endFrame)
        : [];
    const hasCue = cues.some((c) => c.end > window.from && c.start < window.to);
    const hasFlash = flashes.some((f) => f.at + 0.25 > window.from && f.at < window.to);
    if (!font || (!hasCue && !hasFlash && underlay.length === 0)) {
      byScene.set(scene.id, { startFrame, frameCount: endFrame - startFrame, finish: undefined, key: null });
      continue;
    }
    const ass = assDocument(cues, flashes, { size, fontFamily: font.family, style: settings.captions, highlight: HIGHLIGHT, title: project.name }, window, underlay);
    const key = createHash('sha256').update(JSON.stringify([1, startFrame, format.width, format.height, fps, font.family, ass])).digest('hex');
    byScene.set(scene.id, { startFrame, frameCount: endFrame - startFrame, finish: { startFrame, ass, fontsDir: font.dir }, key });
  }
  return { settings, cues, byScene };
}
