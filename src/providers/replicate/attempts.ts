/**
 * One take, as many paid attempts as it needs (bounded): a prediction that fails for a
 * transient reason (out of memory, interrupted, timed out, an upstream 5xx) is retried as a NEW
 * prediction, at most `maxRetries` more times (default 2), with a short jittered pause; a
 * permanent failure (safety filter, rejected input, cancel) stops at once. Every attempt —
 * failed or not — is reported (onAttempt) with its cost, and the take's cost is their sum.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { OmveeError } from '../../core/errors.ts';
import type { TakeAttempt } from '../../core/model.ts';
import type { CallContext } from '../ports.ts';
import type { Prediction, Replicate } from './client.ts';
import { classifyFailure, errorText, predictionFailure } from './failures.ts';
import { runPrediction, type RunPredictionOptions } from './predictions.ts';

export const DEFAULT_TRANSIENT_RETRIES = 2;

export interface AttemptOptions<T> {
  run: RunPredictionOptions;
  /** transient failures retried as new predictions (default 2) */
  maxRetries?: number | undefined;
  /** pause before a new attempt, ms (default 2 s × attempt, jittered; tests 0) */
  retryDelayMs?: number | undefined;
  /** cost of one finished prediction (0 for outputs not billed) */
  cost: (prediction: Prediction) => number;
  /** take the output of a succeeded prediction (download); a 404/410 means it expired */
  accept: (prediction: Prediction) => Promise<T>;
  onAttempt?: ((attempt: TakeAttempt) => Promise<void>) | undefined;
  /** the part of a take made of several predictions (recorded on each attempt) */
  part?: number | undefined;
}

export interface AttemptsResult<T> {
  prediction: Prediction;
  value: T;
  attempts: TakeAttempt[];
  costUsd: number;
}

const expired = (err: unknown): boolean => {
  const status = err instanceof OmveeError ? err.details?.['status'] : undefined;
  return status === 404 || status === 410;
};

export async function runWithAttempts<T>(client: Replicate, opts: AttemptOptions<T>, ctx: CallContext): Promise<AttemptsResult<T>> {
  const maxRetries = Math.max(0, opts.maxRetries ?? DEFAULT_TRANSIENT_RETRIES);
  const attempts: TakeAttempt[] = [];
  let resume = opts.run.resumePredictionId ?? null;
  let transientLeft = maxRetries;
  const record = async (p: Prediction, status: string, error: string | null, transient: boolean, paid: boolean): Promise<void> => {
    const attempt: TakeAttempt = { prediction_id: p.id, status, error, transient, cost_usd: paid ? opts.cost(p) : 0, at: new Date().toISOString(), ...(opts.part ? { part: opts.part } : {}) };
    attempts.push(attempt);
    await opts.onAttempt?.(attempt);
  };
  const seen = new Set<string>(opts.run.excludePredictionIds ?? []);
  for (let n = 1; ; n++) {
    // an earlier attempt of this take is never mistaken for a lost create of the next one
    const { prediction, created } = await runPrediction(client, { ...opts.run, resumePredictionId: resume, excludePredictionIds: seen }, ctx);
    seen.add(prediction.id);
    resume = null;
    if (prediction.status === 'succeeded') {
      try {
        const value = await opts.accept(prediction);
        await record(prediction, 'succeeded', null, false, true);
        return { prediction, value, attempts, costUsd: sum(attempts) };
      } catch (err) {
        // a re-attached prediction whose output Replicate already deleted: a new one is the only way
        if (created || !expired(err)) {
          await record(prediction, 'succeeded', `output not copied: ${err instanceof Error ? err.message : String(err)}`, false, true);
          throw err;
        }
        ctx.log?.(`the output of stored prediction ${prediction.id} has expired; starting a new one`);
        await record(prediction, 'expired', 'output deleted by Replicate before it was copied', false, true);
        continue;
      }
    }
    const kind = classifyFailure(prediction);
    const transient = kind === 'transient';
    await record(prediction, prediction.status, errorText(prediction) || null, transient, true);
    if (!transient || transientLeft <= 0) throw predictionFailure(prediction, n);
    transientLeft -= 1;
    ctx.log?.(`prediction ${prediction.id} ${prediction.status} (${errorText(prediction).slice(0, 120) || 'no reason given'}): transient, trying a new prediction (${maxRetries - transientLeft} of ${maxRetries})`);
    const delay = opts.retryDelayMs ?? Math.round(2000 * n * (0.5 + Math.random() / 2));
    if (delay > 0) {
      try {
        await sleep(delay, undefined, ctx.signal ? { signal: ctx.signal } : undefined);
      } catch (err) {
        throw new OmveeError('interrupted', 'stopped before retrying the prediction', { cause: err });
      }
    }
  }
}

function sum(attempts: readonly TakeAttempt[]): number {
  return Math.round(attempts.reduce((s, a) => s + a.cost_usd, 0) * 1e6) / 1e6;
}
