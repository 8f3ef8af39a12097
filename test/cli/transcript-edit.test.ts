// `transcript edit` as people use editors: emptying the file aborts (nothing changes), and an edit
// that lands warns that the scenes were cut on the old lyrics, naming `scenes select`.
import assert from 'node:assert/strict';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeSong } from '../e2e/helpers.ts';
import { runCli, tempHome } from '../support/run-cli.ts';

let env: Record<string, string>;
let home: string;
let cleanup: () => Promise<void>;

async function editor(name: string, body: string): Promise<string> {
  const file = join(home, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

const lines = async () => (JSON.parse((await runCli(['transcript', 'show', 'Edit Me', '--json'], { env })).stdout) as { segments: { text: string }[] }).segments.map((s) => s.text);

before(async () => {
  ({ env, home, cleanup } = await tempHome());
  const song = await makeSong(join(home, 'song.wav'), 8);
  const lrc = join(home, 'song.lrc');
  await writeFile(lrc, '[00:01.00]first line\n[00:04.00]second line\n');
  for (const argv of [['project', 'create', 'Edit Me', '--audio', song], ['transcript', 'import', 'Edit Me', lrc], ['scenes', 'select', 'Edit Me', '--scene-min', '2', '--scene-max', '4']]) {
    const r = await runCli(argv, { env, cwd: home });
    assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
  }
});
after(() => cleanup());

describe('transcript edit', () => {
  it('an emptied file aborts: transcript unchanged', async () => {
    const r = await runCli(['transcript', 'edit', 'Edit Me'], { env: { ...env, EDITOR: await editor('empty.sh', ': > "$1"') } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /the file was emptied: transcript unchanged/);
    assert.deepEqual(await lines(), ['first line', 'second line']);
  });

  it('an edit is saved and warns that the scenes are stale, naming scenes select', async () => {
    const r = await runCli(['transcript', 'edit', 'Edit Me'], { env: { ...env, EDITOR: await editor('add.sh', `printf '[00:06.00]third line\\n' >> "$1"`) } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await lines(), ['first line', 'second line', 'third line']);
    assert.match(r.stderr, /warning: the \d+ scenes were cut on the old lyrics; choose them again to follow the new ones: omvee scenes select [0-9a-f-]{36}/);
  });

  it('an editor that fails leaves the transcript alone', async () => {
    const r = await runCli(['transcript', 'edit', 'Edit Me'], { env: { ...env, EDITOR: await editor('fail.sh', 'exit 3') } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the editor exited with code 3; transcript unchanged/);
    assert.equal((await lines()).length, 3);
  });
});
