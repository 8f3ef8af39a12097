/**
 * Following jobs on Supabase: Realtime `postgres_changes` on public.jobs (filtered by job or
 * project; Realtime checks each change against the subscriber's RLS, so a user hears only their
 * own jobs), through the store's own supabase-js client — the socket takes its access token from
 * that client's `accessToken` callback on every connect and heartbeat, never a copied string.
 *
 * The feed polls from the start until Realtime confirms the subscription. When the socket cannot
 * connect, the join is refused, the subscription fails or the socket drops, it polls again (rows updated since the last look, see ../job-poller.ts) until Realtime
 * is back; phoenix.js reconnects and rejoins by itself, and a channel the server closed is
 * subscribed again after a backoff. Each time it goes live it polls once to catch up on what
 * happened while it was not, and while live it still polls every 30 s, because Realtime delivers
 * at most once.
 */
import { randomUUID } from 'node:crypto';
import type { RealtimeChannel, RealtimeClient, SupabaseClient } from '@supabase/supabase-js';
import type { Job } from '../../core/model.ts';
import type { JobFeed, JobFeedMode, JobFeedOptions, JobFeedTarget, Store } from '../port.ts';
import { DEFAULT_POLL_MS, JobPoller, JobVersions, Repeater, openPollingFeed } from '../job-poller.ts';
import { tableSchema } from '../row-checks.ts';
import { normalizeRow } from './rows.ts';

/** how long Realtime may take to confirm the subscription before the feed reports it polls */
const UNDECIDED_MS = 5000;
/** while live, a catch-up poll this often: Realtime may drop an event under load */
const LIVE_POLL_MS = 30_000;
/** subscribing again after the server closed the channel or refused the subscription */
const RESUBSCRIBE_MS = [5_000, 15_000, 30_000, 60_000] as const;

type ChangePayload = {
  eventType?: string;
  new?: Record<string, unknown>;
  old?: Record<string, unknown>;
  errors?: string[] | null;
};
type SystemPayload = { extension?: string; status?: string; message?: string };

export async function openSupabaseJobFeed(db: SupabaseClient, store: Store, target: JobFeedTarget, options: JobFeedOptions): Promise<JobFeed> {
  if (options.live === false) return openPollingFeed(store, target, options);
  const feed = new RealtimeJobFeed(db, store, target, options);
  await feed.start();
  return feed;
}

