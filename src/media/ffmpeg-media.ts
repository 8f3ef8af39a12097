/** MediaTools backed by the real ffmpeg/ffprobe binaries (argument arrays, never a shell). */
import { plotAnalysis } from './analysis-plot.ts';
import { audioLevelsOf } from './audio-levels.ts';
import type { MediaBinaries } from './binaries.ts';
import { makeMotionClip, normalizeToHouse } from './clips.ts';
import { makeContactSheet } from './contact-sheet.ts';
import { decodePcm } from './decode-pcm.ts';
import { captionFont } from './fonts.ts';
import type { MediaTools } from './port.ts';
import { probeAudioFile, probeVideoFile } from './probe.ts';
import { renderFinal } from './render.ts';
import { binaryVersion } from './run.ts';
import { renderStillPng } from './still.ts';

export function createFfmpegMedia(bins: MediaBinaries): MediaTools {
  const { ffmpeg, ffprobe } = bins;
  return {
    async versions() {
      const [a, b] = await Promise.all([binaryVersion(ffmpeg), binaryVersion(ffprobe)]);
      return { ffmpeg: a, ffprobe: b, ffmpegPath: ffmpeg, ffprobePath: ffprobe };
    },
    probeAudio: (p) => probeAudioFile(ffprobe, p),
    probeVideo: (p) => probeVideoFile(ffprobe, p),
    renderStill: (spec, outPath) => renderStillPng(spec, outPath),
    motionClip: (image, format, frameCount, motion, outPath, progress, finish, speed) => makeMotionClip(ffmpeg, image, format, frameCount, motion, outPath, progress, finish, speed),
    normalizeClip: (input, format, frameCount, outPath, progress, finish) => normalizeToHouse(ffmpeg, input, format, frameCount, outPath, progress, finish),
    render: (spec, progress, signal) => renderFinal(ffmpeg, spec, progress, signal),
    contactSheet: (items, outPath, columns, options) => makeContactSheet(ffmpeg, items, outPath, columns, options),
    captionFont: () => captionFont(),
    audioLevels: (audioPath, fps, signal) => audioLevelsOf(ffmpeg, audioPath, fps, signal),
    decodePcm: (audioPath, signal) => decodePcm(ffmpeg, audioPath, signal ? { signal } : {}),
    plotAnalysis: (analysis, outPath, options) => plotAnalysis(ffmpeg, analysis, outPath, options ?? {}),
  };
}
