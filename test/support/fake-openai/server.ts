/**
 * A local HTTP server speaking the OpenAI API (and OpenRouter's OpenAI-compatible flavour)
 * as the `openai` SDK uses it:
 *   POST {base}/chat/completions        JSON
 *   POST {base}/audio/transcriptions    multipart/form-data
 *   GET  {base}/models                  list
 *   GET  {base}/key                     OpenRouter key info
 * where {base} is /v1 (OpenAI) or /api/v1 (OpenRouter). Bearer auth, a fault queue, scripted
 * chat answers and transcriptions, billing records of what the server "charged", and every
 * request's body and headers kept for assertions.
 *
 * The contract, from the published pages (not from omvee's assumptions):
 * - Chat completions (https://platform.openai.com/docs/api-reference/chat/create and the SDK's
 *   ChatCompletion types): `choices[].finish_reason` is "stop" or "length" — "length" when the
 *   output hit `max_tokens` / `max_completion_tokens`, with the content cut there; `usage` has
 *   prompt/completion/total tokens. Message `content` may be an array of parts
 *   `{type:"text"}` / `{type:"image_url", image_url:{url, detail?}}`, the url an http(s) URL or a
 *   base64 data URL of PNG/JPEG/WEBP/GIF, at most 20 MB per image and `detail` low|high|auto
 *   (https://platform.openai.com/docs/guides/images-vision, "Image input requirements").
 * - OpenRouter (https://openrouter.ai/docs/api-reference/overview): the same shape plus a
 *   `provider` field; `usage.cost` (credits = USD) is on EVERY response ("Usage Accounting",
 *   https://openrouter.ai/docs/use-cases/usage-accounting); an image sent to a model without
 *   image input is refused with 404 {"error":{"message":"No endpoints found that support image
 *   input","code":404}} (as reported by OpenRouter users, e.g. NousResearch/hermes-agent#23411);
 *   a 200 may carry `error` when the upstream fails. App attribution headers (HTTP-Referer,
 *   X-OpenRouter-Title / X-Title, https://openrouter.ai/docs/app-attribution) are recorded.
 * - Transcriptions (https://platform.openai.com/docs/api-reference/audio/createTranscription):
 *   `gpt-4o-transcribe` / `gpt-4o-mini-transcribe` support only `json` (and `text`); sent
 *   `verbose_json` they answer 400 {"error":{"message":"response_format 'verbose_json' is not
 *   compatible with model '<model>'. Use 'json' or 'text' instead.","type":
 *   "invalid_request_error","param":"response_format","code":"unsupported_value"}} — the exact
 *   body users report (openai/openai-dotnet#401, lfnovo/esperanto#204). Their json is
 *   `{text, usage:{type:"tokens",…}}`; whisper-1's json is `{text, usage:{type:"duration",
 *   seconds}}` and its verbose_json adds language, duration and segments.
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

export type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: string } };

export interface ChatMessage {
  role: string;
  content: string | ContentPart[];
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
  max_tokens?: number;
  max_completion_tokens?: number;
  [k: string]: unknown;
}

/** The text of a message (all its text parts). */
export function textOf(message: ChatMessage | undefined): string {
  if (!message) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.filter((p): p is Extract<ContentPart, { type: 'text' }> => p.type === 'text').map((p) => p.text).join('\n');
}

/** The images of a request (image_url parts of every message). */
export function imagesOf(req: ChatRequest): { url: string; detail?: string }[] {
  return req.messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content.filter((p): p is Extract<ContentPart, { type: 'image_url' }> => p.type === 'image_url').map((p) => p.image_url)));
}

/**
 * One scripted chat answer: the message content, a whole raw 200 body (e.g. carrying `error`;
 * the fake adds usage), or a recorded body sent exactly as it is (fixtures; billed its usage.cost).
 */
