import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { signOut } from '../../app/auth.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, _input: InputOf<typeof Options>): Promise<void> {
  const config = await ctx.config();
  const { SUPABASE_URL: url, SUPABASE_ANON_KEY: anonKey } = config.values;
  // without the project settings the session cannot be revoked, but it is still forgotten
  const removed = await signOut({ url, anonKey, configDir: config.paths.configDir });
  if (removed) ctx.success('signed out');
  else ctx.info('not signed in (no session to remove)');
  if (ctx.json) ctx.writeJson({ signed_out: removed });
}
