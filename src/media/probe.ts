/** ffprobe wrappers: audio facts for an uploaded song, exact video facts for clips and renders. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { OmveeError } from '../core/errors.ts';
import type { AudioProbe, VideoProbe } from './port.ts';
import { runFfprobeJson } from './run.ts';

/** Songs shorter or longer than this are refused (a typo'd file, a whole album, a glitch). */
export const MIN_SONG_S = 0.5;
export const MAX_SONG_S = 2 * 60 * 60;
/**
 * ffprobe's confidence in the container it guessed (0–100). Real files score ≥ 51 (raw MP3/ADTS
 * streams without tags score exactly 51); random bytes sometimes "look like" AMR at ~25.
 */
export const MIN_PROBE_SCORE = 50;

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  sample_rate?: string;
  channels?: number;
  duration?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  pix_fmt?: string;
  time_base?: string;
  nb_read_packets?: string;
  nb_frames?: string;
}
interface RawProbe {
  streams?: RawStream[];
  format?: { format_name?: string; duration?: string; size?: string; bit_rate?: string; probe_score?: number };
}

const num = (v: string | number | undefined): number | null => {
  if (v === undefined || v === 'N/A') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** "30000/1001" → 29.97; "0/0" → null */
export function parseRate(rate: string | undefined): number | null {
  if (!rate) return null;
  const [a, b] = rate.split('/');
  const n = Number(a);
  const d = b === undefined ? 1 : Number(b);
  if (!Number.isFinite(n) || !Number.isFinite(d) || d === 0 || n === 0) return null;
  return n / d;
}

async function probeRaw(ffprobe: string, file: string, extra: string[], what: string): Promise<RawProbe> {
  const name = path.basename(file);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    throw new OmveeError('not_found', `${what} not found: ${file}`, { cause: err });
  }
  if (size === 0) {
    throw new OmveeError('invalid_input', `${name} is empty (0 bytes)`, { hint: `Pass a ${what} file with content.` });
  }
  let raw: RawProbe;
  try {
    raw = (await runFfprobeJson(ffprobe, [...extra, '-show_format', '-show_streams', file])) as RawProbe;
  } catch (err) {
    if (err instanceof OmveeError && err.code === 'media') {
      throw new OmveeError('invalid_input', `${name} is not a media file ffprobe can read (corrupt or unsupported data)`, {
        hint: `Pass a valid ${what} file (e.g. MP3, WAV, FLAC, M4A).`,
        cause: err,
      });
    }
    throw err;
  }
  const score = raw.format?.probe_score;
  if (typeof score === 'number' && score < MIN_PROBE_SCORE) {
    throw new OmveeError('invalid_input', `${name} is not a media file ffprobe can read (it only loosely resembles ${raw.format?.format_name ?? 'a media format'})`, {
      hint: `Pass a valid ${what} file (e.g. MP3, WAV, FLAC, M4A).`,
    });
  }
  return raw;
}

export async function probeAudioFile(ffprobe: string, file: string): Promise<AudioProbe> {
  const name = path.basename(file);
  const raw = await probeRaw(ffprobe, file, [], 'audio');
  const audio = raw.streams?.find((s) => s.codec_type === 'audio');
  if (!raw.format || !raw.streams) {
    throw new OmveeError('invalid_input', `${name} is not a media file ffprobe can read`, { hint: 'Pass a valid audio file (e.g. MP3, WAV, FLAC, M4A).' });
  }
  if (!audio) {
    const kinds = [...new Set(raw.streams.map((s) => s.codec_type ?? 'unknown'))].join(', ') || 'no streams';
    throw new OmveeError('invalid_input', `${name} has no audio stream (found: ${kinds})`, {
      hint: 'Pass the song as an audio file (MP3, WAV, FLAC, M4A) or a video that contains an audio track.',
    });
  }
  const durationS = num(raw.format.duration) ?? num(audio.duration);
  if (durationS === null) {
    throw new OmveeError('invalid_input', `${name} is not a media file ffprobe can read (no duration could be determined)`, {
      hint: 'Re-encode the file, e.g. `ffmpeg -i in -c:a libmp3lame song.mp3`.',
    });
  }
  if (durationS < MIN_SONG_S || durationS > MAX_SONG_S) {
    throw new OmveeError('invalid_input', `${name} lasts ${durationS.toFixed(2)} s; songs must last between ${MIN_SONG_S} s and ${MAX_SONG_S / 3600} h`, {
      hint: 'Check that this is the right file.',
    });
  }
  return {
    durationS,
    formatName: raw.format.format_name ?? 'unknown',
    codec: audio.codec_name ?? 'unknown',
    sampleRate: num(audio.sample_rate) ?? 0,
    channels: audio.channels ?? 0,
    sizeBytes: num(raw.format.size) ?? 0,
    bitRate: num(raw.format.bit_rate),
  };
}

export async function probeVideoFile(ffprobe: string, file: string): Promise<VideoProbe> {
  const raw = await probeRaw(ffprobe, file, ['-count_packets'], 'video');
  const v = raw.streams?.find((s) => s.codec_type === 'video');
  const a = raw.streams?.find((s) => s.codec_type === 'audio');
  const fps = v ? (parseRate(v.avg_frame_rate) ?? parseRate(v.r_frame_rate) ?? 0) : 0;
  return {
    durationS: num(raw.format?.duration) ?? 0,
    video: v
      ? {
          codec: v.codec_name ?? 'unknown',
          width: v.width ?? 0,
          height: v.height ?? 0,
          fps,
          frameCount: num(v.nb_read_packets) ?? num(v.nb_frames) ?? 0,
          durationS: num(v.duration) ?? 0,
          pixFmt: v.pix_fmt ?? 'unknown',
          timeBase: v.time_base ?? 'unknown',
        }
      : null,
    audio: a
      ? {
          codec: a.codec_name ?? 'unknown',
          durationS: num(a.duration) ?? 0,
          sampleRate: num(a.sample_rate) ?? 0,
          channels: a.channels ?? 0,
        }
      : null,
    sizeBytes: num(raw.format?.size) ?? 0,
  };
}
