/**
 * A `fetch` that applies our retry policy and a per-attempt timeout, handed to the openai and
 * replicate SDKs (`new OpenAI({ fetch, maxRetries: 0 })`, `new Replicate({ fetch })`) so every
 * call of every adapter retries the same way.
 *
 * Why inside fetch: the replicate SDK (1.4) has its own loop that re-sends a request up to 6
 * times, immediately, on 429 (and on 5xx for GET) and on any thrown fetch error, ignoring
 * Retry-After. It cannot be switched off. So this fetch remembers the final outcome of each
 * logical request (keyed by the SDK's `init` object, which the SDK reuses across its
 * re-sends) and replays it without touching the network: the provider sees exactly our
 * attempts, never doubled ones.
 *
 * Requests that start paid work (e.g. creating a Replicate prediction) are marked by
 * `startsPaidWork`: they are retried only when the failure proves nothing was started — 429,
 * 503, or a connection that was never made. A timeout, a reset or a 500/502/504 may mean the
 * work did start, so such a request is not sent again (a second prediction would be billed
 * and never found); the error says so.
 *
 * Timeouts: each attempt gets AbortSignal.timeout(timeoutMs) combined with the caller's
 * signal; the same signal governs reading the body, so a server that stalls mid-body also
 * times out. A caller abort is never retried.
 */
import { OmveeError } from '../../core/errors.ts';
import { interruptedError, isRetryableStatus, type ServiceInfo } from './errors.ts';
import { parseRetryAfter, resolveRetryPolicy, retryDelayMs, type RetryPolicy } from './retry.ts';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * How much of an error response's body is ever read (a 400 with a 400 MB body once took 2.6 GB
 * of memory): enough for any provider's JSON error, the rest is discarded unread.
 */
export const ERROR_BODY_MAX_BYTES = 64 * 1024;

/** At most `max` bytes of a response body; the rest is cancelled, never read. */
export async function readCapped(res: Response, max: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = value.subarray(0, max - size);
      chunks.push(take);
      size += take.length;
    }
  } catch {
    // a body that breaks off mid-way: what arrived is all there is to show
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks, size);
}

export async function readCappedText(res: Response, max: number): Promise<string> {
  return Buffer.from(await readCapped(res, max)).toString('utf8');
}

export interface RetryingFetchOptions {
  service: ServiceInfo;
  /** per-attempt timeout (headers and body), ms */
  timeoutMs: number;
  retry?: Partial<RetryPolicy> | undefined;
  /** underlying fetch (default globalThis.fetch) */
  fetch?: FetchLike | undefined;
  /** true for requests that start paid work: they are retried only when nothing was started */
  startsPaidWork?: ((url: string, init: RequestInit | undefined) => boolean) | undefined;
}

/** Statuses and errors that prove a request was not acted on. */
const NOT_PROCESSED_STATUSES = new Set([429, 503]);
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function neverConnected(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } }).cause?.code;
  return code !== undefined && NOT_CONNECTED_CODES.has(code);
}

type FinalOutcome =
  | { kind: 'response'; status: number; statusText: string; headers: [string, string][]; body: ArrayBuffer }
  | { kind: 'error'; error: unknown };

function replay(outcome: FinalOutcome): Response {
  if (outcome.kind === 'error') throw outcome.error;
  return new Response(outcome.body.byteLength ? outcome.body : null, {
    status: outcome.status,
    statusText: outcome.statusText,
    headers: outcome.headers,
  });
}

function isReplayableBody(body: unknown): boolean {
  if (body == null) return true;
  if (typeof body === 'string' || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return true;
  if (body instanceof FormData || body instanceof URLSearchParams || body instanceof Blob) return true;
  return false; // streams can be sent once only
}

export function createRetryingFetch(opts: RetryingFetchOptions): FetchLike {
  const policy = resolveRetryPolicy(opts.retry);
  const base: FetchLike = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const finals = new WeakMap<object, FinalOutcome>();
  const { service, timeoutMs } = opts;

  return async function retryingFetch(input, init) {
    const key = init as object | undefined;
    const known = key ? finals.get(key) : undefined;
    if (known) return replay(known);
    const remember = (outcome: FinalOutcome): Response => {
      if (key) finals.set(key, outcome);
      return replay(outcome);
    };

    const callerSignal = init?.signal ?? undefined;
    const maxAttempts = isReplayableBody(init?.body) ? policy.maxAttempts : 1;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const paid = opts.startsPaidWork?.(url, init) === true;
    for (let attempt = 1; ; attempt++) {
      if (callerSignal?.aborted) throw interruptedError(service, callerSignal.reason);
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
      let failure: { reason: string; retryAfterMs: number | null; error: unknown };
      try {
        const res = await base(input, { ...init, signal });
        if (res.ok) return res;
        const mayRetry = isRetryableStatus(res.status) && (!paid || NOT_PROCESSED_STATUSES.has(res.status));
        if (!mayRetry || attempt >= maxAttempts) {
          // error bodies are read to ERROR_BODY_MAX_BYTES at most (the SDKs read them for messages)
          const capped = await readCapped(res, ERROR_BODY_MAX_BYTES);
          const body = capped.buffer.slice(capped.byteOffset, capped.byteOffset + capped.byteLength) as ArrayBuffer;
          return remember({
            kind: 'response',
            status: res.status,
            statusText: res.statusText,
            // lets error mapping say how many attempts were made
            headers: [...res.headers, ['x-omvee-attempts', String(attempt)]],
            body,
          });
        }
        await res.body?.cancel().catch(() => undefined);
        failure = { reason: `HTTP ${res.status}`, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')), error: null };
      } catch (err) {
        if (callerSignal?.aborted) throw interruptedError(service, err);
        const timedOut = timeout.aborted;
        if (!timedOut && !(err instanceof TypeError)) throw err; // not a network failure: a bug, surface it
        const error = timedOut
          ? new OmveeError('network', `${service.name} did not answer within ${Math.round(timeoutMs / 100) / 10} s (${attempt} attempt${attempt > 1 ? 's' : ''})`, {
              hint: 'Check your connection or raise the timeout; rerun to continue (finished work is kept).',
              cause: err,
              details: { service: service.name, attempts: attempt },
            })
          : new OmveeError('network', `could not reach ${service.name} (${attempt} attempt${attempt > 1 ? 's' : ''}): ${describeNetworkError(err)}`, {
              hint: 'Check your connection and the base URL; rerun to continue (finished work is kept).',
              cause: err,
              details: { service: service.name, attempts: attempt },
            });
        if (paid && !neverConnected(err)) {
          // the request may have reached the provider and started (billed) work: never send it twice
          return remember({
            kind: 'error',
            error: new OmveeError('network', `${error.message}; the request may have reached ${service.name}, so it was not sent again`, {
              hint: `Rerun to continue; if ${service.name} did start the work, it shows in your ${service.name} dashboard (omvee could not record its id).`,
              cause: err,
              details: { service: service.name, attempts: attempt, ambiguous: true },
            }),
          });
        }
        if (attempt >= maxAttempts) return remember({ kind: 'error', error });
        failure = { reason: timedOut ? 'timeout' : 'connection error', retryAfterMs: null, error };
      }
      const delayMs = retryDelayMs(attempt, policy, failure.retryAfterMs);
      policy.onRetry?.({ attempt, delayMs, reason: failure.reason });
      try {
        await policy.sleep(delayMs, callerSignal);
      } catch (err) {
        throw interruptedError(service, err);
      }
    }
  };
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  return cause?.message ?? (err as Error).message ?? String(err);
}
