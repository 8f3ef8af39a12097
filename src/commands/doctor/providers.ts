/**
 * Provider rows of `omvee doctor`: which providers are configured and, unless --offline, one
 * cheap authenticated call per configured key (OpenAI GET /models, OpenRouter GET /key,
 * Replicate GET /account). Keys are never printed: details name the env var, and whatever a
 * provider says passes through redaction before it is shown.
 */
import { redactSecrets, type ResolvedConfig } from '../../config/resolve.ts';
import type { CheckResult } from '../../core/doctor.ts';
import type { KeyCheck, KeyCheckOptions } from '../../providers/doctor-checks.ts';

type KeyVar = 'OPENAI_API_KEY' | 'OPENROUTER_API_KEY' | 'REPLICATE_API_TOKEN';

interface ProviderKey {
  check: string;
  envVar: KeyVar;
  baseURL: string | undefined;
  uses: string;
  fallback: string;
  verify: () => Promise<(opts: KeyCheckOptions) => Promise<KeyCheck>>;
}

export async function providerChecks(config: ResolvedConfig, options: { offline: boolean }): Promise<CheckResult[]> {
  const v = config.values;
  const keys: ProviderKey[] = [
    { check: 'openai', envVar: 'OPENAI_API_KEY', baseURL: v.OPENAI_BASE_URL, uses: 'transcriber (Whisper)', fallback: 'the local transcript importer', verify: async () => (await import('../../providers/doctor-checks.ts')).checkOpenAiKey },
    { check: 'openrouter', envVar: 'OPENROUTER_API_KEY', baseURL: v.OPENROUTER_BASE_URL, uses: 'director (LLM)', fallback: v.OPENAI_API_KEY ? 'the OpenAI director' : 'the local director', verify: async () => (await import('../../providers/doctor-checks.ts')).checkOpenRouterKey },
    { check: 'replicate', envVar: 'REPLICATE_API_TOKEN', baseURL: v.REPLICATE_BASE_URL, uses: 'images and clips', fallback: 'the local renderer', verify: async () => (await import('../../providers/doctor-checks.ts')).checkReplicateToken },
  ];
  return Promise.all(keys.map((k) => checkKey(config, k, options.offline)));
}

async function checkKey(config: ResolvedConfig, key: ProviderKey, offline: boolean): Promise<CheckResult> {
  const value = config.values[key.envVar];
  if (!value) {
    return { check: key.check, status: 'warn', detail: `${key.envVar} not set: ${key.uses} use ${key.fallback}`, hint: `set ${key.envVar} to use the real provider` };
  }
  if (offline) return { check: key.check, status: 'ok', detail: `${key.envVar} set (redacted); not checked (--offline)`, hint: null };
  try {
    const verify = await key.verify();
    const result = await verify({ apiKey: value, baseURL: key.baseURL, timeoutMs: 15_000 });
    const detail = redactSecrets(result.detail, config.values);
    if (!result.ok && result.unreachable) {
      return { check: key.check, status: 'warn', detail: `${key.envVar} could not be checked: ${detail}`, hint: 'check the network (or the base URL setting), or run with --offline' };
    }
    return result.ok
      ? { check: key.check, status: 'ok', detail: `${key.envVar}: ${detail}`, hint: null }
      : { check: key.check, status: 'fail', detail: `${key.envVar} was refused: ${detail}`, hint: `check ${key.envVar} (env, .env or config file), or unset it to use ${key.fallback}` };
  } catch (error) {
    const message = redactSecrets(String(error instanceof Error ? error.message : error), config.values);
    return { check: key.check, status: 'fail', detail: `${key.envVar} could not be checked: ${message}`, hint: `check ${key.envVar} and the network, or run with --offline` };
  }
}
