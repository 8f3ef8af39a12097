/**
 * The Store contract suite, unchanged, on SupabaseStore → supabase-js → the PostgREST test
 * double → Postgres (PGlite) with supabase/migrations applied, as the service role.
 */
import { after, before } from 'node:test';
import { openSupabaseStore } from '../../src/store/supabase/supabase-store.ts';
import { runStoreContract } from '../contract/store.contract.ts';
import { startPostgrestDouble, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { resetDouble } from '../support/postgrest-double/reset.ts';

let double: PostgrestDouble;
before(async () => {
  double = await startPostgrestDouble();
});
after(async () => {
  await double.close();
});

runStoreContract('supabase (PostgREST double, service role)', async () => {
  await resetDouble(double);
  const store = await openSupabaseStore({ url: double.url, key: double.serviceKey, retry: false });
  return { store, cleanup: () => store.close() };
});
