import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { resolveJob } from '../../core/jobs/find.ts';
import { unsuccessful, watchJobs, type WatchTarget } from '../../core/jobs/watch.ts';
import type { Job } from '../../core/model.ts';
import { elapsed } from './view.ts';
import { projectFor } from '../resolve.ts';

export const Options = z.object({
  project: z.string().optional(),
  exitStatus: z.boolean().optional(),
  interval: z.coerce.number().int().min(50).max(60_000).default(1000),
}).strict();

export async function run(ctx: CliContext, { args, options: opts }: InputOf<typeof Options>): Promise<void> {
  const ref = args[0];
  if (ref !== undefined && opts.project !== undefined) {
    throw new OmveeError('usage', 'give a job id or --project, not both', { hint: 'omvee jobs watch <id>  or  omvee jobs watch --project <id>' });
  }
  const { store } = await ctx.services();
  let target: WatchTarget;
  if (ref !== undefined) target = { jobId: (await resolveJob(store, ref)).id };
  else if (opts.project !== undefined) target = { projectId: (await projectFor(ctx, store, opts.project)).id };
  else target = {};

  const tty = ctx.stderrIsTTY && !ctx.isCI;
  const display = ctx.globals.quiet ? null : tty ? liveBars(ctx) : plainLines(ctx);
  const jobs = await watchJobs(store, target, {
    intervalMs: opts.interval,
    signal: ctx.signal,
    onUpdate: (current) => display?.update(current),
    // --json: one object per change, newline-delimited, as it happens
    onChange: (job) => {
      if (ctx.json) ctx.write(`${JSON.stringify({ event: 'job', at: new Date().toISOString(), job })}\n`);
    },
    onMode: (mode, reason) => {
      const text = mode === 'live' ? 'following changes live (Supabase Realtime)' : `polling every ${opts.interval} ms${reason ? `: ${reason}` : ''}`;
      // a line of its own would break the redrawn bars on a terminal
      if (mode === 'polling' && display && !tty) ctx.info(text);
      else ctx.debug(text);
    },
    onError: (error) => ctx.debug(`reading jobs failed (will retry): ${error instanceof Error ? error.message : String(error)}`),
  });
  display?.end(jobs);

  const counts = (['completed', 'failed', 'canceled'] as const).map((s) => [s, jobs.filter((j) => j.status === s).length] as const);
  if (ctx.json) ctx.write(`${JSON.stringify({ event: 'summary', at: new Date().toISOString(), ...Object.fromEntries(counts), jobs })}\n`);
  if (jobs.length === 0 && !('jobId' in target)) ctx.info('no pending or running jobs to watch');
  const bad = unsuccessful(jobs);
  if (jobs.length > 0) ctx.info(counts.filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', '));
  if (opts.exitStatus && bad.length > 0) {
    const first = bad[0]!;
    throw new OmveeError('job_failed', `${bad.length} watched job${bad.length === 1 ? '' : 's'} did not complete: ${first.id} ${first.status}${first.error ? ` (${first.error})` : ''}`, {
      hint: `see: omvee jobs show ${first.id}; run it again with omvee jobs retry ${first.id}`,
    });
  }
}

interface Display {
  update(jobs: readonly Job[]): void;
  end(jobs: readonly Job[]): void;
}

const STATUS_MARK: Record<Job['status'], string> = { pending: '…', running: '▶', completed: '✔', failed: '✖', canceled: '⊘' };

function detailOf(job: Job): string {
  const detail = job.result && typeof job.result.detail === 'string' ? ` ${job.result.detail}` : '';
  if (job.status === 'failed' || job.status === 'canceled') return job.error ? ` ${job.error}` : '';
  if (job.status === 'pending' && job.attempts > 0 && job.error) return ` retry after ${job.run_after.slice(11, 19)}: ${job.error}`;
  return detail;
}

/** One line per change: for logs and CI. */
function plainLines(ctx: CliContext): Display {
  const last = new Map<string, string>();
  return {
    update(jobs) {
      for (const job of jobs) {
        const key = `${job.status}:${job.progress}`;
        if (last.get(job.id) === key) continue;
        last.set(job.id, key);
        ctx.io.stderr.write(`${job.id.slice(0, 8)} ${job.type} ${job.status} ${job.progress}%${job.status === 'running' ? '' : detailOf(job)}\n`);
      }
    },
    end() {},
  };
}

/** One progress bar per job, redrawn in place on the terminal. */
function liveBars(ctx: CliContext): Display {
  let drawn = 0;
  const width = () => Math.max(40, Math.min(120, ctx.io.stderr.columns ?? 80));
  const draw = (jobs: readonly Job[]) => {
    const lines = jobs.map((job) => barLine(ctx, job, width()));
    let out = drawn > 0 ? `\u001b[${drawn}A` : '';
    for (const line of lines) out += `\r\u001b[2K${line}\n`;
    // lines of jobs that are no longer shown
    for (let i = lines.length; i < drawn; i++) out += '\r\u001b[2K\n';
    ctx.io.stderr.write(out);
    drawn = Math.max(drawn, lines.length);
  };
  return { update: draw, end: draw };
}

function barLine(ctx: CliContext, job: Job, columns: number): string {
  const barWidth = 20;
  const filled = Math.round((job.progress / 100) * barWidth);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
  const color = job.status === 'completed' ? '32' : job.status === 'failed' || job.status === 'canceled' ? '31' : '36';
  const head = `${STATUS_MARK[job.status]} ${job.id.slice(0, 8)} ${job.type.padEnd(16)} `;
  const tail = ` ${String(job.progress).padStart(3)}% ${job.status.padEnd(9)} ${elapsed(job).padStart(6)}${detailOf(job)}`;
  const text = `${head}${bar}${tail}`;
  const visible = [...text].length > columns - 1 ? `${[...text].slice(0, columns - 2).join('')}…` : text;
  return ctx.paint(color, visible);
}
