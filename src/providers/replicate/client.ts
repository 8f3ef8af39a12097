/**
 * The replicate SDK client, configured with our retrying fetch (see http/retrying-fetch.ts for
 * why retries live there) and loaded lazily so `omvee --help` never pays for it.
 */
import type ReplicateClient from 'replicate';
import type { Prediction } from 'replicate';
import { OmveeError } from '../../core/errors.ts';
import { createRetryingFetch, type FetchLike } from '../http/retrying-fetch.ts';
import type { RetryPolicy } from '../http/retry.ts';
import type { ServiceInfo } from '../http/errors.ts';

export type { Prediction };
export type Replicate = ReplicateClient;

export const REPLICATE_SERVICE: ServiceInfo = { name: 'Replicate', envVar: 'REPLICATE_API_TOKEN' };
export const DEFAULT_REPLICATE_BASE_URL = 'https://api.replicate.com/v1';

export interface ReplicateConnection {
  apiToken: string;
  /** default https://api.replicate.com/v1 (REPLICATE_BASE_URL) */
  baseUrl?: string | undefined;
  /** per HTTP request timeout, ms (default 60 s) */
  requestTimeoutMs?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  /** underlying fetch, for tests */
  fetch?: FetchLike | undefined;
}

export async function createReplicateClient(conn: ReplicateConnection): Promise<Replicate> {
  if (!conn.apiToken) {
    throw new OmveeError('config', 'no Replicate API token configured', {
      hint: 'Set REPLICATE_API_TOKEN (env, .env or config), or use the local generator.',
    });
  }
  const { default: Replicate } = await import('replicate');
  return new Replicate({
    auth: conn.apiToken,
    baseUrl: (conn.baseUrl ?? DEFAULT_REPLICATE_BASE_URL).replace(/\/+$/, ''),
    userAgent: 'omvee',
    useFileOutput: false,
    fetch: createRetryingFetch({
      service: REPLICATE_SERVICE,
      timeoutMs: conn.requestTimeoutMs ?? 60_000,
      retry: conn.retry,
      fetch: conn.fetch,
      // creating a prediction starts paid work; cancel/get are safe to repeat
      startsPaidWork: (url, init) => (init?.method ?? 'GET').toUpperCase() === 'POST' && /\/predictions\/?(\?.*)?$/.test(url),
    }) as (input: Request | string, init?: RequestInit) => Promise<Response>,
  });
}
