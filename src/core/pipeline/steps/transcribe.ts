/** transcribe: lyrics with timestamps, imported from a stored lyrics file or made by the transcriber. */
import { z } from 'zod';
import { LYRICS_FORMATS } from '../../lyrics/index.ts';
import { defineStep } from '../step-definition.ts';
import { importTranscript, transcribeAudio } from '../transcript-step.ts';

export default defineStep({
  payload: z.union([
    z.object({ mode: z.literal('import'), source_key: z.string(), file_name: z.string(), format: z.enum(LYRICS_FORMATS).optional() }),
    z.object({ mode: z.literal('provider'), language: z.string().optional() }),
  ]),
  worker: true,
  async run(deps, project, payload, control) {
    const outcome =
      payload.mode === 'import'
        ? await importTranscript(deps, project, payload.source_key, payload.file_name, payload.format)
        : await transcribeAudio(deps, project, control, payload.language);
    for (const w of outcome.warnings) deps.log(w);
    return { result: { segments: outcome.transcript.segments.length, source: outcome.transcript.source, warnings: outcome.warnings, model: outcome.model }, costUsd: outcome.costUsd };
  },
  plan: {
    needed: async (_store, project) => project.transcript === null,
    queueAlways: false,
    payload: (o) => (o.lyricsSource ? { mode: 'import' as const, source_key: o.lyricsSource.key, file_name: o.lyricsSource.fileName } : { mode: 'provider' as const }),
    label: (p, providers) => (p.mode === 'import' ? 'importing lyrics' : `transcribing (${providers.transcriber})`),
    done: (j) => `${String(j.result?.segments)} lyric lines`,
  },
});
