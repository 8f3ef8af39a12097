/** Finding jobs from what an operator typed: a full id or a unique id prefix. */
import { OmveeError } from '../../cli/errors.ts';
import type { Store } from '../../store/port.ts';
import type { Job } from '../model.ts';
import { isUuid } from '../projects.ts';

export async function resolveJob(store: Store, ref: string): Promise<Job> {
  const wanted = ref.trim().toLowerCase();
  if (wanted === '') throw new OmveeError('usage', 'job id is empty', { hint: 'see `omvee jobs list`' });
  if (isUuid(wanted)) {
    const job = await store.get('jobs', wanted);
    if (job) return job;
  } else if (/^[0-9a-f-]{4,35}$/.test(wanted)) {
    const recent = await store.list('jobs', { order: { column: 'created_at', ascending: false }, limit: 5000 });
    const matches = recent.filter((j) => j.id.startsWith(wanted));
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) throw new OmveeError('ambiguous', `"${ref}" matches ${matches.length} jobs`, { hint: 'use more characters of the id' });
  } else {
    throw new OmveeError('invalid_input', `not a job id: ${ref}`, { hint: 'job ids look like 7c1e2f3a-…; see `omvee jobs list`' });
  }
  throw new OmveeError('not_found', `job not found: ${ref}`, { hint: 'see `omvee jobs list`' });
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
