// What a person at a terminal sees, through the in-process harness (real main(), test IO):
// tables on a TTY vs TSV in a pipe, a declined confirmation (a quiet cancel that keeps the data),
// colour on and off.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, tempHome } from '../support/run-cli.ts';

let env: Record<string, string>;
let cleanup: () => Promise<void>;
before(async () => {
  ({ env, cleanup } = await tempHome());
  for (const name of ['Easy Kill', 'Second Song']) {
    const made = await runCli(['project', 'create', name, '--style', 'neon noir'], { env });
    assert.equal(made.code, 0, made.stderr);
  }
});
after(() => cleanup());

const ESC = '\u001b[';

describe('tables', () => {
  it('a TTY gets an aligned table with a header; a pipe gets TSV without one; --json an array', async () => {
    const tty = await runCli(['project', 'list'], { env, tty: true, columns: 100 });
    assert.equal(tty.code, 0, tty.stderr);
    const lines = tty.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, tty.stdout);
    assert.match(lines[0]!, /^ID\s+NAME\s+STATUS/);
    // every row's NAME starts in the same column as the header's
    const nameAt = lines[0]!.indexOf('NAME');
    for (const line of lines.slice(1)) assert.match(line.slice(nameAt), /^(Second Song|Easy Kill)/);
    assert.ok(!tty.stdout.includes('\t'));

    const piped = await runCli(['project', 'list'], { env });
    const rows = piped.stdout.trimEnd().split('\n');
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.split('\t').length > 3), piped.stdout);
    assert.ok(!piped.stdout.includes('NAME'));

    const json = await runCli(['project', 'list', '--json'], { env, tty: true });
    const list = JSON.parse(json.stdout) as { name: string }[];
    assert.deepEqual(list.map((p) => p.name).sort(), ['Easy Kill', 'Second Song']);
  });
});

