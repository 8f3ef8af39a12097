/** Batch files (JSON and CSV) and the batch runner: one project per line, failures don't stop it. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CliContext, type IO, type OutStream } from '../../src/cli/context.ts';
import { openBatchMemory, type BatchMemory } from '../../src/app/batch-memory.ts';
import { OmveeError } from '../../src/core/errors.ts';
import { parseBatch, parseCsv, readBatchFile, type BatchItem } from '../../src/core/batch/parse.ts';
import { runBatch, type BatchLineResult } from '../../src/commands/run/batch.ts';
import { tempHome } from './support/helpers.ts';

const at = '/data/batches/list.csv';

function problems(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof OmveeError, String(error));
    assert.ok(error.hint, 'every batch error has a hint');
    return error.message;
  }
  assert.fail('expected an error');
}

describe('batch files', () => {
  it('CSV: header in any order, quoted fields, paths relative to the batch file', () => {
    const items = parseBatch('name,audio,style,lyrics\r\n"Easy Kill, live",songs/a.mp3,"neon ""noir""",a.lrc\n,/abs/b.wav,,\n\n', { path: at });
    assert.deepEqual(items, [
      { line: 2, audio: '/data/batches/songs/a.mp3', lyrics: '/data/batches/a.lrc', name: 'Easy Kill, live', style: 'neon "noir"' },
      { line: 3, audio: '/abs/b.wav', name: 'b' },
    ]);
  });

  it('CSV: a quoted field may span lines; line numbers follow the file', () => {
    const records = parseCsv('audio,style\na.mp3,"one\ntwo"\nb.mp3,x\n');
    assert.deepEqual(records.map((r) => r.line), [1, 2, 4]);
    assert.equal(records[1]!.fields[1], 'one\ntwo');
    const items = parseBatch('audio,style\na.mp3,"one\ntwo"\nb.mp3,x\n', { path: at });
    assert.deepEqual(items.map((i) => i.line), [2, 4]);
  });

  it('CSV: every bad line reported with its number', () => {
    const message = problems(() => parseBatch('audio,name\na.mp3,A\n,B\nc.mp3\nd.mp3,D,extra\n', { path: at }));
    assert.match(message, /3 problems/);
    assert.match(message, /line 3: audio: audio is empty/);
    assert.match(message, /line 4: expected 2 fields \(audio,name\), found 1/);
    assert.match(message, /line 5: expected 2 fields/);
    assert.match(problems(() => parseBatch('song,name\na,b\n', { path: at })), /line 1: the header must name the columns/);
    assert.match(problems(() => parseBatch('audio\n"a.mp3\n', { path: at })), /line 2: a quoted field is never closed/);
    assert.match(problems(() => parseBatch('audio\n"a"b\n', { path: at })), /line 2: unexpected text after a closing quote/);
    assert.match(problems(() => parseBatch('audio\n', { path: at })), /lists no songs/);
  });

  it('JSON: an array of songs; bad items reported by position', () => {
    const items = parseBatch(JSON.stringify([{ audio: 'a.mp3', name: 'A', style: 'noir' }, { audio: '../b.mp3', lyrics: 'b.srt' }]), { path: '/x/y/list.json' });
    assert.deepEqual(items, [
      { line: 1, audio: '/x/y/a.mp3', name: 'A', style: 'noir' },
      { line: 2, audio: '/x/b.mp3', lyrics: '/x/y/b.srt', name: 'b' },
    ]);
    const message = problems(() => parseBatch('[{"audio":"a.mp3"},{"name":"no audio"},{"audio":"c.mp3","colour":"red"},{"audio":3}]', { path: '/x/l.json' }));
    assert.match(message, /item 2: audio: audio is required/);
    assert.match(message, /item 3: .*colour/);
    assert.match(message, /item 4: audio:/);
    assert.match(problems(() => parseBatch('{"audio":"a.mp3"}', { path: '/x/l.json' })), /must hold a JSON array/);
    assert.match(problems(() => parseBatch('[{"audio":"a.mp3",}]', { path: '/x/l.json' })), /not valid JSON/);
  });

  it('the format comes from the extension, or from the content', () => {
    assert.equal(parseBatch('[{"audio":"a.mp3"}]', { path: '/x/list.txt' })[0]!.line, 1);
    assert.equal(parseBatch('audio\na.mp3\n', { path: '/x/list.txt' })[0]!.line, 2);
  });
});

class Capture implements OutStream {
  text = '';
  isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

function context(cwd: string, json: boolean): { ctx: CliContext; stdout: Capture; stderr: Capture } {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: IO = { stdout, stderr, stdin: Object.assign(new PassThrough(), { isTTY: false }), env: {}, cwd };
  return { ctx: new CliContext(io, { json, yes: false, quiet: false, debug: false, color: false }), stdout, stderr };
}

describe('runBatch', () => {
  let home: { dir: string; cleanup: () => Promise<void> };
  let file: string;
  before(async () => {
    home = await tempHome('omvee-batch-');
    await mkdir(join(home.dir, 'songs'));
    for (const name of ['one.mp3', 'two.mp3', 'three.mp3']) await writeFile(join(home.dir, 'songs', name), 'x');
    file = join(home.dir, 'batch.csv');
    await writeFile(file, 'audio,name\nsongs/one.mp3,One\nsongs/two.mp3,Two\nsongs/missing.mp3,Gone\nsongs/three.mp3,Three\n');
  });
  after(async () => {
    await home.cleanup();
  });

  /** a memory that forgets: every run of the batch starts afresh */
  const fresh = (): BatchMemory => ({ get: () => undefined, set: async () => undefined });
  const always = async () => true;

  const renderOne = async (item: BatchItem) => {
    if (item.name === 'Two') throw new OmveeError('provider', 'the clip model refused', { details: { projectId: 'p-two' } });
    return { projectId: `p-${item.name.toLowerCase()}`, outputPath: `/out/${item.name}.mp4` };
  };

  it('continues past failed lines and summarizes every line', async () => {
    const seen: string[] = [];
    const { ctx, stdout, stderr } = context(home.dir, false);
    const outcome = await runBatch(ctx, file, fresh(), always, async (item) => (seen.push(item.name), renderOne(item)));
    assert.deepEqual(seen, ['One', 'Two', 'Three'], 'a missing audio file fails its line without calling renderOne');
    assert.equal(outcome.failed, 2);
    const rows = stdout.text.trimEnd().split('\n').map((l) => l.split('\t'));
    assert.deepEqual(rows, [
      ['2', 'One', 'ok', 'p-one', '/out/One.mp4'],
      ['3', 'Two', 'failed', 'p-two', 'the clip model refused'],
      ['4', 'Gone', 'failed', '', `audio file not found: ${join(home.dir, 'songs', 'missing.mp3')}`],
      ['5', 'Three', 'ok', 'p-three', '/out/Three.mp4'],
    ]);
    assert.match(stderr.text, /\[3\/4\] Gone \(line 4\)/);
    assert.match(stderr.text, /2 of 4 rendered, 2 failed/);
  });

  it('--json prints an array of results', async () => {
    const { ctx, stdout } = context(home.dir, true);
    const outcome = await runBatch(ctx, file, fresh(), always, renderOne);
    const printed = JSON.parse(stdout.text) as BatchLineResult[];
    assert.deepEqual(printed, outcome.results);
    assert.deepEqual(printed.map((r) => r.status), ['ok', 'failed', 'failed', 'ok']);
  });

  it('an interrupted batch skips the remaining lines and says so', async () => {
    const { ctx, stdout } = context(home.dir, false);
    await assert.rejects(
      runBatch(ctx, file, fresh(), always, async (item) => {
        ctx.abort.abort();
        return renderOne(item);
      }),
      (error: unknown) => error instanceof OmveeError && error.code === 'interrupted',
    );
    assert.deepEqual(stdout.text.trimEnd().split('\n').map((l) => l.split('\t')[2]), ['ok', 'skipped', 'skipped', 'skipped']);
  });

  it('running the same batch again keeps finished lines and resumes the failed ones in their own projects', async () => {
    const memoryHome = join(home.dir, 'memory');
    const calls: [string, string | null][] = [];
    const render = async (item: BatchItem, _signal: AbortSignal, resume: { projectId: string } | null) => (calls.push([item.name, resume?.projectId ?? null]), renderOne(item));
    const first = context(home.dir, false);
    await runBatch(first.ctx, file, await openBatchMemory(memoryHome, file), always, render);
    assert.deepEqual(calls, [['One', null], ['Two', null], ['Three', null]]);
    calls.length = 0;
    const again = context(home.dir, true);
    const outcome = await runBatch(again.ctx, file, await openBatchMemory(memoryHome, file), always, render);
    assert.deepEqual(calls, [['Two', 'p-two']], 'only the failed line runs, resuming its project; the missing song fails before');
    assert.deepEqual(outcome.results.map((r) => [r.name, r.status, r.project_id]), [['One', 'kept', 'p-one'], ['Two', 'failed', 'p-two'], ['Gone', 'failed', null], ['Three', 'kept', 'p-three']]);
    // a kept line whose project is gone is made again
    calls.length = 0;
    const third = context(home.dir, true);
    await runBatch(third.ctx, file, await openBatchMemory(memoryHome, file), async (line) => line.project_id !== 'p-one', render);
    assert.deepEqual(calls, [['One', null], ['Two', 'p-two']]);
  });

  it('an unreadable batch file is a clear error', async () => {
    await assert.rejects(readBatchFile(join(home.dir, 'nope.csv')), /cannot read batch file .*nope\.csv: no such file/);
  });
});
