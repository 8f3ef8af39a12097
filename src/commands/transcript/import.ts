import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { OFFLINE_CHOICE } from '../../app/providers.ts';
import { openCommandPipeline } from '../pipeline.ts';
import { checkInputFile } from '../../core/files.ts';
import { LYRICS_FORMATS, parseLyrics } from '../../core/lyrics/index.ts';
import { storeLyricsSource } from '../../core/pipeline/transcript-step.ts';
import { projectFor } from '../resolve.ts';

export const Options = z.object({ format: z.enum(LYRICS_FORMATS).optional() }).strict();

export async function run(ctx: CliContext, { args, options: opts }: InputOf<typeof Options>): Promise<void> {
  const [ref, file] = args as [string, string];
  await checkInputFile(file, 'lyrics file');
  const pipeline = await openCommandPipeline(ctx, { choice: OFFLINE_CHOICE });
  const project = await projectFor(ctx, pipeline.services.store, ref);
  // parse here first: a bad file fails before anything is stored
  const bytes = await readFile(file);
  const { transcript, warnings } = parseLyrics(bytes, { durationS: project.audio_duration_s, fileName: basename(file), ...(opts.format ? { format: opts.format } : {}) });
  // the warnings are printed by the transcribe step below; printing them here too doubled them
  const key = await storeLyricsSource(pipeline.services.blobs, project.id, file, bytes);
  const job = await pipeline.step(
    'transcribe',
    project,
    { mode: 'import', source_key: key, file_name: basename(file), ...(opts.format ? { format: opts.format } : {}) },
    'importing lyrics',
    () => `imported ${transcript.segments.length} lyric lines (${transcript.source})`,
  );
  const result = { project_id: project.id, job_id: job.id, source: transcript.source, segments: transcript.segments.length, warnings };
  printRecord(ctx, Object.entries(result), result);
}
