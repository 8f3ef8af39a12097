/**
 * Options parsed with a zod schema: a bad value is a usage error naming the flag. A flag
 * fragment that knows better (src/commands/flag-schemas.ts) words the message and hint itself.
 */
import type { z } from 'zod';
import { OmveeError } from '../core/errors.ts';
import { describeIssue } from '../core/zod-issues.ts';

export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export function parseOptions<T extends z.ZodType>(schema: T, options: Record<string, unknown>): z.output<T> {
  const result = schema.safeParse(options);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const params = (issue as { params?: { hint?: unknown } }).params;
  if (issue.code === 'custom' && typeof params?.hint === 'string') throw new OmveeError('usage', issue.message, { hint: params.hint });
  if (issue.code === 'unrecognized_keys') {
    // a flag commander accepted that the handler does not declare: a bug, not the user's
    throw new OmveeError('internal', `the command does not declare ${issue.keys.map(flagName).join(', ')}`, { hint: 'this is a bug in omvee; report it' });
  }
  const key = issue.path.length ? String(issue.path[0]) : '';
  const value = key ? options[key] : undefined;
  throw new OmveeError('usage', `invalid value${key ? ` for ${flagName(key)}` : ''}${value !== undefined ? ` "${String(value)}"` : ''}: ${describeIssue(issue)}`, {
    hint: 'see --help for the accepted values',
  });
}
