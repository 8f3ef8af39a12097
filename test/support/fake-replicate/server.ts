/**
 * A local HTTP server speaking Replicate's HTTP API as published and as the replicate SDK (1.4)
 * uses it:
 *   GET  /v1/models/{owner}/{name}                 the model object with latest_version.openapi_schema
 *   GET  /v1/models/{owner}/{name}/versions        {next, previous, results}
 *   GET  /v1/models/{owner}/{name}/versions/{id}   a version object
 *   POST /v1/models/{owner}/{name}/predictions     create (official models)
 *   POST /v1/predictions                           create by version id
 *   GET  /v1/predictions                           list, newest first, cursor pages ({next, previous, results})
 *   GET  /v1/predictions/{id}        POST /v1/predictions/{id}/cancel
 *   POST /v1/files (multipart: content, metadata)  the Files API; the file's urls.get is an input URL
 *   GET  /v1/account
 *   GET  /files/{id}/{name}                        output file URLs, served by the same server
 *
 * Models and their schemas are the published ones shipped in src/providers/replicate/contract/
 * fixtures (see models.ts for what each makes). A create is validated against the model's
 * schema and refused like Replicate does (422 "Input validation failed" with invalid_fields,
 * schema-check.ts) — nothing is created or billed then. Outputs come in the models' real sizes
 * and lengths (seedance 720p 16:9 is 1248×704, 24 fps, 24·d+1 frames; kling one frame long).
 *
 * Fault injection: a fault queue per route (HTTP statuses, hangs, resets, and 'drop' — the
 * prediction IS created, then the connection is cut before the answer), and scripted outcomes
 * per new prediction: failed with a message (e.g. "CUDA out of memory…", "Prediction interrupted;
 * please retry (code: PA)", "The input or output was flagged as sensitive. Please try again with
 * different inputs. (E005)"), canceled, aborted, stuck, bad outputs. Billing is recorded per
 * prediction from the price table, so tests compare what omvee says it cost with what was billed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultQueue, dropAfter, readBody, sendJson } from './faults.ts';
import { makePng, makeVideo } from './media.ts';
import { addModel, imageOutput, imageSize, loadFixtureModels, videoOutput, type FakeModel } from './models.ts';
import { checkInput, invalidBody } from './schema-check.ts';

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

export interface FakePrediction {
  id: string;
  model: string;
  version: string;
  input: Record<string, unknown>;
  status: string;
  polls: number;
  script: Required<Omit<PredictionScript, 'error'>> & { error?: string };
  created_at: string;
  seq: number;
  output: unknown;
  metrics?: Record<string, number>;
  billedUsd: number;
  /** the media this prediction made (video: size, fps, frames) */
  media?: { width: number; height: number; fps?: number; frames?: number; bytes: Buffer; type: string };
  mediaReady?: Promise<void>;
}

export interface FakeFile {
  id: string;
  name: string;
  content_type: string;
  size: number;
  bytes: Buffer;
  metadata: Record<string, unknown>;
  created_at: string;
}

export interface FakeReplicateOptions {
  token?: string;
  /** legacy: served for images when realOutputs is false */
  png?: Buffer;
  /** legacy: served for videos when realOutputs is false */
  mp4?: Buffer;
  prices?: Record<string, FakeModelPrice>;
  /** validate creates against the model's published schema (default true) */
  strictInputs?: boolean;
  /** outputs in each model's real size and length, made with ffmpeg (default true) */
  realOutputs?: boolean;
  /** extra model objects (as GET /v1/models answers them) besides the shipped fixtures */
  models?: FakeModel['object'][];
  /** predictions per page of GET /v1/predictions (default 100, as Replicate) */
  listPageSize?: number;
  /** list results without their `input` (then clients must GET each one) */
  listOmitsInput?: boolean;
}

export interface FakeReplicate {
  baseUrl: string;
  origin: string;
  token: string;
  faults: FaultQueue;
  /** scripts consumed by each new prediction, in order; default: succeed after one poll */
  scripts: PredictionScript[];
  predictions: Map<string, FakePrediction>;
  files: Map<string, FakeFile>;
  models: Map<string, FakeModel>;
  requests: { method: string; path: string }[];
  /** count of prediction creations (each is a paid attempt) */
  creates(): number;
  /** creates refused with 422 (nothing created) */
  refused(): { model: string; invalid_fields: unknown[] }[];
  /** total billed, USD */
  billedUsd(): number;
  /** put a prediction into the server directly (e.g. one stored by an earlier run) */
  seed(p: { status: string; model: string; output?: OutputKind; dataRemoved?: boolean; polls?: number; input?: Record<string, unknown> }): string;
  close(): Promise<void>;
}

