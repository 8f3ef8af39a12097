// Provider downloads (src/providers/http/download.ts) are the one place omvee fetches a URL that
// someone else chose. Every hop's address is checked when the connection is made (so a name
// that resolves to a public address first and to 169.254.169.254 on the next lookup — DNS
// rebinding — is refused too), redirects must stay https, error bodies are read to 64 KB at
// most, and the bytes must be what the content type says.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { downloadTo } from '../../src/providers/http/download.ts';
import { OmveeError } from '../../src/core/errors.ts';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
// an ISO BMFF header: size, "ftyp", brand "isom" (ISO/IEC 14496-12 §4.3)
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.alloc(40, 2)]);

let server: Server;
let port: number;
let dir: string;
const requests: string[] = [];
let errorBytesSent = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omvee-dl-guard-'));
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/hop') return res.writeHead(302, { location: '/final.png' }).end();
    if (req.url === '/final.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    if (req.url === '/to-data') return res.writeHead(302, { location: `data:image/png;base64,${PNG.toString('base64')}` }).end();
    if (req.url === '/html-as-png') return res.writeHead(200, { 'content-type': 'image/png' }).end('<!doctype html><html>not an image</html>');
    if (req.url === '/text-as-mp4') return res.writeHead(200, { 'content-type': 'video/mp4' }).end('just some text, no video');
    if (req.url === '/clip.mp4') return res.writeHead(200, { 'content-type': 'video/mp4' }).end(MP4);
    if (req.url === '/huge-error') {
      // a 400 whose body never ends: the client must stop reading it
      res.writeHead(400, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'e');
      const pump = (): void => {
        while (!res.destroyed && errorBytesSent < 400 * 1024 * 1024) {
          errorBytesSent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => undefined);
      return pump();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  server.closeAllConnections();
  server.close();
  await rm(dir, { recursive: true, force: true });
});

const noRetry = { sleep: async () => undefined, maxAttempts: 1 };
const refusedAddress = (e: unknown) => e instanceof OmveeError && e.code === 'provider' && /refusing to download from .*(loopback|private|link-local|unique-local|unspecified|reserved|multicast)/.test(e.message);

/** a resolver that answers from a script, one answer per lookup, recording the names asked */
function scriptedLookup(answers: string[][]): LookupFunction & { asked: string[] } {
  const asked: string[] = [];
  const fn = ((hostname: string, options: unknown, callback: (...args: unknown[]) => void) => {
    asked.push(hostname);
    const cb = typeof options === 'function' ? (options as typeof callback) : callback;
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
    const addresses = (answers.shift() ?? ['127.0.0.1']).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (all) cb(null, addresses);
    else cb(null, addresses[0]!.address, addresses[0]!.family);
  }) as LookupFunction & { asked: string[] };
  fn.asked = asked;
  return fn;
}

describe('addresses are checked on every hop', () => {
  test('private, loopback, link-local, unique-local, v4-mapped, unspecified and odd host forms are refused', async () => {
    const hosts = [
      '169.254.169.254', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '100.64.0.1', '127.0.0.1', '0.0.0.0',
      '[::1]', '[::]', '[fe80::1]', '[fc00::1]', '[fd12:3456::1]', '[::ffff:127.0.0.1]', '[::ffff:169.254.169.254]', '[::ffff:a00:1]',
      '2130706433', '0x7f000001', '0177.0.0.1', '127.1', '0x7f.1', '017700000001', '[64:ff9b::a9fe:a9fe]',
    ];
    for (const host of hosts) {
      await assert.rejects(downloadTo(`https://${host}/x.png`, join(dir, 'x.png'), { retry: noRetry }), refusedAddress, host);
    }
  });

  test('a name that resolves to a private address is refused when connecting', async () => {
    const lookup = scriptedLookup([['10.1.2.3']]);
    await assert.rejects(downloadTo('https://outputs.example.test/x.png', join(dir, 'y.png'), { retry: noRetry, lookup }), refusedAddress);
    assert.deepEqual(lookup.asked, ['outputs.example.test']);
    // one bad address among good ones is enough to refuse
    const mixed = scriptedLookup([['93.184.216.34', '169.254.169.254']]);
    await assert.rejects(downloadTo('https://cdn.example.test/x.png', join(dir, 'y.png'), { retry: noRetry, lookup: mixed }), refusedAddress);
    // localhost by name, without the test-only loopback permission
    await assert.rejects(downloadTo('https://localhost/x.png', join(dir, 'y.png'), { retry: noRetry }), refusedAddress);
  });

  test('DNS rebinding: the redirect hop resolves the same name again and is refused', async () => {
    const lookup = scriptedLookup([['127.0.0.1'], ['169.254.169.254']]);
    requests.length = 0;
    await assert.rejects(downloadTo(`http://localhost:${port}/hop`, join(dir, 'r.png'), { allowLoopbackHttp: true, retry: noRetry, lookup }), refusedAddress);
    assert.deepEqual(requests, ['/hop'], 'the second hop never reached a server');
    assert.equal(lookup.asked.length, 2, 'each hop is resolved when it connects');
    // the same with loopback on both lookups is fine (what the tests' fake providers rely on)
    const ok = await downloadTo(`http://localhost:${port}/hop`, join(dir, 'ok.png'), { allowLoopbackHttp: true, retry: noRetry, lookup: scriptedLookup([['127.0.0.1'], ['127.0.0.1']]), expect: 'image' });
    assert.deepEqual(await readFile(ok.path), PNG);
  });

  test('loopback permission covers loopback only, never private or link-local addresses', async () => {
    for (const address of ['10.0.0.8', '169.254.169.254', 'fe80::1', '::ffff:10.0.0.8']) {
      await assert.rejects(downloadTo(`http://localhost:${port}/final.png`, join(dir, 'z.png'), { allowLoopbackHttp: true, retry: noRetry, lookup: scriptedLookup([[address]]) }), refusedAddress, address);
    }
  });
});

describe('redirects, error bodies and bytes', () => {
  test('a redirect to data: is refused', async () => {
    await assert.rejects(downloadTo(`http://127.0.0.1:${port}/to-data`, join(dir, 'd.png'), { allowLoopbackHttp: true, retry: noRetry }), /only https/);
  });

  test('an endless error body is read to 64 KB at most', async () => {
    errorBytesSent = 0;
    const rss = process.memoryUsage().rss;
    await assert.rejects(downloadTo(`http://127.0.0.1:${port}/huge-error`, join(dir, 'e.png'), { allowLoopbackHttp: true, retry: noRetry }), (e: unknown) => e instanceof OmveeError && /HTTP 400/.test(e.message));
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(errorBytesSent < 16 * 1024 * 1024, `the server got to send ${errorBytesSent} bytes`);
    assert.ok(process.memoryUsage().rss - rss < 64 * 1024 * 1024, 'memory stays flat');
  });

  test('the bytes must be an image or a video, whatever the content type says', async () => {
    await assert.rejects(downloadTo(`http://127.0.0.1:${port}/html-as-png`, join(dir, 'h.png'), { allowLoopbackHttp: true, retry: noRetry, expect: 'image' }), /not a PNG, JPEG or WebP/);
    await assert.rejects(downloadTo(`http://127.0.0.1:${port}/text-as-mp4`, join(dir, 't.mp4'), { allowLoopbackHttp: true, retry: noRetry, expect: 'video' }), /not an MP4, QuickTime or WebM/);
    assert.deepEqual((await readdir(dir)).filter((n) => n === 'h.png' || n === 't.mp4' || n.endsWith('.part')), [], 'nothing is left behind');
    const clip = await downloadTo(`http://127.0.0.1:${port}/clip.mp4`, join(dir, 'c.mp4'), { allowLoopbackHttp: true, retry: noRetry, expect: 'video' });
    assert.equal(clip.bytes, MP4.length);
    await assert.rejects(downloadTo(`data:image/png;base64,${Buffer.from('<svg/>').toString('base64')}`, join(dir, 's.png'), { expect: 'image' }), /not a PNG, JPEG or WebP/);
  });
});
