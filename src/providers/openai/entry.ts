/** OpenAI: Whisper for transcripts, and a chat model as the director (OMVEE_DIRECTOR=openai, or auto without OpenRouter). */
import type { ProviderEntry } from '../registry.ts';
import { DEFAULT_OPENAI_CHAT_MODEL } from '../llm/models.ts';
import { DEFAULT_WHISPER_MODEL } from './models.ts';

export const openAiProvider: ProviderEntry = {
  name: 'openai',
  keySetting: 'OPENAI_API_KEY',
  baseUrlSetting: 'OPENAI_BASE_URL',
  offers: {
    transcriber: {
      title: 'OpenAI Whisper',
      modelSetting: 'OMVEE_WHISPER_MODEL',
      defaultModel: DEFAULT_WHISPER_MODEL,
      async create({ settings: v, media, prices, model }) {
        const ffmpeg = (await media.versions()).ffmpegPath;
        const { createWhisperTranscriber } = await import('./whisper-transcriber.ts');
        return createWhisperTranscriber({
          apiKey: v.OPENAI_API_KEY!,
          ffmpeg,
          prices,
          model,
          timestampModel: v.OMVEE_WHISPER_TIMESTAMP_MODEL,
          ...(v.OPENAI_BASE_URL ? { baseURL: v.OPENAI_BASE_URL } : {}),
        });
      },
    },
    director: {
      title: 'the OpenAI director',
      modelSetting: 'OMVEE_LLM_MODEL',
      defaultModel: DEFAULT_OPENAI_CHAT_MODEL,
      async create({ settings: v, media, prices, model }) {
        const { createLlmDirector } = await import('../llm/llm-director.ts');
        return createLlmDirector({
          provider: 'openai',
          apiKey: v.OPENAI_API_KEY!,
          prices,
          model,
          vision: v.OMVEE_LLM_VISION,
          ffmpeg: async () => (await media.versions()).ffmpegPath,
          ...(v.OPENAI_BASE_URL ? { baseURL: v.OPENAI_BASE_URL } : {}),
        });
      },
    },
  },
  async checkKey(opts) {
    return (await import('../doctor-checks.ts')).checkOpenAiKey(opts);
  },
};
