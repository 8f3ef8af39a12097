/**
 * A local HTTP server speaking the OpenAI API (and OpenRouter's OpenAI-compatible flavour)
 * as the `openai` SDK uses it:
 *   POST {base}/chat/completions        JSON
 *   POST {base}/audio/transcriptions    multipart/form-data, response_format verbose_json
 *   GET  {base}/models                  list
 *   GET  {base}/key                     OpenRouter key info
 * where {base} is /v1 (OpenAI) or /api/v1 (OpenRouter). Bearer auth, a fault queue, scripted
 * chat answers and transcriptions, and billing records of what the server "charged".
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FaultQueue, readBody, sendJson } from '../fake-replicate/faults.ts';

const run = promisify(execFile);

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
  [k: string]: unknown;
}

/** One scripted chat answer: the message content, or a whole raw 200 body (e.g. carrying `error`). */
export type ChatScript =
  | { content: string; finish_reason?: string }
  | { raw: unknown }
  | ((req: ChatRequest) => { content: string } | { raw: unknown });

export interface WhisperSegmentOut {
  start: number;
  end: number;
  text: string;
  avg_logprob?: number;
  no_speech_prob?: number;
  compression_ratio?: number;
}

export interface FakeOpenAiOptions {
  apiKey?: string;
  /** USD per 1M tokens in/out for chat billing */
  chatPrice?: { inputPer1M: number; outputPer1M: number };
  /** USD per minute of audio */
  audioPerMinute?: number;
  /** report usage.cost like OpenRouter */
  reportCost?: boolean;
}

