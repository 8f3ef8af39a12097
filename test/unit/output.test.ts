import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { CliContext, type IO } from '../../src/cli/context.ts';
import { printList, printRecord, renderTable, renderTsv } from '../../src/cli/output.ts';
import { VERSION } from '../../src/version.ts';

function fakeIO(tty: boolean, env: Record<string, string> = {}): IO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (s: string) => (out.push(s), true), isTTY: tty, columns: 120 },
    stderr: { write: (s: string) => (err.push(s), true), isTTY: tty },
    stdin: Object.assign(process.stdin, {}) as IO['stdin'],
    env,
    cwd: process.cwd(),
  };
}
const globals = { json: false, yes: false, quiet: false, debug: false, color: true };
const rows = [
  { id: 'a1', name: 'Easy Kill', n: 1.23456 },
  { id: 'b2', name: 'tab\there', n: 10 },
];
const columns = [
  { header: 'id', value: (r: (typeof rows)[number]) => r.id },
  { header: 'name', value: (r: (typeof rows)[number]) => r.name },
  { header: 'n', value: (r: (typeof rows)[number]) => r.n, align: 'right' as const },
];

describe('output formats', () => {
  it('a TTY gets an aligned table with a header', () => {
    const io = fakeIO(true);
    printList(new CliContext(io, globals), rows, columns);
    const lines = io.out.join('').trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^ID\s+NAME\s+N$/);
    assert.equal(lines[1]!.indexOf('Easy Kill'), lines[0]!.indexOf('NAME'));
  });
  it('a pipe gets TSV without a header, tabs inside values replaced', () => {
    const io = fakeIO(false);
    printList(new CliContext(io, globals), rows, columns);
    assert.equal(io.out.join(''), 'a1\tEasy Kill\t1.235\nb2\ttab here\t10\n');
  });
  it('--json prints the rows as an array', () => {
    const io = fakeIO(true);
    printList(new CliContext(io, { ...globals, json: true }), rows, columns);
    assert.deepEqual(JSON.parse(io.out.join('')), rows);
  });
  it('a record is a JSON object with --json and key/value lines otherwise', () => {
    const io = fakeIO(false);
    printRecord(new CliContext(io, globals), [['id', 'a1'], ['n', null]], { id: 'a1' });
    assert.equal(io.out.join(''), 'id\ta1\nn\t\n');
    const io2 = fakeIO(false);
    printRecord(new CliContext(io2, { ...globals, json: true }), [['id', 'a1']], { id: 'a1' });
    assert.deepEqual(JSON.parse(io2.out.join('')), { id: 'a1' });
  });
  it('renders tables and TSV for empty lists without crashing', () => {
    assert.equal(renderTsv([], columns), '');
    assert.match(renderTable([], columns), /ID/);
  });
});

describe('context rules', () => {
  it('never prompts in CI or without TTYs', () => {
    assert.equal(new CliContext(fakeIO(true, { CI: 'true' }), globals).canPrompt, false);
    assert.equal(new CliContext(fakeIO(false), globals).canPrompt, false);
  });
  it('colour only on a TTY, never with NO_COLOR or --no-color', () => {
    assert.equal(new CliContext(fakeIO(true), globals).color, true);
    assert.equal(new CliContext(fakeIO(true, { NO_COLOR: '1' }), globals).color, false);
    assert.equal(new CliContext(fakeIO(true), { ...globals, color: false }).color, false);
    assert.equal(new CliContext(fakeIO(false), globals).color, false);
  });
  it('messages go to stderr, --quiet silences info but not warnings', () => {
    const io = fakeIO(false);
    const ctx = new CliContext(io, { ...globals, quiet: true });
    ctx.info('hello');
    ctx.warn('careful');
    assert.equal(io.out.length, 0);
    assert.deepEqual(io.err, ['warning: careful\n']);
  });
});

describe('version', () => {
  it('matches package.json', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(VERSION, pkg.version);
  });
});
