import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printList } from '../../cli/output.ts';
import { nodeCheck, runCheck, type CheckResult } from '../../core/doctor.ts';
import { providerChecks } from './providers.ts';
import { backendChecks } from './backend.ts';

export async function run(ctx: CliContext, { options }: CommandInput): Promise<void> {
  const results: CheckResult[] = [];
  results.push({ check: 'node', ...nodeCheck(process.version) });
  const config = await ctx.config();

  results.push(
    await runCheck('ffmpeg', async () => {
      // not through ctx.services(): ffmpeg does not depend on the backend being reachable
      const [{ resolveBinaries }, { createFfmpegMedia }] = await Promise.all([import('../../media/binaries.ts'), import('../../media/ffmpeg-media.ts')]);
      const bins = await resolveBinaries({ ...ctx.env, FFMPEG_PATH: config.values.FFMPEG_PATH, FFPROBE_PATH: config.values.FFPROBE_PATH });
      const v = await createFfmpegMedia(bins).versions();
      return { status: 'ok', detail: `${v.ffmpeg} (${v.ffmpegPath}); ffprobe ${v.ffprobe}`, hint: null };
    }),
  );
  results.push(...(await backendChecks(ctx, { offline: options.offline === true })));
  results.push(...(await providerChecks(config, { offline: options.offline === true })));

  printList(
    ctx,
    results,
    [
      { header: 'check', value: (r) => r.check },
      { header: 'status', value: (r) => (ctx.stdoutIsTTY ? statusMark(ctx, r.status) : r.status) },
      { header: 'detail', value: (r) => r.detail },
      { header: 'fix', value: (r) => r.hint ?? '' },
    ],
  );
  const failed = results.filter((r) => r.status === 'fail');
  if (failed.length > 0) {
    throw new OmveeError('config', `${failed.length} check${failed.length > 1 ? 's' : ''} failed: ${failed.map((r) => r.check).join(', ')}`, {
      hint: failed[0]!.hint ?? undefined,
    });
  }
}

function statusMark(ctx: CliContext, status: string): string {
  if (status === 'ok') return ctx.paint('32', 'ok');
  if (status === 'warn') return ctx.paint('33', 'warn');
  return ctx.paint('31', 'FAIL');
}
