/**
 * The published schemas shipped with omvee (src/providers/replicate/contract/fixtures/*.json):
 * the offline fallback for `--dry-run` and for runs without a network, and what the test
 * fakes serve. Each file is a model object as `GET /v1/models/{owner}/{name}` returns it, with
 * a `_source` field naming the page its facts come from.
 */
import seedance1Lite from './fixtures/bytedance__seedance-1-lite.json' with { type: 'json' };
import seedance1ProFast from './fixtures/bytedance__seedance-1-pro-fast.json' with { type: 'json' };
import seedance1Pro from './fixtures/bytedance__seedance-1-pro.json' with { type: 'json' };
import seedance2 from './fixtures/bytedance__seedance-2.0.json' with { type: 'json' };
import kling21Master from './fixtures/kwaivgi__kling-v2.1-master.json' with { type: 'json' };
import minimaxImage01 from './fixtures/minimax__image-01.json' with { type: 'json' };
import wan25I2v from './fixtures/wan-video__wan-2.5-i2v.json' with { type: 'json' };
import { deriveContract, type ModelContract } from './derive.ts';
import { parseModelObject, type ModelObject } from './openapi.ts';

const FIXTURES: Readonly<Record<string, unknown>> = {
  'bytedance/seedance-1-lite': seedance1Lite,
  'bytedance/seedance-1-pro-fast': seedance1ProFast,
  'bytedance/seedance-1-pro': seedance1Pro,
  'bytedance/seedance-2.0': seedance2,
  'kwaivgi/kling-v2.1-master': kling21Master,
  'minimax/image-01': minimaxImage01,
  'wan-video/wan-2.5-i2v': wan25I2v,
};

/** owner/name of every model with a shipped schema. */
export const FIXTURE_MODELS: readonly string[] = Object.keys(FIXTURES);

/** The shipped model object of `model` (owner/name), or null. */
export function fixtureModelObject(model: string): ModelObject | null {
  const raw = FIXTURES[model];
  return raw ? parseModelObject(raw) : null;
}

/** The contract from the shipped schema (source 'fixture'), or null when none is shipped. */
export function fixtureContract(model: string): ModelContract | null {
  const object = fixtureModelObject(model);
  const version = object?.latest_version;
  if (!object || !version?.openapi_schema) return null;
  return deriveContract(model, version.id, version.openapi_schema, 'fixture');
}