class RealtimeJobFeed implements JobFeed {
  readonly #db: SupabaseClient;
  readonly #store: Store;
  readonly #target: JobFeedTarget;
  readonly #options: JobFeedOptions;
  readonly #versions = new JobVersions();
  readonly #poller: JobPoller;
  readonly #repeater: Repeater;
  /** null until the feed knows whether it starts live or polling */
  #mode: JobFeedMode | null = null;
  #channel: RealtimeChannel | null = null;
  #resubscribes = 0;
  #resubscribeTimer: NodeJS.Timeout | null = null;
  #undecided: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(db: SupabaseClient, store: Store, target: JobFeedTarget, options: JobFeedOptions) {
    this.#db = db;
    this.#store = store;
    this.#target = target;
    this.#options = options;
    this.#poller = new JobPoller(store, target, this.#versions, (job) => options.onChange(job));
    this.#repeater = new Repeater(this.#pollMs, () => this.#poll());
  }

  get mode(): JobFeedMode {
    return this.#mode ?? 'polling';
  }

  get #pollMs(): number {
    return this.#options.pollMs ?? DEFAULT_POLL_MS;
  }

  /**
   * Following from the first look on: until Realtime confirms the subscription the feed polls,
   * so nobody waits for the socket and nothing between the look and the subscription is missed.
   */
  async start(): Promise<void> {
    await this.#poller.start();
    this.#repeater.start(this.#pollMs);
    this.#undecided = setTimeout(() => this.#fallBack('Realtime did not confirm the subscription in time'), UNDECIDED_MS);
    void this.#subscribe();
  }

  async #poll(): Promise<void> {
    try {
      await this.#poller.poll();
    } catch (error) {
      this.#options.onError?.(error);
    }
  }

  #setMode(mode: JobFeedMode, reason?: string): void {
    if (this.#closed) return;
    if (this.#undecided) clearTimeout(this.#undecided);
    this.#undecided = null;
    const changed = mode !== this.#mode;
    this.#mode = mode;
    if (changed) {
      this.#repeater.start(mode === 'live' ? LIVE_POLL_MS : this.#pollMs);
      this.#options.onMode?.(mode, reason);
    }
  }

  #fallBack(reason: string): void {
    if (this.#closed) return;
    if (this.#mode !== 'polling') {
      this.#setMode('polling', reason);
      void this.#poll();
    }
  }

  /** the subscription is live: catch up on what happened before, then rely on pushed changes */
  async #goLive(): Promise<void> {
    this.#resubscribes = 0;
    await this.#poll();
    this.#setMode('live');
  }

  #filter(): string | undefined {
    if ('jobId' in this.#target) return `id=eq.${this.#target.jobId}`;
    return this.#target.projectId !== undefined ? `project_id=eq.${this.#target.projectId}` : undefined;
  }

  async #subscribe(): Promise<void> {
    // the token of the store's client (its accessToken callback) before the join: a join sent
    // without one would be authorised as the apikey (anon), see supabase/supabase-js#1304
    await this.#db.realtime.setAuth().catch(() => undefined);
    if (this.#closed) return;
    const filter = this.#filter();
    const channel = this.#db.channel(`omvee-jobs:${randomUUID()}`);
    this.#channel = channel;
    channel
      .on('postgres_changes', { event: '*', schema: 'public', table: 'jobs', ...(filter ? { filter } : {}) }, (payload: ChangePayload) => {
        if (this.#channel === channel) void this.#onChange(payload);
      })
      .on('system', {}, (payload: SystemPayload) => {
        if (this.#channel === channel) this.#onSystem(payload);
      })
      .subscribe((status, error) => {
        if (this.#channel !== channel || this.#closed) return;
        // SUBSCRIBED: the join was accepted; the changes flow once the "system" message says so
        if (status === 'CHANNEL_ERROR') this.#fallBack(`Realtime channel error${error?.message ? `: ${error.message}` : ''}`);
        else if (status === 'TIMED_OUT') this.#fallBack('Realtime did not answer the join');
        else if (status === 'CLOSED') {
          this.#fallBack('Realtime closed the channel');
          this.#resubscribeLater();
        }
      });
  }

  #onSystem(payload: SystemPayload): void {
    if (payload.extension === 'postgres_changes' && payload.status === 'ok') void this.#goLive();
    else if (payload.status === 'error') {
      this.#fallBack(`Realtime: ${payload.message ?? 'subscription failed'}`);
      // a refused subscription is not retried by Realtime itself (nor a closed channel by the client)
      if (payload.extension === 'postgres_changes') this.#resubscribeLater();
    }
  }

  #resubscribeLater(): void {
    if (this.#closed || this.#resubscribeTimer) return;
    const wait = RESUBSCRIBE_MS[Math.min(this.#resubscribes, RESUBSCRIBE_MS.length - 1)]!;
    this.#resubscribes++;
    this.#resubscribeTimer = setTimeout(() => {
      this.#resubscribeTimer = null;
      const old = this.#channel;
      this.#channel = null;
      void (async () => {
        if (old) await this.#db.removeChannel(old).catch(() => undefined);
        if (!this.#closed) await this.#subscribe();
      })();
    }, wait);
  }

  async #onChange(payload: ChangePayload): Promise<void> {
    if (this.#closed) return;
    const id = typeof payload.new?.id === 'string' ? payload.new.id : typeof payload.old?.id === 'string' ? payload.old.id : null;
    if (payload.eventType === 'DELETE') {
      if (id) this.#options.onRemove?.(id);
      return;
    }
    let job = payload.errors && payload.errors.length > 0 ? null : toJob(payload.new);
    // a row Realtime could not send whole (413: values over 64 bytes dropped): read it
    if (!job && id) job = await this.#store.get('jobs', id).catch(() => null);
    if (!job || this.#closed) return;
    this.#poller.note(job);
    if (this.#versions.offer(job)) this.#options.onChange(job);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#repeater.stop();
    if (this.#resubscribeTimer) clearTimeout(this.#resubscribeTimer);
    if (this.#undecided) clearTimeout(this.#undecided);
    const channel = this.#channel;
    this.#channel = null;
    if (channel) await this.#db.removeChannel(channel).catch(() => undefined);
    if (this.#db.getChannels().length === 0) await closeRealtime(this.#db.realtime);
  }
}

const JobRow = tableSchema('jobs');

/** a Realtime record as a Job (timestamps in UTC ISO like the store returns); null if it is not one */
function toJob(record: Record<string, unknown> | undefined): Job | null {
  if (!record) return null;
  const parsed = JobRow.safeParse(normalizeRow('jobs', record));
  return parsed.success ? (parsed.data as unknown as Job) : null;
}

/**
 * Close the Realtime socket without keeping the process alive. In realtime-js 2.119,
 * `RealtimeClient.disconnect()` leaves a 10 s timer running (SocketAdapter.disconnect's timeout is
 * never cleared) and removing the last channel schedules a disconnect 2 heartbeats (50 s) later,
 * so a finished `omvee jobs watch` would linger. Cancel the scheduled disconnect and close the
 * phoenix socket directly when those internals are there; otherwise use the public call.
 */
export async function closeRealtime(realtime: RealtimeClient): Promise<void> {
  const internals = realtime as unknown as {
    _cancelPendingDisconnect?: () => void;
    socketAdapter?: { getSocket?: () => { disconnect?: (callback: () => void, code?: number, reason?: string) => void } };
  };
  const socket = internals.socketAdapter?.getSocket?.();
  if (typeof internals._cancelPendingDisconnect === 'function' && typeof socket?.disconnect === 'function') {
    internals._cancelPendingDisconnect();
    await new Promise<void>((resolve) => socket.disconnect!(() => resolve(), 1000, 'done'));
    return;
  }
  await realtime.disconnect();
}
