/** OpenRouter: the LLM director (DeepSeek by default), through the OpenAI-compatible API. */
import type { ProviderEntry } from '../registry.ts';
import { DEFAULT_OPENROUTER_MODEL } from '../llm/models.ts';

export const openRouterProvider: ProviderEntry = {
  name: 'openrouter',
  keySetting: 'OPENROUTER_API_KEY',
  baseUrlSetting: 'OPENROUTER_BASE_URL',
  offers: {
    director: {
      title: 'the OpenRouter director',
      modelSetting: 'OMVEE_LLM_MODEL',
      defaultModel: DEFAULT_OPENROUTER_MODEL,
      async create({ settings: v, media, prices, model }) {
        const { createLlmDirector } = await import('../llm/llm-director.ts');
        return createLlmDirector({
          provider: 'openrouter',
          apiKey: v.OPENROUTER_API_KEY!,
          prices,
          model,
          vision: v.OMVEE_LLM_VISION,
          ffmpeg: async () => (await media.versions()).ffmpegPath,
          ...(v.OPENROUTER_BASE_URL ? { baseURL: v.OPENROUTER_BASE_URL } : {}),
        });
      },
    },
  },
  async checkKey(opts) {
    return (await import('../doctor-checks.ts')).checkOpenRouterKey(opts);
  },
};
