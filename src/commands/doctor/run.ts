import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../cli/errors.ts';
import { printList } from '../../cli/output.ts';
import { nodeCheck, runCheck, type CheckResult } from '../../core/doctor.ts';
import { providerChecks } from './providers.ts';

export async function run(ctx: CliContext, { options }: CommandInput): Promise<void> {
  const results: CheckResult[] = [];
  results.push({ check: 'node', ...nodeCheck(process.version) });
  const config = await ctx.config();

  results.push(
    await runCheck('ffmpeg', async () => {
      const services = await ctx.services();
      const v = await (await services.media()).versions();
      return { status: 'ok', detail: `${v.ffmpeg} (${v.ffmpegPath}); ffprobe ${v.ffprobe}`, hint: null };
    }),
  );
  results.push(
    await runCheck('store', async () => {
      const { store, backend } = await ctx.services();
      const info = await store.schemaInfo();
      const behind = info.version < info.latest;
      return {
        status: behind ? 'fail' : 'ok',
        detail: `${backend} at ${store.location}, schema version ${info.version}${behind ? ` (this omvee needs ${info.latest})` : ''}`,
        hint: behind ? (backend === 'supabase' ? 'run `supabase db push` to apply supabase/migrations' : 'run any omvee command to migrate') : null,
      };
    }),
  );
  results.push(
    await runCheck('storage', async () => {
      const { blobs } = await ctx.services();
      const key = `health/doctor-${process.pid}.txt`;
      await blobs.put(key, Buffer.from('ok'), { contentType: 'text/plain' });
      await blobs.remove([key]);
      return { status: 'ok', detail: `${blobs.kind} bucket ${blobs.bucket} at ${blobs.location} (writable)`, hint: null };
    }),
  );
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
