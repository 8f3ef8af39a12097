/** What `omvee login` / `logout` need from the configuration: the project URL and its anon key. */
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';

export interface LoginTarget {
  url: string;
  anonKey: string;
  configDir: string;
}

export async function loginTarget(ctx: CliContext, command: string): Promise<LoginTarget> {
  const config = await ctx.config();
  const v = config.values;
  const missing = [!v.SUPABASE_URL ? 'SUPABASE_URL' : null, !v.SUPABASE_ANON_KEY ? 'SUPABASE_ANON_KEY' : null].filter((x): x is string => x !== null);
  if (missing.length > 0) {
    throw new OmveeError('config', `omvee ${command} needs ${missing.join(' and ')} (the Supabase project's URL and anon key)`, {
      hint: `set ${missing.join(' and ')} in the environment, ./.env or the config file (Supabase dashboard → Project Settings → API)`,
    });
  }
  return { url: v.SUPABASE_URL!, anonKey: v.SUPABASE_ANON_KEY!, configDir: config.paths.configDir };
}
