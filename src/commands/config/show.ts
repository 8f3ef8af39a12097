import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printList } from '../../cli/output.ts';
import { settingDefaults } from '../../config/defaults.ts';
import { displayValue } from '../../config/resolve.ts';
import { CONFIG_DESCRIPTIONS, CONFIG_KEYS, SECRET_KEYS, type ConfigKey } from '../../config/schema.ts';

interface Row {
  key: ConfigKey;
  value: string;
  source: string;
  secret: boolean;
  description: string;
}

export const Options = z.object({ all: z.boolean().optional() }).strict();

export async function run(ctx: CliContext, { options }: InputOf<typeof Options>): Promise<void> {
  const config = await ctx.config();
  const rows: Row[] = [];
  const defaults = settingDefaults();
  for (const key of CONFIG_KEYS) {
    const value = config.values[key];
    const source = config.sources[key];
    if (value === undefined && options.all !== true && !ctx.json) continue;
    const fallback = value === undefined ? defaults[key] : undefined;
    rows.push({ key, value: fallback ?? displayValue(key, value), source: source ?? (fallback !== undefined ? 'default' : value === undefined ? 'unset' : 'default'), secret: SECRET_KEYS.has(key), description: CONFIG_DESCRIPTIONS[key] });
  }
  const json = Object.fromEntries(rows.map((r) => [r.key, { value: r.value === '' ? null : r.value, source: r.source, secret: r.secret }]));
  printList(
    ctx,
    rows,
    [
      { header: 'setting', value: (r) => r.key },
      { header: 'value', value: (r) => r.value },
      { header: 'source', value: (r) => r.source },
    ],
    { ...json, _files: { dotenv: config.paths.dotenv, user_config: config.paths.userConfig, home: config.paths.home } },
  );
  if (!ctx.json) ctx.info(`config file: ${config.paths.userConfig}${config.paths.dotenv ? `\n.env: ${config.paths.dotenv}` : ''}`);
}
