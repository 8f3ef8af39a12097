/**
 * The LLM director: scene selection and visual prompts through an OpenAI-compatible chat API
 * (OpenRouter or OpenAI) with the real `openai` SDK.
 *
 * Reliability, in order:
 * 1. HTTP: retrying fetch (429/5xx/timeouts); a 200 whose body carries `error` (OpenRouter
 *    does this when the upstream model fails) is retried the same way when transient.
 * 2. Shape: structured output (json_schema, strict) is requested from both providers; the
 *    answer is still parsed tolerantly (fences, prose, bare arrays) and validated with zod.
 * 3. Scenes: validateScenes → repairScenes (deterministic: gaps, overlaps, out-of-range times,
 *    bounds) → validated again.
 * 4. An unusable answer (empty, no choices, not JSON, schema-invalid, unrepairable) is asked
 *    for once more with the errors quoted; after that a clear OmveeError. Nothing broken is
 *    ever returned.
 * writePrompts: one batched call for all scenes; scenes the model skipped (or answered
 * invalidly) are asked for again once; still missing → OmveeError naming them. We do NOT fill
 * gaps from the local templates: the user chose the LLM, and a silent mix would be surprising;
 * the caller may catch the error and fall back explicitly.
 */
import type { ChatCompletion, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { OmveeError } from '../../core/errors.ts';
import { repairScenes, validateScenes } from '../../core/timeline/index.ts';
import type { Transcript } from '../../core/model.ts';
import { targetSceneCount } from '../../core/timeline/bounds.ts';
import { llmCallCost, roundUsd, type PriceTable } from '../../core/cost/prices.ts';
import { buildPriceTable } from '../cost.ts';
import { DEFAULT_OPENAI_CHAT_MODEL, DEFAULT_OPENROUTER_MODEL } from './models.ts';
import { httpStatusError, isRetryableStatus, toProviderError, type ServiceInfo } from '../http/errors.ts';
import { resolveRetryPolicy, withRetry } from '../http/retry.ts';
import {
  createOpenAiClient,
  DEFAULT_OPENAI_BASE_URL,
  DEFAULT_OPENROUTER_BASE_URL,
  OPENAI_SERVICE,
  OPENROUTER_SERVICE,
  type OpenAI,
  type OpenAiConnection,
} from '../openai/client.ts';
import type { CallContext, Director, PromptDraft, PromptWritingInput, PromptWritingResult, SceneDraft, SceneSelectionInput, SceneSelectionResult } from '../ports.ts';
import { extractJson } from './json-answer.ts';
import { PROMPTS_JSON_SCHEMA, PromptAnswerItem, PromptsAnswer, SCENES_JSON_SCHEMA, ScenesAnswer, zodProblems } from './schemas.ts';

export interface LlmDirectorOptions extends OpenAiConnection {
  provider: 'openrouter' | 'openai';
  model?: string | undefined;
  prices?: PriceTable | undefined;
  temperature?: number | undefined;
}


const SYSTEM = 'You are the director of a music video. You plan scenes that follow the song and write precise visual prompts. Reply with one JSON object only, exactly in the requested shape, no commentary.';


function fmt(t: number): string {
  return t.toFixed(2);
}

function lyricsBlock(transcript: Transcript | null): string {
  const segs = transcript?.segments ?? [];
  if (segs.length === 0) return '(no lyrics: instrumental or unknown; plan scenes from the music\'s length and the style)';
  return segs.map((s) => `[${fmt(s.start)}–${fmt(s.end)}] ${s.text.trim()}${s.suspect ? ' (uncertain)' : ''}`).join('\n');
}

export function sceneSelectionPrompt(input: SceneSelectionInput): string {
  const n = targetSceneCount(input.durationS, input.sceneMinS, input.sceneMaxS);
  return [
    `Song: "${input.projectName}". Visual style: ${input.style?.trim() || 'free, cinematic'}.`,
    `Duration: ${fmt(input.durationS)} seconds.`,
    `Split the WHOLE song into about ${n} consecutive scenes:`,
    `- the first scene starts at 0 and the last ends at exactly ${fmt(input.durationS)};`,
    `- every scene starts exactly where the previous one ended (no gaps, no overlaps);`,
    `- every scene lasts between ${input.sceneMinS} and ${input.sceneMaxS} seconds;`,
    '- cut on lyric line boundaries where you can; lyric_excerpt holds the lines sung in the scene;',
    '- energy is 0..1 (calm..intense); artist_role is "primary" when the performer is the subject, "background" when present, else "none".',
    '',
    'Timed lyrics (seconds):',
    lyricsBlock(input.transcript),
    '',
    'Reply as {"scenes":[{"start_time_s":0,"end_time_s":8.5,"title":"…","theme":"…","lyric_excerpt":"…","energy":0.4,"artist_role":"none"}, …]}',
  ].join('\n');
}

export function promptWritingPrompt(input: PromptWritingInput, indices: readonly number[]): string {
  const lines = indices.map((i) => {
    const s = input.scenes[i]!;
    return `${i}: ${fmt(s.start_time_s)}–${fmt(s.end_time_s)} s | title: ${s.title ?? ''} | theme: ${s.theme ?? ''} | lyrics: ${s.lyric_excerpt ?? ''} | energy: ${s.energy ?? ''} | artist: ${s.artist_role}`;
  });
  return [
    `Song: "${input.projectName}". Visual style for the whole video: ${input.style?.trim() || 'free, cinematic'}.`,
    'Write the visual prompts for each scene below (keep characters, palette and look consistent across scenes):',
    ...lines,
    '',
    'For every scene give: scene_index (the number before the colon), image_prompt (a detailed text-to-image prompt, no text or captions in the image),',
    'style_notes, negative_prompt, setting, shot_type, mood, color_palette (3–5 hex colours like "#1b1f3a"), motion_prompt (camera/subject motion for a short clip).',
    `Reply as {"prompts":[{"scene_index":${indices[0] ?? 0},"image_prompt":"…","style_notes":"…","negative_prompt":"…","setting":"…","shot_type":"…","mood":"…","color_palette":["#…"],"motion_prompt":"…"}, …]} with exactly ${indices.length} items.`,
  ].join('\n');
}

type Unusable = { ok: false; error: string; content: string };
type Answer = { ok: true; value: unknown; content: string } | Unusable;

interface Chat {
  model: string;
  service: ServiceInfo;
  costUsd: number;
  ask(messages: ChatCompletionMessageParam[], schemaName: string, schema: object, ctx: CallContext): Promise<Answer>;
}

function bodyError(completion: unknown): { code: number | null; message: string } | null {
  const err = (completion as { error?: unknown } | null)?.error;
  if (!err) return null;
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'number' ? e.code : typeof e.code === 'string' && /^\d+$/.test(e.code) ? Number(e.code) : null;
  return { code, message: typeof e.message === 'string' ? e.message : JSON.stringify(err) };
}

class TransientBodyError extends Error {}

function makeChat(opts: LlmDirectorOptions): Chat {
  const openrouter = opts.provider === 'openrouter';
  const service = openrouter ? OPENROUTER_SERVICE : OPENAI_SERVICE;
  const model = opts.model ?? (openrouter ? DEFAULT_OPENROUTER_MODEL : DEFAULT_OPENAI_CHAT_MODEL);
  const prices = opts.prices ?? buildPriceTable();
  const policy = resolveRetryPolicy({ ...opts.retry, ...(opts.maxRetries !== undefined ? { maxAttempts: opts.maxRetries + 1 } : {}) });
  let client: Promise<OpenAI> | null = null;

  const chat: Chat = {
    model,
    service,
    costUsd: 0,
    async ask(messages, schemaName, schema, ctx) {
      client ??= createOpenAiClient(opts, service, openrouter ? DEFAULT_OPENROUTER_BASE_URL : DEFAULT_OPENAI_BASE_URL);
      const c = await client;
      const request = {
        model,
        messages,
        temperature: opts.temperature ?? 0.7,
        response_format: { type: 'json_schema', json_schema: { name: schemaName, strict: true, schema } },
        ...(openrouter ? { usage: { include: true } } : {}),
      };
      const completion = await withRetry(
        async () => {
          let res: ChatCompletion;
          try {
            res = await c.chat.completions.create(request as never, { signal: ctx.signal });
          } catch (err) {
            throw toProviderError(err, service);
          }
          const failed = bodyError(res);
          if (failed) {
            chat.costUsd += llmCallCost(prices, model, (res as { usage?: never }).usage);
            if (failed.code !== null && !isRetryableStatus(failed.code)) throw httpStatusError(service, failed.code, failed.message);
            throw new TransientBodyError(`${service.name} answered with an error: ${failed.message}`);
          }
          return res;
        },
        (err) => ({ retryable: err instanceof TransientBodyError, reason: 'error in response body' }),
        policy,
        ctx.signal,
      ).catch((err: unknown) => {
        if (err instanceof TransientBodyError) {
          throw new OmveeError('provider', `${err.message} (after ${policy.maxAttempts} attempts)`, { hint: 'The model provider is failing; rerun later or choose another model.' });
        }
        throw err;
      });
      chat.costUsd += llmCallCost(prices, model, completion.usage as never);
      const choice = completion.choices?.[0];
      if (!choice) return { ok: false, error: 'the response had no choices', content: '' };
      const content = choice.message?.content ?? '';
      if (choice.message?.refusal) return { ok: false, error: `the model refused: ${choice.message.refusal}`, content };
      if (choice.finish_reason === 'length') return { ok: false, error: 'the answer was cut off (too long); be more concise', content };
      const parsed = extractJson(content);
      return parsed.ok ? { ok: true, value: parsed.value, content } : { ok: false, error: parsed.error, content };
    },
  };
  return chat;
}

function retryMessages(messages: ChatCompletionMessageParam[], content: string, errors: string): ChatCompletionMessageParam[] {
  return [
    ...messages,
    ...(content ? [{ role: 'assistant' as const, content }] : []),
    { role: 'user' as const, content: `Your answer could not be used: ${errors}\nReply again with the complete JSON object only, fixing these problems.` },
  ];
}

export function createLlmDirector(opts: LlmDirectorOptions): Director {
  const name = opts.provider;

  async function selectScenes(input: SceneSelectionInput, ctx: CallContext): Promise<SceneSelectionResult> {
    const chat = makeChat(opts);
    const bounds = { durationS: input.durationS, sceneMinS: input.sceneMinS, sceneMaxS: input.sceneMaxS };
    let messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: sceneSelectionPrompt(input) },
    ];
    let lastError = '';
    for (let attempt = 1; attempt <= 2; attempt++) {
      const answer = await chat.ask(messages, 'scenes', SCENES_JSON_SCHEMA, ctx);
      let error: string;
      if (answer.ok) {
        const parsed = ScenesAnswer.safeParse(answer.value);
        if (parsed.success) {
          const drafts: SceneDraft[] = parsed.data.scenes
            .map((s) => ({ ...s }))
            .sort((a, b) => a.start_time_s - b.start_time_s);
          let scenes = drafts;
          const problems = validateScenes(drafts, bounds);
          if (problems.length) {
            const repaired = repairScenes(drafts, bounds);
            scenes = repaired.scenes;
            ctx.log?.(`repaired the model's scenes: ${repaired.problems.slice(0, 5).join('; ')}${repaired.problems.length > 5 ? '; …' : ''}`);
          }
          const remaining = validateScenes(scenes, bounds);
          if (remaining.length === 0) return { scenes, model: chat.model, costUsd: roundUsd(chat.costUsd) };
          error = `the scenes do not cover the song within the bounds: ${remaining.slice(0, 5).join('; ')}`;
        } else {
          error = `the JSON does not match the requested shape: ${zodProblems(parsed.error)}`;
        }
      } else {
        error = answer.error;
      }
      lastError = error;
      if (attempt === 1) ctx.log?.(`${chat.service.name} answer unusable (${error}); asking once more`);
      messages = retryMessages(messages, answer.content, error);
    }
    throw new OmveeError('provider', `${chat.service.name} model ${chat.model} gave no usable scenes after 2 answers: ${lastError}`, {
      hint: 'Rerun, pick another model (director model in config), or use the local director.',
      details: { costUsd: roundUsd(chat.costUsd) },
    });
  }

  async function writePrompts(input: PromptWritingInput, ctx: CallContext): Promise<PromptWritingResult> {
    const chat = makeChat(opts);
    const got = new Map<number, PromptDraft>();
    if (input.scenes.length === 0) return { prompts: [], model: chat.model, costUsd: 0 };
    let messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: promptWritingPrompt(input, input.scenes.map((_, i) => i)) },
    ];
    let lastError = '';
    for (let attempt = 1; attempt <= 2; attempt++) {
      const answer = await chat.ask(messages, 'prompts', PROMPTS_JSON_SCHEMA, ctx);
      const problems: string[] = [];
      if (answer.ok) {
        const parsed = PromptsAnswer.safeParse(answer.value);
        if (parsed.success) {
          parsed.data.prompts.forEach((item, k) => {
            const p = PromptAnswerItem.safeParse(item);
            if (!p.success) return void problems.push(`item ${k}: ${zodProblems(p.error, 2)}`);
            const { scene_index, ...draft } = p.data;
            if (scene_index < 0 || scene_index >= input.scenes.length) return void problems.push(`item ${k}: scene_index ${scene_index} does not exist`);
            if (!got.has(scene_index)) got.set(scene_index, draft);
          });
        } else problems.push(`the JSON does not match the requested shape: ${zodProblems(parsed.error)}`);
      } else problems.push(answer.error);
      const missing = input.scenes.map((_, i) => i).filter((i) => !got.has(i));
      if (missing.length === 0) {
        return { prompts: input.scenes.map((_, i) => got.get(i)!), model: chat.model, costUsd: roundUsd(chat.costUsd) };
      }
      problems.push(`no valid prompts for scene_index ${missing.join(', ')}`);
      lastError = problems.join('; ');
      if (attempt === 1) {
        ctx.log?.(`${chat.service.name} prompts incomplete (${lastError}); asking once more for ${missing.length} scene(s)`);
        messages = [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: `${promptWritingPrompt(input, missing)}\nThe previous answer was not usable for these scenes: ${lastError}` },
        ];
      }
    }
    throw new OmveeError('provider', `${chat.service.name} model ${chat.model} did not write usable prompts for every scene: ${lastError}`, {
      hint: 'Rerun, pick another model, or use the local director for prompts.',
      details: { costUsd: roundUsd(chat.costUsd) },
    });
  }

  return { name, selectScenes, writePrompts };
}
