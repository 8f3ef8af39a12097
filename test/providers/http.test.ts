import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backoffDelayMs, parseRetryAfter, resolveRetryPolicy, withRetry } from '../../src/providers/http/retry.ts';
import { createRetryingFetch } from '../../src/providers/http/retrying-fetch.ts';
import { downloadTo } from '../../src/providers/http/download.ts';
import { httpStatusError, redactSecrets } from '../../src/providers/http/errors.ts';
import { OmveeError } from '../../src/core/errors.ts';

describe('retry policy', () => {
  test('Retry-After as seconds and as an HTTP date', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter('0.5'), 500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon'), null);
    assert.equal(parseRetryAfter(null), null);
  });

  test('full jitter stays under an exponentially growing, capped ceiling', () => {
    const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 });
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => backoffDelayMs(a, policy)), [99, 199, 399, 799, 999, 999]);
    assert.equal(backoffDelayMs(3, resolveRetryPolicy({ baseDelayMs: 100, random: () => 0 })), 0);
  });

  test('withRetry stops at the bound and does not retry permanent errors', async () => {
    const sleeps: number[] = [];
    const policy = resolveRetryPolicy({ maxAttempts: 3, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
    let calls = 0;
    await assert.rejects(
      withRetry(async () => { calls++; throw new Error('busy'); }, () => ({ retryable: true }), policy),
      /busy/,
    );
    assert.equal(calls, 3);
    assert.equal(sleeps.length, 2);
    calls = 0;
    await assert.rejects(withRetry(async () => { calls++; throw new Error('bad'); }, () => ({ retryable: false }), policy), /bad/);
    assert.equal(calls, 1);
  });

  test('status errors map to codes with hints, and secrets are redacted', () => {
    assert.equal(httpStatusError({ name: 'OpenAI', envVar: 'OPENAI_API_KEY' }, 401, '').code, 'provider_auth');
    assert.match(httpStatusError({ name: 'OpenAI', envVar: 'OPENAI_API_KEY' }, 403, '').hint ?? '', /OPENAI_API_KEY/);
    const quota = httpStatusError({ name: 'Replicate' }, 402, 'Insufficient credit');
    assert.equal(quota.code, 'provider_quota');
    assert.match(quota.message, /out of credit/);
    assert.equal(httpStatusError({ name: 'X' }, 422, 'bad input').code, 'provider');
    assert.equal(redactSecrets('key sk-or-v1-abcdef0123456789 and r8_ABCDEFGHIJKL'), 'key [redacted] and [redacted]');
  });
});

interface Scripted {
  server: Server;
  url: string;
  hits: number;
  close(): Promise<void>;
}

