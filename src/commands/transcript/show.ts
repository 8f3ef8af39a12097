import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { formatDuration, printList } from '../../cli/output.ts';
import { formatLrc, formatSrt, formatVtt } from '../../core/lyrics/index.ts';
import { projectFor } from '../resolve.ts';

export const Options = z.object({ format: z.enum(['lrc', 'srt', 'vtt']).optional() }).strict();

export async function run(ctx: CliContext, { args, options }: InputOf<typeof Options>): Promise<void> {
  const { store } = await ctx.services();
  const project = await projectFor(ctx, store, args[0]!);
  const transcript = project.transcript;
  if (!transcript) throw new OmveeError('not_found', `project ${project.name} has no transcript yet`, { hint: `import lyrics: omvee transcript import ${project.id} lyrics.lrc` });
  const format = options.format;
  if (format && !ctx.json) {
    ctx.write(format === 'lrc' ? formatLrc(transcript) : format === 'srt' ? formatSrt(transcript) : formatVtt(transcript));
    return;
  }
  if (transcript.segments.length === 0) ctx.info('no lyrics (instrumental)');
  printList(
    ctx,
    transcript.segments.map((s, i) => ({ ...s, n: i + 1 })),
    [
      { header: '#', value: (s) => s.n, align: 'right' },
      { header: 'start', value: (s) => formatDuration(s.start), align: 'right' },
      { header: 'end', value: (s) => formatDuration(s.end), align: 'right' },
      { header: 'text', value: (s) => s.text },
      { header: 'flag', value: (s) => s.suspect ?? '' },
    ],
    transcript,
  );
}
