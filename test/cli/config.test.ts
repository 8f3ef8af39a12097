// `omvee config set/unset` keep non-secret settings in the user config file (private, atomic);
// `config show --all` lists defaults as defaults.
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { runCli, tempHome } from '../support/run-cli.ts';

let env: Record<string, string>;
let cleanup: () => Promise<void>;
before(async () => ({ env, cleanup } = await tempHome()));
after(() => cleanup());

const show = async () => JSON.parse((await runCli(['config', 'show', '--all', '--json'], { env })).stdout) as Record<string, { value: string | null; source: string }>;

describe('config set / unset / show --all', () => {
  it('show --all gives every unset setting its default, labelled default', async () => {
    const all = await show();
    assert.deepEqual(all.OMVEE_SCENE_MIN, { value: '5', source: 'default', secret: false });
    assert.equal(all.OMVEE_IMAGES!.value, 'auto');
    assert.match(all.OMVEE_CLIP_MODEL!.value!, /\(replicate\)/);
    assert.equal(all.REPLICATE_API_TOKEN!.source, 'unset');
  });

  it('set writes the file (0600) and the setting takes effect; unset removes it', async () => {
    const set = await runCli(['config', 'set', 'omvee_scene_min', '4', '--json'], { env });
    assert.equal(set.code, 0, set.stderr);
    const { file } = JSON.parse(set.stdout) as { file: string };
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { OMVEE_SCENE_MIN: '4' });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual((await show()).OMVEE_SCENE_MIN, { value: '4', source: 'config file', secret: false });

    const overridden = await runCli(['config', 'set', 'OMVEE_SCENE_MAX', '8'], { env: { ...env, OMVEE_SCENE_MAX: '9' } });
    assert.match(overridden.stderr, /also set in the env, which wins/);

    const unset = await runCli(['config', 'unset', 'OMVEE_SCENE_MIN'], { env });
    assert.equal(unset.code, 0);
    assert.equal((await show()).OMVEE_SCENE_MIN!.source, 'default');
    assert.match((await runCli(['config', 'unset', 'OMVEE_SCENE_MIN'], { env })).stderr, /was not set/);
  });

  it('refuses secrets, bad values and unknown settings, writing nothing', async () => {
    const secret = await runCli(['config', 'set', 'REPLICATE_API_TOKEN', 'r8_secretvalue'], { env });
    assert.equal(secret.code, 2);
    assert.match(secret.stderr, /is a secret/);
    assert.ok(!secret.stderr.includes('r8_secretvalue'));
    const bad = await runCli(['config', 'set', 'OMVEE_IMAGES', 'somebody'], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid value for OMVEE_IMAGES: "somebody"\nhint: OMVEE_IMAGES: auto \| local \| replicate/);
    const unknown = await runCli(['config', 'set', 'OMVEE_SCENE_MINN', '3'], { env });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /did you mean OMVEE_SCENE_MIN/);
    assert.equal((await show()).OMVEE_IMAGES!.source, 'default');
  });
});