const FINAL = ['succeeded', 'failed', 'canceled', 'aborted'];

export async function startFakeReplicate(opts: FakeReplicateOptions = {}): Promise<FakeReplicate> {
  const token = opts.token ?? 'r8_fake_token_for_tests_only';
  const faults = new FaultQueue();
  const scripts: PredictionScript[] = [];
  const predictions = new Map<string, FakePrediction>();
  const files = new Map<string, FakeFile>();
  const models = loadFixtureModels();
  for (const m of opts.models ?? []) addModel(models, m);
  const requests: { method: string; path: string }[] = [];
  const refusals: { model: string; invalid_fields: unknown[] }[] = [];
  const hung = new Set<ServerResponse>();
  const workDir = mkdtempSync(join(tmpdir(), 'omvee-fake-replicate-'));
  const realOutputs = opts.realOutputs !== false;
  const pageSize = opts.listPageSize ?? 100;
  let createCount = 0;
  let seq = 0;
  let origin = '';

  const isVideo = (model: string): boolean => (models.get(model)?.kind ?? (model.startsWith('bytedance/') || model.includes('video') ? 'video' : 'image')) === 'video';

  /**
   * What a running cog model prints: its sampling loop under tqdm (` 40%|████      | 20/50
   * [00:08<00:12,  2.41it/s]`, tqdm's default bar, the format the replicate SDK's
   * parseProgressFromLogs reads — replicate-javascript#207). A prediction's `logs` is everything
   * the model has printed so far (Replicate's HTTP API, `GET /v1/predictions/{id}`: the log output,
   * growing while it runs), so each poll adds a redraw here; a prediction that fails or is
   * canceled stops at the step it reached, only a success reaches 100 %.
   */
  function samplingLogs(p: FakePrediction): string {
    if (p.status === 'starting') return '';
    const total = 50;
    const stepsAt = (poll: number): number => Math.min(total - 1, Math.round((total * poll) / Math.max(1, p.script.polls)));
    const line = (done: number, poll: number): string => {
      const pct = Math.round((100 * done) / total);
      return `${String(pct).padStart(3)}%|${'█'.repeat(Math.round(pct / 10)).padEnd(10, ' ')}| ${done}/${total} [00:${String(Math.min(59, poll)).padStart(2, '0')}<00:10,  2.41it/s]`;
    };
    const lines = [`Using seed: ${String(p.input['seed'] ?? 0)}`];
    for (let poll = 0; poll < Math.max(1, p.polls); poll++) lines.push(line(stepsAt(poll), poll));
    if (p.status === 'succeeded') lines.push(line(total, p.polls));
    return `${lines.join('\n')}\n`;
  }

  function view(p: FakePrediction, forList = false): Record<string, unknown> {
    return {
      id: p.id,
      model: p.model,
      version: p.version,
      ...(forList && opts.listOmitsInput ? {} : { input: p.input }),
      status: p.status,
      output: p.status === 'succeeded' ? p.output : null,
      error: p.status === 'failed' ? (p.script.error ?? 'model error') : null,
      logs: forList ? undefined : samplingLogs(p),
      data_removed: p.script.output === 'none' && p.status === 'succeeded',
      metrics: p.status === 'succeeded' || p.status === 'failed' ? (p.metrics ?? {}) : {},
      source: 'api',
      created_at: p.created_at,
      urls: { get: `${origin}/v1/predictions/${p.id}`, cancel: `${origin}/v1/predictions/${p.id}/cancel`, web: `${origin}/p/${p.id}` },
    };
  }

  function bill(p: FakePrediction): void {
    const price = opts.prices?.[p.model.split(':')[0] ?? p.model];
    const outputs = p.status !== 'succeeded' ? 0 : Array.isArray(p.output) ? p.output.length : p.output ? 1 : 0;
    let usd = 0;
    if (price?.perImage !== undefined) usd = price.perImage * outputs;
    else if (price?.perVideoSecond) {
      const rate = price.perVideoSecond[String(p.input['resolution'])] ?? Object.values(price.perVideoSecond)[0] ?? 0;
      usd = outputs ? rate * Number(p.input['duration'] ?? 0) : 0;
    } else usd = (price?.perPredictSecond ?? 0) * (p.metrics?.['predict_time'] ?? 0);
    p.billedUsd = Math.round(usd * 1e6) / 1e6;
  }

  function firstFrameRatio(input: Record<string, unknown>): number | null {
    const value = input['image'] ?? input['start_image'] ?? input['first_frame_image'];
    if (typeof value !== 'string') return null;
    let bytes: Buffer | null = null;
    const data = /^data:[^;]+;base64,(.*)$/.exec(value);
    if (data) bytes = Buffer.from(data[1]!, 'base64');
    const file = /\/v1\/files\/([^/?#]+)/.exec(value);
    if (file) bytes = files.get(file[1]!)?.bytes ?? null;
    const size = bytes ? imageSize(bytes) : null;
    return size ? size.width / size.height : null;
  }

  async function makeMedia(p: FakePrediction): Promise<void> {
    if (!realOutputs) return;
    if (isVideo(p.model)) {
      const spec = videoOutput(p.model, p.input, firstFrameRatio(p.input));
      p.media = { ...spec, bytes: await makeVideo(workDir, spec), type: 'video/mp4' };
    } else {
      const { width, height } = imageOutput(p.model, p.input);
      p.media = { width, height, bytes: makePng(width, height), type: 'image/png' };
    }
  }

  function finish(p: FakePrediction): void {
    p.status = p.script.final;
    p.metrics = { predict_time: p.script.predictTime };
    if (p.status === 'succeeded') {
      p.mediaReady = makeMedia(p);
      p.mediaReady.catch(() => undefined);
      const ext = isVideo(p.model) ? 'mp4' : 'png';
      const url = `${origin}/files/${p.id}/out.${ext}`;
      p.output = p.script.output === 'none' ? null : isVideo(p.model) ? url : [url];
    }
    bill(p);
  }

  function advance(p: FakePrediction): void {
    if (FINAL.includes(p.status) || p.script.stuck) return;
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
      seq: ++seq,
      output: null,
      billedUsd: 0,
    };
    predictions.set(p.id, p);
    return p;
  }

  async function serveFile(res: ServerResponse, id: string): Promise<void> {
    const p = predictions.get(id);
    await p?.mediaReady;
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
    const body = p.media?.bytes ?? (video ? opts.mp4 : opts.png) ?? makePng(16, 9);
    res.writeHead(200, { 'content-type': p.media?.type ?? (video ? 'video/mp4' : 'image/png'), 'content-length': String(body.length) });
    res.end(body);
  }

  function listPage(url: URL): Record<string, unknown> {
    const all = [...predictions.values()].sort((a, b) => b.seq - a.seq);
    const offset = Number(Buffer.from(url.searchParams.get('cursor') ?? 'MA==', 'base64').toString('utf8')) || 0;
    const page = all.slice(offset, offset + pageSize);
    const cursor = (n: number) => `${origin}/v1/predictions?cursor=${Buffer.from(String(n)).toString('base64')}`;
    return {
      next: offset + pageSize < all.length ? cursor(offset + pageSize) : null,
      previous: offset > 0 ? cursor(Math.max(0, offset - pageSize)) : null,
      results: page.map((p) => view(p, true)),
    };
  }

  async function handleCreate(req: IncomingMessage, res: ServerResponse, createModel: RegExpExecArray | null): Promise<void> {
    const raw = await readBody(req);
    if (faults.apply('create', req, res, hung)) return;
    let body: { input?: Record<string, unknown>; version?: string };
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return sendJson(res, 400, { detail: 'invalid JSON' });
    }
    let model: string;
    let fake: FakeModel | undefined;
    if (createModel) {
      model = `${createModel[1]}/${createModel[2]}`;
      fake = models.get(model);
    } else {
      fake = [...models.values()].find((m) => m.object.latest_version.id === body.version);
      model = fake ? `${fake.object.owner}/${fake.object.name}` : `version/${body.version}`;
    }
    const input = body.input ?? {};
    if (opts.strictInputs !== false) {
      if (!fake) return sendJson(res, 404, { title: 'Not found', detail: `The requested model or version does not exist (or perhaps you don't have permission to use it?)`, status: 404 });
      const problems = checkInput(fake.object.latest_version.openapi_schema, input);
      if (problems.length) {
        refusals.push({ model, invalid_fields: problems });
        return sendJson(res, 422, invalidBody(problems));
      }
    }
    createCount += 1;
    const p = create(model, fake?.object.latest_version.id ?? body.version ?? 'hidden', input, scripts.shift() ?? {});
    if (p.script.polls <= 0) finish(p);
    if (dropAfter(faults, 'create', req)) return;
    sendJson(res, 201, view(p));
  }

  async function handleFileUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (faults.apply('files', req, res, hung)) return;
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': String(req.headers['content-type'] ?? '') } }).formData().catch(() => null);
    const content = form?.get('content');
    if (!content || typeof content === 'string') return sendJson(res, 400, { title: 'Bad request', detail: 'content is required', status: 400 });
    const bytes = Buffer.from(await content.arrayBuffer());
    const meta = form!.get('metadata');
    const metadata = meta && typeof meta !== 'string' ? (JSON.parse(await meta.text()) as Record<string, unknown>) : {};
    const id = randomUUID().replace(/-/g, '').slice(0, 26);
    const file: FakeFile = { id, name: content.name || 'file', content_type: content.type || 'application/octet-stream', size: bytes.length, bytes, metadata, created_at: new Date().toISOString() };
    files.set(id, file);
    // the File object as published (tessl.io/registry/tessl/pypi-replicate: id, name, content_type, size,
    // etag, checksums, metadata, created_at, expires_at, urls; the SDK inputs urls.get)
    sendJson(res, 201, {
      id,
      name: file.name,
      content_type: file.content_type,
      size: file.size,
      etag: createHash('md5').update(bytes).digest('hex'),
      checksums: { sha256: createHash('sha256').update(bytes).digest('hex'), md5: createHash('md5').update(bytes).digest('hex') },
      metadata,
      created_at: file.created_at,
      expires_at: new Date(Date.now() + 24 * 3600_000).toISOString(),
      urls: { get: `${origin}/v1/files/${id}` },
    });
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
    if (method === 'POST' && path === '/v1/files') return handleFileUpload(req, res);
    if (method === 'GET' && (m = /^\/v1\/files\/([^/]+)$/.exec(path))) {
      const f = files.get(m[1]!);
      if (!f) return sendJson(res, 404, { detail: 'Not found.' });
      res.writeHead(200, { 'content-type': f.content_type, 'content-length': String(f.size) });
      return void res.end(f.bytes);
    }
    if (method === 'GET' && (m = /^\/v1\/models\/([^/]+)\/([^/]+)(?:\/versions(?:\/([^/]+))?)?$/.exec(path))) {
      if (faults.apply('model', req, res, hung)) return;
      const fake = models.get(`${m[1]}/${m[2]}`);
      if (!fake) return sendJson(res, 404, { detail: 'Not found.' });
      const version = fake.object.latest_version;
      if (path.endsWith('/versions')) return sendJson(res, 200, { next: null, previous: null, results: [version] });
      if (m[3] !== undefined) return m[3] === version.id ? sendJson(res, 200, version) : sendJson(res, 404, { detail: 'Not found.' });
      return sendJson(res, 200, fake.object);
    }
    const createModel = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(path);
    if (method === 'POST' && (createModel || path === '/v1/predictions')) return handleCreate(req, res, createModel);
    if (method === 'GET' && path === '/v1/predictions') {
      if (faults.apply('list', req, res, hung)) return;
      return sendJson(res, 200, listPage(url));
    }
    if ((m = /^\/v1\/predictions\/([^/]+)\/cancel$/.exec(path)) && method === 'POST') {
      await readBody(req);
      if (faults.apply('cancel', req, res, hung)) return;
      const p = predictions.get(m[1]!);
      if (!p) return sendJson(res, 404, { detail: 'Not found.' });
      if (!FINAL.includes(p.status)) p.status = 'canceled';
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
  server.unref();

  return {
    baseUrl: `${origin}/v1`,
    origin,
    token,
    faults,
    scripts,
    predictions,
    files,
    models,
    requests,
    creates: () => createCount,
    refused: () => refusals,
    billedUsd: () => Math.round([...predictions.values()].reduce((s, p) => s + p.billedUsd, 0) * 1e6) / 1e6,
    seed(s) {
      const p = create(s.model, models.get(s.model)?.object.latest_version.id ?? 'hidden', s.input ?? { prompt: 'seeded', duration: 5, resolution: '720p' }, { final: 'succeeded', polls: s.polls ?? 1, output: s.dataRemoved ? 'none' : (s.output ?? 'ok') });
      if (s.status === 'succeeded') finish(p);
      else p.status = s.status;
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
