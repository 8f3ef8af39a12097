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
export const COMPOSITIONS = ['horizon', 'circles', 'stripes', 'grid', 'waves'] as const;
export type Composition = (typeof COMPOSITIONS)[number];

export interface Motion {
  kind: MotionKind;
  /** 0..1 how strong */
  strength: number;
}

export interface StillSpec {
  width: number;
  height: number;
  seed: number;
  palette: readonly string[]; // hex colours, 3–5
  /** composition family chosen from the prompt */
  composition: Composition;
  title: string;
  lyric: string;
}

export interface RenderSpec {
  /** clips in order, all in the house format */
  clipPaths: readonly string[];
  audioPath: string;
  /** exact number of video frames of the result (sum of clip frames) */
  totalFrames: number;
  fps: number;
  /** optional subtitles (ASS file) burned in; forces a re-encode */
  subtitlesPath?: string;
  outPath: string;
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
  /** still → clip with camera motion, exactly frameCount frames, house format */
  motionClip(imagePath: string, format: ClipFormat, frameCount: number, motion: Motion, outPath: string, progress?: ProgressFn): Promise<void>;
  /** any clip (e.g. from Replicate) → house format, exactly frameCount frames (trim or hold last frame) */
  normalizeClip(inPath: string, format: ClipFormat, frameCount: number, outPath: string, progress?: ProgressFn): Promise<void>;
  /** join house-format clips (stream copy) and mux the song; burn subtitles when given */
  render(spec: RenderSpec, progress?: ProgressFn, signal?: AbortSignal): Promise<void>;
  /** contact sheet PNG of images with captions */
  contactSheet(items: readonly { imagePath: string; caption: string }[], outPath: string, columns: number): Promise<void>;
}
