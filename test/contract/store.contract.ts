/**
 * The Store contract: the same tests for every Store adapter (local SQLite, Supabase).
 * Each test gets a fresh fixture from `factory` and expects an EMPTY store.
 *
 * Only what src/store/port.ts promises is tested. Timestamps are compared as Dates (Postgres
 * formats them differently from SQLite), text ordering uses lowercase ASCII only (collations
 * differ), and error checks look at OmveeError.code only.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DEFAULTS,
  REQUIRED_ON_INSERT,
  TABLE_NAMES,
  TABLE_SCHEMAS,
  type Job,
  type Project,
  type Scene,
  type TableName,
} from '../../src/core/model.ts';
import type { Store } from '../../src/store/port.ts';
import { isOmveeError, type ErrorCode } from '../../src/core/errors.ts';

export interface StoreFixture {
  store: Store;
  cleanup(): Promise<void>;
}

type AnyRow = Record<string, unknown>;

/** The Store with table-generic signatures, for tests that loop over every table. */
interface LooseStore {
  insert(table: TableName, row: AnyRow): Promise<AnyRow>;
  insertMany(table: TableName, rows: AnyRow[]): Promise<AnyRow[]>;
  get(table: TableName, id: string): Promise<AnyRow | null>;
  list(table: TableName, query?: AnyRow): Promise<AnyRow[]>;
  count(table: TableName, where?: AnyRow): Promise<number>;
  update(table: TableName, id: string, patch: AnyRow): Promise<AnyRow>;
  updateIf(table: TableName, id: string, expect: AnyRow, patch: AnyRow): Promise<AnyRow | null>;
  delete(table: TableName, id: string): Promise<boolean>;
  deleteWhere(table: TableName, where: AnyRow): Promise<number>;
}
const loose = (store: Store): LooseStore => store as unknown as LooseStore;

const ms = (value: unknown): number => {
  const time = new Date(value as string).getTime();
  assert.ok(Number.isFinite(time), `not a timestamp: ${String(value)}`);
  return time;
};

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isOmveeError(error), `expected an OmveeError, got ${String(error)}`);
    assert.equal(error.code, code, `expected code ${code}, got ${error.code}: ${error.message}`);
    return true;
  });
}

/** A column each table can change freely, and a value for it. */
const MUTABLE: { [K in TableName]: [string, unknown] } = {
  projects: ['description', 'a song about trains'],
  selected_scenes: ['title', 'chorus'],
  scene_prompts: ['mood', 'wistful'],
  generated_images: ['model', 'flux'],
  video_clips: ['model', 'seedance'],
  user_approvals: ['note', 'looks good'],
  final_videos: ['video_path', 'projects/x/final/out.mp4'],
  jobs: ['error', 'boom'],
  artists: ['description', 'a singer'],
  model_contracts: ['user_id', '00000000-0000-4000-8000-0000000000aa'],
};

interface Parents {
  project: Project;
  scene: Scene;
}

async function makeParents(store: Store, name = 'parent'): Promise<Parents> {
  const project = await store.insert('projects', { name });
  const scene = await store.insert('selected_scenes', { project_id: project.id, order_idx: 0, start_time_s: 0, end_time_s: 5 });
  return { project, scene };
}

let sceneCounter = 0;
/** The smallest valid new row for `table` (n makes unique keys distinct). */
async function minimalRow(store: Store, table: TableName, parents: Parents, n: number): Promise<AnyRow> {
  const project_id = parents.project.id;
  const freshScene = async (): Promise<string> =>
    (
      await store.insert('selected_scenes', {
        project_id,
        order_idx: 1000 + ++sceneCounter,
        start_time_s: 0,
        end_time_s: 5,
      })
    ).id;
  switch (table) {
    case 'projects':
      return { name: `project ${n}` };
    case 'selected_scenes':
      return { project_id, order_idx: 100 + n, start_time_s: n * 5, end_time_s: n * 5 + 5 };
    case 'scene_prompts':
      return { project_id, scene_id: await freshScene(), image_prompt: `a lighthouse ${n}` };
    case 'generated_images':
    case 'video_clips':
      return { project_id, scene_id: parents.scene.id, take: n + 1 };
    case 'user_approvals':
      return { project_id, scene_id: parents.scene.id, decision: 'approved' };
    case 'final_videos':
      return { project_id };
    case 'jobs':
      return { type: 'transcribe' };
    case 'artists':
      return { name: `artist ${n}` };
    case 'model_contracts':
      return { model: 'acme/video-model', version: `v${n}`, openapi_schema: { components: { schemas: { Input: { properties: {} } } } }, source: 'api', fetched_at: new Date().toISOString() };
  }
}

function jobLease(job: Job) {
  assert.ok(job.locked_by, 'claimed job has locked_by');
  return { id: job.id, workerId: job.locked_by, attempt: job.attempts };
}

