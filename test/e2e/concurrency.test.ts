/**
 * Several omvee processes on one local store at once: 4 parallel writers each creating several
 * projects (one `omvee project create` process per project), plus a reader listing meanwhile.
 * None may fail with "database is locked", and no project may be lost.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sandbox } from './helpers.ts';

const WRITERS = 4;
const PER_WRITER = 3;

test('4 processes creating projects at once: all present, no lock errors', async (t) => {
  const sb = await sandbox(t);
  const errors: string[] = [];
  const created: Array<{ id: string; name: string }> = [];

  const writer = async (w: number) => {
    for (let i = 0; i < PER_WRITER; i++) {
      const name = `writer ${w} project ${i}`;
      const r = await sb.run(['project', 'create', name, '--json'], { timeoutMs: 30_000 });
      if (r.code !== 0) errors.push(`${name}: exit ${r.code}: ${r.stderr}`);
      else created.push(JSON.parse(r.stdout));
    }
  };
  const reader = async () => {
    for (let i = 0; i < 3; i++) {
      const r = await sb.run(['project', 'list', '--json'], { timeoutMs: 30_000 });
      if (r.code !== 0) errors.push(`list: exit ${r.code}: ${r.stderr}`);
      else assert.ok(Array.isArray(JSON.parse(r.stdout)));
    }
  };
  await Promise.all([...Array.from({ length: WRITERS }, (_, w) => writer(w)), reader()]);

  assert.deepEqual(errors, []);
  assert.equal(created.length, WRITERS * PER_WRITER);
  const listed = await sb.json(['project', 'list', '--limit', '100']);
  assert.equal(listed.length, WRITERS * PER_WRITER, 'every project is in the store');
  assert.deepEqual(new Set(listed.map((p: any) => p.id)), new Set(created.map((p) => p.id)));
  assert.deepEqual(
    listed.map((p: any) => p.name).sort(),
    Array.from({ length: WRITERS }, (_, w) => Array.from({ length: PER_WRITER }, (_, i) => `writer ${w} project ${i}`)).flat().sort(),
  );
});
