/**
 * Provider rows of `omvee doctor`, one per registered provider that takes a key: whether the
 * key is set and, unless --offline, one cheap authenticated call with it (the entry's checkKey).
 * Keys are never printed: details name the setting, and whatever a provider says passes through
 * redaction before it is shown.
 */
import { redactSecrets, type ResolvedConfig } from '../../config/resolve.ts';
import type { CheckResult } from '../../core/doctor.ts';
import { PROVIDER_SLOTS, PROVIDERS, type ProviderEntry, type ProviderSlot } from '../../providers/registry.ts';
import { autoProvider } from '../providers.ts';

export async function providerChecks(config: ResolvedConfig, options: { offline: boolean }): Promise<CheckResult[]> {
  const keyed = PROVIDERS.filter((p) => p.keySetting !== undefined);
  return Promise.all(keyed.map((p) => checkProvider(config, p, options.offline)));
}

/** The slots this provider's key decides under `auto` (all it offers when another provider wins them). */
function slotsOf(config: ResolvedConfig, entry: ProviderEntry): ProviderSlot[] {
  const withKey = { ...config.values, [entry.keySetting!]: 'set' };
  const offered = PROVIDER_SLOTS.filter((slot) => entry.offers[slot]);
  const decided = offered.filter((slot) => autoProvider(withKey, slot).name === entry.name);
  return decided.length > 0 ? decided : offered;
}

/** What runs those slots instead when its key is unset, e.g. "the local director". */
function fallbackOf(config: ResolvedConfig, entry: ProviderEntry, slots: readonly ProviderSlot[]): string {
  const without = { ...config.values, [entry.keySetting!]: undefined };
  return [...new Set(slots.map((slot) => autoProvider(without, slot).offers[slot]!.title))].join(' and ');
}

async function checkProvider(config: ResolvedConfig, entry: ProviderEntry, offline: boolean): Promise<CheckResult> {
  const keyVar = entry.keySetting!;
  const value = config.values[keyVar] as string | undefined;
  const slots = slotsOf(config, entry);
  const fallback = fallbackOf(config, entry, slots);
  if (!value) {
    return { check: entry.name, status: 'warn', detail: `${keyVar} not set: using ${fallback} for the ${slots.join(' and ')}`, hint: `set ${keyVar} to use the real provider` };
  }
  if (offline || !entry.checkKey) return { check: entry.name, status: 'ok', detail: `${keyVar} set (redacted); not checked${offline ? ' (--offline)' : ''}`, hint: null };
  try {
    const baseURL = entry.baseUrlSetting ? (config.values[entry.baseUrlSetting] as string | undefined) : undefined;
    const result = await entry.checkKey({ apiKey: value, baseURL, timeoutMs: 15_000 });
    const detail = redactSecrets(result.detail, config.values);
    if (!result.ok && result.unreachable) {
      return { check: entry.name, status: 'warn', detail: `${keyVar} could not be checked: ${detail}`, hint: 'check the network (or the base URL setting), or run with --offline' };
    }
    return result.ok
      ? { check: entry.name, status: 'ok', detail: `${keyVar}: ${detail}`, hint: null }
      : { check: entry.name, status: 'fail', detail: `${keyVar} was refused: ${detail}`, hint: `check ${keyVar} (env, .env or config file), or unset it to use ${fallback}` };
  } catch (error) {
    const message = redactSecrets(String(error instanceof Error ? error.message : error), config.values);
    return { check: entry.name, status: 'fail', detail: `${keyVar} could not be checked: ${message}`, hint: `check ${keyVar} and the network, or run with --offline` };
  }
}
