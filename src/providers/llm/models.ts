/** The chat models the LLM director uses unless OMVEE_LLM_MODEL says otherwise. */
export const DEFAULT_OPENROUTER_MODEL = 'deepseek/deepseek-v3.1-terminus';
export const DEFAULT_OPENAI_CHAT_MODEL = 'gpt-4o-mini';
