/**
 * The retry policy shared by every provider adapter.
 *
 * Retried: 429 (honouring Retry-After, capped), 408/5xx, timeouts and connection failures.
 * Never retried: other 4xx (400/401/402/403/404/422 are permanent: retrying cannot help and
 * 402 means "out of credit"). Backoff is exponential with full jitter
 * (delay = random() × min(maxDelay, base × 2^(attempt-1))), attempts are bounded.
 * sleep and random are injectable so tests run instantly and deterministically.
 */
import { setTimeout as sleepTimer } from 'node:timers/promises';

export interface RetryInfo {
  /** the attempt that just failed (1-based) */
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface RetryPolicy {
  /** total attempts including the first (default 4) */
  maxAttempts: number;
  /** first backoff ceiling in ms (default 500) */
  baseDelayMs: number;
  /** backoff ceiling in ms (default 20 s) */
  maxDelayMs: number;
  /** a server's Retry-After above this is capped to it (default 60 s) */
  maxRetryAfterMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  onRetry?: ((info: RetryInfo) => void) | undefined;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
  sleep: (ms, signal) => sleepTimer(ms, undefined, signal ? { signal } : undefined),
  random: Math.random,
};

export function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const merged: RetryPolicy = { ...DEFAULT_RETRY_POLICY };
  for (const [k, v] of Object.entries(overrides)) {
    if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
  }
  merged.maxAttempts = Math.max(1, Math.floor(merged.maxAttempts));
  return merged;
}

/**
 * Parse a Retry-After header: delta-seconds ("3", "1.5") or an HTTP-date. Returns ms to wait
 * (never negative), or null when absent/unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | null {
  if (value == null) return null;
  const v = value.trim();
  if (v === '') return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/** Full-jitter exponential backoff for the attempt that just failed (1-based). */
export function backoffDelayMs(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(policy.random() * ceiling);
}

/** The delay before the next attempt: the server's Retry-After (capped) or jittered backoff. */
export function retryDelayMs(attempt: number, policy: RetryPolicy, retryAfterMs: number | null): number {
  if (retryAfterMs != null) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return backoffDelayMs(attempt, policy);
}

export interface RetryDecision {
  retryable: boolean;
  retryAfterMs?: number | null;
  reason?: string;
}

/**
 * Run fn until it succeeds, a non-retryable error occurs, or attempts run out (the last error
 * is rethrown). An abort of `signal` stops waiting at once.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  classify: (err: unknown) => RetryDecision,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (signal?.aborted) throw err;
      const decision = classify(err);
      if (!decision.retryable || attempt >= policy.maxAttempts) throw err;
      const delayMs = retryDelayMs(attempt, policy, decision.retryAfterMs ?? null);
      policy.onRetry?.({ attempt, delayMs, reason: decision.reason ?? 'retryable error' });
      await policy.sleep(delayMs, signal);
    }
  }
}
