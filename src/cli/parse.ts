/** Parse command options with a zod schema; a bad value is a usage error naming the flag. */
import type { z } from 'zod';
import { OmveeError } from '../core/errors.ts';

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export function parseOptions<T extends z.ZodType>(schema: T, options: Record<string, unknown>): z.infer<T> {
  const result = schema.safeParse(options);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issue.path.length ? String(issue.path[0]) : '';
  const value = key ? options[key] : undefined;
  throw new OmveeError('usage', `invalid value${key ? ` for ${flagName(key)}` : ''}${value !== undefined ? ` "${String(value)}"` : ''}: ${issue.message}`, {
    hint: 'see --help for the accepted values',
  });
}