export function runStoreContract(label: string, factory: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${label}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    let s: LooseStore;
    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
      s = loose(store);
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    describe('every table', () => {
      for (const table of TABLE_NAMES) {
        it(`${table}: insert fills defaults; get, list, count, update, updateIf, delete, deleteWhere`, async () => {
          const parents = await makeParents(store);
          const input = await minimalRow(store, table, parents, 1);
          const before = Date.now();
          const row = await s.insert(table, input);

          // shape: exactly the model's columns, valid by the model's schema
          const schema = TABLE_SCHEMAS[table];
          assert.deepEqual(Object.keys(row).sort(), Object.keys(schema.shape).sort());
          const parsed = schema.safeParse(row);
          assert.ok(parsed.success, `row matches the model: ${parsed.success ? '' : parsed.error.message}`);
          assert.equal(typeof row.id, 'string');
          assert.ok(ms(row.created_at) >= before - 5000 && ms(row.created_at) <= Date.now() + 5000);
          assert.ok(ms(row.updated_at) >= ms(row.created_at));
          for (const [column, value] of Object.entries(DEFAULTS[table])) {
            if (!(column in input)) assert.deepEqual(row[column], value, `default of ${table}.${column}`);
          }
          for (const column of Object.keys(schema.shape)) {
            const managed = ['id', 'created_at', 'updated_at', 'run_after'].includes(column);
            if (!managed && !(column in input) && !(column in DEFAULTS[table])) {
              assert.equal(row[column], null, `${table}.${column} defaults to null`);
            }
          }
          for (const [column, value] of Object.entries(input)) assert.deepEqual(row[column], value);

          assert.deepEqual(await s.get(table, row.id as string), row);
          assert.equal(await s.get(table, randomUUID()), null);
          assert.deepEqual(await s.list(table, { where: { id: row.id } }), [row]);
          assert.equal(await s.count(table, { id: row.id }), 1);

          // update bumps updated_at and changes only what was asked
          const [column, value] = MUTABLE[table];
          await sleep(5);
          const updated = await s.update(table, row.id as string, { [column]: value });
          assert.deepEqual(updated[column], value);
          assert.ok(ms(updated.updated_at) > ms(row.updated_at), 'updated_at moves forward');
          assert.equal(ms(updated.created_at), ms(row.created_at));
          for (const other of Object.keys(schema.shape)) {
            if (![column, 'updated_at'].includes(other)) assert.deepEqual(updated[other], row[other], `${other} untouched`);
          }
          await rejectsWith(s.update(table, randomUUID(), { [column]: value }), 'not_found');

          // updateIf: compare-and-set
          assert.equal(await s.updateIf(table, row.id as string, { [column]: 'no such value' }, { [column]: null }), null);
          assert.deepEqual((await s.get(table, row.id as string))?.[column], value);
          const swapped = await s.updateIf(table, row.id as string, { [column]: value }, { [column]: null });
          assert.ok(swapped);
          assert.equal(swapped[column], null);
          assert.equal(await s.updateIf(table, randomUUID(), {}, { [column]: null }), null);

          // delete / deleteWhere
          assert.equal(await s.delete(table, row.id as string), true);
          assert.equal(await s.get(table, row.id as string), null);
          assert.equal(await s.delete(table, row.id as string), false);
          const a = await s.insert(table, await minimalRow(store, table, parents, 2));
          const b = await s.insert(table, await minimalRow(store, table, parents, 3));
          assert.equal(await s.deleteWhere(table, { id: { in: [a.id] } }), 1);
          assert.equal(await s.get(table, a.id as string), null);
          assert.ok(await s.get(table, b.id as string));
        });

        it(`${table}: required columns, given ids, unknown columns`, async () => {
          const parents = await makeParents(store);
          for (const column of REQUIRED_ON_INSERT[table] as readonly string[]) {
            const input = await minimalRow(store, table, parents, 4);
            delete input[column];
            await rejectsWith(s.insert(table, input), 'invalid_input');
          }
          const id = randomUUID();
          const row = await s.insert(table, { ...(await minimalRow(store, table, parents, 5)), id });
          assert.equal(row.id, id);
          await rejectsWith(s.insert(table, { ...(await minimalRow(store, table, parents, 6)), id }), 'conflict');
          await rejectsWith(s.insert(table, { ...(await minimalRow(store, table, parents, 7)), no_such_column: 1 }), 'invalid_input');
          await rejectsWith(s.update(table, id, { no_such_column: 1 }), 'invalid_input');
          await rejectsWith(s.list(table, { where: { no_such_column: 1 } }), 'invalid_input');
        });
      }
    });

    describe('values', () => {
      it('round-trips JSON columns', async () => {
        const transcript = {
          source: 'lrc',
          language: 'en',
          segments: [
            { start: 0, end: 2.5, text: 'Ünïcödé "quotes" \\ and\nnewlines 🎵' },
            { start: 2.5, end: 4, text: 'second', words: [{ start: 2.5, end: 3, text: 'sec' }] },
          ],
          warnings: ['line 3 skipped'],
        };
        const project = await store.insert('projects', { name: 'json', transcript });
        assert.deepEqual(project.transcript, transcript);
        assert.deepEqual((await store.get('projects', project.id))?.transcript, transcript);
        const cleared = await store.update('projects', project.id, { transcript: null });
        assert.equal(cleared.transcript, null);

        const scene = await store.insert('selected_scenes', { project_id: project.id, order_idx: 0, start_time_s: 0, end_time_s: 5 });
        const palette = ['#1b1f3a', '#ff8800'];
        const prompt = await store.insert('scene_prompts', {
          project_id: project.id,
          scene_id: scene.id,
          image_prompt: 'x',
          color_palette: palette,
        });
        assert.deepEqual((await store.get('scene_prompts', prompt.id))?.color_palette, palette);

        const payload = { nested: { list: [1, 2.5, 'three', null, true], empty: {} }, n: 0 };
        const job = await store.insert('jobs', { type: 'generate_images', project_id: project.id, payload });
        assert.deepEqual((await store.get('jobs', job.id))?.payload, payload);
        assert.equal(job.result, null);

        const artist = await store.insert('artists', { name: 'ada', reference_images: ['artists/a/1.png', 'artists/a/2.png'] });
        assert.deepEqual((await store.get('artists', artist.id))?.reference_images, ['artists/a/1.png', 'artists/a/2.png']);
      });

      it('keeps a project\'s audio analysis whole (the analyze step), and refuses a broken one', async () => {
        const analysis = {
          version: 1,
          audio_sha256: 'ab'.repeat(32),
          duration_s: 12.5,
          tempo_bpm: 120,
          beats: [0.5, 1, 1.5, 2, 2.5, 3.0005],
          downbeats: [0.5, 2.5],
          meter: 4,
          sections: [
            { start_s: 0, end_s: 6, label: 'A', energy: 0.25 },
            { start_s: 6, end_s: 12.5, label: 'B', energy: 0.875 },
          ],
          chorus_label: 'B',
          energy: { hop_s: 0.5, values: [0, 0.125, 1, 0.5] },
          vocal_activity: null,
          waveform: { hop_s: 0.05, values: [0.1, 0.9] },
          notes: ['no steady beat found; cuts fall on an even grid'],
        };
        const project = await store.insert('projects', { name: 'heard' });
        assert.equal(project.audio_analysis, null, 'null until analysed');
        const updated = await store.update('projects', project.id, { audio_analysis: analysis });
        assert.deepEqual(updated.audio_analysis, analysis);
        assert.deepEqual((await store.get('projects', project.id))?.audio_analysis, analysis);
        assert.deepEqual((await store.list('projects', { where: { id: project.id } }))[0]?.audio_analysis, analysis);
        // a broken analysis (NaN tempo, energy outside 0..1, no sections field) is refused and the stored one kept
        await rejectsWith(store.update('projects', project.id, { audio_analysis: { ...analysis, tempo_bpm: Number.NaN } }), 'invalid_input');
        await rejectsWith(store.update('projects', project.id, { audio_analysis: { ...analysis, energy: { hop_s: 0.5, values: [1.5] } } }), 'invalid_input');
        const { sections: _dropped, ...noSections } = analysis;
        await rejectsWith(store.update('projects', project.id, { audio_analysis: noSections as never }), 'invalid_input');
        assert.deepEqual((await store.get('projects', project.id))?.audio_analysis, analysis, 'untouched');
        assert.equal((await store.update('projects', project.id, { audio_analysis: null })).audio_analysis, null);
      });

      it('round-trips booleans and numbers, and filters on booleans', async () => {
        const project = await store.insert('projects', { name: 'bools', audio_duration_s: 187.123456, audio_size_bytes: 4_123_456_789 });
        assert.equal(project.audio_duration_s, 187.123456);
        assert.equal(project.audio_size_bytes, 4_123_456_789);
        const off = await store.insert('final_videos', { project_id: project.id });
        const on = await store.insert('final_videos', { project_id: project.id, lyrics_overlay: true, fps: 29.97 });
        assert.equal(off.lyrics_overlay, false);
        assert.equal(on.lyrics_overlay, true);
        assert.equal(on.fps, 29.97);
        assert.equal((await store.get('final_videos', on.id))?.lyrics_overlay, true);
        assert.deepEqual((await store.list('final_videos', { where: { lyrics_overlay: true } })).map((r) => r.id), [on.id]);
        assert.deepEqual((await store.list('final_videos', { where: { lyrics_overlay: false } })).map((r) => r.id), [off.id]);
        assert.equal((await store.update('final_videos', off.id, { lyrics_overlay: true })).lyrics_overlay, true);
      });

      it('rejects values that break the model', async () => {
        await rejectsWith(store.insert('projects', { name: 'x', status: 'bogus' as never }), 'invalid_input');
        await rejectsWith(store.insert('jobs', { type: 'no_such_type' as never }), 'invalid_input');
        await rejectsWith(store.insert('projects', { name: 42 as never }), 'invalid_input');
        const project = await store.insert('projects', { name: 'ok' });
        await rejectsWith(store.update('projects', project.id, { name: null as never }), 'invalid_input');
        await rejectsWith(store.update('projects', project.id, { status: 'bogus' as never }), 'invalid_input');
        assert.equal((await store.get('projects', project.id))?.status, 'created');
      });

      it('accepts explicit timestamps', async () => {
        const created = '2024-03-01T10:00:00.000Z';
        const project = await store.insert('projects', { name: 'old', created_at: created });
        assert.equal(ms(project.created_at), ms(created));
      });
    });

    describe('queries', () => {
      async function seed() {
        const rows = [];
        for (let i = 0; i < 5; i++) {
          rows.push(
            await store.insert('projects', {
              name: `f${i}`,
              width: 100 * (i + 1),
              description: i % 2 === 0 ? null : `odd ${i}`,
              created_at: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
            }),
          );
        }
        return rows;
      }
      const names = (rows: { name: string }[]): string[] => rows.map((r) => r.name);

      it('filters: eq, null, in, neq, gt, gte, lt, lte, combined', async () => {
        await seed();
        const q = (where: object) => store.list('projects', { where: where as never, order: { column: 'name' } });
        assert.deepEqual(names(await q({ name: 'f2' })), ['f2']);
        assert.deepEqual(names(await q({ width: 300 })), ['f2']);
        assert.deepEqual(names(await q({ description: null })), ['f0', 'f2', 'f4']);
        assert.deepEqual(names(await q({ name: { in: ['f1', 'f3', 'zz'] } })), ['f1', 'f3']);
        assert.deepEqual(names(await q({ name: { in: [] } })), []);
        assert.deepEqual(names(await q({ name: { neq: 'f0' } })), ['f1', 'f2', 'f3', 'f4']);
        assert.deepEqual(names(await q({ width: { gt: 300 } })), ['f3', 'f4']);
        assert.deepEqual(names(await q({ width: { gte: 300 } })), ['f2', 'f3', 'f4']);
        assert.deepEqual(names(await q({ width: { lt: 300 } })), ['f0', 'f1']);
        assert.deepEqual(names(await q({ width: { lte: 300 } })), ['f0', 'f1', 'f2']);
        assert.deepEqual(names(await q({ width: { gte: 200 }, description: null })), ['f2', 'f4']);
        assert.deepEqual(names(await q({ created_at: { gte: '2024-01-03T00:00:00.000Z' } })), ['f2', 'f3', 'f4']);
        assert.deepEqual(names(await q({ created_at: { lt: '2024-01-02T12:00:00Z' } })), ['f0', 'f1']);
        assert.equal(await store.count('projects'), 5);
        assert.equal(await store.count('projects', { description: null }), 3);
        assert.equal(await store.count('projects', { width: { gt: 1000 } }), 0);
      });

      it('orders, limits and offsets', async () => {
        await seed();
        assert.deepEqual(names(await store.list('projects', { order: { column: 'width', ascending: false } })), ['f4', 'f3', 'f2', 'f1', 'f0']);
        assert.deepEqual(names(await store.list('projects', { order: { column: 'created_at' } })), ['f0', 'f1', 'f2', 'f3', 'f4']);
        assert.deepEqual(
          names(await store.list('projects', { order: [{ column: 'status' }, { column: 'width', ascending: false }] })),
          ['f4', 'f3', 'f2', 'f1', 'f0'],
        );
        assert.deepEqual(names(await store.list('projects', { order: { column: 'name' }, limit: 2 })), ['f0', 'f1']);
        assert.deepEqual(names(await store.list('projects', { order: { column: 'name' }, limit: 2, offset: 1 })), ['f1', 'f2']);
        assert.deepEqual(names(await store.list('projects', { order: { column: 'name' }, limit: 10, offset: 4 })), ['f4']);
        assert.deepEqual(names(await store.list('projects', { order: { column: 'name' }, limit: 0 })), []);
        assert.equal((await store.list('projects')).length, 5);
      });

      it('deleteWhere removes exactly the matching rows', async () => {
        await seed();
        assert.equal(await store.deleteWhere('projects', { width: { gte: 400 } }), 2);
        assert.equal(await store.deleteWhere('projects', { name: 'nope' }), 0);
        assert.deepEqual(names(await store.list('projects', { order: { column: 'name' } })), ['f0', 'f1', 'f2']);
      });
    });

    describe('keys and relations', () => {
      it('unique keys conflict', async () => {
        const { project, scene } = await makeParents(store);
        const other = await store.insert('projects', { name: 'other' });
        await rejectsWith(
          store.insert('selected_scenes', { project_id: project.id, order_idx: 0, start_time_s: 0, end_time_s: 5 }),
          'conflict',
        );
        const elsewhere = await store.insert('selected_scenes', { project_id: other.id, order_idx: 0, start_time_s: 0, end_time_s: 5 });
        assert.equal(elsewhere.order_idx, 0);
        const second = await store.insert('selected_scenes', { project_id: project.id, order_idx: 1, start_time_s: 5, end_time_s: 10 });
        await rejectsWith(store.update('selected_scenes', second.id, { order_idx: 0 }), 'conflict');
        assert.equal((await store.get('selected_scenes', second.id))?.order_idx, 1);

        await store.insert('scene_prompts', { project_id: project.id, scene_id: scene.id, image_prompt: 'a' });
        await rejectsWith(store.insert('scene_prompts', { project_id: project.id, scene_id: scene.id, image_prompt: 'b' }), 'conflict');
        for (const table of ['generated_images', 'video_clips'] as const) {
          await store.insert(table, { project_id: project.id, scene_id: scene.id, take: 1 });
          await rejectsWith(store.insert(table, { project_id: project.id, scene_id: scene.id }), 'conflict');
          const take2 = await store.insert(table, { project_id: project.id, scene_id: scene.id, take: 2 });
          assert.equal(take2.take, 2);
        }
      });

      it('a reference to a missing parent is invalid_input', async () => {
        const { project } = await makeParents(store);
        await rejectsWith(
          store.insert('selected_scenes', { project_id: randomUUID(), order_idx: 0, start_time_s: 0, end_time_s: 1 }),
          'invalid_input',
        );
        await rejectsWith(store.insert('scene_prompts', { project_id: project.id, scene_id: randomUUID(), image_prompt: 'x' }), 'invalid_input');
        await rejectsWith(store.insert('jobs', { type: 'transcribe', project_id: randomUUID() }), 'invalid_input');
        await rejectsWith(store.insert('final_videos', { project_id: randomUUID() }), 'invalid_input');
        assert.equal(await store.count('jobs'), 0);
        const job = await store.insert('jobs', { type: 'transcribe', project_id: null });
        assert.equal(job.project_id, null);
      });

      it('a child row cannot reference a scene of another project', async () => {
        const mine = await makeParents(store, 'mine');
        const theirs = await makeParents(store, 'theirs');
        const p = mine.project.id;
        const theirPrompt = await store.insert('scene_prompts', { project_id: theirs.project.id, scene_id: theirs.scene.id, image_prompt: 't' });
        const theirImage = await store.insert('generated_images', { project_id: theirs.project.id, scene_id: theirs.scene.id });
        const theirClip = await store.insert('video_clips', { project_id: theirs.project.id, scene_id: theirs.scene.id });
        // a second scene of theirs with nothing on it, so no unique key answers before the reference
        const bare = await store.insert('selected_scenes', { project_id: theirs.project.id, order_idx: 1, start_time_s: 5, end_time_s: 9 });

        // the scene of another project
        await rejectsWith(store.insert('scene_prompts', { project_id: p, scene_id: bare.id, image_prompt: 'x' }), 'invalid_input');
        await rejectsWith(store.insert('generated_images', { project_id: p, scene_id: bare.id }), 'invalid_input');
        await rejectsWith(store.insert('video_clips', { project_id: p, scene_id: bare.id }), 'invalid_input');
        await rejectsWith(store.insert('user_approvals', { project_id: p, scene_id: bare.id, decision: 'approved' }), 'invalid_input');
        // its prompt, image or clip, even from a scene of our own
        const own = { project_id: p, scene_id: mine.scene.id };
        await rejectsWith(store.insert('generated_images', { ...own, prompt_id: theirPrompt.id }), 'invalid_input');
        await rejectsWith(store.insert('video_clips', { ...own, image_id: theirImage.id }), 'invalid_input');
        await rejectsWith(store.insert('user_approvals', { ...own, image_id: theirImage.id, decision: 'approved' }), 'invalid_input');
        await rejectsWith(store.insert('user_approvals', { ...own, clip_id: theirClip.id, decision: 'rejected' }), 'invalid_input');
        // all or nothing: one bad row in a batch stores none
        await rejectsWith(store.insertMany('generated_images', [{ ...own, take: 1 }, { project_id: p, scene_id: bare.id, take: 1 }]), 'invalid_input');

        // an existing row cannot be pointed at it, nor moved to the other project under its scene
        const image = await store.insert('generated_images', { ...own });
        await rejectsWith(store.update('generated_images', image.id, { scene_id: bare.id }), 'invalid_input');
        await rejectsWith(store.update('generated_images', image.id, { project_id: theirs.project.id }), 'invalid_input');
        await rejectsWith(store.updateIf('video_clips', theirClip.id, {}, { image_id: image.id }), 'invalid_input');
        // nor can a scene move to the other project while rows of this one refer to it
        const moving = await store.insert('selected_scenes', { project_id: p, order_idx: 7, start_time_s: 9, end_time_s: 12 });
        await store.insert('video_clips', { project_id: p, scene_id: moving.id });
        await rejectsWith(store.update('selected_scenes', moving.id, { project_id: theirs.project.id }), 'invalid_input');

        // nothing was written, and their unique keys are free for them
        const stored = await store.get('generated_images', image.id);
        assert.equal(stored?.scene_id, mine.scene.id);
        assert.equal(stored?.project_id, p);
        assert.equal((await store.get('video_clips', theirClip.id))?.image_id, null);
        assert.equal((await store.get('selected_scenes', moving.id))?.project_id, p);
        for (const table of ['scene_prompts', 'generated_images', 'video_clips', 'user_approvals'] as const) {
          assert.equal(await store.count(table, { scene_id: bare.id }), 0, `${table} on their bare scene`);
        }
        assert.equal(await store.count('user_approvals', { project_id: p }), 0);
        assert.equal((await store.insert('scene_prompts', { project_id: theirs.project.id, scene_id: bare.id, image_prompt: 'ok' })).scene_id, bare.id);
        assert.equal((await store.insert('generated_images', { project_id: theirs.project.id, scene_id: bare.id, take: 1 })).take, 1);
        // references inside one project still work
        const prompt = await store.insert('scene_prompts', { ...own, image_prompt: 'mine' });
        assert.equal((await store.update('generated_images', image.id, { prompt_id: prompt.id })).prompt_id, prompt.id);
      });

      it('deleting a prompt, image or clip unlinks the rows that refer to it and keeps them in their project', async () => {
        const { project, scene } = await makeParents(store);
        const prompt = await store.insert('scene_prompts', { project_id: project.id, scene_id: scene.id, image_prompt: 'x' });
        const image = await store.insert('generated_images', { project_id: project.id, scene_id: scene.id, prompt_id: prompt.id });
        const clip = await store.insert('video_clips', { project_id: project.id, scene_id: scene.id, image_id: image.id });
        const approval = await store.insert('user_approvals', {
          project_id: project.id,
          scene_id: scene.id,
          image_id: image.id,
          clip_id: clip.id,
          decision: 'approved',
        });
        assert.equal(await store.delete('scene_prompts', prompt.id), true);
        const unlinkedImage = await store.get('generated_images', image.id);
        assert.equal(unlinkedImage?.prompt_id, null);
        assert.equal(unlinkedImage?.project_id, project.id);
        assert.equal(await store.delete('video_clips', clip.id), true);
        assert.equal(await store.delete('generated_images', image.id), true);
        const unlinked = await store.get('user_approvals', approval.id);
        assert.equal(unlinked?.image_id, null);
        assert.equal(unlinked?.clip_id, null);
        assert.equal(unlinked?.project_id, project.id);
        assert.equal(unlinked?.scene_id, scene.id);
      });

      it('deleting a project cascades to every child table, and only its own rows', async () => {
        const build = async (name: string) => {
          const { project, scene } = await makeParents(store, name);
          const prompt = await store.insert('scene_prompts', { project_id: project.id, scene_id: scene.id, image_prompt: 'x' });
          const image = await store.insert('generated_images', { project_id: project.id, scene_id: scene.id, prompt_id: prompt.id });
          const clip = await store.insert('video_clips', { project_id: project.id, scene_id: scene.id, image_id: image.id });
          await store.insert('user_approvals', {
            project_id: project.id,
            scene_id: scene.id,
            image_id: image.id,
            clip_id: clip.id,
            decision: 'approved',
          });
          await store.insert('final_videos', { project_id: project.id });
          await store.insert('jobs', { project_id: project.id, type: 'assemble_video' });
          return project;
        };
        const doomed = await build('doomed');
        const kept = await build('kept');
        assert.equal(await store.delete('projects', doomed.id), true);
        for (const table of ['selected_scenes', 'scene_prompts', 'generated_images', 'video_clips', 'user_approvals', 'final_videos', 'jobs'] as const) {
          assert.equal(await store.count(table, { project_id: doomed.id }), 0, `${table} of the deleted project`);
          assert.equal(await store.count(table, { project_id: kept.id }), 1, `${table} of the other project`);
        }
      });

      it('deleting a scene cascades to its prompt, takes and approvals', async () => {
        const { project, scene } = await makeParents(store);
        const keep = await store.insert('selected_scenes', { project_id: project.id, order_idx: 1, start_time_s: 5, end_time_s: 9 });
        for (const sc of [scene, keep]) {
          await store.insert('scene_prompts', { project_id: project.id, scene_id: sc.id, image_prompt: 'x' });
          await store.insert('generated_images', { project_id: project.id, scene_id: sc.id });
          await store.insert('video_clips', { project_id: project.id, scene_id: sc.id });
          await store.insert('user_approvals', { project_id: project.id, scene_id: sc.id, decision: 'rejected' });
        }
        await store.delete('selected_scenes', scene.id);
        for (const table of ['scene_prompts', 'generated_images', 'video_clips', 'user_approvals'] as const) {
          assert.equal(await store.count(table, { scene_id: scene.id }), 0, table);
          assert.equal(await store.count(table, { scene_id: keep.id }), 1, table);
        }
      });

      it('insertMany is all or nothing', async () => {
        const rows = await store.insertMany('projects', [{ name: 'm1' }, { name: 'm2' }, { name: 'm3' }]);
        assert.deepEqual(rows.map((r) => r.name), ['m1', 'm2', 'm3']);
        assert.equal(await store.count('projects'), 3);
        await rejectsWith(store.insertMany('projects', [{ name: 'm4' }, { description: 'no name' }]), 'invalid_input');
        const dup = randomUUID();
        await rejectsWith(store.insertMany('projects', [{ id: dup, name: 'm5' }, { id: dup, name: 'm6' }]), 'conflict');
        assert.equal(await store.count('projects'), 3);
        assert.deepEqual(await store.insertMany('projects', []), []);
      });

      it('replaceScenes swaps scenes atomically and cascades to the old ones', async () => {
        const { project, scene } = await makeParents(store);
        const second = await store.insert('selected_scenes', { project_id: project.id, order_idx: 1, start_time_s: 5, end_time_s: 10 });
        await store.insert('scene_prompts', { project_id: project.id, scene_id: scene.id, image_prompt: 'x' });
        const other = await makeParents(store, 'other');

        // a bad row anywhere: nothing changes
        await rejectsWith(
          store.replaceScenes(project.id, [
            { order_idx: 0, start_time_s: 0, end_time_s: 4 },
            { order_idx: 1, start_time_s: 4 }, // end_time_s missing
          ]),
          'invalid_input',
        );
        await rejectsWith(
          store.replaceScenes(project.id, [
            { order_idx: 0, start_time_s: 0, end_time_s: 4 },
            { order_idx: 0, start_time_s: 4, end_time_s: 8 },
          ]),
          'conflict',
        );
        const unchanged = await store.list('selected_scenes', { where: { project_id: project.id }, order: { column: 'order_idx' } });
        assert.deepEqual(unchanged.map((r) => r.id), [scene.id, second.id]);
        assert.equal(await store.count('scene_prompts', { project_id: project.id }), 1);

        const fresh = await store.replaceScenes(project.id, [
          { order_idx: 0, start_time_s: 0, end_time_s: 3, title: 'intro' },
          { order_idx: 1, start_time_s: 3, end_time_s: 7 },
          { order_idx: 2, start_time_s: 7, end_time_s: 12 },
        ]);
        assert.deepEqual(fresh.map((r) => r.order_idx), [0, 1, 2]);
        assert.ok(fresh.every((r) => r.project_id === project.id));
        assert.equal(fresh[0]?.title, 'intro');
        const stored = await store.list('selected_scenes', { where: { project_id: project.id }, order: { column: 'order_idx' } });
        assert.deepEqual(stored.map((r) => r.id), fresh.map((r) => r.id));
        assert.equal(await store.get('selected_scenes', scene.id), null);
        assert.equal(await store.count('scene_prompts', { project_id: project.id }), 0);
        assert.equal(await store.count('selected_scenes', { project_id: other.project.id }), 1);

        assert.deepEqual(await store.replaceScenes(project.id, []), []);
        assert.equal(await store.count('selected_scenes', { project_id: project.id }), 0);
      });
    });

    describe('job queue', () => {
      const lease = { leaseSeconds: 60 };
      async function addJob(extra: AnyRow = {}): Promise<Job> {
        return store.insert('jobs', { type: 'transcribe', ...extra } as never);
      }
      /** Fake a dead worker: its last heartbeat and its lease end both lie `agoMs` in the past. */
      async function backdateLease(id: string, agoMs: number): Promise<void> {
        const past = new Date(Date.now() - agoMs).toISOString();
        await store.update('jobs', id, { heartbeat_at: past, lease_expires_at: past });
      }

      it('claims the oldest runnable job once, and marks it running', async () => {
        assert.equal(await store.claimJob({ workerId: 'w1', ...lease }), null);
        const newer = await addJob({ created_at: '2024-01-02T00:00:00.000Z' });
        const older = await addJob({ created_at: '2024-01-01T00:00:00.000Z' });
        await addJob({ run_after: new Date(Date.now() + 3600_000).toISOString() });

        const before = Date.now();
        const first = await store.claimJob({ workerId: 'w1', ...lease });
        assert.ok(first);
        assert.equal(first.id, older.id);
        assert.equal(first.status, 'running');
        assert.equal(first.attempts, 1);
        assert.equal(first.locked_by, 'w1');
        for (const column of ['locked_at', 'heartbeat_at', 'started_at'] as const) {
          assert.ok(ms(first[column]) >= before - 5000, `${column} set`);
        }
        const second = await store.claimJob({ workerId: 'w2', ...lease });
        assert.equal(second?.id, newer.id);
        assert.equal(second?.locked_by, 'w2');
        assert.equal(await store.claimJob({ workerId: 'w3', ...lease }), null, 'future run_after is not runnable');
        assert.equal((await store.get('jobs', older.id))?.status, 'running');
      });

      it('claims by type, project and id', async () => {
        const { project } = await makeParents(store);
        const transcribe = await addJob();
        const images = await addJob({ type: 'generate_images' });
        const mine = await addJob({ type: 'generate_clips', project_id: project.id });
        assert.equal(await store.claimJob({ workerId: 'w', ...lease, types: ['assemble_video'] }), null);
        assert.equal((await store.claimJob({ workerId: 'w', ...lease, types: ['generate_images', 'assemble_video'] }))?.id, images.id);
        assert.equal((await store.claimJob({ workerId: 'w', ...lease, projectId: project.id }))?.id, mine.id);
        assert.equal(await store.claimJob({ workerId: 'w', ...lease, jobId: images.id }), null, 'already running');
        assert.equal((await store.claimJob({ workerId: 'w', ...lease, jobId: transcribe.id }))?.id, transcribe.id);
      });

      it('heartbeat, progress and completion need the lease', async () => {
        await addJob();
        const job = await store.claimJob({ workerId: 'w1', ...lease });
        assert.ok(job);
        const held = jobLease(job);
        assert.equal(await store.heartbeatJob({ ...held, workerId: 'intruder' }), false);
        assert.equal(await store.heartbeatJob({ ...held, attempt: held.attempt + 1 }), false);
        assert.equal(await store.heartbeatJob({ ...held, id: randomUUID() }), false);
        await sleep(5);
        assert.equal(await store.heartbeatJob(held, 40), true);
        const beat = await store.get('jobs', job.id);
        assert.equal(beat?.progress, 40);
        assert.ok(ms(beat?.heartbeat_at) > ms(job.heartbeat_at));

        assert.equal(await store.updateJobProgress(held, 60, { scenes_done: 3 }), true);
        assert.equal(await store.updateJobProgress({ ...held, workerId: 'intruder' }, 90), false);
        const progressed = await store.get('jobs', job.id);
        assert.equal(progressed?.progress, 60);
        assert.deepEqual(progressed?.result, { scenes_done: 3 });

        assert.equal(await store.completeJob({ ...held, workerId: 'intruder' }, { nope: true }), null);
        const done = await store.completeJob(held, { video: 'final.mp4' }, 0.25);
        assert.ok(done);
        assert.equal(done.status, 'completed');
        assert.equal(done.progress, 100);
        assert.deepEqual(done.result, { video: 'final.mp4' });
        assert.equal(done.cost_usd, 0.25);
        assert.equal(done.locked_by, null);
        assert.ok(ms(done.finished_at) >= ms(job.started_at));
        assert.equal(await store.completeJob(held, { again: true }), null, 'completes once');
        assert.equal(await store.heartbeatJob(held), false);
        assert.equal(await store.failJob(held, 'late', { retry: true }), null);
      });

      it('failJob retries with backoff while attempts remain, then fails for good', async () => {
        const job = await addJob({ max_attempts: 2 });
        const first = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(first);
        const before = Date.now();
        const retried = await store.failJob(jobLease(first), 'rate limited', { retry: true, backoffSeconds: 120 });
        assert.ok(retried);
        assert.equal(retried.status, 'pending');
        assert.equal(retried.error, 'rate limited');
        assert.equal(retried.locked_by, null);
        assert.equal(retried.attempts, 1);
        assert.ok(ms(retried.run_after) >= before + 119_000, 'run_after honours the backoff');
        assert.equal(await store.claimJob({ workerId: 'w', ...lease }), null, 'not runnable during backoff');

        await store.update('jobs', job.id, { run_after: new Date(Date.now() - 1000).toISOString() });
        const second = await store.claimJob({ workerId: 'w', ...lease });
        assert.equal(second?.id, job.id);
        assert.equal(second?.attempts, 2);
        assert.ok(second);
        const failed = await store.failJob(jobLease(second), 'still broken', { retry: true, backoffSeconds: 1 });
        assert.equal(failed?.status, 'failed', 'attempts spent');
        assert.equal(failed?.error, 'still broken');
        assert.ok(failed?.finished_at);

        await addJob();
        const third = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(third);
        const permanent = await store.failJob(jobLease(third), '401 unauthorized', { retry: false });
        assert.equal(permanent?.status, 'failed');
        assert.equal(permanent?.attempts, 1);
      });

      it('recovers expired leases; the stale worker is refused afterwards', async () => {
        const job = await addJob();
        const a = await store.claimJob({ workerId: 'worker-a', ...lease });
        assert.ok(a);
        assert.equal(await store.recoverExpiredJobs(60), 0, 'a fresh lease is kept');
        await backdateLease(job.id, 120_000);
        assert.equal(await store.recoverExpiredJobs(60), 1);
        const recovered = await store.get('jobs', job.id);
        assert.equal(recovered?.status, 'pending');
        assert.equal(recovered?.locked_by, null);

        const b = await store.claimJob({ workerId: 'worker-b', ...lease });
        assert.equal(b?.id, job.id);
        assert.equal(b?.attempts, 2);
        assert.ok(b);
        const stale = jobLease(a);
        assert.equal(await store.heartbeatJob(stale), false);
        assert.equal(await store.updateJobProgress(stale, 50), false);
        assert.equal(await store.completeJob(stale, { stale: true }), null);
        assert.equal(await store.failJob(stale, 'stale', { retry: false }), null);
        assert.equal(await store.releaseJob(stale), false);
        // the same worker id on an old attempt is refused too
        await backdateLease(job.id, 120_000);
        assert.equal(await store.recoverExpiredJobs(60), 1);
        const again = await store.claimJob({ workerId: 'worker-a', ...lease });
        assert.equal(again?.attempts, 3);
        assert.equal(await store.heartbeatJob(stale), false);
        assert.ok(again);
        assert.equal((await store.completeJob(jobLease(again), { ok: true }))?.status, 'completed');
      });

      it("recovery judges a job by its own lease, not by the caller's", async () => {
        const job = await addJob();
        const claimed = await store.claimJob({ workerId: 'long-lease', leaseSeconds: 300 });
        assert.ok(claimed);
        assert.ok(claimed.lease_expires_at, 'claim stores when the lease ends');
        const length = (row: Job | null): number => ms(row?.lease_expires_at) - ms(row?.heartbeat_at);
        assert.ok(Math.abs(length(claimed) - 300_000) < 1000, `claimed for 300 s, got ${length(claimed)} ms`);

        // two seconds after its last heartbeat the worker is alive: a 1 s caller must not take its job
        await store.update('jobs', job.id, {
          heartbeat_at: new Date(Date.now() - 2000).toISOString(),
          lease_expires_at: new Date(Date.now() + 298_000).toISOString(),
        });
        assert.equal(await store.recoverExpiredJobs(1), 0);
        assert.equal((await store.get('jobs', job.id))?.locked_by, 'long-lease');

        // renewals: the holder's length when it names one, otherwise the length the lease has
        const held = jobLease(claimed);
        assert.equal(await store.heartbeatJob({ ...held, leaseSeconds: 120 }, 10), true);
        const renewed = await store.get('jobs', job.id);
        assert.ok(Math.abs(length(renewed) - 120_000) < 1000, `renewed for 120 s, got ${length(renewed)} ms`);
        assert.ok(ms(renewed?.lease_expires_at) > Date.now() + 100_000);
        assert.equal(await store.heartbeatJob(held), true);
        assert.ok(Math.abs(length(await store.get('jobs', job.id)) - 120_000) < 1000, 'a renewal without a length keeps it');
        assert.equal(await store.updateJobProgress({ ...held, leaseSeconds: 200 }, 20), true);
        assert.ok(Math.abs(length(await store.get('jobs', job.id)) - 200_000) < 1000, 'progress renews the lease too');
        await rejectsWith(store.heartbeatJob({ ...held, leaseSeconds: 0 }), 'invalid_input');

        // a plain update of heartbeat_at is just that: the lease end stays where it was
        const before = await store.get('jobs', job.id);
        await store.update('jobs', job.id, { heartbeat_at: new Date(Date.now() - 10_000).toISOString() });
        const after = await store.get('jobs', job.id);
        assert.equal(after?.lease_expires_at, before?.lease_expires_at);
        assert.ok(Math.abs(ms(after?.heartbeat_at) - (Date.now() - 10_000)) < 1000);

        // an ended lease is recovered whatever the caller's lease, even with a recent heartbeat
        await store.update('jobs', job.id, { lease_expires_at: new Date(Date.now() - 1000).toISOString() });
        assert.equal(await store.recoverExpiredJobs(3600), 1);
        const recovered = await store.get('jobs', job.id);
        assert.equal(recovered?.status, 'pending');
        assert.equal(recovered?.lease_expires_at, null);
        assert.equal(await store.heartbeatJob(held), false);
      });

      it('a running job without a stored lease end is judged by the caller\'s lease; the lease is cleared when the job stops running', async () => {
        const job = await addJob();
        const claimed = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(claimed);
        await store.update('jobs', job.id, { lease_expires_at: null, heartbeat_at: new Date(Date.now() - 30_000).toISOString() });
        assert.equal(await store.recoverExpiredJobs(60), 0);
        assert.equal(await store.recoverExpiredJobs(10), 1);
        await rejectsWith(store.recoverExpiredJobs(0), 'invalid_input');
        await rejectsWith(store.recoverExpiredJobs(-5), 'invalid_input');

        const again = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(again?.lease_expires_at);
        assert.equal((await store.releaseJob(jobLease(again))) && (await store.get('jobs', job.id))?.lease_expires_at, null);
        const third = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(third);
        assert.equal((await store.failJob(jobLease(third), 'retry me', { retry: true }))?.lease_expires_at, null);
        await store.update('jobs', job.id, { run_after: new Date(Date.now() - 1000).toISOString() });
        const fourth = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(fourth);
        assert.equal((await store.completeJob(jobLease(fourth), {}))?.lease_expires_at, null);
        await addJob();
        const fifth = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(fifth?.lease_expires_at);
        assert.equal((await store.cancelJob(fifth.id)).lease_expires_at, null);
      });

      it('fails an expired job whose attempts are spent', async () => {
        const job = await addJob({ max_attempts: 1 });
        assert.ok(await store.claimJob({ workerId: 'w', ...lease }));
        await backdateLease(job.id, 600_000);
        assert.equal(await store.recoverExpiredJobs(60), 1);
        const failed = await store.get('jobs', job.id);
        assert.equal(failed?.status, 'failed');
        assert.ok(failed?.error, 'the reason is recorded');
        assert.ok(failed?.finished_at);
      });

      it('releaseJob gives the job back without spending the attempt', async () => {
        const job = await addJob();
        const claimed = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(claimed);
        assert.equal(await store.releaseJob({ ...jobLease(claimed), workerId: 'other' }), false);
        assert.equal(await store.releaseJob(jobLease(claimed)), true);
        const released = await store.get('jobs', job.id);
        assert.equal(released?.status, 'pending');
        assert.equal(released?.attempts, 0);
        assert.equal(released?.locked_by, null);
        const again = await store.claimJob({ workerId: 'w2', ...lease });
        assert.equal(again?.attempts, 1);
      });

      it('cancelJob: pending and running jobs only', async () => {
        const pending = await addJob({ created_at: '2024-01-02T00:00:00.000Z' });
        const canceled = await store.cancelJob(pending.id, 'not needed');
        assert.equal(canceled.status, 'canceled');
        assert.ok(canceled.finished_at);
        assert.equal(await store.claimJob({ workerId: 'w', ...lease }), null, 'a canceled job is not claimed');

        await addJob();
        const running = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(running);
        assert.equal((await store.cancelJob(running.id)).status, 'canceled');
        assert.equal(await store.heartbeatJob(jobLease(running)), false, 'the holder notices');
        assert.equal(await store.completeJob(jobLease(running), { late: true }), null);
        assert.equal((await store.get('jobs', running.id))?.status, 'canceled');

        await addJob();
        const toFinish = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(toFinish);
        await store.completeJob(jobLease(toFinish), {});
        await rejectsWith(store.cancelJob(toFinish.id), 'conflict');
        await addJob();
        const toFail = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(toFail);
        await store.failJob(jobLease(toFail), 'x', { retry: false });
        await rejectsWith(store.cancelJob(toFail.id), 'conflict');
        await rejectsWith(store.cancelJob(randomUUID()), 'not_found');
      });

      it('refuses bad queue input the same way on every store', async () => {
        await rejectsWith(store.claimJob({ workerId: '', ...lease }), 'invalid_input');
        await rejectsWith(store.claimJob({ workerId: 'w', leaseSeconds: -1 }), 'invalid_input');
        await addJob();
        const claimed = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(claimed);
        const held = jobLease(claimed);
        await rejectsWith(store.heartbeatJob(held, 101), 'invalid_input');
        await rejectsWith(store.heartbeatJob(held, -1), 'invalid_input');
        await rejectsWith(store.updateJobProgress(held, 101), 'invalid_input');
        await rejectsWith(store.updateJobProgress(held, Number.NaN), 'invalid_input');
        await rejectsWith(store.failJob(held, 'boom', { retry: true, backoffSeconds: -5 }), 'invalid_input');
        const row = await store.get('jobs', claimed.id);
        assert.equal(row?.status, 'running', 'refused calls change nothing');
        assert.equal(row?.progress, 0);
        assert.equal(await store.heartbeatJob(held, 100), true, 'the bounds themselves are allowed');
      });

      it('a missing job is not_found with a hint, for cancel and retry', async () => {
        const attempts = [() => store.cancelJob(randomUUID()), () => store.retryJob(randomUUID()), () => store.cancelJob('not-a-uuid')];
        for (const attempt of attempts) {
          await assert.rejects(attempt(), (error: unknown) => {
            assert.ok(isOmveeError(error));
            assert.equal(error.code, 'not_found');
            assert.match(error.hint ?? '', /omvee jobs list/);
            return true;
          });
        }
      });

      it('retryJob: failed and canceled jobs only', async () => {
        await addJob({ max_attempts: 1 });
        const claimed = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(claimed);
        await store.failJob(jobLease(claimed), 'boom', { retry: true });
        assert.equal((await store.get('jobs', claimed.id))?.status, 'failed');

        const kept = await store.retryJob(claimed.id);
        assert.equal(kept.status, 'pending');
        assert.equal(kept.attempts, 1);
        assert.equal(kept.finished_at, null);
        const reclaimed = await store.claimJob({ workerId: 'w', ...lease });
        assert.equal(reclaimed?.id, claimed.id);
        assert.ok(reclaimed);
        await store.failJob(jobLease(reclaimed), 'boom again', { retry: false });
        const reset = await store.retryJob(claimed.id, { resetAttempts: true });
        assert.equal(reset.status, 'pending');
        assert.equal(reset.attempts, 0);

        await rejectsWith(store.retryJob(claimed.id), 'conflict'); // pending
        const running = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(running);
        await rejectsWith(store.retryJob(running.id), 'conflict'); // running
        await store.cancelJob(running.id);
        assert.equal((await store.retryJob(running.id)).status, 'pending'); // canceled → pending
        const again = await store.claimJob({ workerId: 'w', ...lease });
        assert.ok(again);
        await store.completeJob(jobLease(again), {});
        await rejectsWith(store.retryJob(again.id), 'conflict'); // completed
        await rejectsWith(store.retryJob(randomUUID()), 'not_found');
      });
    });

    describe('job feed', () => {
      it('subscribeJobs delivers the rows of its target changed after it started, ending in their last state', async () => {
        const project = await store.insert('projects', { name: 'followed' });
        const other = await store.insert('projects', { name: 'not followed' });
        const before = await store.insert('jobs', { type: 'transcribe', project_id: project.id });
        const seen: Job[] = [];
        const feed = await store.subscribeJobs({ projectId: project.id }, { onChange: (job) => seen.push(job), pollMs: 100 });
        try {
          const job = await store.insert('jobs', { type: 'generate_images', project_id: project.id });
          await store.insert('jobs', { type: 'generate_images', project_id: other.id });
          const claimed = (await store.claimJob({ workerId: 'w', leaseSeconds: 60, jobId: job.id }))!;
          await store.completeJob({ id: job.id, workerId: 'w', attempt: claimed.attempts }, { done: true });
          const deadline = Date.now() + 10_000;
          while (!seen.some((j) => j.id === job.id && j.status === 'completed') && Date.now() < deadline) await sleep(20);
          const mine = seen.filter((j) => j.id === job.id);
          assert.equal(mine.at(-1)?.status, 'completed', `the job's last state: ${mine.map((j) => j.status).join(', ')}`);
          assert.deepEqual(mine.at(-1)?.result, { done: true });
          assert.ok(seen.every((j) => j.project_id === project.id), 'only the target project');
          assert.ok(!seen.some((j) => j.id === before.id), 'nothing that changed before the feed started');
          // versions arrive in order, none twice
          const versions = mine.map((j) => ms(j.updated_at));
          assert.deepEqual(versions, [...versions].sort((a, b) => a - b));
          assert.equal(new Set(mine.map((j) => JSON.stringify(j))).size, mine.length);
        } finally {
          await feed.close();
        }
      });
    });

    it('reports its schema version', async () => {
      const info = await store.schemaInfo();
      assert.ok(info.latest >= 1);
      assert.equal(info.version, info.latest);
    });
  });
}
