import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printList } from '../../cli/output.ts';
import { nodeCheck, type CheckResult } from '../../core/doctor.ts';
import { backendChecks } from '../../app/doctor/backend-checks.ts';
import { ffmpegCheck } from '../../app/doctor/media-check.ts';
import { providerChecks } from '../../app/doctor/provider-checks.ts';

export const Options = z.object({ offline: z.boolean().optional() }).strict();

export async function run(ctx: CliContext, { options }: InputOf<typeof Options>): Promise<void> {
  const results: CheckResult[] = [];
  results.push({ check: 'node', ...nodeCheck(process.version) });
  const config = await ctx.config();

  results.push(await ffmpegCheck(config, ctx.env));
  results.push(...(await backendChecks({ config, services: () => ctx.services() }, { offline: options.offline === true })));
  results.push(...(await providerChecks(config, { offline: options.offline === true })));

  printList(
    ctx,
    results,
    [
      { header: 'check', value: (r) => r.check },
      { header: 'status', value: (r) => (ctx.stdoutIsTTY ? statusMark(ctx, r.status) : r.status), painted: true },
      { header: 'detail', value: (r) => r.detail, wrap: true },
      { header: 'fix', value: (r) => r.hint ?? '', wrap: true },
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
