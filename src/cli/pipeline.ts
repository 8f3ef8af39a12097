/**
 * Builds the pipeline's dependencies for a command (store, blobs, media, providers) and runs
 * steps as jobs in this process with progress on stderr.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { buildProviders, cancelInFlightPredictions, planProviders, type ProviderChoice, type ProviderPlan } from '../app/providers.ts';
import { budgetGuard, type SpendOptions } from './spend.ts';
import type { Services } from '../app/services.ts';
import type { Job, Project } from '../core/model.ts';
import type { PipelineDeps } from '../core/pipeline/deps.ts';
import type { Payload } from '../core/pipeline/handlers.ts';
import { runStep } from '../core/pipeline/run-step.ts';
import type { JobType } from '../store/port.ts';
import type { CliContext } from './context.ts';
import { startProgress, type Progress } from './progress.ts';

export interface Pipeline {
  services: Services;
  deps: PipelineDeps;
  plan: ProviderPlan;
  workerId: string;
  /** run one step as a job in this process, showing its progress */
  step<T extends JobType>(type: T, project: Project, payload: Payload<T>, label: string, done?: (job: Job) => string): Promise<Job>;
}

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Whether the omvee named by a worker id (see newWorkerId) still runs: answered only for
 * processes on this machine (a `kill -9`ed run whose job lease has not expired yet is gone);
 * undefined for other machines or ids of another shape.
 */
export function localWorkerAlive(workerId: string): boolean | undefined {
  const parts = workerId.split(':');
  if (parts.length < 3) return undefined;
  const pid = Number(parts[parts.length - 2]);
  const host = parts.slice(0, -2).join(':');
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function openPipeline(ctx: CliContext, choice: ProviderChoice = {}, concurrency: { images?: number; clips?: number } = {}, spend: SpendOptions = {}): Promise<Pipeline> {
  const services = await ctx.services();
  const plan = planProviders(services.config, choice);
  const media = await services.media();
  const v = services.config.values;
  const imageConcurrency = concurrency.images ?? v.OMVEE_IMAGE_CONCURRENCY ?? (plan.images === 'local' ? 2 : 4);
  const clipConcurrency = concurrency.clips ?? v.OMVEE_CLIP_CONCURRENCY ?? 2;
  const providers = await buildProviders(services.config, media, plan, { concurrency: { images: imageConcurrency, clips: clipConcurrency } });
  let current: Progress | null = null;
  const deps: PipelineDeps = {
    store: services.store,
    blobs: services.blobs,
    media,
    providers,
    workDir: services.workDir,
    log: (message) => (current ? current.warn(message) : ctx.warn(message)),
    note: (message) => (current ? current.note(message) : ctx.info(message)),
    concurrency: { images: imageConcurrency, clips: clipConcurrency },
    budget: spend.maxCostUsd !== undefined ? await budgetGuard(services.config, services.store, plan, spend.maxCostUsd) : undefined,
  };
  const workerId = newWorkerId();
  const leaseSeconds = v.OMVEE_LEASE_SECONDS ?? 60;
  return {
    services,
    deps,
    plan,
    workerId,
    async step(type, project, payload, label, done) {
      const progress = await startProgress(ctx, label);
      current = progress;
      try {
        const job = await runStep(deps, type, project.id, payload, {
          workerId,
          leaseSeconds,
          signal: ctx.signal,
          holderAlive: localWorkerAlive,
          onProgress: (_job, percent, detail) => progress.update(detail ?? label, percent),
        });
        progress.succeed(done ? done(job) : label);
        return job;
      } catch (error) {
        progress.fail(`${label}: failed`);
        if (spend.cancelOnExit && ctx.signal.aborted) {
          const canceled = await cancelInFlightPredictions(services.config, services.store, project.id, (m) => ctx.warn(m));
          if (canceled > 0) ctx.warn(`canceled ${canceled} in-flight prediction${canceled > 1 ? 's' : ''} (--cancel-on-exit)`);
        }
        throw error;
      } finally {
        progress.stop();
        current = null;
      }
    },
  };
}

/** --transcriber/--director/--images/--clips as given on a command line. */
export function providerChoice(options: Record<string, unknown>): ProviderChoice {
  const pick = (k: string) => (typeof options[k] === 'string' ? (options[k] as string) : undefined);
  return { transcriber: pick('transcriber'), director: pick('director'), images: pick('images'), clips: pick('clips') };
}
