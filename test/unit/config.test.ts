import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { OmveeError } from '../../src/core/errors.ts';
import { parseDotenv } from '../../src/config/dotenv.ts';
import { displayValue, redactSecrets, resolveConfig } from '../../src/config/resolve.ts';

let dir: string;
let cwd: string;
let xdg: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omvee-config-'));
  cwd = join(dir, 'work');
  xdg = join(dir, 'xdg');
  await mkdir(cwd, { recursive: true });
  await mkdir(join(xdg, 'omvee'), { recursive: true });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const writeUserConfig = (obj: unknown) => writeFile(join(xdg, 'omvee', 'config.json'), JSON.stringify(obj));
const writeDotenv = (text: string) => writeFile(join(cwd, '.env'), text);

describe('config precedence: flags > env > .env > config file > defaults', () => {
  it('takes each layer in order and reports the source', async () => {
    await writeUserConfig({ OMVEE_SCENE_MIN: 2, OMVEE_SCENE_MAX: 20, OMVEE_LLM_MODEL: 'from-file', OMVEE_HOME: '/from/file' });
    await writeDotenv('OMVEE_SCENE_MIN=3\nOMVEE_SCENE_MAX=30\nOMVEE_HOME=/from/dotenv\n');
    const config = await resolveConfig({
      flags: { OMVEE_HOME: '/from/flag' },
      env: { XDG_CONFIG_HOME: xdg, OMVEE_SCENE_MIN: '4', HOME: dir },
      cwd,
    });
    assert.equal(config.values.OMVEE_HOME, '/from/flag');
    assert.equal(config.sources.OMVEE_HOME, 'flag');
    assert.equal(config.values.OMVEE_SCENE_MIN, 4);
    assert.equal(config.sources.OMVEE_SCENE_MIN, 'env');
    assert.equal(config.values.OMVEE_SCENE_MAX, 30);
    assert.equal(config.sources.OMVEE_SCENE_MAX, '.env');
    assert.equal(config.values.OMVEE_LLM_MODEL, 'from-file');
    assert.equal(config.sources.OMVEE_LLM_MODEL, 'config file');
  });

  it('defaults the home to $XDG_DATA_HOME/omvee', async () => {
    const config = await resolveConfig({ flags: {}, env: { XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: join(dir, 'data') }, cwd });
    assert.equal(config.values.OMVEE_HOME, join(dir, 'data', 'omvee'));
    assert.equal(config.sources.OMVEE_HOME, 'default');
  });

  it('ignores empty values so a blank line in .env does not override the config file', async () => {
    await writeUserConfig({ OMVEE_LLM_MODEL: 'kept' });
    await writeDotenv('OMVEE_LLM_MODEL=\n');
    const config = await resolveConfig({ flags: {}, env: { XDG_CONFIG_HOME: xdg }, cwd });
    assert.equal(config.values.OMVEE_LLM_MODEL, 'kept');
  });

  it('rejects an invalid value naming the setting and where it came from', async () => {
    await writeDotenv('OMVEE_SCENE_MIN=-3\n');
    await assert.rejects(resolveConfig({ flags: {}, env: { XDG_CONFIG_HOME: xdg }, cwd }), (error: unknown) => {
      assert.ok(error instanceof OmveeError);
      assert.equal(error.code, 'config');
      assert.match(error.message, /OMVEE_SCENE_MIN/);
      assert.match(error.message, /\.env/);
      return true;
    });
  });

  it('never shows a secret in an error about it', async () => {
    await assert.rejects(
      resolveConfig({ flags: {}, env: { XDG_CONFIG_HOME: xdg, SUPABASE_URL: 'ftp://nope', OPENAI_API_KEY: 'sk-secret-value' }, cwd }),
      (error: unknown) => error instanceof OmveeError && !error.message.includes('sk-secret-value'),
    );
  });

  it('rejects a config file that is not a JSON object', async () => {
    await writeFile(join(xdg, 'omvee', 'config.json'), '{ not json');
    await assert.rejects(resolveConfig({ flags: {}, env: { XDG_CONFIG_HOME: xdg }, cwd }), /not valid JSON/);
    await writeFile(join(xdg, 'omvee', 'config.json'), '[1,2]');
    await assert.rejects(resolveConfig({ flags: {}, env: { XDG_CONFIG_HOME: xdg }, cwd }), /JSON object/);
  });
});

describe('secrets', () => {
  it('displayValue redacts secret keys only', () => {
    assert.equal(displayValue('OPENAI_API_KEY', 'sk-abc'), 'set (redacted)');
    assert.equal(displayValue('OMVEE_HOME', '/x'), '/x');
    assert.equal(displayValue('OPENAI_API_KEY', undefined), '');
  });
  it('redactSecrets removes every configured secret from a text', () => {
    const text = redactSecrets('failed with key r8_abcdef and sk-123456', { REPLICATE_API_TOKEN: 'r8_abcdef', OPENAI_API_KEY: 'sk-123456' });
    assert.ok(!text.includes('r8_abcdef') && !text.includes('sk-123456'));
    assert.match(text, /REPLICATE_API_TOKEN redacted/);
  });
});

describe('parseDotenv', () => {
  it('reads quotes, comments, export and CRLF', () => {
    const env = parseDotenv('\uFEFF# comment\r\nexport A=1\r\nB="two words"\nC=\'x # y\'\nD=plain # trailing\nbad line\n');
    assert.deepEqual(env, { A: '1', B: 'two words', C: 'x # y', D: 'plain' });
  });
});

describe('service URLs', () => {
  it('accept https anywhere and http only on this machine: keys travel to them', async () => {
    const cwd2 = await mkdtemp(join(tmpdir(), 'omvee-config-url-'));
    try {
      const ok = await resolveConfig({ flags: {}, env: { XDG_CONFIG_HOME: cwd2, SUPABASE_URL: 'https://x.supabase.co', REPLICATE_BASE_URL: 'http://127.0.0.1:8080/v1' }, cwd: cwd2 });
      assert.equal(ok.values.REPLICATE_BASE_URL, 'http://127.0.0.1:8080/v1');
      await assert.rejects(resolveConfig({ flags: {}, env: { XDG_CONFIG_HOME: cwd2, SUPABASE_URL: 'http://db.example.com' }, cwd: cwd2 }), /https/);
    } finally {
      await rm(cwd2, { recursive: true, force: true });
    }
  });
});
