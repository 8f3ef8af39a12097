/** The Blobs contract suite, unchanged, on SupabaseBlobs → storage-js → the Storage test double. */
import { after, before } from 'node:test';
import { openSupabaseBlobs } from '../../src/blobs/supabase/supabase-blobs.ts';
import { runBlobsContract } from '../contract/blobs.contract.ts';
import { startPostgrestDouble, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { resetDouble } from '../support/postgrest-double/reset.ts';

let double: PostgrestDouble;
before(async () => {
  double = await startPostgrestDouble();
});
after(async () => {
  await double.close();
});

runBlobsContract('supabase storage (test double, service role)', async () => {
  await resetDouble(double);
  const blobs = openSupabaseBlobs({ url: double.url, key: double.serviceKey, retry: false });
  return { blobs, async cleanup() {} };
});
