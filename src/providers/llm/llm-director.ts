/**
 * The LLM director: scenes, visual prompts and clip motion through an OpenAI-compatible chat
 * API (OpenRouter or OpenAI) with the real `openai` SDK.
 *
 * Reliability, in order:
 * 1. HTTP (chat.ts): retrying fetch (429/5xx/timeouts); a 200 whose body carries `error` is
 *    retried the same way when transient; every call has an explicit output budget.
 * 2. Shape: structured output (json_schema, strict) is requested; the answer is still read
 *    tolerantly (answers.ts: fences, prose, other key spellings, palettes as strings, energy
 *    on other scales), because many models do not honour the schema.
 * 3. Scenes: validateScenes → repairScenes (deterministic: gaps, overlaps, out-of-range times,
 *    bounds) → validated again. An unusable answer is asked for once more with the errors
 *    quoted; a cut-off answer once more with twice the budget; then a clear OmveeError.
 * 4. Prompts: in chunks of a few scenes (prompt-writing.ts); a cut-off answer is split.
 * 5. Motion: per clip, after its still exists (motion-writing.ts); vision models see the still.
 * Nothing broken is ever returned.
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { OmveeError } from '../../core/errors.ts';
import { repairScenes, validateScenes } from '../../core/timeline/index.ts';
import type { Transcript } from '../../core/model.ts';
import { targetSceneCount } from '../../core/timeline/bounds.ts';
import { roundUsd } from '../../core/cost/prices.ts';
import type { CallContext, Director, PromptWritingInput, PromptWritingResult, SceneSelectionInput, SceneSelectionResult } from '../ports.ts';
import { readScenesAnswer } from './answers.ts';
import { musicLines } from './music-brief.ts';
import { createChat, type ChatOptions } from './chat.ts';
import { createMotionWriter } from './motion-writing.ts';
import { writePromptsInChunks, type PromptWritingOptions } from './prompt-writing.ts';
import { SCENES_JSON_SCHEMA } from './schemas.ts';
import { stillAsJpegDataUrl } from './still-jpeg.ts';
import { acceptsImages, type VisionSetting } from './vision.ts';

export { promptWritingPrompt } from './prompt-writing.ts';

export interface LlmDirectorOptions extends ChatOptions {
  /** chunking of prompt writing (tests) */
  prompts?: PromptWritingOptions | undefined;
  /** OMVEE_LLM_VISION: auto (the model list in vision.ts), on, off */
  vision?: VisionSetting | undefined;
  /** the ffmpeg executable, asked for only when a still is shown to a vision model */
  ffmpeg?: (() => Promise<string>) | undefined;
}

const SYSTEM = 'You are the director of a music video. You plan scenes that follow the song and write precise visual prompts. Reply with one JSON object only, exactly in the requested shape, no commentary.';

/** output tokens per scene of a scenes answer (≈ 100 on real answers) and the frame; room for 1.5× the target count */
export function sceneBudget(targetScenes: number): number {
  return 400 + 110 * Math.ceil(targetScenes * 1.5);
}

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
    '- energy is a number from 0 to 1 (0 = calm, 1 = intense), NOT 1–10; artist_role is "primary" when the performer is the subject, "background" when present, else "none".',
    '',
    ...musicLines(input.analysis),
    '',
    'Timed lyrics (seconds):',
    lyricsBlock(input.transcript),
    '',
    'Reply as {"scenes":[{"start_time_s":0,"end_time_s":8.5,"title":"…","theme":"…","lyric_excerpt":"…","energy":0.4,"artist_role":"none"}, …]}',
  ].join('\n');
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
  const model = createChat(opts).model;
  const vision = acceptsImages(model, opts.vision ?? 'auto') && opts.ffmpeg !== undefined;
  const writeMotion = createMotionWriter(() => createChat(opts), {
    imageUrl: vision ? async (path, signal) => (await stillAsJpegDataUrl(await opts.ffmpeg!(), path, signal)).url : null,
  });

  async function selectScenes(input: SceneSelectionInput, ctx: CallContext): Promise<SceneSelectionResult> {
    const chat = createChat(opts);
    const bounds = { durationS: input.durationS, sceneMinS: input.sceneMinS, sceneMaxS: input.sceneMaxS };
    const base: ChatCompletionMessageParam[] = [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: sceneSelectionPrompt(input) },
    ];
    let messages = base;
    let maxTokens = sceneBudget(targetSceneCount(input.durationS, input.sceneMinS, input.sceneMaxS));
    let lastError = '';
    for (let attempt = 1; attempt <= 2; attempt++) {
      const answer = await chat.ask({ messages, schema: { name: 'scenes', schema: SCENES_JSON_SCHEMA }, maxTokens }, ctx);
      if (answer.finishReason === 'length') {
        // never the same request again: twice the budget, and a plea for brevity
        lastError = `the answer was cut off at ${maxTokens} tokens`;
        if (attempt === 1) ctx.log?.(`${chat.service.name} scenes answer was cut off at ${maxTokens} tokens; asking once more with ${maxTokens * 2}`);
        messages = [...base, { role: 'user', content: 'Your previous answer was cut off. Keep titles and themes short (a few words each) and lyric_excerpt to the lines only.' }];
        maxTokens *= 2;
        continue;
      }
      let error: string;
      const reading = answer.unusable ? null : answer.json.ok ? readScenesAnswer(answer.json.value) : null;
      if (reading?.ok) {
        const { scenes: drafts, dropped, notes } = reading.reading;
        if (notes.length || dropped.length) ctx.log?.(`${chat.service.name} scenes read with repairs: ${[...notes, ...dropped.map((d) => `dropped ${d}`)].slice(0, 4).join('; ')}`);
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
        error = answer.unusable ?? (answer.json.ok ? (reading && !reading.ok ? reading.error : 'unusable') : answer.json.error);
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
    return writePromptsInChunks(createChat(opts), input, ctx, opts.prompts);
  }

  return { name, selectScenes, writePrompts, writeMotion };
}