/** A server answering each request from a list of handlers (the last one repeats). */
async function scripted(handlers: ((res: ServerResponse) => void)[]): Promise<Scripted> {
  const hung: ServerResponse[] = [];
  const s: Scripted = {
    server: createServer((_req, res) => {
      const h = handlers[Math.min(s.hits, handlers.length - 1)]!;
      s.hits++;
      hung.push(res);
      h(res);
    }),
    url: '',
    hits: 0,
    close: () => new Promise((r) => { for (const h of hung) h.destroy(); s.server.closeAllConnections(); s.server.close(() => r()); }),
  };
  await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
  s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}/x`;
  return s;
}

const status = (code: number, headers: Record<string, string> = {}) => (res: ServerResponse) => {
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { message: `status ${code}` } }));
};

describe('retrying fetch', () => {
  test('429 storm honours Retry-After, then succeeds', async () => {
    const srv = await scripted([status(429, { 'retry-after': '2' }), status(429, { 'retry-after': '1' }), status(200)]);
    const sleeps: number[] = [];
    const f = createRetryingFetch({ service: { name: 'T' }, timeoutMs: 2000, retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 } });
    const res = await f(srv.url);
    assert.equal(res.status, 200);
    assert.deepEqual(sleeps, [2000, 1000]);
    assert.equal(srv.hits, 3);
    await srv.close();
  });

  test('Retry-After is capped; attempts are bounded; the final answer is replayed without new requests', async () => {
    const srv = await scripted([status(503, { 'retry-after': '3600' })]);
    const sleeps: number[] = [];
    const f = createRetryingFetch({ service: { name: 'T' }, timeoutMs: 2000, retry: { maxAttempts: 3, maxRetryAfterMs: 5000, sleep: async (ms) => void sleeps.push(ms) } });
    const init: RequestInit = { method: 'GET' };
    const res = await f(srv.url, init);
    assert.equal(res.status, 503);
    assert.deepEqual(sleeps, [5000, 5000]);
    assert.equal(srv.hits, 3);
    // an SDK re-sending the same request object gets the remembered answer
    const again = await f(srv.url, init);
    assert.equal(again.status, 503);
    assert.match(await again.text(), /status 503/);
    assert.equal(srv.hits, 3);
    await srv.close();
  });

  test('permanent statuses are not retried', async () => {
    for (const code of [400, 401, 402, 403, 404, 422]) {
      const srv = await scripted([status(code)]);
      const f = createRetryingFetch({ service: { name: 'T' }, timeoutMs: 2000, retry: { sleep: async () => undefined } });
      assert.equal((await f(srv.url)).status, code);
      assert.equal(srv.hits, 1, `HTTP ${code} must not be retried`);
      await srv.close();
    }
  });

  test('a hang past the timeout is retried, then fails as a network error', async () => {
    const srv = await scripted([() => undefined]);
    const f = createRetryingFetch({ service: { name: 'Slow' }, timeoutMs: 150, retry: { maxAttempts: 2, sleep: async () => undefined } });
    await assert.rejects(f(srv.url), (e: unknown) => e instanceof OmveeError && e.code === 'network' && /did not answer within 0.2 s \(2 attempts\)/.test(e.message));
    assert.equal(srv.hits, 2);
    await srv.close();
  });

  test('a connection reset is retried', async () => {
    const srv = await scripted([(res) => res.socket?.destroy(), status(200)]);
    const f = createRetryingFetch({ service: { name: 'T' }, timeoutMs: 2000, retry: { sleep: async () => undefined } });
    assert.equal((await f(srv.url)).status, 200);
    assert.equal(srv.hits, 2);
    await srv.close();
  });

  test('a caller abort stops at once and is not retried', async () => {
    const srv = await scripted([() => undefined]);
    const f = createRetryingFetch({ service: { name: 'T' }, timeoutMs: 5000, retry: { sleep: async () => undefined } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(f(srv.url, { signal: ac.signal }), (e: unknown) => e instanceof OmveeError && e.code === 'interrupted');
    assert.equal(srv.hits, 1);
    await srv.close();
  });
});

describe('downloadTo', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'omvee-dl-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  const body = (type: string, data: Buffer, withLength = true) => (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': type, ...(withLength ? { 'content-length': String(data.length) } : {}) });
    res.end(data);
  };

  test('writes the file atomically and checks https-only', async () => {
    const data = Buffer.from('PNGDATA');
    const srv = await scripted([body('image/png', data)]);
    const out = join(dir, 'sub', 'a.png');
    await assert.rejects(downloadTo(srv.url, out), /only https/);
    const r = await downloadTo(srv.url, out, { allowLoopbackHttp: true, allowedContentTypes: ['image/'] });
    assert.equal(r.bytes, data.length);
    assert.deepEqual(await readFile(out), data);
    assert.deepEqual((await readdir(join(dir, 'sub'))).filter((n) => n.endsWith('.part')), []);
    await assert.rejects(downloadTo('http://example.com/a.png', out, { allowLoopbackHttp: true }), /only https/);
    await srv.close();
  });

  test('size cap from Content-Length and from streamed bytes; nothing left behind', async () => {
    const big = Buffer.alloc(300_000, 7);
    for (const withLength of [true, false]) {
      const srv = await scripted([body('video/mp4', big, withLength)]);
      const out = join(dir, `big-${withLength}.mp4`);
      await assert.rejects(downloadTo(srv.url, out, { allowLoopbackHttp: true, maxBytes: 100_000 }), /too large/);
      await assert.rejects(readFile(out), { code: 'ENOENT' });
      await srv.close();
    }
    assert.deepEqual((await readdir(dir)).filter((n) => n.endsWith('.part')), []);
  });

  test('wrong content type and expired URLs are clear errors', async () => {
    const srv = await scripted([body('text/html', Buffer.from('<html/>')), status(404), status(410)]);
    const out = join(dir, 'x.png');
    await assert.rejects(downloadTo(srv.url, out, { allowLoopbackHttp: true, allowedContentTypes: ['image/'] }), /content type "text\/html"/);
    await assert.rejects(downloadTo(srv.url, out, { allowLoopbackHttp: true }), /output URL expired or missing \(HTTP 404\)/);
    await assert.rejects(downloadTo(srv.url, out, { allowLoopbackHttp: true }), /output URL expired or missing \(HTTP 410\)/);
    await srv.close();
  });

  test('data URLs are decoded under the same caps', async () => {
    const out = join(dir, 'd.png');
    const r = await downloadTo(`data:image/png;base64,${Buffer.from('hello').toString('base64')}`, out, { allowedContentTypes: ['image/png'] });
    assert.equal(r.bytes, 5);
    await assert.rejects(downloadTo('data:text/plain;base64,aGk=', out, { allowedContentTypes: ['image/png'] }), /content type/);
  });
});
