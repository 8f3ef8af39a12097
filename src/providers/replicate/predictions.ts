/**
 * Create-or-re-attach, then poll: the money-safe way to run a Replicate prediction.
 *
 * 1. With a stored id (resumePredictionId), re-attach with predictions.get. Only if that
 *    prediction is gone (404), failed, canceled, aborted, or succeeded but its output was
 *    already deleted, a new prediction is created — a new paid attempt, reported through
 *    onPrediction like any other.
 * 2. A new prediction's id is handed to onPrediction BEFORE any waiting, so the caller stores
 *    it; if storing fails, the prediction is canceled (we could never find it again).
 * 3. Poll predictions.get until a final state (succeeded, failed, canceled, aborted). Not
 *    replicate.run()/wait: those can hand back null output for predictions still processing.
 *    A wait longer than timeoutMs gives up WITHOUT canceling: the id is stored and a rerun
 *    re-attaches.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { OmveeError } from '../../core/errors.ts';
import { toProviderError } from '../http/errors.ts';
import type { CallContext, PredictionHooks } from '../ports.ts';
import { REPLICATE_SERVICE, type Prediction, type Replicate } from './client.ts';

export const FINAL_STATES = new Set(['succeeded', 'failed', 'canceled', 'aborted']);

export interface RunPredictionOptions extends PredictionHooks {
  model: string;
  input: Record<string, unknown>;
  pollIntervalMs: number;
  /** how long to wait for a final state, ms */
  timeoutMs: number;
}

export interface FinishedPrediction {
  prediction: Prediction;
  /** true when a new prediction was created by this call (a paid attempt) */
  created: boolean;
}

function modelRef(model: string): { model: string } | { version: string } {
  const [name, version] = model.split(':');
  return version ? { version } : { model: name ?? model };
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toProviderError(err, REPLICATE_SERVICE);
  }
}

/** Is a stored prediction still worth re-attaching to (rather than paying for a new one)? */
function reusable(p: Prediction): boolean {
  if (p.status === 'starting' || p.status === 'processing') return true;
  if (p.status === 'succeeded') return !p.data_removed && p.output != null;
  return false;
}

export async function runPrediction(client: Replicate, opts: RunPredictionOptions, ctx: CallContext): Promise<FinishedPrediction> {
  const signal = ctx.signal;
  let prediction: Prediction | null = null;
  let created = false;

  if (opts.resumePredictionId) {
    const id = opts.resumePredictionId;
    try {
      prediction = await client.predictions.get(id, { signal });
    } catch (err) {
      const e = toProviderError(err, REPLICATE_SERVICE);
      if (e.details?.['status'] !== 404) throw e;
      ctx.log?.(`stored prediction ${id} no longer exists; starting a new one`);
    }
    if (prediction && !reusable(prediction)) {
      ctx.log?.(`stored prediction ${id} ended as ${prediction.status}${prediction.status === 'succeeded' ? ' but its output is gone' : ''}; starting a new one`);
      prediction = null;
    } else if (prediction) {
      ctx.log?.(`re-attached to prediction ${id} (${prediction.status})`);
    }
  }

  if (!prediction) {
    const fresh: Prediction = await call(() => client.predictions.create({ ...modelRef(opts.model), input: opts.input, signal } as Parameters<Replicate['predictions']['create']>[0]));
    created = true;
    if (!fresh?.id) throw new OmveeError('provider', 'Replicate created a prediction without an id');
    try {
      await opts.onPrediction?.(fresh.id);
    } catch (err) {
      // we could not record it: cancel so nobody pays for a result nobody can find
      await client.predictions.cancel(fresh.id).catch(() => undefined);
      throw err;
    }
    prediction = fresh;
  }
  return poll(client, prediction, created, opts, signal);
}

async function poll(client: Replicate, first: Prediction, created: boolean, opts: RunPredictionOptions, signal: AbortSignal | undefined): Promise<FinishedPrediction> {
  let prediction = first;

  const started = Date.now();
  while (!FINAL_STATES.has(prediction.status)) {
    if (Date.now() - started > opts.timeoutMs) {
      throw new OmveeError('provider', `prediction ${prediction.id} is still ${prediction.status} after ${Math.round(opts.timeoutMs / 1000)} s`, {
        hint: 'It keeps running on Replicate and its id is stored: rerun later to re-attach, or cancel it with `omvee jobs cancel`.',
        details: { predictionId: prediction.id },
      });
    }
    try {
      await sleep(opts.pollIntervalMs, undefined, signal ? { signal } : undefined);
    } catch (err) {
      throw new OmveeError('interrupted', `stopped waiting for prediction ${prediction.id} (it stays recorded)`, { cause: err, details: { predictionId: prediction.id } });
    }
    const id: string = prediction.id;
    prediction = await call((): Promise<Prediction> => client.predictions.get(id, { signal }));
  }

  if (prediction.status !== 'succeeded') {
    const why = prediction.error ? `: ${String(typeof prediction.error === 'string' ? prediction.error : JSON.stringify(prediction.error)).slice(0, 300)}` : '';
    throw new OmveeError('provider', `Replicate prediction ${prediction.id} ${prediction.status}${why}`, {
      hint:
        prediction.status === 'failed'
          ? 'The model rejected this input (e.g. a safety filter or a bad parameter); edit the prompt or regenerate the take.'
          : 'It was stopped on Replicate; regenerate the take to try again.',
      details: { predictionId: prediction.id, status: prediction.status },
    });
  }
  return { prediction, created };
}

/** All output URLs of a prediction, whatever shape the model returns (string, array, object). */
export function outputUrls(output: unknown): string[] {
  const urls: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (/^(https?:|data:)/.test(v)) urls.push(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(output);
  return urls;
}

/** Cancel a prediction (for --cancel-on-exit and `jobs cancel`); returns its status after. */
export async function cancelWith(client: Replicate, predictionId: string, signal?: AbortSignal): Promise<string> {
  const p = await call(() => client.predictions.cancel(predictionId, { signal }));
  return p.status;
}
