/**
 * Transcriber backed by OpenAI's transcription API (Whisper), via the real `openai` SDK.
 *
 * The API takes at most 25 MB per upload. A larger (or unsupported-format) song is transcoded
 * to mono 16 kHz 32 kb/s MP3 (≈ 240 KB per minute); if that is still too big it is cut into
 * time chunks (re-encoded, so each chunk starts exactly at its offset) and the chunks'
 * segments are shifted by their offsets and stitched back in order.
 * Segments that look unreliable are flagged (`suspect`), see suspect.ts.
 * Cost: the audio duration the API reports (what it bills) × the per-minute price.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { OmveeError } from '../../core/errors.ts';
import type { TranscriptSegment } from '../../core/model.ts';
import { runFfmpeg } from '../../media/run.ts';
import { roundUsd, transcriptionCost, type PriceTable } from '../../core/cost/prices.ts';
import { buildPriceTable } from '../cost.ts';
import { DEFAULT_WHISPER_MODEL } from './models.ts';
import { toProviderError } from '../http/errors.ts';
import type { CallContext, TranscribeInput, TranscribeResult, Transcriber } from '../ports.ts';
import { createOpenAiClient, DEFAULT_OPENAI_BASE_URL, OPENAI_SERVICE, type OpenAI, type OpenAiConnection } from './client.ts';
import { flagSuspectSegments, type WhisperSegmentLike } from './suspect.ts';

export interface WhisperTranscriberOptions extends OpenAiConnection {
  /** default 'whisper-1' */
  model?: string | undefined;
  /** ISO-639-1 code forced for every call (else detected, or per call) */
  language?: string | undefined;
  /** ffmpeg executable (from resolveBinaries) */
  ffmpeg: string;
  /** upload limit, bytes (default 25 MB, the API's limit) */
  maxUploadBytes?: number | undefined;
  prices?: PriceTable | undefined;
}

export const WHISPER_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
const UPLOADABLE = new Set(['.flac', '.m4a', '.mp3', '.mp4', '.mpeg', '.mpga', '.oga', '.ogg', '.wav', '.webm']);
const TRANSCODE_ARGS = ['-vn', '-ac', '1', '-ar', '16000', '-c:a', 'libmp3lame', '-b:a', '32k'];

interface Piece {
  path: string;
  offsetS: number;
}

interface VerboseTranscription {
  text?: string;
  language?: string;
  duration?: number;
  segments?: WhisperSegmentLike[];
}

const MIME: Record<string, string> = { '.mp3': 'audio/mpeg', '.wav': 'audio/wav', '.flac': 'audio/flac', '.m4a': 'audio/mp4', '.ogg': 'audio/ogg', '.oga': 'audio/ogg', '.webm': 'audio/webm', '.mp4': 'audio/mp4' };

