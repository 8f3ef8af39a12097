// An invalid setting is reported by its name and source, never by its value: a secret pasted into
// the wrong setting (a token in a *_BASE_URL, say) must not be echoed to the terminal or a CI log.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { displayValue, resolveConfig } from '../../src/config/resolve.ts';
import { OmveeError } from '../../src/core/errors.ts';

let cwd: string;
before(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'omvee-config-secret-'));
});
after(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const env = (extra: Record<string, string>) => ({ HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, 'xdg'), ...extra });

test('the value of an invalid setting is never echoed, from any source', async () => {
  const secret = 'sk-proj-Zx8aQ2vLm4nP7rT1wY6uE3oI9kJ5hG0f';
  const cases: [string, Record<string, string>, Record<string, string>][] = [
    ['OPENAI_BASE_URL', { OPENAI_BASE_URL: secret }, {}],
    ['REPLICATE_BASE_URL', { REPLICATE_BASE_URL: `http://example.com/${secret}` }, {}],
    ['OPENROUTER_BASE_URL', {}, { OPENROUTER_BASE_URL: secret }],
    ['SUPABASE_URL', { SUPABASE_URL: `ftp://${secret}@example.com` }, {}],
    ['OMVEE_SCENE_MIN', { OMVEE_SCENE_MIN: secret }, {}],
    ['OMVEE_BACKEND', { OMVEE_BACKEND: secret }, {}],
  ];
  for (const [key, fromEnv, fromDotenv] of cases) {
    await writeFile(path.join(cwd, '.env'), Object.entries(fromDotenv).map(([k, v]) => `${k}=${v}`).join('\n'));
    await assert.rejects(resolveConfig({ flags: {}, env: env(fromEnv), cwd }), (e: unknown) => {
      assert.ok(e instanceof OmveeError && e.code === 'config');
      const shown = `${e.message}\n${e.hint ?? ''}`;
      assert.ok(!shown.includes(secret) && !shown.includes(secret.slice(0, 12)), `${key}: ${shown}`);
      assert.match(e.message, new RegExp(`invalid setting ${key}`));
      assert.match(e.message, Object.keys(fromDotenv).length ? /\.env/ : /environment/);
      return true;
    }, key);
  }
});

test('config show never prints the credentials inside a URL', () => {
  assert.equal(displayValue('OPENAI_BASE_URL', 'https://user:sk-secret-token@proxy.example.com/v1?key=r8_abcdefgh'), 'https://proxy.example.com/v1');
  assert.equal(displayValue('OPENAI_BASE_URL', 'https://api.openai.com/v1'), 'https://api.openai.com/v1');
  assert.equal(displayValue('OPENAI_API_KEY', 'sk-whatever'), 'set (redacted)');
});
