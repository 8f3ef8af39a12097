import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { review } from './review.ts';

export const run = (ctx: CliContext, input: CommandInput): Promise<void> => review(ctx, input, 'rejected');
