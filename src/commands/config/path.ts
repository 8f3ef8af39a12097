import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';

export async function run(ctx: CliContext, _input: CommandInput): Promise<void> {
  const config = await ctx.config();
  const paths = { config_file: config.paths.userConfig, dotenv: config.paths.dotenv, home: config.paths.home };
  printRecord(ctx, Object.entries(paths), paths);
}
