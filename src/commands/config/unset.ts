/** `omvee config unset KEY`: remove a setting from the user config file. */
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { unsetUserSetting } from '../../config/user-file.ts';
import { NoOptions } from '../flag-schemas.ts';
import { settingKey } from './keys.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const key = settingKey(args[0] ?? '');
  const config = await ctx.config();
  const removed = await unsetUserSetting(config.paths.userConfig, key);
  if (removed) ctx.success(`${key} removed from ${config.paths.userConfig}`);
  else ctx.info(`${key} was not set in ${config.paths.userConfig}`);
  const source = config.sources[key];
  if (source === 'env' || source === '.env') ctx.warn(`${key} is still set in the ${source}`);
  printRecord(ctx, [['setting', key], ['removed', removed]], { setting: key, removed, file: config.paths.userConfig });
}
