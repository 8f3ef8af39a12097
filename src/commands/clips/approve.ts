import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { Options, review } from './review.ts';

export { Options };
export const run = (ctx: CliContext, input: InputOf<typeof Options>): Promise<void> => review(ctx, input, 'approved');
