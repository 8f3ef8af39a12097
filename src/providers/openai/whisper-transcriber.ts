/**
 * Transcriber backed by OpenAI's transcription API (Whisper), via the real `openai` SDK.
 *
 * The API takes at most 25 MB per upload. A larger (or unsupported-format) song is transcoded
 * to mono 16 kHz 32 kb/s MP3 (≈ 240 KB per minute); if that is still too big it is cut into
 * time chunks (re-encoded, so each chunk starts exactly at its offset) and the chunks'
 * segments are shifted by their offsets and stitched back in order.
 * Each chunk after the first gets the previous chunk's text (its tail) as `prompt`, which the
 * API documents "to guide the model's style or continue a previous audio segment"
 * (https://platform.openai.com/docs/api-reference/audio/createTranscription#audio-createtranscription-prompt;
 * whisper-1 reads only the last 224 tokens of it, so the tail is kept short).
 * Segments that look unreliable are flagged (`suspect`), see suspect.ts.
 *
 * Models without timestamps: for `gpt-4o-transcribe` and `gpt-4o-mini-transcribe` "the only
 * supported format is `json`" (API reference, `response_format`; `verbose_json` is refused with
 * 400 "response_format 'verbose_json' is not compatible with model …"), so they get `json` and
 * return text only. The lyrics are then timed by a second model that gives segments
 * (OMVEE_WHISPER_TIMESTAMP_MODEL, default whisper-1) and the better text is laid onto its
 * timing word by word (align.ts); a note says so. With OMVEE_WHISPER_TIMESTAMP_MODEL=none the
 * transcriber refuses before any paid call.
 * Cost: the audio duration the API reports (what it bills) × the per-minute price; for json
 * answers without a duration, the duration of the audio sent.
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
import { timeTextBySegments } from './align.ts';
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
  /**
   * the model that times the lyrics when `model` gives no timestamps (default whisper-1);
   * 'none' forbids that second call (an error instead)
   */
  timestampModel?: string | undefined;
}

/** The transcription models that answer `json` only, without timestamps (API reference, response_format). */
export function givesTimestamps(model: string): boolean {
  return !/^gpt-4o(-mini)?-transcribe/i.test(model.trim());
}

export const DEFAULT_TIMESTAMP_MODEL = 'whisper-1';
/** the previous chunk's text passed as `prompt`: its last characters, from a word start */
export const PROMPT_TAIL_CHARS = 600;

export function promptTail(text: string, max = PROMPT_TAIL_CHARS): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(-max);
  const space = cut.indexOf(' ');
  return space >= 0 && space < max / 3 ? cut.slice(space + 1) : cut;
}

export const WHISPER_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
const UPLOADABLE = new Set(['.flac', '.m4a', '.mp3', '.mp4', '.mpeg', '.mpga', '.oga', '.ogg', '.wav', '.webm']);
const TRANSCODE_ARGS = ['-vn', '-ac', '1', '-ar', '16000', '-c:a', 'libmp3lame', '-b:a', '32k'];

interface Piece {
  path: string;
  offsetS: number;
  /** seconds of audio in the piece */
  durationS: number;
}

interface VerboseTranscription {
  text?: string;
  language?: string;
  duration?: number;
  segments?: WhisperSegmentLike[];
  /** json answers of the gpt-4o models: billed tokens, or seconds */
  usage?: { type?: string; seconds?: number };
}

const MIME: Record<string, string> = { '.mp3': 'audio/mpeg', '.wav': 'audio/wav', '.flac': 'audio/flac', '.m4a': 'audio/mp4', '.ogg': 'audio/ogg', '.oga': 'audio/ogg', '.webm': 'audio/webm', '.mp4': 'audio/mp4' };

