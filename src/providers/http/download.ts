/**
 * Safe download of a provider's output into our storage (Replicate deletes outputs after an
 * hour, so they are copied at once). The URL comes from someone else, so:
 *
 * - https only; plain http only to a loopback host and only when allowLoopbackHttp (tests);
 *   a `data:` URL (base64) is decoded locally under the same caps when it is the URL the
 *   provider gave, never as a redirect target;
 * - every hop's address is checked when its connection is made (address-guard.ts,
 *   guarded-fetch.ts): no loopback, private, link-local, unique-local, v4-mapped or unspecified
 *   addresses, whether written as a literal (in any form) or resolved from a name;
 * - size cap enforced from Content-Length and again on the bytes actually streamed; an error
 *   response's body is read to ERROR_BODY_MAX_BYTES at most;
 * - content type checked against an allow-list (media type prefixes, e.g. 'image/'), and with
 *   `expect` the bytes themselves must be an image (PNG/JPEG/WebP) or a video (MP4/MOV/WebM);
 * - atomic write: a temp file next to outPath, renamed on success, removed on failure;
 * - 404/410 → "output URL expired or missing"; 429/5xx/timeouts retried by the shared policy.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import type { LookupFunction } from 'node:net';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { OmveeError } from '../../core/errors.ts';
import { IMAGE_CONTENT_TYPES, SNIFF_BYTES, fileHead, sniffImageFormat, sniffVideoContainer } from '../../core/media-sniff.ts';
import { checkLiteralHost } from './address-guard.ts';
import { httpStatusError, errorBodyMessage } from './errors.ts';
import { createGuardedFetch } from './guarded-fetch.ts';
import { isLoopbackHost } from './loopback.ts';
import { ERROR_BODY_MAX_BYTES, createRetryingFetch, readCappedText, type FetchLike } from './retrying-fetch.ts';
import type { RetryPolicy } from './retry.ts';

export interface DownloadOptions {
  /** hard cap on the file size (default 200 MB) */
  maxBytes?: number | undefined;
  /** accepted media types or prefixes ending in '/', e.g. ['image/'] or ['video/mp4'] */
  allowedContentTypes?: readonly string[] | undefined;
  /** per-attempt timeout covering the whole body (default 5 min) */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** allow http:// to 127.0.0.1 / localhost / ::1 (tests only) */
  allowLoopbackHttp?: boolean | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  /**
   * a transport to use instead of the guarded one (tests of retry behaviour only: address
   * literals are still checked, but names are then resolved by that transport, unchecked)
   */
  fetch?: FetchLike | undefined;
  /** the resolver behind the connect-time address check (tests script DNS; default dns.lookup) */
  lookup?: LookupFunction | undefined;
  /** check the bytes, not just the header: an image (PNG, JPEG, WebP) or a video (MP4, MOV, WebM) */
  expect?: 'image' | 'video' | undefined;
}

const MAX_REDIRECTS = 5;

export interface DownloadResult {
  path: string;
  bytes: number;
  contentType: string;
}


function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function typeAllowed(type: string, allowed: readonly string[] | undefined): boolean {
  if (!allowed || allowed.length === 0) return true;
  return allowed.some((a) => (a.endsWith('/') ? type.startsWith(a.toLowerCase()) : type === a.toLowerCase()));
}

/** `allowData`: only the URL the provider gave may be a data: URL, never a redirect's target */
function checkUrl(raw: string, allowLoopbackHttp: boolean, allowData: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OmveeError('provider', `the provider returned an invalid output URL: ${raw.slice(0, 120)}`);
  }
  if (url.protocol === 'data:' && allowData) return url;
  if (url.protocol === 'https:' || (url.protocol === 'http:' && allowLoopbackHttp && isLoopbackHost(url.hostname))) {
    checkLiteralHost(url, { allowLoopback: allowLoopbackHttp });
    return url;
  }
  throw new OmveeError('provider', `refusing to download from ${url.protocol}//${url.host}: only https URLs are accepted${allowData ? '' : ' (also after a redirect)'}`, {
    hint: 'A provider output URL must use https.',
  });
}

/** The first bytes must match `expect`; returns the image type the bytes show (images). */
function checkBytes(head: Uint8Array, expect: DownloadOptions['expect']): string | null {
  if (expect === 'image') {
    const format = sniffImageFormat(head);
    if (!format) {
      throw new OmveeError('provider', 'the provider\'s output is not a PNG, JPEG or WebP image (its first bytes say otherwise, whatever its content type)', {
        hint: 'The model returned something other than an image; check the configured model, or generate the take again.',
      });
    }
    return IMAGE_CONTENT_TYPES[format];
  }
  if (expect === 'video' && !sniffVideoContainer(head)) {
    throw new OmveeError('provider', 'the provider\'s output is not an MP4, QuickTime or WebM video (its first bytes say otherwise, whatever its content type)', {
      hint: 'The model returned something other than a video; check the configured model, or generate the take again.',
    });
  }
  return null;
}


