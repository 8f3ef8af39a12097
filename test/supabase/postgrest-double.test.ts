/** The test double speaks the PostgREST details supabase-js relies on (checked with supabase-js itself). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import { startPostgrestDouble, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { SUPABASE_SCHEMA_VERSION } from '../../src/store/supabase/supabase-store.ts';

let double: PostgrestDouble;
before(async () => {
  double = await startPostgrestDouble();
});
after(async () => {
  await double.close();
});

describe('PostgREST test double', () => {
  it('single objects, counts, ranges, null ordering, error codes', async () => {
    const db = createClient(double.url, double.serviceKey, { auth: { persistSession: false }, db: { retry: false } });
    const none = await db.from('projects').select().eq('name', 'nobody').single();
    assert.equal(none.status, 406);
    assert.equal(none.error?.code, 'PGRST116');
    await db.from('projects').insert([{ name: 'b', description: 'x' }, { name: 'a' }, { name: 'c', description: 'y' }]);
    const one = await db.from('projects').select('name').eq('name', 'a').single();
    assert.deepEqual(one.data, { name: 'a' });
    const page = await db.from('projects').select('name', { count: 'exact' }).order('description', { ascending: true, nullsFirst: true }).range(0, 1);
    assert.equal(page.count, 3);
    assert.deepEqual(page.data?.map((r) => r.name), ['a', 'b']);
    const dup = await db.from('selected_scenes').insert({ project_id: '00000000-0000-0000-0000-000000000000', order_idx: 0, start_time_s: 0, end_time_s: 1 });
    assert.equal(dup.status, 409);
    assert.equal(dup.error?.code, '23503');
    const missing = await db.from('no_such_table').select();
    assert.equal(missing.status, 404);
    assert.equal(missing.error?.code, 'PGRST205');
    const rpc = await db.rpc('omvee_schema_version');
    assert.equal(rpc.data, SUPABASE_SCHEMA_VERSION, 'the migrations set the version the store expects');
  });
});
