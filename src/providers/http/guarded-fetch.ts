/**
 * A minimal `fetch` over node:http/https whose connections resolve names through guardedLookup
 * (address-guard.ts): the address checked is the address dialled, on every request — a redirect
 * hop, a retry, a reconnect. Global fetch (undici) offers no supported way to hook its DNS
 * lookup without a dependency, so downloads use this instead. GET/HEAD only, no keep-alive (a
 * fresh, checked connection per request), no content decoding (we never ask for it), redirects
 * never followed (the caller checks each hop).
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { OmveeError } from '../../core/errors.ts';
import { checkLiteralHost, guardedLookup, type AddressPolicy } from './address-guard.ts';
import type { FetchLike } from './retrying-fetch.ts';

export interface GuardedFetchOptions extends AddressPolicy {
  /** the resolver behind the guard (tests script DNS answers; default dns.lookup) */
  resolve?: LookupFunction | undefined;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function createGuardedFetch(options: GuardedFetchOptions): FetchLike {
  const lookup = guardedLookup(options, options.resolve);
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const method = (init.method ?? 'GET').toUpperCase();
      if (method !== 'GET' && method !== 'HEAD') return reject(new OmveeError('internal', `the download transport only sends GET and HEAD (not ${method})`));
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return reject(new OmveeError('provider', `refusing to download from ${url.protocol} URLs`));
      try {
        checkLiteralHost(url, options);
      } catch (error) {
        return reject(error);
      }
      const mod = url.protocol === 'https:' ? https : http;
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, key) => {
        headers[key] = value;
      });
      const req = mod.request(
        url,
        { method, headers, lookup, agent: false, ...(init.signal ? { signal: init.signal } : {}) },
        (res) => {
          const out = new Headers();
          const raw = res.rawHeaders;
          for (let i = 0; i + 1 < raw.length; i += 2) out.append(raw[i]!, raw[i + 1]!);
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 599) {
            res.destroy();
            return reject(new TypeError('fetch failed', { cause: new Error(`unexpected HTTP status ${status}`) }));
          }
          const body = NULL_BODY_STATUSES.has(status) || method === 'HEAD' ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>);
          if (body === null) res.resume();
          resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers: out }));
        },
      );
      req.on('error', (error) => {
        // a refused address is a decision, not a network failure: it is never retried
        if (error instanceof OmveeError) return reject(error);
        if ((error as { name?: string }).name === 'AbortError') return reject(error);
        reject(new TypeError('fetch failed', { cause: error }));
      });
      req.end();
    });
}
