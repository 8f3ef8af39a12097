/** A setting's name as typed: any case; an unknown one is a usage error with the closest names. */
import { CONFIG_KEYS, type ConfigKey } from '../../config/schema.ts';
import { OmveeError } from '../../core/errors.ts';
import { closestNames } from '../../core/refs.ts';

export function settingKey(typed: string): ConfigKey {
  const key = CONFIG_KEYS.find((k) => k === typed.trim().toUpperCase());
  if (key) return key;
  const near = closestNames(typed, CONFIG_KEYS);
  throw new OmveeError('usage', `unknown setting "${typed}"`, { hint: `${near.length ? `did you mean ${near.join(' or ')}? ` : ''}see every setting with: omvee config show --all` });
}
