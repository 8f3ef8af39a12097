import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import { DEFAULT_LEASE_SECONDS } from '../../config/defaults.ts';
import type { CliContext } from '../../cli/context.ts';
import { localWorkerAlive } from '../../app/worker-identity.ts';
import { openCommandPipeline } from '../pipeline.ts';
import { Worker, type WorkerEvent, type WorkerSummary } from '../../core/jobs/worker.ts';
import { JOB_TYPES } from '../../core/model.ts';
import { stepHandlers, workerJobTypes } from '../../core/pipeline/handlers.ts';
import type { JobType } from '../../store/port.ts';
import { takeOverSignals } from './signals.ts';
import { projectFor } from '../resolve.ts';

export const Options = z.object({
  concurrency: z.coerce.number().int().min(1).max(64).default(1),
  types: z.array(z.enum(JOB_TYPES)).min(1).optional(),
  project: z.string().optional(),
  once: z.boolean().optional(),
  lease: z.coerce.number().int().min(1).max(86_400).optional(),
  grace: z.coerce.number().min(0).max(86_400).default(30),
}).strict();


export async function run(ctx: CliContext, { options: opts }: InputOf<typeof Options>): Promise<void> {
  const pipeline = await openCommandPipeline(ctx);
  const { store } = pipeline.services;
  const projectId = opts.project !== undefined ? (await projectFor(ctx, store, opts.project)).id : undefined;
  const leaseSeconds = opts.lease ?? pipeline.services.config.values.OMVEE_LEASE_SECONDS ?? DEFAULT_LEASE_SECONDS;
  // uploads read a file on the machine that started them: a worker never takes them
  const types: JobType[] = opts.types ?? (await workerJobTypes());

  const worker = new Worker({
    store,
    handlers: stepHandlers(pipeline.deps, { holderAlive: localWorkerAlive }),
    workerId: pipeline.workerId,
    concurrency: opts.concurrency,
    types,
    ...(projectId !== undefined ? { projectId } : {}),
    once: opts.once === true,
    leaseSeconds,
    graceMs: opts.grace * 1000,
    onEvent: (event) => report(ctx, event, opts.grace),
  });

  const onAbort = () => worker.stop();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const restoreSignals = takeOverSignals(ctx.abort, () => worker.stop());
  if (!ctx.json) {
    ctx.info(
      `worker ${worker.workerId} on ${store.kind} store: ${opts.concurrency} slot${opts.concurrency === 1 ? '' : 's'}, ` +
        `types ${opts.types ? types.join(',') : 'all'}${projectId ? `, project ${projectId}` : ''}, lease ${leaseSeconds}s${opts.once ? ', once' : ''}`,
    );
  }
  let summary: WorkerSummary;
  try {
    summary = await worker.run();
  } finally {
    restoreSignals();
    ctx.signal.removeEventListener('abort', onAbort);
  }
  if (ctx.json) ctx.write(`${JSON.stringify({ event: 'summary', worker: worker.workerId, ...summary })}\n`);
  else {
    const parts = [`${summary.completed} completed`, `${summary.failed} failed`];
    if (summary.retried) parts.push(`${summary.retried} to retry`);
    if (summary.canceled) parts.push(`${summary.canceled} canceled`);
    if (summary.released) parts.push(`${summary.released} released`);
    if (summary.lost) parts.push(`${summary.lost} lost`);
    if (summary.errors) parts.push(`${summary.errors} store errors`);
    ctx.info(`worker ${worker.workerId} stopped: ${parts.join(', ')} in ${(summary.durationMs / 1000).toFixed(1)}s`);
  }
}

const short = (id: string | null | undefined): string => (id ? id.slice(0, 8) : '-');

function report(ctx: CliContext, event: WorkerEvent, graceSeconds: number): void {
  const at = new Date().toISOString();
  if (ctx.json) {
    const line = jsonLine(event, at);
    if (line) ctx.write(`${JSON.stringify(line)}\n`);
    return;
  }
  switch (event.type) {
    case 'start':
      ctx.info(`${at.slice(11, 19)} ▶ ${short(event.job.id)} ${event.job.type} project ${short(event.job.project_id)} (attempt ${event.job.attempts}/${event.job.max_attempts})`);
      return;
    case 'finish': {
      const o = event.outcome;
      const took = `${(event.ms / 1000).toFixed(1)}s`;
      const head = `${at.slice(11, 19)} ${o.status === 'completed' ? ctx.paint('32', '✔') : ctx.paint('31', '✖')} ${short(event.job.id)} ${event.job.type}`;
      if (o.status === 'completed') ctx.info(`${head} completed in ${took}`);
      else if (o.status === 'failed') ctx.info(`${head} ${o.willRetry ? `failed, will retry after ${o.job?.run_after ?? 'a backoff'}` : 'failed'} after ${took}: ${message(o.error)}`);
      else if (o.status === 'lost') ctx.info(`${head} lost its lease after ${took} (another worker may run it): ${message(o.error)}`);
      else ctx.info(`${head} ${o.status} after ${took}`);
      return;
    }
    case 'recovered':
      ctx.info(`${at.slice(11, 19)} recovered ${event.count} job${event.count === 1 ? '' : 's'} whose worker stopped heartbeating`);
      return;
    case 'stopping':
      if (event.immediate) ctx.info(`stopping now: releasing ${event.running} running job${event.running === 1 ? '' : 's'} to the queue`);
      else ctx.info(`stopping: no new jobs; ${event.running} running job${event.running === 1 ? '' : 's'} may finish within ${graceSeconds}s (send the signal again to release them now)`);
      return;
    case 'error':
      ctx.warn(`store error (will retry): ${message(event.error)}`);
      return;
    case 'progress':
      ctx.debug(`${short(event.job.id)} ${event.percent}%${event.detail ? ` ${event.detail}` : ''}`);
      return;
  }
}

function jsonLine(event: WorkerEvent, at: string): Record<string, unknown> | null {
  switch (event.type) {
    case 'start':
      return { event: 'start', at, job_id: event.job.id, type: event.job.type, project_id: event.job.project_id, attempt: event.job.attempts };
    case 'finish': {
      const o = event.outcome;
      return {
        event: 'finish',
        at,
        job_id: event.job.id,
        type: event.job.type,
        status: o.status === 'failed' && o.willRetry ? 'retrying' : o.status,
        ms: event.ms,
        ...('error' in o ? { error: message(o.error) } : {}),
      };
    }
    case 'recovered':
      return { event: 'recovered', at, count: event.count };
    case 'stopping':
      return { event: 'stopping', at, immediate: event.immediate, running: event.running };
    case 'error':
      return { event: 'error', at, error: message(event.error) };
    case 'progress':
      return null;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
