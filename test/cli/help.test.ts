// Help that people can use: every page (nouns and commands) has examples, every example is a
// command omvee accepts as written (comments after #), command pages list the inherited global
// flags, and `help <unknown>` is a usage error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { commandPath } from '../../src/cli/action.ts';
import { buildProgram } from '../../src/cli/main.ts';
import { runCli } from '../support/run-cli.ts';

function all(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.filter((c) => c.name() !== 'help').flatMap(all)];
}
const program = buildProgram({ io: { stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin, env: {}, cwd: '/' }, abort: new AbortController() });
const pages = all(program).filter((c) => c !== program).map((c) => ({ path: commandPath(c), leaf: c.commands.length === 0 }));

/** Split a shell command line into words (single and double quotes, no expansion). */
function words(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | null = null;
  let started = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started || current) out.push(current);
      current = '';
      started = false;
    } else current += ch;
  }
  if (started || current) out.push(current);
  return out;
}

/** The omvee invocations of an example line: each command between pipes, &&, ; and redirections. */
function invocations(example: string): string[][] {
  const code = example.replace(/\s+#\s.*$/, '');
  return code
    .split(/\s(?:\||&&|;|>)\s|\$\(|\)/)
    .map((part) => part.trim().replace(/^\w+=/, ''))
    .filter((part) => part.startsWith('omvee '))
    .map((part) => words(part).slice(1));
}

describe('help', () => {
  it('covers the whole tree', () => assert.ok(pages.length >= 50, String(pages.length)));

  for (const page of pages) {
    it(`omvee ${page.path} --help: examples that parse as written${page.leaf ? ', inherited flags listed' : ''}`, async () => {
      const help = await runCli([...page.path.split(' '), '--help']);
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /\nExamples:\n/);
      const examples = help.stdout.split('\n').filter((l) => l.startsWith('  $ '));
      assert.ok(examples.length > 0);
      for (const example of examples) {
        assert.doesNotMatch(example, /\s{3,}[A-Za-z(]/, `an example's comment must follow #, or pasting it runs the words: ${example}`);
        assert.doesNotMatch(example, /<[a-z-]+>/, `a placeholder like <id> is a redirection in a shell: ${example}`);
        for (const argv of invocations(example.slice(4))) {
          const parsed = await runCli(argv, { capture: true });
          assert.equal(parsed.code, 0, `${example}\n${parsed.stderr}`);
        }
      }
      if (page.leaf) {
        assert.match(help.stdout, /\nGlobal Options:\n/);
        for (const flag of ['--json', '--yes', '--quiet', '--debug']) assert.ok(help.stdout.includes(flag), `${page.path} lists ${flag}`);
      }
    });
  }

  it('omvee help <command…> shows that command; an unknown one is a usage error with a suggestion', async () => {
    const select = await runCli(['help', 'scenes', 'select']);
    assert.equal(select.code, 0);
    assert.match(select.stdout, /^Usage: omvee scenes select/);
    const unknown = await runCli(['help', 'nonsense']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^error: no help for "nonsense"/);
    assert.equal(unknown.stdout, '');
    const typo = await runCli(['help', 'scenes', 'selct']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /did you mean `omvee scenes select`/);
    const topic = await runCli(['help', 'exit-codes']);
    assert.equal(topic.code, 0);
    assert.match(topic.stdout, /130 {2}interrupted/);
  });
});
