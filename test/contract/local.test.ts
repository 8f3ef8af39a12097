/** Runs the Store and Blobs contract suites on the local adapters (fresh temp home per test). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import { runStoreContract } from './store.contract.ts';
import { runBlobsContract } from './blobs.contract.ts';

runStoreContract('local (SQLite)', async () => {
  const home = await mkdtemp(join(tmpdir(), 'omvee-store-contract-'));
  const store = await openLocalStore({ home });
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(home, { recursive: true, force: true });
    },
  };
});

runBlobsContract('local (folder)', async () => {
  const home = await mkdtemp(join(tmpdir(), 'omvee-blobs-contract-'));
  const blobs = openLocalBlobs({ root: join(home, 'project-files') });
  return {
    blobs,
    async cleanup() {
      await rm(home, { recursive: true, force: true });
    },
  };
});
