/** Which providers are configured (never printing a key). Online key checks come with issue 5. */
import type { ResolvedConfig } from '../../config/resolve.ts';
import type { CheckResult } from '../../core/doctor.ts';

export async function providerChecks(config: ResolvedConfig, _options: { offline: boolean }): Promise<CheckResult[]> {
  const v = config.values;
  const configured = (key: string | undefined, name: string, fallback: string, envVar: string): CheckResult => ({
    check: name,
    status: key ? 'ok' : 'warn',
    detail: key ? `${envVar} set (redacted)` : `not configured: using ${fallback}`,
    hint: key ? null : `set ${envVar} to use the real provider`,
  });
  return [
    configured(v.OPENAI_API_KEY, 'transcriber', 'the local transcript importer', 'OPENAI_API_KEY'),
    configured(v.OPENROUTER_API_KEY ?? v.OPENAI_API_KEY, 'director', 'the local director', 'OPENROUTER_API_KEY'),
    configured(v.REPLICATE_API_TOKEN, 'images/clips', 'the local renderer', 'REPLICATE_API_TOKEN'),
  ];
}
