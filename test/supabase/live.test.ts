/**
 * Opt-in: the Store and Blobs contract suites against a real Supabase project.
 *
 *   OMVEE_TEST_SUPABASE_URL=https://<ref>.supabase.co OMVEE_TEST_SUPABASE_SERVICE_KEY=... \
 *     node --test test/supabase/live.test.ts
 *
 * The project must have supabase/migrations applied (`supabase db push`). The contract expects an
 * EMPTY store per test, so every omvee table and the test objects of the bucket are DELETED:
 * use a throwaway project. Without the variables the suite reports itself skipped.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from '../../src/core/model.ts';
import { openSupabaseStore } from '../../src/store/supabase/supabase-store.ts';
import { openSupabaseBlobs } from '../../src/blobs/supabase/supabase-blobs.ts';
import { TABLE_NAMES } from '../../src/core/model.ts';
import { runStoreContract } from '../contract/store.contract.ts';
import { runBlobsContract } from '../contract/blobs.contract.ts';

const url = process.env.OMVEE_TEST_SUPABASE_URL;
const key = process.env.OMVEE_TEST_SUPABASE_SERVICE_KEY;

if (!url || !key) {
  describe('Supabase live suite', () => {
    it('runs the contract suites against a real project', { skip: 'set OMVEE_TEST_SUPABASE_URL and OMVEE_TEST_SUPABASE_SERVICE_KEY to run' }, () => {});
  });
} else {
  runStoreContract('supabase (live project)', async () => {
    const store = await openSupabaseStore({ url, key });
    // children first is not needed (cascades), but artists and jobs stand alone
    for (const table of TABLE_NAMES) await store.deleteWhere(table, {});
    return { store, cleanup: () => store.close() };
  });
  describe('Supabase Realtime (live project)', () => {
    it('the job feed goes live (jobs is in the supabase_realtime publication) and hears a new job', async () => {
      const store = await openSupabaseStore({ url, key });
      const seen: Job[] = [];
      const modes: string[] = [];
      const feed = await store.subscribeJobs({}, { onChange: (j) => seen.push(j), onMode: (m, r) => modes.push(`${m}${r ? `: ${r}` : ''}`) });
      try {
        for (let i = 0; i < 150 && feed.mode !== 'live'; i++) await new Promise((r) => setTimeout(r, 100));
        assert.equal(feed.mode, 'live', `modes: ${modes.join(' → ')}`);
        const job = await store.insert('jobs', { type: 'transcribe', payload: { live: true } });
        for (let i = 0; i < 100 && !seen.some((j) => j.id === job.id); i++) await new Promise((r) => setTimeout(r, 100));
        assert.ok(seen.some((j) => j.id === job.id), 'the insert was heard');
        await store.delete('jobs', job.id);
      } finally {
        await feed.close();
        await store.close();
      }
    });
  });
  runBlobsContract('supabase storage (live project)', async () => {
    const blobs = openSupabaseBlobs({ url, key });
    await blobs.removePrefix('projects');
    return {
      blobs,
      async cleanup() {
        await blobs.removePrefix('projects');
      },
    };
  });
}
