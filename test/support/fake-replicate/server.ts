/**
 * A local HTTP server speaking Replicate's HTTP API as the replicate SDK uses it:
 *   POST /v1/models/{owner}/{name}/predictions   (official models)
 *   POST /v1/predictions                         (version id)
 *   GET  /v1/predictions/{id}
 *   POST /v1/predictions/{id}/cancel
 *   GET  /v1/account
 *   GET  /files/{id}/{name}                      output file URLs, served by the same server
 * Bearer-token auth, predictions that advance starting → processing → final over polls,
 * scripted outcomes (fail / cancel / abort / bad outputs), a fault queue and billing records.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { FaultQueue, readBody, sendJson } from './faults.ts';

export type OutputKind = 'ok' | '404' | 'huge' | 'wrongtype' | 'none';

/** How the next created prediction behaves. */
export interface PredictionScript {
  final?: 'succeeded' | 'failed' | 'canceled' | 'aborted';
  /** gets before it reaches the final state (default 1) */
  polls?: number;
  error?: string;
  output?: OutputKind;
  /** seconds of hardware time reported in metrics.predict_time */
  predictTime?: number;
  /** never finishes (for timeouts) */
  stuck?: boolean;
}

export interface FakeModelPrice {
  perImage?: number;
  perVideoSecond?: Record<string, number>;
  perPredictSecond?: number;
}

interface FakePrediction {
  id: string;
  model: string;
  version: string;
  input: Record<string, unknown>;
  status: string;
  polls: number;
  script: Required<Omit<PredictionScript, 'error'>> & { error?: string };
  created_at: string;
  output: unknown;
  metrics?: Record<string, number>;
  billedUsd: number;
}

export interface FakeReplicateOptions {
  token?: string;
  png: Buffer;
  mp4: Buffer;
  prices?: Record<string, FakeModelPrice>;
  /** models that validate their input like the real ones */
  strictInputs?: boolean;
}

export interface FakeReplicate {
  baseUrl: string;
  origin: string;
  token: string;
  faults: FaultQueue;
  /** scripts consumed by each new prediction, in order; default: succeed after one poll */
  scripts: PredictionScript[];
  predictions: Map<string, FakePrediction>;
  requests: { method: string; path: string }[];
  /** count of prediction creations (each is a paid attempt) */
  creates(): number;
  /** total billed, USD */
  billedUsd(): number;
  /** put a prediction into the server directly (e.g. one stored by an earlier run) */
  seed(p: { status: string; model: string; output?: OutputKind; dataRemoved?: boolean; polls?: number }): string;
  close(): Promise<void>;
}

const MINIMAX_RATIOS = new Set(['1:1', '16:9', '4:3', '3:2', '2:3', '3:4', '9:16', '21:9']);

function validateInput(model: string, input: Record<string, unknown>): string | null {
  if (typeof input['prompt'] !== 'string' || !input['prompt']) return 'prompt is required';
  if (model === 'minimax/image-01' && !MINIMAX_RATIOS.has(String(input['aspect_ratio']))) return `aspect_ratio must be one of ${[...MINIMAX_RATIOS].join(', ')}`;
  if (model.startsWith('bytedance/seedance')) {
    if (![5, 10].includes(input['duration'] as number)) return 'duration must be 5 or 10';
    if (typeof input['image'] !== 'string' || !/^(data:image\/|https?:)/.test(input['image'])) return 'image must be a URL or data URL';
    if (!['480p', '720p', '1080p'].includes(String(input['resolution']))) return 'resolution must be 480p, 720p or 1080p';
  }
  return null;
}

