/**
 * `omvee doctor` key checks: one cheap authenticated call per provider. The result never
 * contains the key (messages pass through redactSecrets as well).
 */
import { redactSecrets, toProviderError } from './http/errors.ts';
import type { FetchLike } from './http/retrying-fetch.ts';
import { createOpenAiClient, DEFAULT_OPENAI_BASE_URL, DEFAULT_OPENROUTER_BASE_URL, OPENAI_SERVICE, OPENROUTER_SERVICE } from './openai/client.ts';
import { createReplicateClient, REPLICATE_SERVICE } from './replicate/client.ts';

export interface KeyCheckOptions {
  apiKey: string;
  baseURL?: string | undefined;
  timeoutMs?: number | undefined;
  fetch?: FetchLike | undefined;
}
export interface KeyCheck {
  ok: boolean;
  detail: string;
  /** the provider could not be reached: the key was not judged either way */
  unreachable?: boolean;
}

function failed(err: unknown, service: typeof OPENAI_SERVICE, key: string): KeyCheck {
  const e = toProviderError(err, service);
  let detail = `${e.message}${e.hint ? ` — ${e.hint}` : ''}`;
  if (key) detail = detail.split(key).join('[redacted]');
  return { ok: false, detail: redactSecrets(detail), ...(e.code === 'network' ? { unreachable: true } : {}) };
}

const quick = (o: KeyCheckOptions) => ({ apiKey: o.apiKey, baseURL: o.baseURL, timeoutMs: o.timeoutMs ?? 15_000, maxRetries: 1, fetch: o.fetch });

/** GET /models with the key. */
export async function checkOpenAiKey(opts: KeyCheckOptions): Promise<KeyCheck> {
  if (!opts.apiKey) return { ok: false, detail: 'OPENAI_API_KEY is not set' };
  try {
    const client = await createOpenAiClient(quick(opts), OPENAI_SERVICE, DEFAULT_OPENAI_BASE_URL);
    const page = await client.models.list();
    return { ok: true, detail: `key accepted (${page.data.length} models visible)` };
  } catch (err) {
    return failed(err, OPENAI_SERVICE, opts.apiKey);
  }
}

/** GET /key: OpenRouter's key info (the public /models list would not check the key). */
export async function checkOpenRouterKey(opts: KeyCheckOptions): Promise<KeyCheck> {
  if (!opts.apiKey) return { ok: false, detail: 'OPENROUTER_API_KEY is not set' };
  try {
    const client = await createOpenAiClient(quick(opts), OPENROUTER_SERVICE, DEFAULT_OPENROUTER_BASE_URL);
    const info = (await client.get('/key')) as { data?: { usage?: number; limit?: number | null; limit_remaining?: number | null } };
    const d = info.data ?? {};
    const credit = typeof d.limit_remaining === 'number' ? `, $${d.limit_remaining.toFixed(2)} of limit left` : d.limit == null ? ', no spending limit' : '';
    return { ok: true, detail: `key accepted (usage $${(d.usage ?? 0).toFixed(2)}${credit})` };
  } catch (err) {
    return failed(err, OPENROUTER_SERVICE, opts.apiKey);
  }
}

/** GET /account with the token. */
export async function checkReplicateToken(opts: KeyCheckOptions): Promise<KeyCheck> {
  if (!opts.apiKey) return { ok: false, detail: 'REPLICATE_API_TOKEN is not set' };
  try {
    const client = await createReplicateClient({ apiToken: opts.apiKey, baseUrl: opts.baseURL, requestTimeoutMs: opts.timeoutMs ?? 15_000, retry: { maxAttempts: 2 }, fetch: opts.fetch });
    const account = await client.accounts.current();
    return { ok: true, detail: `token accepted (account ${account.username})` };
  } catch (err) {
    return failed(err, REPLICATE_SERVICE, opts.apiKey);
  }
}
