/**
 * Limits a model's maker documents that its Replicate schema does not state. They only ever
 * TIGHTEN what the schema allows (a lower maxLength, a higher minimum); a schema that states a
 * limit itself wins where it is stricter. Each entry names the page it comes from.
 */
export interface MakerLimit {
  /** input field → extra bounds */
  fields: Readonly<Record<string, { maxLength?: number; minimum?: number; maximum?: number }>>;
  /** the frame rate the model makes when its schema has no frame-rate input to say so */
  outputFps?: number;
  source: string;
}

export const MAKER_LIMITS: Readonly<Record<string, MakerLimit>> = {
  'minimax/image-01': {
    fields: { prompt: { maxLength: 1500 } },
    source: 'MiniMax image generation API: prompt "max 1500 chars" (platform.minimaxi.com/docs/api-reference/image-generation-t2i)',
  },
  'kwaivgi/kling-v2.1-master': {
    fields: { prompt: { maxLength: 2500 }, negative_prompt: { maxLength: 2500 } },
    outputFps: 24,
    source: 'Kling image-to-video API: "Cannot exceed 2500 characters" for prompt and negative prompt (mulerun.com/docs/api-reference/endpoint/kling/image-to-video); 24 fps: "Standard is 720p, Pro is 1080p. Both are 24fps" (api.core.today/v1/models/kwaivgi/kling-v2.1/llms.txt)',
  },
  'wan-video/wan-2.5-i2v': {
    fields: { prompt: { maxLength: 2000 }, negative_prompt: { maxLength: 500 } },
    source: 'Wan 2.5 image-to-video API: prompt up to 2000 characters, negative prompt up to 500 (novita.ai/docs/api-reference/model-apis-wan2.5-i2v)',
  },
  'bytedance/seedance-2.0': {
    fields: { duration: { minimum: 4 } },
    source: 'Seedance 2.0: "duration must be between 4 and 15 seconds" (docs.loova.ai/api-reference/create-seedance-2-video-task); the schema also allows -1 (model picks)',
  },
};