export async function startFakeReplicate(opts: FakeReplicateOptions): Promise<FakeReplicate> {
  const token = opts.token ?? 'r8_fake_token_for_tests_only';
  const faults = new FaultQueue();
  const scripts: PredictionScript[] = [];
  const predictions = new Map<string, FakePrediction>();
  const requests: { method: string; path: string }[] = [];
  const hung = new Set<ServerResponse>();
  let createCount = 0;
  let origin = '';

  const isVideo = (model: string): boolean => model.startsWith('bytedance/') || model.includes('video');

  function view(p: FakePrediction): Record<string, unknown> {
    return {
      id: p.id,
      model: p.model,
      version: p.version,
      input: p.input,
      status: p.status,
      output: p.status === 'succeeded' ? p.output : null,
      error: p.status === 'failed' ? (p.script.error ?? 'model error') : null,
      logs: '',
      data_removed: p.script.output === 'none' && p.status === 'succeeded',
      metrics: p.status === 'succeeded' ? p.metrics : {},
      source: 'api',
      created_at: p.created_at,
      urls: { get: `${origin}/v1/predictions/${p.id}`, cancel: `${origin}/v1/predictions/${p.id}/cancel` },
    };
  }

  function bill(p: FakePrediction): void {
    const price = opts.prices?.[p.model.split(':')[0] ?? p.model];
    const outputs = Array.isArray(p.output) ? p.output.length : p.output ? 1 : 0;
    let usd = 0;
    if (price?.perImage !== undefined) usd = price.perImage * outputs;
    else if (price?.perVideoSecond) usd = (price.perVideoSecond[String(p.input['resolution'])] ?? 0) * Number(p.input['duration'] ?? 0);
    else usd = (price?.perPredictSecond ?? 0) * (p.metrics?.['predict_time'] ?? 0);
    p.billedUsd = Math.round(usd * 1e6) / 1e6;
  }

  function finish(p: FakePrediction): void {
    p.status = p.script.final;
    if (p.status === 'succeeded') {
      const ext = isVideo(p.model) ? 'mp4' : 'png';
      const url = `${origin}/files/${p.id}/out.${ext}`;
      p.output = p.script.output === 'none' ? null : isVideo(p.model) ? url : [url];
      p.metrics = { predict_time: p.script.predictTime };
      bill(p);
    }
  }

  function advance(p: FakePrediction): void {
    if (['succeeded', 'failed', 'canceled', 'aborted'].includes(p.status) || p.script.stuck) return;
    p.polls += 1;
    if (p.polls >= p.script.polls) finish(p);
    else p.status = 'processing';
  }

  function create(model: string, version: string, input: Record<string, unknown>, script: PredictionScript): FakePrediction {
    const p: FakePrediction = {
      id: randomUUID().replace(/-/g, '').slice(0, 20),
      model,
      version,
      input,
      status: 'starting',
      polls: 0,
      script: {
        final: script.final ?? 'succeeded',
        polls: script.polls ?? 1,
        output: script.output ?? 'ok',
        predictTime: script.predictTime ?? Math.round((1 + Math.random() * 9) * 1000) / 1000,
        stuck: script.stuck ?? false,
        ...(script.error ? { error: script.error } : {}),
      },
      created_at: new Date().toISOString(),
      output: null,
      billedUsd: 0,
    };
    predictions.set(p.id, p);
    if (p.script.polls <= 0) finish(p);
    return p;
  }

  function serveFile(res: ServerResponse, id: string): void {
    const p = predictions.get(id);
    if (!p || p.script.output === '404') return sendJson(res, 404, { detail: 'not found' });
    const video = isVideo(p.model);
    if (p.script.output === 'wrongtype') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>expired</html>');
      return;
    }
    if (p.script.output === 'huge') {
      // no Content-Length: the cap must be enforced on the streamed bytes
      res.writeHead(200, { 'content-type': video ? 'video/mp4' : 'image/png' });
      const block = Buffer.alloc(64 * 1024, 1);
      let sent = 0;
      const pump = (): void => {
        while (sent < 64 && res.write(block)) sent++;
        if (sent >= 64) res.end();
        else res.once('drain', pump);
      };
      res.on('error', () => undefined);
      pump();
      return;
    }
    const body = video ? opts.mp4 : opts.png;
    res.writeHead(200, { 'content-type': video ? 'video/mp4' : 'image/png', 'content-length': String(body.length) });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    requests.push({ method, path });

    let m: RegExpExecArray | null;
    if (method === 'GET' && (m = /^\/files\/([^/]+)\/[^/]+$/.exec(path))) {
      if (faults.apply('file', req, res, hung)) return;
      return serveFile(res, m[1]!);
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      return sendJson(res, 401, { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 });
    }
    if (method === 'GET' && path === '/v1/account') {
      if (faults.apply('account', req, res, hung)) return;
      return sendJson(res, 200, { type: 'user', username: 'omvee-tester', name: 'Omvee Tester', github_url: null });
    }
    const createModel = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(path);
    if (method === 'POST' && (createModel || path === '/v1/predictions')) {
      const raw = await readBody(req);
      if (faults.apply('create', req, res, hung)) return;
      let body: { input?: Record<string, unknown>; version?: string };
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return sendJson(res, 400, { detail: 'invalid JSON' });
      }
      const model = createModel ? `${createModel[1]}/${createModel[2]}` : `version/${body.version}`;
      const input = body.input ?? {};
      if (opts.strictInputs !== false) {
        const problem = validateInput(model, input);
        if (problem) return sendJson(res, 422, { title: 'Input validation failed', detail: `- input: ${problem}`, status: 422 });
      }
      createCount += 1;
      const p = create(model, body.version ?? 'hidden', input, scripts.shift() ?? {});
      return sendJson(res, 201, view(p));
    }
    if ((m = /^\/v1\/predictions\/([^/]+)\/cancel$/.exec(path)) && method === 'POST') {
      await readBody(req);
      if (faults.apply('cancel', req, res, hung)) return;
      const p = predictions.get(m[1]!);
      if (!p) return sendJson(res, 404, { detail: 'Not found.' });
      if (!['succeeded', 'failed', 'canceled', 'aborted'].includes(p.status)) p.status = 'canceled';
      return sendJson(res, 200, view(p));
    }
    if ((m = /^\/v1\/predictions\/([^/]+)$/.exec(path)) && method === 'GET') {
      if (faults.apply('get', req, res, hung)) return;
      const p = predictions.get(m[1]!);
      if (!p) return sendJson(res, 404, { detail: 'Not found.' });
      advance(p);
      return sendJson(res, 200, view(p));
    }
    sendJson(res, 404, { detail: `no route ${method} ${path}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { detail: String(err) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl: `${origin}/v1`,
    origin,
    token,
    faults,
    scripts,
    predictions,
    requests,
    creates: () => createCount,
    billedUsd: () => Math.round([...predictions.values()].reduce((s, p) => s + p.billedUsd, 0) * 1e6) / 1e6,
    seed(s) {
      const p = create(s.model, 'hidden', { prompt: 'seeded', duration: 5, resolution: '720p' }, { final: 'succeeded', polls: s.polls ?? 1, output: s.dataRemoved ? 'none' : (s.output ?? 'ok') });
      if (s.status !== 'starting' && s.status !== 'processing') {
        if (s.status === 'succeeded') finish(p);
        else p.status = s.status;
      } else p.status = s.status;
      return p.id;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hung) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
