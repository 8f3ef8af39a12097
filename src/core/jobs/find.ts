/** Finding jobs from what an operator typed: a full id or a unique id prefix. */
import { OmveeError } from '../errors.ts';
import type { Store } from '../../store/port.ts';
import type { Job } from '../model.ts';
import { resolveRef } from '../refs.ts';

/** A job by full id or unique id prefix (jobs have no names). */
export function resolveJob(store: Store, ref: string): Promise<Job> {
  return resolveRef(store, 'jobs', ref, { noun: 'job', hint: 'see `omvee jobs list`' });
}

/** `--since` values: an ISO timestamp or a relative duration (90s, 30m, 2h, 1d). */
export function parseSince(value: string, now: Date): string {
  const rel = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/i.exec(value.trim());
  if (rel) {
    const n = Number(rel[1]);
    const unit = { s: 1, m: 60, h: 3600, d: 86400 }[rel[2]!.toLowerCase() as 's' | 'm' | 'h' | 'd'];
    return new Date(now.getTime() - n * unit * 1000).toISOString();
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new OmveeError('usage', `invalid --since value "${value}"`, { hint: 'use an ISO time (2026-11-24T10:00:00Z) or a duration such as 30m, 2h, 1d' });
  return new Date(t).toISOString();
}
