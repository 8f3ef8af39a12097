/**
 * The openai SDK client (used for OpenAI itself and for OpenRouter's OpenAI-compatible API),
 * loaded lazily, with the SDK's own retries off (maxRetries: 0) and our retrying fetch doing
 * retries and per-attempt timeouts instead, so the two never multiply.
 */
import type OpenAI from 'openai';
import { OmveeError } from '../../core/errors.ts';
import type { ServiceInfo } from '../http/errors.ts';
import { createRetryingFetch, type FetchLike } from '../http/retrying-fetch.ts';
import type { RetryPolicy } from '../http/retry.ts';

export type { OpenAI };

export const OPENAI_SERVICE: ServiceInfo = { name: 'OpenAI', envVar: 'OPENAI_API_KEY' };
export const OPENROUTER_SERVICE: ServiceInfo = { name: 'OpenRouter', envVar: 'OPENROUTER_API_KEY' };
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1';

/**
 * OpenRouter's app attribution (https://openrouter.ai/docs/app-attribution): `HTTP-Referer` is
 * the app's URL and identifies it (required for attribution), the title names it —
 * `X-OpenRouter-Title`, with `X-Title` still honoured for backwards compatibility; both are sent.
 * Neither carries anything about the user or the song.
 */
export const OMVEE_APP_URL = 'https://www.npmjs.com/package/omvee';
export const OPENROUTER_ATTRIBUTION_HEADERS: Readonly<Record<string, string>> = {
  'HTTP-Referer': OMVEE_APP_URL,
  'X-Title': 'omvee',
  'X-OpenRouter-Title': 'omvee',
};

export interface OpenAiConnection {
  apiKey: string;
  baseURL?: string | undefined;
  /** per-attempt timeout, ms */
  timeoutMs?: number | undefined;
  /** total attempts per request (our policy; the SDK's own retries are off) */
  maxRetries?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  fetch?: FetchLike | undefined;
}

export async function createOpenAiClient(conn: OpenAiConnection, service: ServiceInfo, defaultBaseURL: string): Promise<OpenAI> {
  if (!conn.apiKey) {
    throw new OmveeError('config', `no ${service.name} API key configured`, {
      hint: `Set ${service.envVar ?? 'the API key'} (env, .env or config), or use the local provider.`,
    });
  }
  const { default: OpenAIClient } = await import('openai');
  const timeoutMs = conn.timeoutMs ?? 120_000;
  const retry: Partial<RetryPolicy> = { ...conn.retry };
  if (conn.maxRetries !== undefined) retry.maxAttempts = conn.maxRetries + 1;
  return new OpenAIClient({
    apiKey: conn.apiKey,
    baseURL: (conn.baseURL ?? defaultBaseURL).replace(/\/+$/, ''),
    maxRetries: 0,
    // the SDK's own timeout only as an outer bound: ours applies per attempt
    timeout: timeoutMs * 10 + 10 * 60_000,
    fetch: createRetryingFetch({ service, timeoutMs, retry, fetch: conn.fetch }),
    defaultHeaders: service === OPENROUTER_SERVICE ? { ...OPENROUTER_ATTRIBUTION_HEADERS } : {},
  });
}
