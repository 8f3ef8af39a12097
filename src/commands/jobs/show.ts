import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { formatUsd, printRecord } from '../../cli/output.ts';
import { sceneDetail } from '../../core/jobs/detail.ts';
import { resolveJob } from '../../core/jobs/find.ts';
import { jobFields } from './view.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const { store } = await ctx.services();
  const job = await resolveJob(store, args[0] ?? '');
  const scenes = await sceneDetail(store, job);
  const fields = jobFields(job);
  if (scenes) {
    for (const s of scenes) {
      const parts = [s.status, s.take ? `take ${s.take}` : null, s.model, s.prediction_id ? `prediction ${s.prediction_id}` : null, s.cost_usd ? formatUsd(s.cost_usd) : null, s.error];
      fields.push([`scene ${s.scene}`, parts.filter(Boolean).join(', ')]);
    }
  }
  printRecord(ctx, fields, scenes ? { ...job, scenes } : job);
}
