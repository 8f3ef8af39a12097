/**
 * What the director asks an LLM for: JSON schemas sent as structured-output constraints
 * (strict: every property required, no extras) and the zod schemas the answer is validated
 * with. Validation is a little more forgiving than the JSON schema (numbers as strings, an
 * unknown artist_role → 'none') because not every provider enforces the schema.
 */
import { z } from 'zod';
import { ARTIST_ROLES } from '../../core/model.ts';

export const SCENES_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['scenes'],
  properties: {
    scenes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['start_time_s', 'end_time_s', 'title', 'theme', 'lyric_excerpt', 'energy', 'artist_role'],
        properties: {
          start_time_s: { type: 'number', description: 'seconds from the start of the song' },
          end_time_s: { type: 'number', description: 'seconds; equals the next scene start' },
          title: { type: 'string' },
          theme: { type: 'string', description: 'the visual idea of the scene' },
          lyric_excerpt: { type: 'string', description: 'the lyric lines sung during the scene, or ""' },
          energy: { type: 'number', description: '0 (calm) to 1 (intense)' },
          artist_role: { type: 'string', enum: [...ARTIST_ROLES] },
        },
      },
    },
  },
} as const;

export const PROMPT_FIELDS = ['image_prompt', 'style_notes', 'negative_prompt', 'setting', 'shot_type', 'mood', 'color_palette', 'motion_prompt'] as const;

export const PROMPTS_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['prompts'],
  properties: {
    prompts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['scene_index', ...PROMPT_FIELDS],
        properties: {
          scene_index: { type: 'integer', description: 'the index given for the scene' },
          image_prompt: { type: 'string', description: 'a detailed text-to-image prompt for the still' },
          style_notes: { type: 'string' },
          negative_prompt: { type: 'string', description: 'what the image must not contain' },
          setting: { type: 'string' },
          shot_type: { type: 'string', description: 'e.g. wide, close-up, aerial' },
          mood: { type: 'string' },
          color_palette: { type: 'array', items: { type: 'string', description: 'hex colour like #1b1f3a' } },
          motion_prompt: { type: 'string', description: 'how the camera/subject moves in the clip' },
        },
      },
    },
  },
} as const;

const num = z.union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);
const text = z.string().nullish().transform((s) => (s ?? '').trim());

export const SceneAnswerItem = z.object({
  start_time_s: num,
  end_time_s: num,
  title: text,
  theme: text,
  lyric_excerpt: text,
  energy: num.catch(0.5).transform((e) => Math.min(1, Math.max(0, e))),
  artist_role: z.enum(ARTIST_ROLES).catch('none'),
});
/** `{ scenes: [...] }` or a bare array. */
export const ScenesAnswer = z.union([
  z.object({ scenes: z.array(SceneAnswerItem).min(1) }),
  z.array(SceneAnswerItem).min(1).transform((scenes) => ({ scenes })),
]);

const optionalText = z.string().nullish().transform((s) => (s && s.trim() ? s.trim() : null));
export const PromptAnswerItem = z.object({
  scene_index: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
  image_prompt: z.string().trim().min(1),
  style_notes: optionalText,
  negative_prompt: optionalText,
  setting: optionalText,
  shot_type: optionalText,
  mood: optionalText,
  color_palette: z
    .array(z.string())
    .nullish()
    .transform((a) => {
      const hex = (a ?? []).map((c) => c.trim()).filter((c) => /^#[0-9a-fA-F]{6}$/.test(c));
      return hex.length ? hex : null;
    }),
  motion_prompt: optionalText,
});
/** `{ prompts: [...] }` or a bare array; invalid items are reported, not fatal. */
export const PromptsAnswer = z.union([
  z.object({ prompts: z.array(z.unknown()) }),
  z.array(z.unknown()).transform((prompts) => ({ prompts })),
]);

export function zodProblems(error: z.ZodError, max = 6): string {
  return error.issues
    .slice(0, max)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
