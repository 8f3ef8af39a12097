import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, _input: InputOf<typeof Options>): Promise<void> {
  const config = await ctx.config();
  const paths = { config_file: config.paths.userConfig, dotenv: config.paths.dotenv, home: config.paths.home };
  printRecord(ctx, Object.entries(paths), paths);
}
