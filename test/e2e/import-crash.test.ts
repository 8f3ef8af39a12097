/**
 * `omvee project import` killed with SIGKILL halfway, through the real binary: the half project
 * is never listed as a complete one, and the next import (once the dead import's heartbeat is
 * stale) removes it, rows and files, and imports the project whole.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import { exportProject } from '../../src/core/transfer/export.ts';
import { IMPORT_STALE_MS } from '../../src/core/transfer/import.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { sandbox } from './helpers.ts';

const FILES = 600;

test('kill -9 during import: the half project is not listed as complete and the next import cleans it up', { timeout: 240_000 }, async (t) => {
  const sb = await sandbox(t);
  const store = await openLocalStore({ home: sb.home });
  t.after(() => store.close());
  const blobs = openLocalBlobs({ root: path.join(sb.home, 'project-files') });

  // a source project with many files, so the import takes long enough to be killed midway
  const source = await store.insert('projects', { name: 'Source', status: 'images_generated' });
  const chunk = Buffer.alloc(64 * 1024, 7);
  for (let i = 0; i < FILES; i += 1) await blobs.put(`projects/${source.id}/images/still-${String(i).padStart(4, '0')}.png`, chunk);
  const exportDir = sb.file('export');
  await exportProject({ store, blobs, project: source, outDir: exportDir, omveeVersion: 'test' });

  const running = sb.start(['project', 'import', exportDir, '--name', 'Copy'], { timeoutMs: 120_000 });
  let half: { id: string; name: string } | undefined;
  const deadline = Date.now() + 60_000;
  while (!half && Date.now() < deadline) {
    const rows = await store.list('projects', { where: { status: 'failed' } });
    const candidate = rows.find((p) => p.name.startsWith('Copy'));
    if (candidate && existsSync(path.join(sb.home, 'project-files', 'projects', candidate.id, 'images'))) half = candidate;
    else await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(half, 'the import started writing');
  running.child.kill('SIGKILL');
  const ended = await running.done;
  assert.equal(ended.signal, 'SIGKILL', `killed midway (the import had not finished): ${ended.stderr}`);

  // the half project is not listed as complete
  const listed = await sb.json<{ id: string; name: string; status: string }[]>(['project', 'list']);
  const copies = listed.filter((p) => p.name.startsWith('Copy'));
  assert.deepEqual(copies.map((p) => [p.id, p.status]), [[half.id, 'failed']], 'only the half project, marked failed');
  assert.match(copies[0]!.name, /\(importing\)$/);
  const halfFiles = await blobs.list(`projects/${half.id}/`);
  assert.ok(halfFiles.length < FILES, `killed before all files were copied (${halfFiles.length}/${FILES})`);

  // the next import, once the dead import's heartbeat is stale, removes the half project and imports whole
  await new Promise((r) => setTimeout(r, IMPORT_STALE_MS + 1500));
  const again = await sb.run(['project', 'import', exportDir, '--name', 'Copy', '--json'], { timeoutMs: 120_000 });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, new RegExp(`removed Copy \\(importing\\) \\(${half.id}\\), left half-imported by an import that was interrupted`));
  const imported = JSON.parse(again.stdout) as { id: string; files: number };
  assert.equal(imported.files, FILES);
  const after = (await sb.json<{ id: string; name: string; status: string }[]>(['project', 'list'])).filter((p) => p.name.startsWith('Copy'));
  assert.deepEqual(after.map((p) => [p.id, p.name, p.status]), [[imported.id, 'Copy', 'images_generated']]);
  assert.equal(await store.get('projects', half.id), null, 'the half project row is gone');
  assert.equal(existsSync(path.join(sb.home, 'project-files', 'projects', half.id)), false, 'and its files');
  assert.equal((await blobs.list(`projects/${imported.id}/`)).length, FILES);
});
