// The step and provider registries are the one place each concept is listed: what derives from
// them must agree with them, and the places that cannot derive (the Supabase migration's CHECK
// on job types, config settings) are compared here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { planProviders } from '../../src/app/providers.ts';
import type { ResolvedConfig } from '../../src/config/resolve.ts';
import { CONFIG_DESCRIPTIONS, CONFIG_KEYS, CONFIG_SCHEMA, SECRET_KEYS } from '../../src/config/schema.ts';
import { OmveeError } from '../../src/core/errors.ts';
import { JOB_TYPES as MODEL_JOB_TYPES, JobSchema } from '../../src/core/model.ts';
import { workerJobTypes } from '../../src/core/pipeline/handlers.ts';
import { runSteps } from '../../src/core/pipeline/remaining.ts';
import type { StepDefinition } from '../../src/core/pipeline/step-definition.ts';
import { JOB_TYPES, STEPS } from '../../src/core/pipeline/steps.ts';
import { FALLBACK_PROVIDER, PROVIDER_SLOTS, PROVIDERS, providerChoices, SLOT_SETTING } from '../../src/providers/registry.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The job types the newest migration allows: the last `check (type in (…))` across the files in order. */
function migrationJobTypes(): string[] {
  const dir = join(ROOT, 'supabase/migrations');
  const sql = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  const checks = [...sql.matchAll(/check\s*\(\s*type\s+in\s*\(([^)]*)\)\s*\)/gi)];
  assert.ok(checks.length > 0, 'no job-type CHECK found in supabase/migrations');
  return [...checks.at(-1)![1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

describe('step registry', () => {
  it('job types come from it, in pipeline order, and the migration CHECK allows exactly them', () => {
    assert.deepEqual([...JOB_TYPES], STEPS.map((s) => s.type));
    assert.deepEqual([...MODEL_JOB_TYPES], [...JOB_TYPES]);
    assert.equal(new Set(JOB_TYPES).size, JOB_TYPES.length, 'job types are unique');
    assert.deepEqual(migrationJobTypes().sort(), [...JOB_TYPES].sort(), 'supabase/migrations: the jobs.type CHECK must list exactly the registry job types (add a migration that replaces the constraint)');
    assert.ok(JobSchema.safeParse({}).success === false);
  });

  it('every step loads a definition with a payload schema; run steps say when they are needed', async () => {
    for (const entry of STEPS) {
      const definition = (await entry.load()).default as StepDefinition;
      assert.equal(typeof definition.run, 'function', entry.type);
      assert.equal(typeof definition.payload.safeParse, 'function', entry.type);
      if (definition.plan) {
        const payload = definition.plan.payload({ bounds: { sceneMinS: 5, sceneMaxS: 10 }, lyricsOverlay: false });
        assert.ok(definition.payload.safeParse(payload).success, `${entry.type}: the payload a run gives it passes its own schema`);
        assert.equal(typeof definition.plan.label(payload, { transcriber: 'local', director: 'local', images: 'local', clips: 'local' }), 'string');
      }
    }
    const order = (await runSteps()).map((s) => s.type);
    assert.deepEqual(order, ['transcribe', 'analyze_audio', 'analyze_scenes', 'generate_prompts', 'generate_images', 'generate_clips', 'assemble_video']);
    assert.ok(!(await workerJobTypes()).includes('upload_audio'), 'a worker never claims uploads');
  });
});

const config = (values: Record<string, unknown>) => ({ values, sources: {}, paths: {} }) as unknown as ResolvedConfig;

describe('provider registry', () => {
  it('names are unique; every slot has the fallback; every setting it names exists (keys are secrets)', () => {
    const names = PROVIDERS.map((p) => p.name);
    assert.equal(new Set(names).size, names.length);
    for (const slot of PROVIDER_SLOTS) assert.ok(PROVIDERS.find((p) => p.name === FALLBACK_PROVIDER)!.offers[slot], `${FALLBACK_PROVIDER} offers ${slot}`);
    for (const p of PROVIDERS) {
      for (const key of [p.keySetting, p.baseUrlSetting]) if (key) assert.ok(CONFIG_KEYS.includes(key), `${p.name}: ${key} is a setting`);
      if (p.keySetting) assert.ok(SECRET_KEYS.has(p.keySetting), `${p.name}: ${p.keySetting} is redacted as a secret`);
      for (const offer of Object.values(p.offers)) if (offer?.modelSetting) assert.ok(CONFIG_KEYS.includes(offer.modelSetting), `${p.name}: ${offer.modelSetting}`);
    }
  });

  it('the settings and flags accept exactly the registered providers of each slot', () => {
    for (const slot of PROVIDER_SLOTS) {
      const choices = providerChoices(slot);
      assert.equal(choices[0], 'auto');
      assert.deepEqual(choices.slice(1).sort(), PROVIDERS.filter((p) => p.offers[slot]).map((p) => p.name).sort());
      const setting = SLOT_SETTING[slot];
      for (const c of choices) assert.ok(CONFIG_SCHEMA.shape[setting].safeParse(c).success, `${setting}=${c}`);
      assert.equal(CONFIG_SCHEMA.shape[setting].safeParse('nobody').success, false);
      assert.equal(CONFIG_DESCRIPTIONS[setting], choices.join(' | '));
    }
  });

  it('auto picks the first provider whose key is set, else the local one; a named provider without its key says which key', () => {
    assert.deepEqual(planProviders(config({})), { transcriber: 'local', director: 'local', images: 'local', clips: 'local' });
    assert.deepEqual(planProviders(config({ OPENAI_API_KEY: 'k' })), { transcriber: 'openai', director: 'openai', images: 'local', clips: 'local' });
    assert.deepEqual(planProviders(config({ OPENAI_API_KEY: 'k', OPENROUTER_API_KEY: 'k', REPLICATE_API_TOKEN: 't' })), { transcriber: 'openai', director: 'openrouter', images: 'replicate', clips: 'replicate' });
    assert.deepEqual(planProviders(config({ REPLICATE_API_TOKEN: 't', OMVEE_CLIPS: 'local' }), { images: 'local' }), { transcriber: 'local', director: 'local', images: 'local', clips: 'local' });
    assert.throws(
      () => planProviders(config({}), { clips: 'replicate' }),
      (e: unknown) => e instanceof OmveeError && e.code === 'config' && e.message === '--clips needs REPLICATE_API_TOKEN' && /--clips local/.test(e.hint ?? ''),
    );
    assert.throws(() => planProviders(config({}), { images: 'openrouter' }), (e: unknown) => e instanceof OmveeError && e.code === 'usage' && /choose one of: auto, local, replicate/.test(e.hint ?? ''));
  });

  it('no module outside a provider\'s own folder and the registry names a provider', () => {
    const named = PROVIDERS.filter((p) => p.name !== FALLBACK_PROVIDER).map((p) => p.name);
    const pattern = new RegExp(`['"\`](${named.join('|')})['"\`]`);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts')) {
          const file = relative(join(ROOT, 'src'), full).split(sep).join('/');
          if (file.startsWith('providers/')) continue;
          readFileSync(full, 'utf8').split('\n').forEach((line, i) => {
            if (pattern.test(line)) offenders.push(`src/${file}:${i + 1}: ${line.trim()}`);
          });
        }
      }
    };
    walk(join(ROOT, 'src'));
    assert.deepEqual(offenders, []);
  });
});
