import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { generateTakes, takeOptions } from '../generate-takes.ts';

export const Options = takeOptions('images');
export const run = (ctx: CliContext, input: InputOf<typeof Options>): Promise<void> => generateTakes(ctx, input, 'images');
