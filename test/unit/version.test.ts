// One version: package.json, what `omvee --version` prints (src/version.ts) and the README agree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { VERSION } from '../../src/version.ts';
import { runCli } from '../support/run-cli.ts';

const root = new URL('../../', import.meta.url);

test('package.json, omvee --version and the README name the same version', async () => {
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
  assert.equal(VERSION, pkg.version);
  const printed = await runCli(['--version']);
  assert.equal(printed.code, 0);
  assert.equal(printed.stdout.trim(), pkg.version);
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  assert.match(readme, new RegExp(`\`omvee --version\` prints \`${pkg.version.replace(/\./g, '\\.')}\``));
});