export function createWhisperTranscriber(opts: WhisperTranscriberOptions): Transcriber {
  const model = opts.model ?? DEFAULT_WHISPER_MODEL;
  const maxUpload = opts.maxUploadBytes ?? WHISPER_MAX_UPLOAD_BYTES;
  const prices = opts.prices ?? buildPriceTable();
  let client: Promise<OpenAI> | null = null;

  async function pieces(input: TranscribeInput, work: string, ctx: CallContext): Promise<Piece[]> {
    const size = (await stat(input.audioPath)).size;
    if (size <= maxUpload && UPLOADABLE.has(extname(input.audioPath).toLowerCase())) return [{ path: input.audioPath, offsetS: 0, durationS: input.durationS }];
    ctx.log?.(`audio is ${(size / 1e6).toFixed(1)} MB: transcoding for upload`);
    const small = join(work, 'audio.mp3');
    await runFfmpeg(opts.ffmpeg, ['-v', 'error', '-y', '-i', input.audioPath, ...TRANSCODE_ARGS, small], ctx.signal ? { signal: ctx.signal } : {});
    const smallSize = (await stat(small)).size;
    if (smallSize <= maxUpload) return [{ path: small, offsetS: 0, durationS: input.durationS }];
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
      out.push({ path, offsetS, durationS: Math.min(chunkS, input.durationS - offsetS) });
    }
    return out;
  }

  async function transcribePiece(piece: Piece, call: { model: string; timed: boolean; language: string | undefined; prompt: string }, ctx: CallContext): Promise<VerboseTranscription> {
    client ??= createOpenAiClient(opts, OPENAI_SERVICE, DEFAULT_OPENAI_BASE_URL);
    const c = await client;
    const { toFile } = await import('openai');
    const ext = extname(piece.path).toLowerCase();
    const file = await toFile(await readFile(piece.path), basename(piece.path), { type: MIME[ext] ?? 'application/octet-stream' });
    try {
      const res = await c.audio.transcriptions.create(
        {
          file,
          model: call.model,
          ...(call.timed ? { response_format: 'verbose_json' as const, timestamp_granularities: ['segment' as const] } : { response_format: 'json' as const }),
          ...(call.language ? { language: call.language } : {}),
          ...(call.prompt ? { prompt: call.prompt } : {}),
        },
        { signal: ctx.signal },
      );
      return res as unknown as VerboseTranscription;
    } catch (err) {
      throw toProviderError(err, OPENAI_SERVICE);
    }
  }

  /** What one answer cost: the duration it reports (what is billed), else the audio sent. */
  function answerCost(callModel: string, res: VerboseTranscription, piece: Piece, measuredS?: number): number {
    const billedS =
      typeof res.duration === 'number' ? res.duration
      : res.usage?.type === 'duration' && typeof res.usage.seconds === 'number' ? res.usage.seconds
      : (measuredS ?? piece.durationS);
    return transcriptionCost(prices, callModel, billedS);
  }

  const timedByModel = givesTimestamps(model);
  const timestampModel = opts.timestampModel ?? DEFAULT_TIMESTAMP_MODEL;

  return {
    name: 'openai',
    async transcribe(input: TranscribeInput, ctx: CallContext): Promise<TranscribeResult> {
      if (!timedByModel && timestampModel.toLowerCase() === 'none') {
        throw new OmveeError('config', `${model} gives no timestamps, and OMVEE_WHISPER_TIMESTAMP_MODEL=none forbids timing the lyrics with a second model`, {
          hint: `Unset OMVEE_WHISPER_TIMESTAMP_MODEL (whisper-1 then times the lyrics, a second transcription of the same audio), set OMVEE_WHISPER_MODEL=whisper-1, or import timed lyrics (LRC/SRT) instead. Nothing was sent.`,
        });
      }
      if (!timedByModel && !givesTimestamps(timestampModel)) {
        throw new OmveeError('config', `OMVEE_WHISPER_TIMESTAMP_MODEL=${timestampModel} gives no timestamps either`, { hint: 'Use whisper-1 (the default) to time the lyrics. Nothing was sent.' });
      }
      const work = await mkdtemp(join(tmpdir(), 'omvee-whisper-'));
      try {
        const language = input.language ?? opts.language;
        const parts = await pieces(input, work, ctx);
        if (!timedByModel) ctx.log?.(`${model} gives no timestamps: timing the lyrics with ${timestampModel} (a second transcription of the same audio, billed too)`);
        const raw: WhisperSegmentLike[] = [];
        // billed per request: price each answer separately, like the provider does
        let costUsd = 0;
        let detected: string | null = null;
        let previousText = '';
        let previousTimedText = '';
        for (const [k, piece] of parts.entries()) {
          if (parts.length > 1) ctx.log?.(`transcribing chunk ${k + 1}/${parts.length}`);
          const res = await transcribePiece(piece, { model, timed: timedByModel, language, prompt: promptTail(previousText) }, ctx);
          detected ??= res.language ?? null;
          let segs: WhisperSegmentLike[];
          if (timedByModel) {
            costUsd += answerCost(model, res, piece);
            segs = res.segments ?? (res.text ? [{ start: 0, end: res.duration ?? piece.durationS, text: res.text }] : []);
          } else {
            const timed = await transcribePiece(piece, { model: timestampModel, timed: true, language, prompt: promptTail(previousTimedText) }, ctx);
            // the json answer bills tokens (no duration): priced per minute of the audio the timing model measured
            costUsd += answerCost(model, res, piece, timed.duration) + answerCost(timestampModel, timed, piece);
            detected ??= timed.language ?? null;
            previousTimedText = timed.text ?? (timed.segments ?? []).map((s) => s.text).join(' ');
            segs = timeTextBySegments(res.text ?? '', timed.segments ?? []);
          }
          previousText = res.text ?? segs.map((s) => s.text).join(' ');
          for (const s of segs) raw.push({ ...s, start: s.start + piece.offsetS, end: s.end + piece.offsetS });
        }
        raw.sort((a, b) => a.start - b.start);
        const segments: TranscriptSegment[] = flagSuspectSegments(raw)
          .map((s) => ({ ...s, start: clamp(s.start, input.durationS), end: clamp(s.end, input.durationS) }))
          .filter((s) => s.text !== '' && s.end > s.start);
        const suspect = segments.filter((s) => s.suspect).length;
        const warnings = [
          ...(timedByModel ? [] : [`text by ${model}, timestamps by ${timestampModel} (${model} gives none): check the line timing`]),
          ...(suspect ? [`${suspect} segment(s) look unreliable (loops or no speech); review them`] : []),
        ];
        return {
          transcript: {
            source: 'whisper',
            language: detected,
            segments,
            ...(warnings.length ? { warnings } : {}),
          },
          model: timedByModel ? model : `${model}+${timestampModel}`,
          costUsd: roundUsd(costUsd),
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
