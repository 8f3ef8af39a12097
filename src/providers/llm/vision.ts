/**
 * Which director models are shown the still when they write a clip's motion.
 *
 * Conservative on purpose: only model families whose makers document image input are on the
 * list (OpenAI's vision guide, https://platform.openai.com/docs/guides/images-vision; on
 * OpenRouter, models whose input modalities include "image",
 * https://openrouter.ai/docs/features/multimodal/images). Anything else — DeepSeek, the default,
 * is text-only — writes the motion from the image prompt. OMVEE_LLM_VISION=on/off overrides
 * the list for models it does not know (a wrong "on" is caught: OpenRouter answers 404 "No
 * endpoints found that support image input", and the motion is then written from the prompt).
 */
export const VISION_SETTINGS = ['auto', 'on', 'off'] as const;
export type VisionSetting = (typeof VISION_SETTINGS)[number];

const VISION_MODELS: readonly RegExp[] = [
  // OpenAI (bare ids on OpenAI, openai/… on OpenRouter): GPT-4o, GPT-4.1, GPT-5 families
  /^(openai\/)?gpt-4o(-mini)?(-\d{4}-\d{2}-\d{2})?$/,
  /^(openai\/)?chatgpt-4o-latest$/,
  /^(openai\/)?gpt-4\.1(-mini|-nano)?(-\d{4}-\d{2}-\d{2})?$/,
  /^(openai\/)?gpt-5(\.\d+)?(-mini|-nano|-chat)?(-latest)?(-\d{4}-\d{2}-\d{2})?$/,
  // OpenRouter slugs of families documented as image-capable
  /^anthropic\/claude-(3|3\.5|3\.7|sonnet-4|opus-4|haiku-4)/,
  /^google\/gemini-(1\.5|2\.0|2\.5|3)/,
  /^meta-llama\/llama-3\.2-(11b|90b)-vision/,
  /^meta-llama\/llama-4-(scout|maverick)/,
  /^qwen\/qwen[\d.]*-vl-/,
  /^mistralai\/pixtral-/,
];

export function acceptsImages(model: string, setting: VisionSetting = 'auto'): boolean {
  if (setting === 'on') return true;
  if (setting === 'off') return false;
  const id = model.trim().toLowerCase().replace(/:(free|beta|extended|nitro|floor)$/, '');
  return VISION_MODELS.some((re) => re.test(id));
}
