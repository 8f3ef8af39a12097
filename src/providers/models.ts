/** The models each real provider uses unless configured otherwise (OMVEE_*_MODEL). */
export const DEFAULT_MODELS = {
  whisper: 'whisper-1',
  openrouter: 'deepseek/deepseek-v3.1-terminus',
  openaiChat: 'gpt-4o-mini',
  image: 'minimax/image-01',
  clip: 'bytedance/seedance-1-lite',
} as const;
