/**
 * The offline transcriber. It cannot hear words: without a lyrics file the song is treated as
 * an instrumental (scenes are still cut over the whole song), and it says how to do better.
 */
import type { CallContext, TranscribeInput, TranscribeResult, Transcriber } from '../ports.ts';

export function createLocalTranscriber(): Transcriber {
  return {
    name: 'local',
    async transcribe(_input: TranscribeInput, _ctx: CallContext): Promise<TranscribeResult> {
      return {
        transcript: {
          source: 'none',
          language: null,
          segments: [],
          warnings: ['no lyrics: pass --lyrics FILE (LRC, SRT, VTT, Whisper JSON or text) or set OPENAI_API_KEY to transcribe; continuing as an instrumental'],
        },
        model: 'none',
        costUsd: 0,
      };
    },
  };
}
