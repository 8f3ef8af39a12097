/**
 * Visual prompts for many scenes, asked in chunks of a few scenes per call.
 *
 * One call for a whole song (the original backend's way) meant a long answer that was cut off
 * at the model's output limit and asked again at the same size — paid twice, cut twice. Here:
 * - CHUNK_SIZE scenes per call, each with an explicit output budget sized to its chunk;
 * - the first chunk runs alone and sets the look (style notes, palette) that later chunks are
 *   told to keep; the rest run a few at a time;
 * - an answer cut at the budget (`finish_reason: "length"`) keeps its complete items and the
 *   remaining scenes are SPLIT into smaller chunks; a single scene that is cut gets one bigger
 *   budget. The same request is never sent twice;
 * - scenes the model skipped or answered without an image prompt are asked for once more,
 *   with the reasons quoted; still missing → a clear error naming them (the caller may choose
 *   the local director; nothing is filled in silently).
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { OmveeError } from '../../core/errors.ts';
import { roundUsd } from '../../core/cost/prices.ts';
import type { CallContext, PromptDraft, PromptWritingInput, PromptWritingResult } from '../ports.ts';
import { readPromptsAnswer } from './answers.ts';
import type { Chat } from './chat.ts';
import { completeItems } from './json-answer.ts';
import { motifLines, sceneSections } from './music-brief.ts';
import { PROMPTS_JSON_SCHEMA } from './schemas.ts';

export const CHUNK_SIZE = 4;
/** output tokens for one scene's prompt set (≈ 360 measured on real answers) and the answer's frame */
export const TOKENS_PER_SCENE = 420;
export const TOKENS_PER_ANSWER = 250;
/** a single scene cut off is asked again with a budget this many times bigger, once */
const SINGLE_SCENE_GROWTH = 2;

export function promptBudget(scenes: number): number {
  return TOKENS_PER_ANSWER + TOKENS_PER_SCENE * scenes;
}

export const PROMPT_SYSTEM =
  'You are the director of a music video. You write precise visual prompts for text-to-image and image-to-video models. Reply with one JSON object only, exactly in the requested shape, no commentary.';

function fmt(t: number): string {
  return t.toFixed(2);
}

export interface Look {
  styleNotes: string | null;
  palette: string[];
}

export function promptWritingPrompt(input: PromptWritingInput, indices: readonly number[], extra: { look?: Look | null; problems?: string | null } = {}): string {
  const sections = sceneSections(input.scenes, input.analysis);
  const lines = indices.map((i) => {
    const s = input.scenes[i]!;
    const section = sections?.[i];
    return `${i}: ${fmt(s.start_time_s)}–${fmt(s.end_time_s)} s | title: ${s.title ?? ''} | theme: ${s.theme ?? ''} | lyrics: ${s.lyric_excerpt ?? ''} | energy: ${s.energy ?? ''} (0..1)${section ? ` | section: ${section.label}${section.chorus ? ' (chorus)' : ''}` : ''} | artist: ${s.artist_role}`;
  });
  const look = extra.look;
  return [
    `Song: "${input.projectName}". Visual style for the whole video: ${input.style?.trim() || 'free, cinematic'}. The video has ${input.scenes.length} scenes.`,
    ...(look && (look.styleNotes || look.palette.length)
      ? [`Keep the look the first scenes set: ${[look.styleNotes ? `style notes "${look.styleNotes}"` : null, look.palette.length ? `palette ${look.palette.join(' ')}` : null].filter(Boolean).join('; ')}; the same characters and world.`]
      : ['Keep characters, palette and look consistent across scenes.']),
    ...motifLines(input.analysis),
    `Write the visual prompts for these ${indices.length} scene(s):`,
    ...lines,
    '',
    'For every scene give: scene_index (the number before the colon), image_prompt (a detailed text-to-image prompt, at most 90 words, no text or captions in the image),',
    'style_notes, negative_prompt, setting, shot_type, mood, color_palette (an array of 3–5 hex colours like ["#1b1f3a", "#c04a8c", "#f2d7a1"]), motion_prompt (one sentence: what moves and how the camera moves).',
    `Reply as {"prompts":[{"scene_index":${indices[0] ?? 0},"image_prompt":"…","style_notes":"…","negative_prompt":"…","setting":"…","shot_type":"…","mood":"…","color_palette":["#…"],"motion_prompt":"…"}, …]} with exactly ${indices.length} item(s).`,
    ...(extra.problems ? [`The previous answer was not usable for these scenes: ${extra.problems}`] : []),
  ].join('\n');
}

interface Task {
  indices: number[];
  maxTokens: number;
  /** 0 = first ask; 1 = asked again for what the model skipped */
  round: number;
  problems?: string | undefined;
  /** a single scene already asked with a grown budget */
  grown?: boolean;
}

