/** `omvee project cost <project>`: what a project has cost, per step and per take. */
import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { formatUsd, printList } from '../../cli/output.ts';
import { projectCost } from '../../core/cost/project-cost.ts';
import { projectFor } from '../resolve.ts';

interface Row {
  step: string;
  scene: number | null;
  take: number | null;
  model: string | null;
  status: string | null;
  usd: number;
}

export const Options = z.object({ takes: z.boolean().optional() }).strict();

export async function run(ctx: CliContext, { args, options }: InputOf<typeof Options>): Promise<void> {
  const { store } = await ctx.services();
  const project = await projectFor(ctx, store, args[0] ?? '');
  const cost = await projectCost(store, project.id);
  const detailed = options.takes === true;
  const rows: Row[] = [];
  for (const s of cost.steps) {
    rows.push({ step: s.step, scene: null, take: null, model: null, status: `${s.items} paid`, usd: s.usd });
    if (!detailed) continue;
    if (s.step === 'prompts') for (const p of cost.prompts) rows.push({ step: '  prompt', scene: p.scene, take: null, model: p.model, status: null, usd: p.cost_usd });
    if (s.step === 'images' || s.step === 'clips') {
      for (const t of cost.takes.filter((t) => (s.step === 'images' ? t.kind === 'image' : t.kind === 'clip'))) {
        rows.push({ step: `  ${t.kind}`, scene: t.scene, take: t.take, model: t.model, status: t.status, usd: t.cost_usd });
      }
    }
  }
  rows.push({ step: 'total', scene: null, take: null, model: null, status: null, usd: cost.total_usd });
  printList(
    ctx,
    rows,
    [
      { header: 'step', value: (r) => r.step },
      { header: 'scene', value: (r) => r.scene, align: 'right' },
      { header: 'take', value: (r) => r.take, align: 'right' },
      { header: 'model', value: (r) => r.model },
      { header: 'status', value: (r) => r.status },
      { header: 'usd', value: (r) => formatUsd(r.usd), align: 'right' },
    ],
    { name: project.name, ...cost },
  );
  if (!ctx.json) ctx.info(`${project.name}: ${formatUsd(cost.total_usd)} recorded (what omvee was billed as reported by the providers, or priced from the price table)`);
}