export type ChatAnswerScript = { content: string; finish_reason?: string } | { raw: unknown } | { verbatim: unknown };
export type ChatScript = ChatAnswerScript | ((req: ChatRequest) => ChatAnswerScript);

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
  /** USD per minute of audio, by model (OpenAI's price page: whisper-1 and gpt-4o-transcribe 0.006, mini 0.003) */
  audioPerMinute?: Record<string, number>;
  /** report usage.cost; default: on the OpenRouter path (/api/v1) only, as the real services do */
  reportCost?: boolean;
  /** models that take images (the fake's own list; others get OpenRouter's 404) */
  visionModels?: readonly string[];
}

export interface ChatCall {
  body: ChatRequest;
  /** request headers, lower-cased names */
  headers: Record<string, string>;
  /** 'openrouter' for /api/v1, 'openai' for /v1 */
  flavour: 'openrouter' | 'openai';
  /** what the server answered: finish_reason and the answer's completion tokens */
  finishReason: string | null;
  status: number;
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
  /** answers requests when no script is queued (a function of the request, for concurrent callers) */
  chatHandler: ((req: ChatRequest) => ChatAnswerScript) | null;
  /** fault injection: the next N chat answers are cut at this fraction of their tokens, finish_reason "length" */
  truncations: number[];
  chatRequests: ChatRequest[];
  chatCalls: ChatCall[];
  /** (durationS of the uploaded file, upload number) → segments; default: one segment per 2 s */
  transcribe: (durationS: number, call: number) => WhisperSegmentOut[];
  /** the text the json-only models (gpt-4o-transcribe…) hear; default: the segments' text */
  transcribeText: ((durationS: number, call: number, model: string) => string) | null;
  uploads: { bytes: number; durationS: number; fields: Record<string, string[]>; status: number }[];
  billing: { kind: 'chat' | 'audio'; usd: number; call: number }[];
  billedUsd(): number;
  close(): Promise<void>;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;
const tokensOf = (text: string): number => Math.ceil(text.length / 4);

const JSON_ONLY_TRANSCRIBE = /^gpt-4o(-mini)?-transcribe/;
const DEFAULT_VISION = ['gpt-4o', 'gpt-4o-mini', 'openai/gpt-4o', 'openai/gpt-4o-mini', 'google/gemini-2.5-flash', 'anthropic/claude-sonnet-4'];

function invalidImage(url: string, detail: string | undefined): string | null {
  if (detail !== undefined && !['low', 'high', 'auto'].includes(detail)) return `Invalid value for 'detail': '${detail}'.`;
  if (/^https?:\/\//.test(url)) return null;
  const m = /^data:image\/(png|jpeg|jpg|webp|gif);base64,([A-Za-z0-9+/]+=*)$/.exec(url);
  if (!m) return 'Invalid image URL: expected an http(s) URL or a base64 data URL of a PNG, JPEG, WEBP or GIF image.';
  const bytes = Buffer.from(m[2]!, 'base64');
  if (bytes.length > 20 * 1024 * 1024) return 'Image too large: at most 20 MB per image.';
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  const png = bytes.subarray(0, 4).toString('hex') === '89504e47';
  if ((m[1] === 'jpeg' || m[1] === 'jpg') && !jpeg) return 'You uploaded an unsupported image. Please make sure your image is valid.';
  if (m[1] === 'png' && !png) return 'You uploaded an unsupported image. Please make sure your image is valid.';
  return null;
}

export async function startFakeOpenAi(opts: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const apiKey = opts.apiKey ?? 'sk-fake-key-for-tests-only';
  const chatPrice = opts.chatPrice ?? { inputPer1M: 0.27, outputPer1M: 1.0 };
  const audioPerMinute: Record<string, number> = { 'whisper-1': 0.006, 'gpt-4o-transcribe': 0.006, 'gpt-4o-mini-transcribe': 0.003, ...opts.audioPerMinute };
  const vision = new Set(opts.visionModels ?? DEFAULT_VISION);
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
    chatHandler: null,
    truncations: [],
    chatRequests: [],
    chatCalls: [],
    transcribe: (d) => Array.from({ length: Math.max(1, Math.ceil(d / 2)) }, (_, i) => ({ start: i * 2, end: Math.min(d, i * 2 + 2), text: ` line ${i + 1}`, avg_logprob: -0.2, no_speech_prob: 0.01, compression_ratio: 1.2 })),
    transcribeText: null,
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

  async function chat(req: IncomingMessage, res: ServerResponse, flavour: 'openrouter' | 'openai'): Promise<void> {
    const body = JSON.parse((await readBody(req)).toString('utf8')) as ChatRequest;
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const call: ChatCall = { body, headers, flavour, finishReason: null, status: 200 };
    fake.chatCalls.push(call);
    const reply = (status: number, payload: unknown): void => {
      call.status = status;
      sendJson(res, status, payload);
    };
    if (faults.apply('chat', req, res, hung)) {
      call.status = 0;
      return;
    }
    fake.chatRequests.push(body);
    const reportCost = opts.reportCost ?? flavour === 'openrouter';
    const images = imagesOf(body);
    for (const image of images) {
      const bad = invalidImage(image.url, image.detail);
      if (bad) return reply(400, { error: { message: bad, type: 'invalid_request_error', param: null, code: 'invalid_image' } });
    }
    if (images.length > 0 && !vision.has(body.model)) {
      return flavour === 'openrouter'
        ? reply(404, { error: { message: 'No endpoints found that support image input', code: 404 } })
        : reply(400, { error: { message: `Invalid content type. image_url is only supported by certain models.`, type: 'invalid_request_error', param: 'messages', code: null } });
    }
    const script = fake.chatScripts.shift() ?? fake.chatHandler;
    if (!script) return reply(500, { error: { message: 'fake: no scripted answer left' } });
    const answer = typeof script === 'function' ? script(body) : script;
    const promptTokens = tokensOf(JSON.stringify(body.messages.map((m) => ({ role: m.role, content: textOf(m) })))) + 85 * images.length;
    const callNo = fake.chatRequests.length - 1;
    if ('verbatim' in answer) {
      const recorded = answer.verbatim as { usage?: { cost?: number }; choices?: { finish_reason?: string }[] };
      fake.billing.push({ kind: 'chat', usd: round(recorded.usage?.cost ?? 0), call: callNo });
      call.finishReason = recorded.choices?.[0]?.finish_reason ?? null;
      return reply(200, recorded);
    }
    if ('raw' in answer) {
      // e.g. a 200 carrying an error, or no choices: bill the prompt only
      const usd = round((promptTokens * chatPrice.inputPer1M) / 1e6);
      fake.billing.push({ kind: 'chat', usd, call: callNo });
      const raw = answer.raw as Record<string, unknown>;
      return reply(200, { ...raw, usage: { prompt_tokens: promptTokens, completion_tokens: 0, total_tokens: promptTokens, ...(reportCost ? { cost: usd } : {}) } });
    }
    let content = answer.content;
    let finish = answer.finish_reason ?? 'stop';
    const cutAt = fake.truncations.shift();
    if (cutAt !== undefined) {
      content = content.slice(0, Math.floor(content.length * cutAt));
      finish = 'length';
    }
    // the output budget, as the API applies it: the content stops at max tokens
    const budget = body.max_completion_tokens ?? body.max_tokens;
    if (typeof budget === 'number' && tokensOf(content) > budget) {
      content = content.slice(0, budget * 4);
      finish = 'length';
    }
    call.finishReason = finish;
    const completionTokens = tokensOf(content);
    const usd = round((promptTokens * chatPrice.inputPer1M + completionTokens * chatPrice.outputPer1M) / 1e6);
    fake.billing.push({ kind: 'chat', usd, call: callNo });
    reply(200, {
      id: `${flavour === 'openrouter' ? 'gen' : 'chatcmpl'}-${fake.chatRequests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      ...(flavour === 'openrouter' ? { provider: 'FakeInfra' } : {}),
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: finish, logprobs: null }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens, ...(reportCost ? { cost: usd } : {}) },
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
    const model = fields['model']?.[0] ?? '';
    const format = fields['response_format']?.[0] ?? 'json';
    const upload = { bytes: file.size, durationS: 0, fields, status: 200 };
    fake.uploads.push(upload);
    const refuse = (status: number, error: Record<string, unknown>): void => {
      upload.status = status;
      sendJson(res, status, { error });
    };
    if (JSON_ONLY_TRANSCRIBE.test(model) && format !== 'json' && format !== 'text') {
      return refuse(400, { message: `response_format '${format}' is not compatible with model '${model}'. Use 'json' or 'text' instead.`, type: 'invalid_request_error', param: 'response_format', code: 'unsupported_value' });
    }
    if (format !== 'verbose_json' && (fields['timestamp_granularities[]'] ?? []).includes('word')) {
      return refuse(400, { message: "timestamp_granularities requires response_format 'verbose_json'", type: 'invalid_request_error', param: 'timestamp_granularities', code: null });
    }
    const path = join(work, `upload-${uploadsSeen++}-${file.name}`);
    await writeFile(path, Buffer.from(await file.arrayBuffer()));
    let durationS: number;
    try {
      const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path]);
      durationS = Number(stdout.trim());
    } catch {
      return refuse(400, { message: 'Invalid file format.', type: 'invalid_request_error' });
    }
    upload.durationS = durationS;
    const usd = round((durationS / 60) * (audioPerMinute[model.replace(/-\d{4}-\d{2}-\d{2}$/, '')] ?? 0.006));
    fake.billing.push({ kind: 'audio', usd, call: fake.uploads.length - 1 });
    const call = fake.uploads.length - 1;
    const segments = fake.transcribe(durationS, call).map((s, id) => ({ id, seek: 0, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1.2, no_speech_prob: 0.01, ...s }));
    const text = JSON_ONLY_TRANSCRIBE.test(model) && fake.transcribeText ? fake.transcribeText(durationS, call, model) : segments.map((s) => s.text).join('');
    if (format === 'text') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end(text);
    }
    if (format === 'json') {
      const usage = JSON_ONLY_TRANSCRIBE.test(model)
        ? { type: 'tokens', input_tokens: Math.round(durationS * 10), input_token_details: { text_tokens: 0, audio_tokens: Math.round(durationS * 10) }, output_tokens: tokensOf(text), total_tokens: Math.round(durationS * 10) + tokensOf(text) }
        : { type: 'duration', seconds: Math.ceil(durationS) };
      return sendJson(res, 200, { text, usage });
    }
    sendJson(res, 200, { task: 'transcribe', language: fields['language']?.[0] ?? 'english', duration: durationS, text, segments, usage: { type: 'duration', seconds: Math.ceil(durationS) } });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', fake.origin);
    const m = /^\/(api\/)?v1(\/.*)$/.exec(url.pathname);
    const route = m?.[2] ?? '';
    const flavour = m?.[1] ? 'openrouter' : 'openai';
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      await readBody(req);
      return sendJson(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (req.method === 'POST' && route === '/chat/completions') return chat(req, res, flavour);
    if (req.method === 'POST' && route === '/audio/transcriptions') return transcription(req, res);
    if (req.method === 'GET' && route === '/models') {
      if (faults.apply('models', req, res, hung)) return;
      return sendJson(res, 200, { object: 'list', data: ['whisper-1', 'gpt-4o-mini'].map((id) => ({ id, object: 'model', created: 0, owned_by: 'openai' })) });
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

/** The scene indices a prompt-writing request asks for ("3: 12.00–16.00 s | …" lines). */
export function askedIndices(req: ChatRequest): number[] {
  return [...req.messages.map(textOf).join('\n').matchAll(/^(\d+): [\d.]+–/gm)].map((m) => Number(m[1]));
}

/** A motion answer for a motion-writing request (it asks for {"motion_prompt":…}). */
export function isMotionRequest(req: ChatRequest): boolean {
  return req.response_format?.json_schema?.name === 'motion' || /"motion_prompt":"…"\}\.?\s*$/.test(textOf(req.messages.at(-1)));
}
