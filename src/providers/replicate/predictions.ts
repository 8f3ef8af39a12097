/**
 * Create-or-re-attach, then poll: the money-safe way to run one Replicate prediction.
 *
 * 1. With a stored id (resumePredictionId), re-attach with predictions.get. Only if that
 *    prediction is gone (404), failed, canceled, aborted, or succeeded but its output was
 *    already deleted, a new prediction is created.
 * 2. A create whose answer is lost (timeout, reset, a 5xx that may have come after the work
 *    started — the retrying fetch refuses to send such a create twice and marks the error
 *    `ambiguous`) is FOUND before anything is created again: recent predictions are listed
 *    (`GET /v1/predictions`, newest first, page by page) and the one with the same model or
 *    version and the same input, created since just before our create, is re-attached.
 * 3. A new (or found) prediction's id is handed to onPrediction BEFORE any waiting, so the
 *    caller stores it; if storing fails, the prediction is canceled (nobody could find it).
 * 4. Poll predictions.get until a final state. Not replicate.run()/wait: those can hand back
 *    null output for predictions still processing. A wait longer than timeoutMs gives up
 *    WITHOUT canceling: the id is stored and a rerun re-attaches.
 * The final prediction is returned whatever its state; the caller decides (attempts.ts).
 */
import { progressFromLogs } from './log-progress.ts';
import { isDeepStrictEqual } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { OmveeError } from '../../core/errors.ts';
import { toProviderError } from '../http/errors.ts';
import type { CallContext, PredictionHooks } from '../ports.ts';
import { REPLICATE_SERVICE, type Prediction, type Replicate } from './client.ts';

export const FINAL_STATES = new Set(['succeeded', 'failed', 'canceled', 'aborted']);

export interface RunPredictionOptions extends PredictionHooks {
  /** 'owner/name' (official model) or 'owner/name:version' */
  model: string;
  input: Record<string, unknown>;
  pollIntervalMs: number;
  /** how long to wait for a final state, ms */
  timeoutMs: number;
  /** wait before looking for a create whose answer was lost (default 3 s: let it land) */
  lostCreateDelayMs?: number | undefined;
  /** how far back a lost create may have been stamped, ms (default 2 min, for clock skew) */
  lostCreateSkewMs?: number | undefined;
  /** predictions that are certainly not this create's (other takes, earlier attempts) */
  excludePredictionIds?: ReadonlySet<string> | undefined;
  /** called with the input right before every create (throw to refuse: nothing is paid) */
  validate?: ((input: Record<string, unknown>) => void) | undefined;
}

export interface FinishedPrediction {
  prediction: Prediction;
  /** true when this call created the prediction (a paid attempt), also when it was found after a lost create */
  created: boolean;
  /** true when it was found again after its create's answer was lost */
  recovered?: boolean;
}

