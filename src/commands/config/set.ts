/** `omvee config set KEY VALUE`: a non-secret setting into the user config file, checked first. */
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { CONFIG_DESCRIPTIONS, CONFIG_SCHEMA, SECRET_KEYS } from '../../config/schema.ts';
import { setUserSetting } from '../../config/user-file.ts';
import { OmveeError } from '../../core/errors.ts';
import { NoOptions } from '../flag-schemas.ts';
import { settingKey } from './keys.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const key = settingKey(args[0] ?? '');
  if (SECRET_KEYS.has(key)) {
    throw new OmveeError('usage', `${key} is a secret: omvee does not take secrets on the command line (they end up in shell history)`, {
      hint: `put it in the environment or ./.env (${key}=…), or add it to the config file by hand: omvee config path`,
    });
  }
  const value = args[1] ?? '';
  const checked = CONFIG_SCHEMA.shape[key].safeParse(value);
  if (!checked.success || value.trim() === '') {
    throw new OmveeError('usage', `invalid value for ${key}: "${value}"`, { hint: `${key}: ${CONFIG_DESCRIPTIONS[key]}` });
  }
  const config = await ctx.config();
  await setUserSetting(config.paths.userConfig, key, value);
  const overridden = config.sources[key] === 'flag' || config.sources[key] === 'env' || config.sources[key] === '.env';
  ctx.success(`${key} = ${value} (in ${config.paths.userConfig})`);
  if (overridden) ctx.warn(`${key} is also set in the ${config.sources[key]}, which wins over the config file`);
  printRecord(ctx, [['setting', key], ['value', value], ['file', config.paths.userConfig]], { setting: key, value, file: config.paths.userConfig, overridden });
}
