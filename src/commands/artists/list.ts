import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { printList } from '../../cli/output.ts';
import { listArtists } from '../../core/artists.ts';
import { ARTIST_COLUMNS } from './view.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, _input: InputOf<typeof Options>): Promise<void> {
  const { store } = await ctx.services();
  const rows = await listArtists(store);
  if (rows.length === 0 && !ctx.json && !ctx.stdoutIsTTY) ctx.info('no artists yet: add one with `omvee artists add <name> --image FILE ×3`');
  printList(ctx, rows, ARTIST_COLUMNS, rows);
}
