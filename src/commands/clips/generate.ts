import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { generateTakes } from '../generate-takes.ts';

export const run = (ctx: CliContext, input: CommandInput): Promise<void> => generateTakes(ctx, input, 'clips');
