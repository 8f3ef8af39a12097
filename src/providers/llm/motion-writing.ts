/**
 * The motion prompt of one clip, written by the LLM director once the clip's still exists.
 *
 * A vision model (vision.ts) is shown the still — a downscaled JPEG as an `image_url` data URL,
 * text first, then the image, as OpenRouter recommends
 * (https://openrouter.ai/docs/features/multimodal/images) — and describes motion that fits
 * what is really in the picture. A text-only model works from the image prompt the still was
 * made from. Both get the same guidance (../motion-guidance.ts): what moves, the one camera
 * move, how intense (the scene's energy), one continuous shot, positive phrasing only.
 */
import type { ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { OmveeError } from '../../core/errors.ts';
import { roundUsd } from '../../core/cost/prices.ts';
import { intensityFor, tidyMotionPrompt } from '../motion-guidance.ts';
import type { CallContext, MotionWritingInput, MotionWritingResult } from '../ports.ts';
import type { Chat } from './chat.ts';
import { MOTION_JSON_SCHEMA } from './schemas.ts';

export const MOTION_SYSTEM =
  'You direct the camera and the motion of music-video shots made by an image-to-video model from a single still. Reply with one JSON object only, exactly in the requested shape.';

/** ≈ 60 words of motion plus the JSON frame; a cut answer is asked once with twice this */
export const MOTION_BUDGET = 300;

export function motionWritingPrompt(input: MotionWritingInput, seesImage: boolean): string {
  const s = input.scene;
  const p = input.prompt;
  const intensity = intensityFor(s.energy);
  const energy = typeof s.energy === 'number' ? s.energy.toFixed(2) : 'unknown';
  const about = [
    p?.setting ? `setting: ${p.setting}` : null,
    p?.shot_type ? `shot: ${p.shot_type}` : null,
    p?.mood ? `mood: ${p.mood}` : null,
    p?.style_notes ? `style: ${p.style_notes}` : null,
  ].filter(Boolean);
  const rejected = input.rejected;
  return [
    `Music video "${input.projectName}" (style: ${input.style?.trim() || 'free, cinematic'}). Scene ${s.order_idx + 1}: "${s.title ?? ''}" — ${s.theme ?? ''}. Lyrics sung: ${s.lyric_excerpt?.trim() || '(instrumental)'}.`,
    seesImage
      ? `The attached image is the still the clip starts from (its first frame). It was made from this prompt: ${p?.image_prompt ?? '(unknown)'}`
      : `The still the clip starts from was made from this prompt: ${p?.image_prompt ?? '(unknown)'}`,
    ...(about.length ? [`About the shot: ${about.join('; ')}.`] : []),
    '',
    `Write the motion prompt for an image-to-video model that animates this still into ONE continuous shot of ${input.durationS.toFixed(1)} seconds.`,
    `1. What moves in the picture and how (${seesImage ? 'the subjects and elements you see' : 'the subjects and elements of the prompt'}: people, hair, fabric, light, smoke, water, leaves, crowd, traffic…).`,
    '2. The one camera move: push in, pull back, pan, tilt, orbit, crane, tracking, handheld drift, or locked-off.',
    `3. How intense: energy ${energy} of 1 → ${intensity.label} — ${intensity.camera} camera, ${intensity.subject} in the picture.`,
    'Keep the same subjects, place and light as the still: one shot, from this first frame to the end.',
    'Describe only what happens, in positive phrasing: do not write what must not happen.',
    'One or two sentences, at most 60 words.',
    ...(rejected
      ? [`The reviewer rejected the previous clip of this scene${rejected.note ? `: "${rejected.note}"` : ''}.${rejected.motionPrompt ? ` Its motion was: "${rejected.motionPrompt}".` : ''} Write a motion that answers this.`]
      : []),
    '',
    'Reply as {"motion_prompt":"…"}.',
  ].join('\n');
}

function motionFrom(content: string, json: { ok: boolean; value?: unknown }): string | null {
  if (json.ok) {
    const v = json.value as { motion_prompt?: unknown; motion?: unknown } | null;
    const text = typeof v?.motion_prompt === 'string' ? v.motion_prompt : typeof v?.motion === 'string' ? v.motion : null;
    if (text && text.trim()) return tidyMotionPrompt(text);
  }
  // a plain sentence instead of JSON is still a motion prompt
  const plain = content.replace(/```[a-z]*\n?|```/gi, '').trim();
  if (plain && !/[{}]/.test(plain) && plain.length <= 1200) return tidyMotionPrompt(plain);
  return null;
}

function refusesImages(err: unknown): boolean {
  if (!(err instanceof OmveeError)) return false;
  const status = err.details?.['status'];
  // OpenRouter: 404 "No endpoints found that support image input"; OpenAI-compatible servers: 400 naming the image
  return (status === 404 || status === 400) && /image/i.test(err.message);
}

export interface MotionWriterOptions {
  /** the still → a data URL (null: this director cannot show images) */
  imageUrl: ((imagePath: string, signal?: AbortSignal) => Promise<string>) | null;
}

/** The director's motion writer; it stops offering images after the provider refused one. */
export function createMotionWriter(chat: () => Chat, options: MotionWriterOptions): (input: MotionWritingInput, ctx: CallContext) => Promise<MotionWritingResult> {
  let vision = options.imageUrl !== null;
  return async (input, ctx) => {
    const c = chat();
    const ask = async (seesImage: boolean, maxTokens: number, retryNote: string | null): Promise<{ text: string | null; cut: boolean }> => {
      const prompt = motionWritingPrompt(input, seesImage) + (retryNote ? `\n${retryNote}` : '');
      let content: string | ChatCompletionContentPart[] = prompt;
      if (seesImage) content = [{ type: 'text', text: prompt }, { type: 'image_url', image_url: { url: await options.imageUrl!(input.imagePath, ctx.signal), detail: 'low' } }];
      const messages: ChatCompletionMessageParam[] = [
        { role: 'system', content: MOTION_SYSTEM },
        { role: 'user', content },
      ];
      const answer = await c.ask({ messages, schema: { name: 'motion', schema: MOTION_JSON_SCHEMA }, maxTokens }, ctx);
      if (answer.finishReason === 'length') return { text: null, cut: true };
      return { text: answer.unusable ? null : motionFrom(answer.content, answer.json), cut: false };
    };
    let seesImage = vision;
    let first: { text: string | null; cut: boolean };
    try {
      first = await ask(seesImage, MOTION_BUDGET, null);
    } catch (err) {
      if (!seesImage || !refusesImages(err)) throw err;
      vision = false;
      seesImage = false;
      ctx.log?.(`${c.service.name} model ${c.model} does not take images; motion prompts are written from the image prompts (set OMVEE_LLM_VISION=off to skip this try)`);
      first = await ask(false, MOTION_BUDGET, null);
    }
    let text = first.text;
    if (text === null) {
      // once more: a bigger budget when it was cut, else the same budget with the reason
      const again = await ask(seesImage, first.cut ? MOTION_BUDGET * 2 : MOTION_BUDGET, first.cut ? 'Your previous answer was cut off: answer shorter.' : 'Your previous answer had no motion_prompt: reply exactly as {"motion_prompt":"…"}.');
      text = again.text;
    }
    if (!text) {
      throw new OmveeError('provider', `${c.service.name} model ${c.model} wrote no usable motion prompt for scene ${input.scene.order_idx + 1}`, {
        hint: 'Rerun, or pick another director model.',
        details: { costUsd: roundUsd(c.costUsd) },
      });
    }
    return { motion_prompt: text, model: c.model, costUsd: roundUsd(c.costUsd), sawImage: seesImage };
  };
}
