/**
 * What the director asks an LLM for: JSON schemas sent as structured-output constraints
 * (strict: every property required, no extras). Not every provider or model enforces them, so
 * answers are read tolerantly by answers.ts, never validated against these.
 */
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

/** The motion prompt for one clip, written once its still exists. */
export const MOTION_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['motion_prompt'],
  properties: {
    motion_prompt: { type: 'string', description: 'what moves, how the camera moves and how intensely, as one continuous shot' },
  },
} as const;