export function modelRef(model: string): { model: string } | { version: string } {
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

/** A create that failed in a way that may have started the work on Replicate. */
function maybeCreated(e: OmveeError): boolean {
  if (e.details?.['ambiguous'] === true) return true;
  const status = e.details?.['status'];
  return e.code === 'network' || (typeof status === 'number' && [500, 502, 504].includes(status));
}

function sameModel(p: Prediction, model: string): boolean {
  const [name, version] = model.split(':');
  if (version) return p.version === version;
  return p.model === name;
}

function sameOrigin(a: string, b: string | undefined): boolean {
  try {
    return new URL(a).origin === new URL(b ?? '').origin;
  } catch {
    return false;
  }
}

/**
 * The prediction a lost create made, if Replicate has it: listed newest first, page by page,
 * until predictions older than `since` show up. Candidates must match on model (or version) and
 * the exact input (a listed prediction without its input is read in full); of several matches
 * (two takes with the same input), the one created closest to `createdNear` is ours.
 */
export async function findLostCreate(client: Replicate, model: string, input: Record<string, unknown>, since: number, createdNear: number, exclude: ReadonlySet<string>, signal?: AbortSignal): Promise<Prediction | null> {
  type Page = { results?: Prediction[]; next?: string | null };
  let page = await call(() => client.predictions.list({ signal }) as Promise<Page>);
  let best: Prediction | null = null;
  let bestGap = Infinity;
  for (let pages = 0; pages < 10; pages++) {
    let older = false;
    for (const item of page.results ?? []) {
      const created = Date.parse(item.created_at);
      if (Number.isFinite(created) && created < since) {
        older = true;
        continue;
      }
      if (!sameModel(item, model) || exclude.has(item.id)) continue;
      const full = item.input === undefined ? await call(() => client.predictions.get(item.id, { signal })) : item;
      if (!isDeepStrictEqual(full.input, input)) continue;
      const gap = Number.isFinite(created) ? Math.abs(created - createdNear) : Infinity;
      if (!best || gap < bestGap) {
        best = full;
        bestGap = gap;
      }
    }
    const next = page.next;
    // the token goes with the request: follow only pages of the API we were talking to
    if (older || !next || !sameOrigin(next, client.baseUrl)) break;
    page = await call(async () => (await client.request(next, { method: 'GET', signal })).json() as Promise<Page>);
  }
  return best;
}

async function createOrFind(client: Replicate, opts: RunPredictionOptions, ctx: CallContext): Promise<{ prediction: Prediction; recovered: boolean }> {
  const signal = ctx.signal;
  opts.validate?.(opts.input);
  const startedAt = Date.now();
  try {
    const fresh = await call(() => client.predictions.create({ ...modelRef(opts.model), input: opts.input, signal } as Parameters<Replicate['predictions']['create']>[0]));
    return { prediction: fresh, recovered: false };
  } catch (error) {
    const e = toProviderError(error, REPLICATE_SERVICE);
    if (e.code === 'interrupted' || !maybeCreated(e)) throw e;
    ctx.log?.(`the answer to creating a prediction was lost (${e.message.split(';')[0]}); looking for it on Replicate before creating anything new`);
    const delay = opts.lostCreateDelayMs ?? 3000;
    if (delay > 0) await sleep(delay, undefined, signal ? { signal } : undefined).catch(() => undefined);
    const exclude = new Set([...(opts.excludePredictionIds ?? []), ...(opts.knownPredictionIds ?? [])]);
    const found = await findLostCreate(client, opts.model, opts.input, startedAt - (opts.lostCreateSkewMs ?? 120_000), startedAt, exclude, signal);
    if (found) {
      ctx.log?.(`found prediction ${found.id} (${found.status}) made by the lost create; re-attached, nothing paid twice`);
      return { prediction: found, recovered: true };
    }
    ctx.log?.('no prediction was made by the lost create; creating it now');
    // the create never landed: one more try (the retrying fetch still refuses to repeat a request
    // whose fate is unknown, so a second lost answer stops here)
    const again = await call(() => client.predictions.create({ ...modelRef(opts.model), input: opts.input, signal } as Parameters<Replicate['predictions']['create']>[0]));
    return { prediction: again, recovered: false };
  }
}

export async function runPrediction(client: Replicate, opts: RunPredictionOptions, ctx: CallContext): Promise<FinishedPrediction> {
  const signal = ctx.signal;
  let prediction: Prediction | null = null;
  let created = false;
  let recovered = false;

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
    const got = await createOrFind(client, opts, ctx);
    if (!got.prediction?.id) throw new OmveeError('provider', 'Replicate created a prediction without an id');
    created = true; // a found lost create was paid by this call too
    recovered = got.recovered;
    try {
      await opts.onPrediction?.(got.prediction.id);
    } catch (err) {
      // we could not record it: cancel so nobody pays for a result nobody can find
      await client.predictions.cancel(got.prediction.id).catch(() => undefined);
      throw err;
    }
    prediction = got.prediction;
  }
  return { prediction: await poll(client, prediction, opts, signal, ctx.progress), created, ...(recovered ? { recovered } : {}) };
}

async function poll(client: Replicate, first: Prediction, opts: RunPredictionOptions, signal: AbortSignal | undefined, progress?: (fraction: number) => void): Promise<Prediction> {
  let prediction = first;
  const started = Date.now();
  while (!FINAL_STATES.has(prediction.status)) {
    if (Date.now() - started > opts.timeoutMs) {
      throw new OmveeError('provider', `prediction ${prediction.id} is still ${prediction.status} after ${Math.round(opts.timeoutMs / 1000)} s`, {
        hint: 'It keeps running on Replicate and its id is stored: rerun later to re-attach, or cancel it with `omvee jobs cancel`.',
        details: { predictionId: prediction.id, reason: 'wait_timeout' },
      });
    }
    try {
      await sleep(opts.pollIntervalMs, undefined, signal ? { signal } : undefined);
    } catch (err) {
      throw new OmveeError('interrupted', `stopped waiting for prediction ${prediction.id} (it stays recorded)`, { cause: err, details: { predictionId: prediction.id } });
    }
    const id: string = prediction.id;
    prediction = await call((): Promise<Prediction> => client.predictions.get(id, { signal }));
    // the model's own tqdm lines say how far it is (nothing is guessed when they do not)
    const fraction = progress ? progressFromLogs(prediction.logs) : null;
    if (fraction !== null) progress!(fraction);
  }
  return prediction;
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