export function createWhisperTranscriber(opts: WhisperTranscriberOptions): Transcriber {
  const model = opts.model ?? DEFAULT_WHISPER_MODEL;
  const maxUpload = opts.maxUploadBytes ?? WHISPER_MAX_UPLOAD_BYTES;
  const prices = opts.prices ?? buildPriceTable();
  let client: Promise<OpenAI> | null = null;

  async function pieces(input: TranscribeInput, work: string, ctx: CallContext): Promise<Piece[]> {
    const size = (await stat(input.audioPath)).size;
    if (size <= maxUpload && UPLOADABLE.has(extname(input.audioPath).toLowerCase())) return [{ path: input.audioPath, offsetS: 0 }];
    ctx.log?.(`audio is ${(size / 1e6).toFixed(1)} MB: transcoding for upload`);
    const small = join(work, 'audio.mp3');
    await runFfmpeg(opts.ffmpeg, ['-v', 'error', '-y', '-i', input.audioPath, ...TRANSCODE_ARGS, small], ctx.signal ? { signal: ctx.signal } : {});
    const smallSize = (await stat(small)).size;
    if (smallSize <= maxUpload) return [{ path: small, offsetS: 0 }];
    // cut into chunks sized to ~90% of the limit, at whole-millisecond offsets
    const chunkS = Math.floor(((input.durationS * maxUpload * 0.9) / smallSize) * 1000) / 1000;
    if (!(chunkS >= 1)) {
      throw new OmveeError('invalid_input', `cannot split the audio into uploads under ${maxUpload} bytes`, { hint: 'Raise the upload limit or shorten the audio.' });
    }
    const count = Math.ceil(input.durationS / chunkS - 1e-9);
    ctx.log?.(`audio still too large after transcoding: uploading in ${count} chunks of ${chunkS.toFixed(1)} s`);
    const out: Piece[] = [];
    for (let k = 0; k < count; k++) {
      const offsetS = Math.round(k * chunkS * 1000) / 1000;
      const path = join(work, `chunk-${String(k).padStart(3, '0')}.mp3`);
      await runFfmpeg(opts.ffmpeg, ['-v', 'error', '-y', '-ss', offsetS.toFixed(3), '-t', chunkS.toFixed(3), '-i', small, ...TRANSCODE_ARGS, path], ctx.signal ? { signal: ctx.signal } : {});
      const chunkSize = (await stat(path)).size;
      if (chunkSize > maxUpload) throw new OmveeError('internal', `audio chunk ${k} is ${chunkSize} bytes, above the ${maxUpload} limit`);
      out.push({ path, offsetS });
    }
    return out;
  }

  async function transcribePiece(piece: Piece, language: string | undefined, ctx: CallContext): Promise<VerboseTranscription> {
    client ??= createOpenAiClient(opts, OPENAI_SERVICE, DEFAULT_OPENAI_BASE_URL);
    const c = await client;
    const { toFile } = await import('openai');
    const ext = extname(piece.path).toLowerCase();
    const file = await toFile(await readFile(piece.path), basename(piece.path), { type: MIME[ext] ?? 'application/octet-stream' });
    try {
      const res = await c.audio.transcriptions.create(
        {
          file,
          model,
          response_format: 'verbose_json',
          timestamp_granularities: ['segment'],
          ...(language ? { language } : {}),
        },
        { signal: ctx.signal },
      );
      return res as unknown as VerboseTranscription;
    } catch (err) {
      throw toProviderError(err, OPENAI_SERVICE);
    }
  }

  return {
    name: 'openai',
    async transcribe(input: TranscribeInput, ctx: CallContext): Promise<TranscribeResult> {
      const work = await mkdtemp(join(tmpdir(), 'omvee-whisper-'));
      try {
        const language = input.language ?? opts.language;
        const parts = await pieces(input, work, ctx);
        const raw: WhisperSegmentLike[] = [];
        // billed per request: price each reported duration separately, like the provider does
        let costUsd = 0;
        let reported = false;
        let detected: string | null = null;
        for (const [k, piece] of parts.entries()) {
          if (parts.length > 1) ctx.log?.(`transcribing chunk ${k + 1}/${parts.length}`);
          const res = await transcribePiece(piece, language, ctx);
          if (typeof res.duration === 'number') {
            costUsd += transcriptionCost(prices, model, res.duration);
            reported = true;
          }
          detected ??= res.language ?? null;
          const segs = res.segments ?? (res.text ? [{ start: 0, end: res.duration ?? input.durationS, text: res.text }] : []);
          for (const s of segs) raw.push({ ...s, start: s.start + piece.offsetS, end: s.end + piece.offsetS });
        }
        raw.sort((a, b) => a.start - b.start);
        const segments: TranscriptSegment[] = flagSuspectSegments(raw)
          .map((s) => ({ ...s, start: clamp(s.start, input.durationS), end: clamp(s.end, input.durationS) }))
          .filter((s) => s.text !== '' && s.end > s.start);
        const suspect = segments.filter((s) => s.suspect).length;
        return {
          transcript: {
            source: 'whisper',
            language: detected,
            segments,
            ...(suspect ? { warnings: [`${suspect} segment(s) look unreliable (loops or no speech); review them`] } : {}),
          },
          model,
          costUsd: reported ? roundUsd(costUsd) : transcriptionCost(prices, model, input.durationS),
        };
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
  };
}

function clamp(t: number, durationS: number): number {
  return Math.round(Math.min(Math.max(0, t), durationS) * 1000) / 1000;
}
