/**
 * Following job rows by polling, for any Store: each poll asks for the rows updated since the
 * last look (`updated_at >= cursor - lookback`), so a job that is created, runs and ends between
 * two polls is still seen (in its last state) — unlike polling for what is active now.
 *
 * The cursor is the newest `updated_at` seen (the database's clock, not ours). Rows are re-read
 * for `lookbackMs` before it, because a row's `updated_at` is taken before its transaction
 * commits, so a slow transaction can become visible after a newer one; versions already
 * delivered are skipped (JobVersions). The local store and the Supabase fallback both use this.
 */
import type { Job } from '../core/model.ts';
import type { Filter, JobFeed, JobFeedOptions, JobFeedTarget, Store } from './port.ts';

export const DEFAULT_POLL_MS = 1000;
/** how far before the cursor each poll looks again for late-committed rows */
export const DEFAULT_LOOKBACK_MS = 2000;
/** the first look remembers at most this many recent rows as "before the feed started" */
const BASELINE_ROWS = 1000;
const POLL_LIMIT = 10_000;

const at = (job: Job): number => Date.parse(job.updated_at);

/** Which version of each job was delivered last: a row is delivered only when it is newer. */
export class JobVersions {
  readonly #last = new Map<string, { at: number; body: string }>();

  /** true (and remembered) when `job` is a version not delivered yet and not older than the last */
  offer(job: Job): boolean {
    const body = JSON.stringify(job);
    const prev = this.#last.get(job.id);
    const t = at(job);
    if (prev && (t < prev.at || (t === prev.at && body === prev.body))) return false;
    this.#last.set(job.id, { at: t, body });
    return true;
  }

  /** forget versions older than `before` (their rows are out of every later poll's window) */
  prune(before: number): void {
    for (const [id, v] of this.#last) if (v.at < before) this.#last.delete(id);
  }
}

export function feedFilter(target: JobFeedTarget): Filter<Job> {
  if ('jobId' in target) return { id: target.jobId };
  return target.projectId !== undefined ? { project_id: target.projectId } : {};
}

export class JobPoller {
  readonly #store: Pick<Store, 'list'>;
  readonly #where: Filter<Job>;
  readonly #versions: JobVersions;
  readonly #deliver: (job: Job) => void;
  readonly #lookbackMs: number;
  #cursor: number | null = null;
  /** rows older than this were never remembered by the baseline: later polls do not look below it */
  #floor = Number.NEGATIVE_INFINITY;
  #polling: Promise<void> | null = null;

  constructor(store: Pick<Store, 'list'>, target: JobFeedTarget, versions: JobVersions, deliver: (job: Job) => void, lookbackMs = DEFAULT_LOOKBACK_MS) {
    this.#store = store;
    this.#where = feedFilter(target);
    this.#versions = versions;
    this.#deliver = deliver;
    this.#lookbackMs = lookbackMs;
  }

  /** The first look: what exists now happened before the feed started and is not delivered. */
  async start(): Promise<void> {
    const recent = await this.#store.list('jobs', { where: this.#where, order: [{ column: 'updated_at', ascending: false }, { column: 'id', ascending: false }], limit: BASELINE_ROWS });
    for (const job of recent) {
      this.#versions.offer(job);
      this.note(job);
    }
    if (recent.length === BASELINE_ROWS) this.#floor = at(recent.at(-1)!);
  }

  /** a row delivered by someone else (a live feed): moves the cursor on */
  note(job: Job): void {
    const t = at(job);
    if (this.#cursor === null || t > this.#cursor) this.#cursor = t;
  }

  /** Deliver every row version changed since the last look; one request (more for huge pages). */
  poll(): Promise<void> {
    // one poll at a time: a slow poll is joined, not doubled
    this.#polling ??= this.#poll().finally(() => (this.#polling = null));
    return this.#polling;
  }

  async #poll(): Promise<void> {
    const where: Filter<Job> = { ...this.#where };
    if (this.#cursor !== null) where.updated_at = { gte: new Date(Math.max(this.#cursor - this.#lookbackMs, this.#floor)).toISOString() };
    const rows = await this.#store.list('jobs', { where, order: [{ column: 'updated_at' }, { column: 'id' }], limit: POLL_LIMIT });
    for (const job of rows) {
      this.note(job);
      if (this.#versions.offer(job)) this.#deliver(job);
    }
    if (this.#cursor !== null) this.#versions.prune(this.#cursor - 2 * this.#lookbackMs);
  }
}

/** Runs `tick` every `everyMs` (after the previous tick ends) until stopped; the interval can change. */
export class Repeater {
  #timer: NodeJS.Timeout | null = null;
  #everyMs: number;
  #stopped = false;
  readonly #tick: () => Promise<void>;

  constructor(everyMs: number, tick: () => Promise<void>) {
    this.#everyMs = everyMs;
    this.#tick = tick;
  }

  start(everyMs = this.#everyMs): void {
    this.#everyMs = everyMs;
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#run(), this.#everyMs);
  }

  async #run(): Promise<void> {
    this.#timer = null;
    await this.#tick().catch(() => undefined);
    if (!this.#stopped && this.#timer === null) this.#timer = setTimeout(() => void this.#run(), this.#everyMs);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

/** A feed that only polls: the local store's, and Supabase's when asked not to go live. */
export async function openPollingFeed(store: Pick<Store, 'list'>, target: JobFeedTarget, options: JobFeedOptions): Promise<JobFeed> {
  const versions = new JobVersions();
  const poller = new JobPoller(store, target, versions, (job) => options.onChange(job));
  await poller.start();
  const repeater = new Repeater(options.pollMs ?? DEFAULT_POLL_MS, () =>
    poller.poll().catch((error: unknown) => {
      options.onError?.(error);
    }),
  );
  repeater.start();
  return {
    mode: 'polling',
    async close() {
      repeater.stop();
    },
  };
}