export interface FakeOpenAi {
  origin: string;
  /** OpenAI-style base URL: {origin}/v1 */
  baseURL: string;
  /** OpenRouter-style base URL: {origin}/api/v1 */
  openRouterBaseURL: string;
  apiKey: string;
  faults: FaultQueue;
  chatScripts: ChatScript[];
  chatRequests: ChatRequest[];
  /** (durationS of the uploaded file) → segments; default: one segment per 2 s */
  transcribe: (durationS: number, call: number) => WhisperSegmentOut[];
  uploads: { bytes: number; durationS: number; fields: Record<string, string[]> }[];
  billing: { kind: 'chat' | 'audio'; usd: number }[];
  billedUsd(): number;
  close(): Promise<void>;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

export async function startFakeOpenAi(opts: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const apiKey = opts.apiKey ?? 'sk-fake-key-for-tests-only';
  const chatPrice = opts.chatPrice ?? { inputPer1M: 0.27, outputPer1M: 1.0 };
  const audioPerMinute = opts.audioPerMinute ?? 0.006;
  const faults = new FaultQueue();
  const hung = new Set<ServerResponse>();
  const work = await mkdtemp(join(tmpdir(), 'omvee-fake-openai-'));
  let uploadsSeen = 0;

  const fake: FakeOpenAi = {
    origin: '',
    baseURL: '',
    openRouterBaseURL: '',
    apiKey,
    faults,
    chatScripts: [],
    chatRequests: [],
    transcribe: (d) => Array.from({ length: Math.max(1, Math.ceil(d / 2)) }, (_, i) => ({ start: i * 2, end: Math.min(d, i * 2 + 2), text: ` line ${i + 1}`, avg_logprob: -0.2, no_speech_prob: 0.01, compression_ratio: 1.2 })),
    uploads: [],
    billing: [],
    billedUsd: () => round(fake.billing.reduce((s, b) => s + b.usd, 0)),
    close: async () => {
      for (const r of hung) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await rm(work, { recursive: true, force: true });
    },
  };

  async function chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = JSON.parse((await readBody(req)).toString('utf8')) as ChatRequest;
    if (faults.apply('chat', req, res, hung)) return;
    fake.chatRequests.push(body);
    const script = fake.chatScripts.shift();
    if (!script) return sendJson(res, 500, { error: { message: 'fake: no scripted answer left' } });
    const answer = typeof script === 'function' ? script(body) : script;
    const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4);
    if ('raw' in answer) {
      // e.g. a 200 carrying an error, or no choices: bill the prompt only
      const usd = round((promptTokens * chatPrice.inputPer1M) / 1e6);
      fake.billing.push({ kind: 'chat', usd });
      const raw = answer.raw as Record<string, unknown>;
      return sendJson(res, 200, { ...raw, usage: { prompt_tokens: promptTokens, completion_tokens: 0, total_tokens: promptTokens, ...(opts.reportCost ? { cost: usd } : {}) } });
    }
    const completionTokens = Math.ceil(answer.content.length / 4);
    const usd = round((promptTokens * chatPrice.inputPer1M + completionTokens * chatPrice.outputPer1M) / 1e6);
    fake.billing.push({ kind: 'chat', usd });
    sendJson(res, 200, {
      id: `chatcmpl-${fake.chatRequests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: answer.content, refusal: null }, finish_reason: 'finish_reason' in answer && answer.finish_reason ? answer.finish_reason : 'stop', logprobs: null }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens, ...(opts.reportCost ? { cost: usd } : {}) },
    });
  }

  async function transcription(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (faults.apply('transcriptions', req, res, hung)) return;
    const form = await new Response(raw, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
    const file = form.get('file');
    if (!(file instanceof File)) return sendJson(res, 400, { error: { message: 'file is required', type: 'invalid_request_error' } });
    if (file.size > 25 * 1024 * 1024) return sendJson(res, 413, { error: { message: 'Maximum content size limit exceeded' } });
    const fields: Record<string, string[]> = {};
    for (const [k, v] of form.entries()) if (typeof v === 'string') (fields[k] ??= []).push(v);
    const path = join(work, `upload-${uploadsSeen++}-${file.name}`);
    await writeFile(path, Buffer.from(await file.arrayBuffer()));
    let durationS: number;
    try {
      const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path]);
      durationS = Number(stdout.trim());
    } catch {
      return sendJson(res, 400, { error: { message: 'Invalid file format.', type: 'invalid_request_error' } });
    }
    fake.uploads.push({ bytes: file.size, durationS, fields });
    const usd = round((durationS / 60) * audioPerMinute);
    fake.billing.push({ kind: 'audio', usd });
    const segments = fake.transcribe(durationS, fake.uploads.length - 1).map((s, id) => ({ id, seek: 0, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1.2, no_speech_prob: 0.01, ...s }));
    sendJson(res, 200, { task: 'transcribe', language: fields['language']?.[0] ?? 'english', duration: durationS, text: segments.map((s) => s.text).join(''), segments });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', fake.origin);
    const m = /^\/(?:api\/)?v1(\/.*)$/.exec(url.pathname);
    const route = m?.[1] ?? '';
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      await readBody(req);
      return sendJson(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (req.method === 'POST' && route === '/chat/completions') return chat(req, res);
    if (req.method === 'POST' && route === '/audio/transcriptions') return transcription(req, res);
    if (req.method === 'GET' && route === '/models') {
      if (faults.apply('models', req, res, hung)) return;
      return sendJson(res, 200, { object: 'list', data: [{ id: 'whisper-1', object: 'model', created: 0, owned_by: 'openai' }, { id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'openai' }] });
    }
    if (req.method === 'GET' && route === '/key') {
      if (faults.apply('key', req, res, hung)) return;
      return sendJson(res, 200, { data: { label: 'sk-or-v1-…', usage: 1.25, limit: 10, limit_remaining: 8.75, is_free_tier: false } });
    }
    sendJson(res, 404, { error: { message: `no route ${req.method} ${url.pathname}` } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err) } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.baseURL = `${fake.origin}/v1`;
  fake.openRouterBaseURL = `${fake.origin}/api/v1`;
  return fake;
}

/** Well-formed scenes covering [0, durationS] in n equal parts (for scripted answers). */
export function scenesAnswer(durationS: number, n: number, shift = 0): { scenes: Record<string, unknown>[] } {
  return {
    scenes: Array.from({ length: n }, (_, i) => ({
      start_time_s: Math.round(((durationS * i) / n + (i ? shift : 0)) * 1000) / 1000,
      end_time_s: Math.round(((durationS * (i + 1)) / n) * 1000) / 1000,
      title: `Scene ${i + 1}`,
      theme: `theme ${i + 1}`,
      lyric_excerpt: `line ${i + 1}`,
      energy: (i % 5) / 5,
      artist_role: i === 0 ? 'primary' : 'none',
    })),
  };
}

export function promptsAnswer(indices: readonly number[]): { prompts: Record<string, unknown>[] } {
  return {
    prompts: indices.map((i) => ({
      scene_index: i,
      image_prompt: `a cinematic still for scene ${i}`,
      style_notes: 'film grain',
      negative_prompt: 'text, watermark',
      setting: 'city',
      shot_type: 'wide',
      mood: 'tense',
      color_palette: ['#112233', '#445566', 'not-a-colour'],
      motion_prompt: 'slow push in',
    })),
  };
}
