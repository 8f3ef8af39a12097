/**
 * A worker whose claims fail for a reason no retry fixes (the session can no longer be
 * refreshed, the key is rejected, permission denied) stops claiming and run() rejects with that
 * error and its hint, instead of polling forever; a passing failure (network) is still retried.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OmveeError, isOmveeError } from '../../src/core/errors.ts';
import { Worker } from '../../src/core/jobs/worker.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { Store } from '../../src/store/port.ts';
import { tempHome } from './support/helpers.ts';

/** a real local store whose claimJob fails as told for the first `failures` calls (then works) */
async function failingClaims(error: () => Error, failures: number): Promise<{ store: Store; claims: () => number; close: () => Promise<void> }> {
  const home = await tempHome();
  const real = await openLocalStore({ home: home.dir });
  let claims = 0;
  const claimJob: Store['claimJob'] = async (options) => {
    claims += 1;
    if (claims <= failures) throw error();
    return real.claimJob(options);
  };
  const store = new Proxy(real, {
    get(target, prop) {
      if (prop === 'claimJob') return claimJob;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store, claims: () => claims, close: async () => { await real.close(); await home.cleanup(); } };
}

describe('worker: permanent claim failures', () => {
  it('a session that can no longer be refreshed stops the worker with the login hint', async () => {
    const expired = () => new OmveeError('config', 'the Supabase session can no longer be refreshed (Invalid Refresh Token: Already Used)', { hint: 'sign in again: omvee login' });
    const f = await failingClaims(expired, Number.POSITIVE_INFINITY);
    try {
      const worker = new Worker({ store: f.store, handlers: { generate_prompts: async () => ({ result: {} }) }, workerId: 'w-fatal', concurrency: 3, idleMinMs: 5, idleMaxMs: 10 });
      const started = Date.now();
      await assert.rejects(worker.run(), (e: unknown) => isOmveeError(e) && e.code === 'config' && /stopped claiming/.test(e.message) && /can no longer be refreshed/.test(e.message) && e.hint === 'sign in again: omvee login');
      assert.ok(Date.now() - started < 2000, 'gave up at once');
      assert.ok(f.claims() <= 3, `one failed claim per slot, not a loop (${f.claims()})`);
    } finally {
      await f.close();
    }
  });

  it('a network failure is retried, and the worker goes on once it clears', async () => {
    const down = () => new OmveeError('network', 'cannot reach Supabase (connection refused)');
    const f = await failingClaims(down, 3);
    try {
      const worker = new Worker({ store: f.store, handlers: { generate_prompts: async () => ({ result: {} }) }, workerId: 'w-net', idleMinMs: 5, idleMaxMs: 10 });
      const run = worker.run();
      const end = Date.now() + 5000;
      while (f.claims() < 5 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      worker.stop();
      const summary = await run;
      assert.equal(summary.errors, 3);
      assert.ok(f.claims() >= 5, 'kept claiming after the errors');
    } finally {
      await f.close();
    }
  });
});
