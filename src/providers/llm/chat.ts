/**
 * One chat completion as the director needs it, through the real `openai` SDK, against OpenAI
 * or OpenRouter (OpenAI-compatible).
 *
 * - The output budget is always explicit: `max_tokens` on OpenRouter (its documented
 *   parameter), `max_completion_tokens` on OpenAI (where `max_tokens` is deprecated and refused
 *   by reasoning models; see the SDK's ChatCompletionCreateParams).
 * - `finish_reason` is returned to the caller: "length" means the answer was cut at the budget,
 *   and the caller decides (split the work, or a bigger budget) — never the same request again.
 * - Cost: OpenRouter returns what it charged in `usage.cost` on every response ("Usage
 *   Accounting", https://openrouter.ai/docs/use-cases/usage-accounting; the old
 *   `usage: { include: true }` opt-in is deprecated and no longer needed); that figure is used
 *   as is. Otherwise tokens × the price table.
 * - A 200 whose body carries `error` (OpenRouter does this when the upstream model fails) is
 *   retried like a 5xx when its code is retryable.
 */
import type { ChatCompletion, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { OmveeError } from '../../core/errors.ts';
import { llmCallCost, type PriceTable } from '../../core/cost/prices.ts';
import { buildPriceTable } from '../cost.ts';
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
import type { CallContext } from '../ports.ts';
import { extractJson, type JsonAnswer } from './json-answer.ts';
import { DEFAULT_OPENAI_CHAT_MODEL, DEFAULT_OPENROUTER_MODEL } from './models.ts';

export interface ChatOptions extends OpenAiConnection {
  provider: 'openrouter' | 'openai';
  model?: string | undefined;
  prices?: PriceTable | undefined;
  temperature?: number | undefined;
}

export interface ChatRequest {
  messages: ChatCompletionMessageParam[];
  /** structured output (json_schema, strict) */
  schema?: { name: string; schema: object } | undefined;
  /** the output budget, tokens */
  maxTokens: number;
}

export interface ChatAnswer {
  content: string;
  finishReason: string | null;
  /** the content read as JSON (fences and prose tolerated) */
  json: JsonAnswer;
  /** set when the answer is unusable as a whole: no choices, a refusal */
  unusable: string | null;
  /** what this call cost, USD */
  costUsd: number;
}

export interface Chat {
  readonly model: string;
  readonly service: ServiceInfo;
  /** total cost of every call so far, USD */
  costUsd: number;
  calls: number;
  ask(request: ChatRequest, ctx: CallContext): Promise<ChatAnswer>;
}

function bodyError(completion: unknown): { code: number | null; message: string } | null {
  const err = (completion as { error?: unknown } | null)?.error;
  if (!err) return null;
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'number' ? e.code : typeof e.code === 'string' && /^\d+$/.test(e.code) ? Number(e.code) : null;
  return { code, message: typeof e.message === 'string' ? e.message : JSON.stringify(err) };
}

class TransientBodyError extends Error {}

export function createChat(opts: ChatOptions): Chat {
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
    calls: 0,
    async ask({ messages, schema, maxTokens }, ctx) {
      client ??= createOpenAiClient(opts, service, openrouter ? DEFAULT_OPENROUTER_BASE_URL : DEFAULT_OPENAI_BASE_URL);
      const c = await client;
      const budget = Math.max(16, Math.ceil(maxTokens));
      const request = {
        model,
        messages,
        temperature: opts.temperature ?? 0.7,
        ...(openrouter ? { max_tokens: budget } : { max_completion_tokens: budget }),
        ...(schema ? { response_format: { type: 'json_schema', json_schema: { name: schema.name, strict: true, schema: schema.schema } } } : {}),
      };
      let spent = 0;
      const completion = await withRetry(
        async () => {
          let res: ChatCompletion;
          try {
            chat.calls += 1;
            res = await c.chat.completions.create(request as never, { signal: ctx.signal });
          } catch (err) {
            throw toProviderError(err, service);
          }
          const failed = bodyError(res);
          if (failed) {
            spent += llmCallCost(prices, model, (res as { usage?: never }).usage);
            if (failed.code !== null && !isRetryableStatus(failed.code)) throw httpStatusError(service, failed.code, failed.message);
            throw new TransientBodyError(`${service.name} answered with an error: ${failed.message}`);
          }
          return res;
        },
        (err) => ({ retryable: err instanceof TransientBodyError, reason: 'error in response body' }),
        policy,
        ctx.signal,
      )
        .catch((err: unknown) => {
          if (err instanceof TransientBodyError) {
            throw new OmveeError('provider', `${err.message} (after ${policy.maxAttempts} attempts)`, { hint: 'The model provider is failing; rerun later or choose another model.' });
          }
          throw err;
        })
        .finally(() => {
          chat.costUsd += spent;
        });
      const callCost = llmCallCost(prices, model, completion.usage as never);
      chat.costUsd += callCost;
      spent += callCost;
      const choice = completion.choices?.[0];
      if (!choice) return { content: '', finishReason: null, json: { ok: false, error: 'no content' }, unusable: 'the response had no choices', costUsd: spent };
      const content = choice.message?.content ?? '';
      const refusal = choice.message?.refusal ? `the model refused: ${choice.message.refusal}` : null;
      return { content, finishReason: choice.finish_reason ?? null, json: extractJson(content), unusable: refusal, costUsd: spent };
    },
  };
  return chat;
}