/** Run tasks with at most `limit` at once; a task may add more. The first error stops it all. */
async function drain<T>(initial: readonly T[], limit: number, work: (task: T, push: (task: T) => void) => Promise<void>): Promise<void> {
  const queue = [...initial];
  let active = 0;
  let stopped = false;
  await new Promise<void>((resolve, reject) => {
    const next = (): void => {
      if (stopped) return;
      if (queue.length === 0 && active === 0) return resolve();
      while (active < limit && queue.length > 0) {
        const task = queue.shift()!;
        active += 1;
        work(task, (t) => queue.push(t)).then(
          () => {
            active -= 1;
            next();
          },
          (err: unknown) => {
            stopped = true;
            reject(err);
          },
        );
      }
    };
    next();
  });
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function lookOf(drafts: Iterable<PromptDraft>): Look | null {
  const list = [...drafts];
  if (list.length === 0) return null;
  const palette = [...new Set(list.flatMap((d) => d.color_palette ?? []))].slice(0, 5);
  return { styleNotes: list.find((d) => d.style_notes)?.style_notes ?? null, palette };
}

export interface PromptWritingOptions {
  chunkSize?: number;
  /** chunks asked at once after the first (default 3) */
  concurrency?: number;
}

export async function writePromptsInChunks(chat: Chat, input: PromptWritingInput, ctx: CallContext, options: PromptWritingOptions = {}): Promise<PromptWritingResult> {
  const got = new Map<number, PromptDraft>();
  const failed = new Map<number, string>();
  if (input.scenes.length === 0) return { prompts: [], model: chat.model, costUsd: 0 };
  const size = Math.max(1, options.chunkSize ?? CHUNK_SIZE);
  const chunks = chunk(input.scenes.map((_, i) => i), size).map((indices): Task => ({ indices, maxTokens: promptBudget(indices.length), round: 0 }));
  let look: Look | null = null;

  async function work(task: Task, push: (t: Task) => void): Promise<void> {
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: PROMPT_SYSTEM },
      { role: 'user', content: promptWritingPrompt(input, task.indices, { look, problems: task.problems ?? null }) },
    ];
    const answer = await chat.ask({ messages, schema: { name: 'prompts', schema: PROMPTS_JSON_SCHEMA }, maxTokens: task.maxTokens }, ctx);
    const cut = answer.finishReason === 'length';
    const value = cut ? completeItems(answer.content, 'prompts') : answer.json.ok ? answer.json.value : null;
    const reading = value === null ? null : readPromptsAnswer(value, task.indices);
    for (const [i, d] of reading?.drafts ?? []) if (!got.has(i)) got.set(i, d);
    if (reading?.notes.length) ctx.log?.(`${chat.service.name} answer read with repairs: ${reading.notes.slice(0, 3).join('; ')}${reading.notes.length > 3 ? `; and ${reading.notes.length - 3} more` : ''}`);
    const rest = task.indices.filter((i) => !got.has(i));
    if (rest.length === 0) return;
    if (cut) {
      if (rest.length > 1) {
        const half = Math.ceil(rest.length / 2);
        const parts = [rest.slice(0, half), rest.slice(half)];
        ctx.log?.(`${chat.service.name} answer for ${task.indices.length} scene(s) was cut off at ${task.maxTokens} tokens: asking for the other ${rest.length} in chunks of ${parts.map((p) => p.length).join(' and ')}`);
        for (const p of parts) push({ indices: p, maxTokens: promptBudget(p.length), round: task.round, problems: task.problems });
      } else if (!task.grown) {
        const maxTokens = Math.max(task.maxTokens, promptBudget(1)) * SINGLE_SCENE_GROWTH;
        ctx.log?.(`${chat.service.name} answer for scene_index ${rest[0]} was cut off at ${task.maxTokens} tokens: asking once with ${maxTokens}`);
        push({ indices: rest, maxTokens, round: task.round, problems: 'the previous answer was cut off; keep each field short', grown: true });
      } else {
        failed.set(rest[0]!, `the answer was cut off even at ${task.maxTokens} tokens`);
      }
      return;
    }
    const why = answer.unusable ?? (answer.json.ok ? null : answer.json.error);
    const problems = [why, ...(reading?.problems ?? [])].filter((p): p is string => Boolean(p)).join('; ') || 'no usable prompts';
    if (task.round === 0) {
      ctx.log?.(`${chat.service.name} prompts incomplete (${problems}); asking once more for ${rest.length} scene(s)`);
      push({ indices: rest, maxTokens: promptBudget(rest.length), round: 1, problems });
    } else {
      for (const i of rest) failed.set(i, problems);
    }
  }

  await drain(chunks.slice(0, 1), 1, work);
  look = lookOf(got.values());
  await drain(chunks.slice(1), Math.max(1, options.concurrency ?? 3), work);
  const missing = input.scenes.map((_, i) => i).filter((i) => !got.has(i));
  if (missing.length > 0) {
    const reasons = [...new Set(missing.map((i) => failed.get(i) ?? 'no answer'))].slice(0, 3).join('; ');
    throw new OmveeError('provider', `${chat.service.name} model ${chat.model} did not write usable prompts for every scene: no valid prompts for scene_index ${missing.join(', ')} (${reasons})`, {
      hint: 'Rerun (the scenes that have prompts are asked again too), pick another model, or use the local director for prompts.',
      details: { costUsd: roundUsd(chat.costUsd) },
    });
  }
  return { prompts: input.scenes.map((_, i) => got.get(i)!), model: chat.model, costUsd: roundUsd(chat.costUsd) };
}