const visible = (line: string) => [...line.replace(/\u001b\[[0-9;]*m/g, '')].length;

describe('fitting the terminal', () => {
  it('tables fit the width; ids are short unique prefixes on a TTY, whole in TSV and JSON', async () => {
    const long = 'A Very Long Song Title That Goes On And On About Rain And Neon Lights';
    assert.equal((await runCli(['project', 'create', long], { env })).code, 0);
    const narrow = await runCli(['project', 'list'], { env, tty: true, columns: 60 });
    const lines = narrow.stdout.trimEnd().split('\n');
    assert.ok(lines.every((l) => visible(l) <= 60), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('…')), 'the long name is cut, not wrapped');
    const all = JSON.parse((await runCli(['project', 'list', '--json'], { env })).stdout) as { id: string; name: string }[];
    for (const p of all) {
      assert.ok(narrow.stdout.includes(p.id.slice(0, 8)) && !narrow.stdout.includes(p.id), 'a TTY shows the 8-character prefix, not the whole id');
    }
    const piped = await runCli(['project', 'list'], { env });
    for (const p of all) assert.ok(piped.stdout.includes(p.id), 'TSV keeps whole ids');
    assert.ok(piped.stdout.includes(long), 'TSV keeps whole names');
    // a short prefix still names the project
    const byPrefix = await runCli(['project', 'show', all[0]!.id.slice(0, 8), '--json'], { env });
    assert.equal((JSON.parse(byPrefix.stdout) as { id: string }).id, all[0]!.id);
    assert.equal((await runCli(['project', 'delete', long, '--yes'], { env })).code, 0);
  });

  it('doctor on a TTY fits 80 columns: colour not counted, long details wrapped whole', async () => {
    const doctor = await runCli(['doctor', '--offline'], { env, tty: true, columns: 80 });
    const lines = doctor.stdout.trimEnd().split('\n');
    assert.ok(lines.every((l) => visible(l) <= 80), lines.map((l) => `${visible(l)} ${l}`).join('\n'));
    assert.ok(doctor.stdout.includes('\u001b[33mwarn'), 'status is coloured');
    assert.ok(lines.length > 8, 'long details take more lines');
    // the last row's FIX column, read down its lines, is the whole fix
    const plain = lines.map((l) => l.replace(/\u001b\[[0-9;]*m/g, ''));
    const fixAt = plain[0]!.indexOf('FIX');
    const last = plain.findIndex((l) => l.startsWith('replicate'));
    assert.equal(plain.slice(last).map((l) => l.slice(fixAt).trim()).filter(Boolean).join(' '), 'set REPLICATE_API_TOKEN to use the real provider', 'a wrapped fix reads whole');
    assert.ok(!doctor.stdout.includes('…'), 'nothing in doctor is cut');
  });
});

describe('confirmations', () => {
  it('answering "no" is a quiet cancel: nothing deleted, no error line, exit 1', async () => {
    const declined = await runCli(['project', 'delete', 'Easy Kill'], { env, tty: true, answers: [false] });
    assert.equal(declined.asked.length, 1);
    assert.equal(declined.asked[0]!.kind, 'confirm');
    assert.match(declined.asked[0]!.message, /^Delete project "Easy Kill"/);
    assert.equal(declined.code, 1);
    assert.equal(declined.stderr, 'canceled: nothing deleted\n');
    assert.equal(declined.stdout, '');
    const still = JSON.parse((await runCli(['project', 'show', 'Easy Kill', '--json'], { env })).stdout) as { name: string };
    assert.equal(still.name, 'Easy Kill');
  });

  it('answering "yes" deletes', async () => {
    const yes = await runCli(['project', 'delete', 'Second Song', '--json'], { env, tty: true, answers: [true] });
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal((JSON.parse(yes.stdout) as { deleted: boolean }).deleted, true);
    const gone = await runCli(['project', 'show', 'Second Song'], { env });
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /not found/);
  });

  it('without a TTY nothing is asked: the flag to pass is named (exit 2)', async () => {
    const piped = await runCli(['project', 'delete', 'Easy Kill'], { env, answers: [true] });
    assert.equal(piped.asked.length, 0);
    assert.equal(piped.code, 2);
    assert.match(piped.stderr, /--yes required when not running interactively/);
  });

  it('in CI nothing is asked even on a TTY', async () => {
    const ci = await runCli(['project', 'delete', 'Easy Kill'], { env: { ...env, CI: 'true' }, tty: true, answers: [true] });
    assert.equal(ci.asked.length, 0);
    assert.equal(ci.code, 2);
  });
});

describe('colour', () => {
  it('on a TTY messages are coloured; NO_COLOR and --no-color turn it off; pipes never get it', async () => {
    const coloured = await runCli(['project', 'update', 'Easy Kill', '--style', 'rain'], { env, tty: true });
    assert.equal(coloured.code, 0, coloured.stderr);
    assert.ok(coloured.stderr.includes(`${ESC}32m✔`), JSON.stringify(coloured.stderr));
    for (const [extraEnv, argv] of [[{ NO_COLOR: '1' }, []], [{}, ['--no-color']]] as const) {
      const plain = await runCli(['project', 'update', 'Easy Kill', '--style', 'rain', ...argv], { env: { ...env, ...extraEnv }, tty: true });
      assert.equal(plain.code, 0, plain.stderr);
      assert.ok(!plain.stderr.includes(ESC) && !plain.stdout.includes(ESC), JSON.stringify(plain.stderr + plain.stdout));
      assert.match(plain.stderr, /✔ updated project Easy Kill/);
    }
    const piped = await runCli(['project', 'update', 'Easy Kill', '--style', 'rain'], { env });
    assert.ok(!piped.stderr.includes(ESC) && !piped.stdout.includes(ESC));
  });

  it('errors are one error line and one hint line, never a stack trace without --debug', async () => {
    const missing = await runCli(['project', 'show', 'No Such Song'], { env, tty: true });
    assert.equal(missing.code, 1);
    const lines = missing.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /^error: /);
    assert.ok(lines.length <= 2 && (lines.length === 1 || lines[1]!.startsWith('hint: ')), missing.stderr);
  });
});
