/**
 * Mapping of provider failures (HTTP statuses, SDK error classes, network errors) to OmveeError,
 * so every adapter reports the same codes: 'provider_auth' (401/403), 'provider_quota' (402),
 * 'network' (timeouts, resets, unreachable host), 'interrupted' (the caller aborted) and
 * 'provider' (everything else the provider said no to).
 */
import { OmveeError } from '../../core/errors.ts';

/** Who we were talking to: used in messages and hints, never carries a secret. */
export interface ServiceInfo {
  /** human name, e.g. 'OpenAI', 'OpenRouter', 'Replicate' */
  name: string;
  /** environment variable holding the credential, for hints */
  envVar?: string;
}

const SECRET_PATTERNS: readonly RegExp[] = [
  /\b(sk|r8|rpa)[-_][A-Za-z0-9_-]{8,}/g, // OpenAI / OpenRouter (sk-or-...) / Replicate tokens
  /Bearer\s+[A-Za-z0-9._~+/=-]+/gi,
];

/** Remove anything that looks like a credential from text shown to the user. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const re of SECRET_PATTERNS) out = out.replace(re, '[redacted]');
  return out;
}

function snippet(text: string, max = 300): string {
  const oneLine = redactSecrets(text).replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

/** Pull a readable message out of a JSON or text error body. */
export function errorBodyMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const o = parsed as Record<string, unknown>;
      const err = o['error'];
      if (typeof err === 'string') return snippet(err);
      if (err && typeof err === 'object' && typeof (err as Record<string, unknown>)['message'] === 'string') {
        return snippet((err as Record<string, string>)['message'] as string);
      }
      if (typeof o['detail'] === 'string') return snippet(o['detail']);
      if (typeof o['message'] === 'string') return snippet(o['message']);
    }
  } catch {
    // not JSON
  }
  return snippet(body);
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599);
}

/** The OmveeError for a final (non-retried or retries exhausted) HTTP error status. */
export function httpStatusError(service: ServiceInfo, status: number, message: string, extra: { attempts?: number } = {}): OmveeError {
  const said = message ? `: ${snippet(message)}` : '';
  const details = { status, service: service.name, ...(extra.attempts ? { attempts: extra.attempts } : {}) };
  if (status === 401 || status === 403) {
    return new OmveeError('provider_auth', `${service.name} rejected the credentials (HTTP ${status})${said}`, {
      hint: service.envVar
        ? `Check ${service.envVar} (run \`omvee doctor\`); the key may be wrong, revoked or lack access to this model.`
        : 'Check the configured credentials (run `omvee doctor`).',
      details,
    });
  }
  if (status === 402) {
    return new OmveeError('provider_quota', `${service.name} says the account is out of credit (HTTP 402)${said}`, {
      hint: `Add credit or a payment method to your ${service.name} account, then rerun: finished work is kept.`,
      details,
    });
  }
  if (status === 429) {
    return new OmveeError('provider', `${service.name} kept rate-limiting the request (HTTP 429${extra.attempts ? ` after ${extra.attempts} attempts` : ''})${said}`, {
      hint: 'Wait a minute and rerun (finished work is kept), or lower the concurrency.',
      details,
    });
  }
  if (status >= 500) {
    return new OmveeError('provider', `${service.name} had a server error (HTTP ${status}${extra.attempts ? ` after ${extra.attempts} attempts` : ''})${said}`, {
      hint: 'The provider is having trouble; rerun later (finished work is kept).',
      details,
    });
  }
  if (status === 404) {
    return new OmveeError('provider', `${service.name} could not find what was asked for (HTTP 404)${said}`, {
      hint: 'Check the model name and base URL in your configuration.',
      details,
    });
  }
  return new OmveeError('provider', `${service.name} refused the request (HTTP ${status})${said}`, {
    hint: 'This is not retried: check the model name and its inputs in your configuration.',
    details,
  });
}

export function interruptedError(service: ServiceInfo, cause?: unknown): OmveeError {
  return new OmveeError('interrupted', `request to ${service.name} was interrupted`, { cause });
}

/** Attempts made by the retrying fetch, from the header it adds to final error responses. */
function attemptsFrom(headers: unknown): number | undefined {
  const get = (headers as { get?: (k: string) => string | null } | null)?.get;
  if (typeof get !== 'function') return undefined;
  const n = Number(get.call(headers, 'x-omvee-attempts'));
  return n > 1 ? n : undefined;
}

function findOmveeError(err: unknown, depth = 0): OmveeError | null {
  if (err instanceof OmveeError) return err;
  if (depth > 5 || !err || typeof err !== 'object') return null;
  return findOmveeError((err as { cause?: unknown }).cause, depth + 1);
}

/**
 * Turn whatever an SDK call threw into an OmveeError. Knows the openai SDK's APIError family
 * (status + headers), the replicate SDK's ApiError (carries `response`), our own errors thrown
 * from the retrying fetch (possibly wrapped as `cause`), and aborts.
 */
export function toProviderError(err: unknown, service: ServiceInfo): OmveeError {
  const own = findOmveeError(err);
  if (own) return own;
  const e = err as { name?: string; message?: string; status?: unknown; response?: unknown; error?: unknown } | null;
  const name = e?.name ?? '';
  const ctor = (err as { constructor?: { name?: string } } | null)?.constructor?.name ?? '';
  if (name === 'AbortError' || ctor === 'APIUserAbortError') return interruptedError(service, err);
  if (ctor === 'APIConnectionTimeoutError') {
    return new OmveeError('network', `${service.name} did not answer in time`, {
      hint: 'Check your connection, or raise the timeout; rerun to continue.',
      cause: err,
    });
  }
  if (ctor === 'APIConnectionError') {
    return new OmveeError('network', `could not reach ${service.name}: ${snippet(e?.message ?? '')}`, {
      hint: 'Check your connection and the base URL; rerun to continue.',
      cause: err,
    });
  }
  if (typeof e?.status === 'number') {
    const body = e.error ? JSON.stringify({ error: e.error }) : (e.message ?? '');
    return httpStatusError(service, e.status, errorBodyMessage(body), { attempts: attemptsFrom((err as { headers?: unknown }).headers) });
  }
  if (name === 'ApiError' && e?.response && typeof (e.response as Response).status === 'number') {
    const status = (e.response as Response).status;
    // replicate's message: "Request to <url> failed with status 422 Unprocessable Entity: <body>."
    const m = /failed with status \d+[^:]*: ([\s\S]*)\.$/.exec(e.message ?? '');
    return httpStatusError(service, status, errorBodyMessage(m?.[1] ?? e.message ?? ''), { attempts: attemptsFrom((e.response as Response).headers) });
  }
  return new OmveeError('provider', `${service.name} call failed: ${snippet(e?.message ?? String(err))}`, { cause: err });
}
