// Redirects are followed by hand: each hop is checked (https, or loopback http in tests)
// before it is requested, so a redirect can never lead a download to plain http elsewhere.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { downloadTo } from '../../src/providers/http/download.ts';

describe('downloadTo and redirects', () => {
  let server: Server;
  let base: string;
  let dir: string;
  const seen: string[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omvee-redirect-'));
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/hop') return res.writeHead(302, { location: '/final.png' }).end();
      if (req.url === '/escape') return res.writeHead(302, { location: 'http://198.51.100.7/x.png' }).end();
      if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
      if (req.url === '/final.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('png-bytes'));
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });
  const opts = { allowLoopbackHttp: true, allowedContentTypes: ['image/'], retry: { sleep: async () => undefined } };

  test('follows a redirect within the allowed origins', async () => {
    const out = join(dir, 'a.png');
    await downloadTo(`${base}/hop`, out, opts);
    assert.equal(await readFile(out, 'utf8'), 'png-bytes');
  });

  test('refuses a redirect to plain http on another host without requesting it', async () => {
    await assert.rejects(downloadTo(`${base}/escape`, join(dir, 'b.png'), opts), /https/i);
  });

  test('stops after a bounded number of redirects', async () => {
    seen.length = 0;
    await assert.rejects(downloadTo(`${base}/loop`, join(dir, 'c.png'), opts), /too many redirects/);
    assert.ok(seen.length <= 6, `requested ${seen.length} times`);
  });
});
