import type { FontMetrics } from '../core/captions/layout.ts';
import type { AudioLevels } from '../core/video/visualizer.ts';
import type { AudioAnalysis } from '../core/analysis/model.ts';

/**
 * What the pipeline needs from ffmpeg/ffprobe. Implemented by src/media/ffmpeg-media.ts
 * (argument arrays through execFile/spawn, never a shell string).
 *
 * The shared clip format ("house format") lets the final cut join clips with the concat
 * demuxer and `-c copy`: H.264 (libx264), yuv420p, constant frame rate, the project's
 * resolution, timebase 1/(fps*512)... fixed by ClipFormat below.
 */
export interface AudioProbe {
  durationS: number;
  formatName: string; // e.g. 'mp3', 'wav', 'flac'
  codec: string; // e.g. 'mp3', 'pcm_s16le'
  sampleRate: number;
  channels: number;
  sizeBytes: number;
  bitRate: number | null;
}

export interface VideoProbe {
  durationS: number; // container duration
  video: { codec: string; width: number; height: number; fps: number; frameCount: number; durationS: number; pixFmt: string; timeBase: string } | null;
  audio: { codec: string; durationS: number; sampleRate: number; channels: number } | null;
  sizeBytes: number;
}

export interface ClipFormat {
  width: number;
  height: number;
  fps: number;
}

/** Camera motions the clip maker knows ('none' holds the still). */
export const MOTION_KINDS = ['zoom_in', 'zoom_out', 'pan_left', 'pan_right', 'pan_up', 'pan_down', 'none'] as const;
export type MotionKind = (typeof MOTION_KINDS)[number];

/** Composition families of the procedural stills. */
export const COMPOSITIONS = ['horizon', 'circles', 'stripes', 'grid', 'waves', 'bokeh', 'rays', 'ridges', 'rings', 'aurora'] as const;
export type Composition = (typeof COMPOSITIONS)[number];

export interface Motion {
  kind: MotionKind;
  /** 0..1 how strong */
  strength: number;
  /**
   * the camera's progress through the clip as knots from 0 to 1 at evenly spaced moments (e.g.
   * faster where the music is louder); absent: an even pace
   */
  pace?: readonly number[] | undefined;
}

/** A procedural background: no text is ever drawn into it (captions are drawn over the moving picture). */
export interface StillSpec {
  width: number;
  height: number;
  seed: number;
  palette: readonly string[]; // hex colours, 3–5
  /** composition family chosen from the prompt or the section */
  composition: Composition;
}

/**
 * What is drawn over a clip's picture while it is encoded into the house format (the offline
 * motion encode or the normalising encode of a provider's clip): one ASS document in song time
 * holding the captions, the beat flashes and the audio-reactive layer. Burned per clip, so the
 * final cut still joins by stream copy.
 */
export interface ClipFinish {
  /** the index of the clip's first frame in the song: frame n is drawn at song time (startFrame + n) / fps */
  startFrame: number;
  /** ASS document (song times) to burn */
  ass: string;
  /** directory with the fonts the ASS document names (passed to libass as fontsdir) */
  fontsDir: string;
}

/** Per video frame, the level of frequency bands and the waveform's shape (the audio-reactive layer). */
export type { AudioLevels } from '../core/video/visualizer.ts';

export interface RenderSpec {
  /** clips in order, all in the house format */
  clipPaths: readonly string[];
  audioPath: string;
  /** exact number of video frames of the result (sum of clip frames) */
  totalFrames: number;
  fps: number;
  outPath: string;
}

/** The font captions are drawn with. */
export interface CaptionFont {
  /** the family name an ASS style selects it by */
  family: string;
  /** the font file */
  file: string;
  /** a directory holding the font, for `subtitles=…:fontsdir=` */
  dir: string;
  metrics: FontMetrics;
}

/** 'final' for clips that go into the cut; 'draft' (ultrafast, a preview's animatic) */
export type EncodeSpeed = 'final' | 'draft';

export interface ContactSheetItem {
  imagePath: string;
  /** e.g. "3. 0:21–0:29 hold the line" */
  caption: string;
  /** take number shown on the tile */
  take?: number | null;
  /** review state shown as a coloured badge */
  review?: 'approved' | 'rejected' | 'unreviewed' | null;
  /** the reviewer's note, shown under the caption */
  note?: string | null;
}

/** A strip above the tiles: the song's sections, beats and the scene cuts. */
export interface ContactSheetTimeline {
  durationS: number;
  sections: readonly { start_s: number; end_s: number; label: string }[];
  beats: readonly number[];
  downbeats: readonly number[];
  /** scene start times (cuts), with their scene number */
  cuts: readonly { at: number; scene: number }[];
}

export interface ContactSheetOptions {
  /** the video's frame: thumbnails take its shape (default 16:9) */
  frame?: { width: number; height: number };
  timeline?: ContactSheetTimeline;
}

export interface ProgressFn {
  (fraction: number): void;
}

export interface MediaTools {
  /** versions of the resolved binaries, for doctor */
  versions(): Promise<{ ffmpeg: string; ffprobe: string; ffmpegPath: string; ffprobePath: string }>;
  probeAudio(path: string): Promise<AudioProbe>;
  probeVideo(path: string): Promise<VideoProbe>;
  /** procedural still (PNG) for the local image generator */
  renderStill(spec: StillSpec, outPath: string): Promise<void>;
  /** still → clip with camera motion, exactly frameCount frames, house format; the finish burned in the same encode */
  motionClip(imagePath: string, format: ClipFormat, frameCount: number, motion: Motion, outPath: string, progress?: ProgressFn, finish?: ClipFinish, encode?: EncodeSpeed): Promise<void>;
  /** any clip (e.g. from Replicate) → house format, exactly frameCount frames (trim or hold last frame); the finish burned in the same encode */
  normalizeClip(inPath: string, format: ClipFormat, frameCount: number, outPath: string, progress?: ProgressFn, finish?: ClipFinish): Promise<void>;
  /** join house-format clips (stream copy, never a re-encode) and mux the song */
  render(spec: RenderSpec, progress?: ProgressFn, signal?: AbortSignal): Promise<void>;
  /** contact sheet PNG of images with captions; optionally each scene's take/review/note and a timeline strip above */
  contactSheet(items: readonly ContactSheetItem[], outPath: string, columns: number, options?: ContactSheetOptions): Promise<void>;
  /** the caption font: family name, fonts directory for libass, metrics for the layout */
  captionFont(): Promise<CaptionFont>;
  /** band levels and waveform of a song for every video frame at fps (for the audio-reactive layer) */
  audioLevels(audioPath: string, fps: number, signal?: AbortSignal): Promise<AudioLevels>;
  /** the song decoded once to mono float PCM at the analysis rate, streamed in chunks (bounded memory) */
  decodePcm(audioPath: string, signal?: AbortSignal): AsyncIterable<Float32Array>;
  /** the analysis drawn as a PNG: waveform, beats, downbeats, sections, scene cuts and sung lines */
  plotAnalysis(analysis: AudioAnalysis, outPath: string, options?: AnalysisPlotInput): Promise<void>;
}

/** What the analysis plot may show besides the analysis. */
export interface AnalysisPlotInput {
  /** scenes to draw as cuts (e.g. the project's selected scenes) */
  scenes?: readonly { start_time_s: number; end_time_s: number }[];
  /** sung lines (transcript segments) */
  lines?: readonly { start: number; end: number }[];
  signal?: AbortSignal;
}