function tooLarge(bytes: number, maxBytes: number): OmveeError {
  return new OmveeError('provider', `output file is too large (${bytes} bytes > limit ${maxBytes})`, {
    hint: 'Raise the download size limit in the configuration if this is expected.',
    details: { bytes, maxBytes },
  });
}

function wrongType(type: string, allowed: readonly string[]): OmveeError {
  return new OmveeError('provider', `output has content type "${type || 'none'}", expected ${allowed.join(' or ')}`, {
    hint: 'The model returned something other than the expected media; check the configured model.',
  });
}

export async function downloadTo(rawUrl: string, outPath: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
  const maxBytes = opts.maxBytes ?? 200 * 1024 * 1024;
  const url = checkUrl(rawUrl, opts.allowLoopbackHttp ?? false, true);
  await mkdir(dirname(outPath), { recursive: true });
  const tmp = `${outPath}.${randomUUID().slice(0, 8)}.part`;

  if (url.protocol === 'data:') {
    const m = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(rawUrl);
    if (!m) throw new OmveeError('provider', 'the provider returned a malformed data URL');
    const type = mediaType(m[1] ?? '');
    if (!typeAllowed(type, opts.allowedContentTypes)) throw wrongType(type, opts.allowedContentTypes ?? []);
    // refuse by the encoded length first: no decoding of something far too large
    const encoded = (m[3] ?? '').length;
    if ((m[2] ? Math.floor((encoded * 3) / 4) - 2 : encoded / 3) > maxBytes) throw tooLarge(m[2] ? Math.floor((encoded * 3) / 4) : encoded, maxBytes);
    const bytes = m[2] ? Buffer.from(m[3] ?? '', 'base64') : Buffer.from(decodeURIComponent(m[3] ?? ''));
    if (bytes.length > maxBytes) throw tooLarge(bytes.length, maxBytes);
    const sniffed = checkBytes(bytes.subarray(0, SNIFF_BYTES), opts.expect);
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, outPath);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return { path: outPath, bytes: bytes.length, contentType: sniffed ?? type };
  }

  const fetchImpl = createRetryingFetch({
    service: { name: `download from ${url.host}` },
    timeoutMs: opts.timeoutMs ?? 5 * 60_000,
    retry: opts.retry,
    fetch: opts.fetch ?? createGuardedFetch({ allowLoopback: opts.allowLoopbackHttp ?? false, resolve: opts.lookup }),
  });
  // follow redirects by hand so every hop is checked before it is requested (https only)
  let res = await fetchImpl(url, { signal: opts.signal, redirect: 'manual' });
  let current = url;
  for (let hops = 0; res.status >= 300 && res.status < 400 && res.headers.has('location'); hops += 1) {
    await res.body?.cancel().catch(() => undefined);
    if (hops >= MAX_REDIRECTS) throw new OmveeError('provider', `too many redirects downloading ${url.origin}${url.pathname}`);
    current = checkUrl(new URL(res.headers.get('location')!, current).href, opts.allowLoopbackHttp ?? false, false);
    res = await fetchImpl(current, { signal: opts.signal, redirect: 'manual' });
  }
  if (res.status === 404 || res.status === 410) {
    await res.body?.cancel().catch(() => undefined);
    throw new OmveeError('provider', `output URL expired or missing (HTTP ${res.status}): ${url.origin}${url.pathname}`, {
      hint: 'Provider outputs are deleted after a while; generate this take again.',
      details: { status: res.status },
    });
  }
  if (!res.ok) {
    // an error body is for the message only: at most ERROR_BODY_MAX_BYTES of it is read
    throw httpStatusError({ name: `download from ${url.host}` }, res.status, errorBodyMessage(await readCappedText(res, ERROR_BODY_MAX_BYTES)));
  }
  const type = mediaType(res.headers.get('content-type'));
  if (!typeAllowed(type, opts.allowedContentTypes)) {
    await res.body?.cancel().catch(() => undefined);
    throw wrongType(type, opts.allowedContentTypes ?? []);
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(declared, maxBytes);
  }
  if (!res.body) throw new OmveeError('provider', 'output download returned an empty body');

  let bytes = 0;
  let sniffedType: string | null = null;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > maxBytes) cb(tooLarge(bytes, maxBytes));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), counter, createWriteStream(tmp));
    if (bytes === 0) throw new OmveeError('provider', 'output file is empty');
    sniffedType = checkBytes(await fileHead(tmp), opts.expect);
    await rename(tmp, outPath);
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof OmveeError) throw err;
    if (opts.signal?.aborted) throw new OmveeError('interrupted', 'download interrupted', { cause: err });
    throw new OmveeError('network', `download of the output failed midway: ${(err as Error).message}`, {
      hint: 'Rerun to fetch it again (the prediction id is stored).',
      cause: err,
    });
  }
  return { path: outPath, bytes, contentType: sniffedType ?? type };
}
