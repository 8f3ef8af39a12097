import { OmveeError } from '../core/errors.ts';

export function parseConcurrency(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new OmveeError('usage', `invalid --concurrency "${String(value)}"`, { hint: 'a whole number from 1 to 64' });
  return n;
}
