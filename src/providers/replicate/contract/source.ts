/**
 * Where a model's contract comes from, in order:
 *   1. the store's cache (model_contracts) when fresh enough — a pinned version is cached for good;
 *   2. Replicate itself: `GET /v1/models/{owner}/{name}` (latest_version.openapi_schema) or
 *      `GET /v1/models/{owner}/{name}/versions/{id}` for a pinned version; saved to the cache;
 *   3. offline or when Replicate cannot be reached: the newest cached schema of any age, else the
 *      schema shipped with omvee (fixtures/), each with a note saying so.
 * A model that is not found (404) is an error at once: no stale copy hides a wrong name.
 */
import { OmveeError } from '../../../core/errors.ts';
import type { Store } from '../../../store/port.ts';
import { toProviderError } from '../../http/errors.ts';
import type { Replicate } from '../client.ts';
import { REPLICATE_SERVICE } from '../client.ts';
import { deriveContract, type ModelContract } from './derive.ts';
import { FIXTURE_MODELS, fixtureModelObject } from './fixtures.ts';
import { parseModelObject, parseVersionObject } from './openapi.ts';

export interface CachedSchema {
  version: string;
  openapiSchema: Record<string, unknown>;
  fetchedAt: string;
}

/** A place to keep fetched schemas (the store's model_contracts table, or memory in tests). */
export interface ContractCache {
  /** the newest cached schema of `model` (of `version` when given) */
  find(model: string, version?: string): Promise<CachedSchema | null>;
  save(model: string, version: string, openapiSchema: Record<string, unknown>, fetchedAt: string): Promise<void>;
}

/** The cache on omvee's store. Saving is best effort: a session that may not write (a signed-in
 * Supabase user: only service_role writes model_contracts) still runs, reading from Replicate. */
export function storeContractCache(store: Store, log?: (message: string) => void): ContractCache {
  let warned = false;
  return {
    async find(model, version) {
      const rows = await store.list('model_contracts', { where: version ? { model, version } : { model }, order: { column: 'fetched_at', ascending: false }, limit: 1 });
      const row = rows[0];
      return row ? { version: row.version, openapiSchema: row.openapi_schema, fetchedAt: row.fetched_at } : null;
    },
    async save(model, version, openapiSchema, fetchedAt) {
      try {
        const existing = await store.list('model_contracts', { where: { model, version }, limit: 1 });
        if (existing[0]) await store.update('model_contracts', existing[0].id, { openapi_schema: openapiSchema, fetched_at: fetchedAt, source: 'api' });
        else await store.insert('model_contracts', { model, version, openapi_schema: openapiSchema, fetched_at: fetchedAt, source: 'api' });
      } catch (error) {
        if (!warned) log?.(`the schema of ${model} was not cached (${error instanceof Error ? error.message : String(error)}); it is read from Replicate again next time`);
        warned = true;
      }
    },
  };
}

/** A cache in memory (tests, one-off runs). */
export function memoryContractCache(): ContractCache & { rows: Map<string, CachedSchema & { model: string }> } {
  const rows = new Map<string, CachedSchema & { model: string }>();
  return {
    rows,
    async find(model, version) {
      const all = [...rows.values()].filter((r) => r.model === model && (!version || r.version === version));
      return all.sort((a, b) => (a.fetchedAt < b.fetchedAt ? 1 : -1))[0] ?? null;
    },
    async save(model, version, openapiSchema, fetchedAt) {
      rows.set(`${model}:${version}`, { model, version, openapiSchema, fetchedAt });
    },
  };
}

export interface ContractSourceOptions {
  /** the Replicate client; null or absent: offline (cache, then shipped schemas) */
  client?: (() => Promise<Replicate>) | null | undefined;
  cache?: ContractCache | null | undefined;
  /** how long a cached latest-version schema is used without asking again (default 24 h) */
  maxAgeMs?: number | undefined;
  now?: (() => number) | undefined;
  /** user-facing notes (stderr) */
  log?: ((message: string) => void) | undefined;
}

export interface ContractSource {
  /** the contract of 'owner/name' or 'owner/name:version' */
  get(modelRef: string, signal?: AbortSignal): Promise<ModelContract>;
}

export function parseModelRef(ref: string): { model: string; version: string | null; owner: string; name: string } {
  const [model = '', version] = ref.trim().split(':');
  const m = /^([A-Za-z0-9][\w.-]*)\/([A-Za-z0-9][\w.-]*)$/.exec(model);
  if (!m) {
    throw new OmveeError('config', `"${ref}" is not a Replicate model name`, { hint: 'Use owner/name or owner/name:version, e.g. bytedance/seedance-1-lite.' });
  }
  return { model, version: version || null, owner: m[1]!, name: m[2]! };
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function createContractSource(opts: ContractSourceOptions = {}): ContractSource {
  const now = opts.now ?? Date.now;
  const maxAgeMs = opts.maxAgeMs ?? DAY_MS;
  const memo = new Map<string, Promise<ModelContract>>();

  async function fetchSchema(ref: ReturnType<typeof parseModelRef>, signal?: AbortSignal): Promise<{ version: string; openapiSchema: Record<string, unknown> }> {
    const client = await opts.client!();
    try {
      if (ref.version) {
        const v = parseVersionObject(await client.models.versions.get(ref.owner, ref.name, ref.version, { signal }));
        if (!v.openapi_schema) throw noSchema(ref.model);
        return { version: v.id, openapiSchema: v.openapi_schema };
      }
      const m = parseModelObject(await client.models.get(ref.owner, ref.name, { signal }));
      if (!m.latest_version?.openapi_schema) throw noSchema(ref.model);
      return { version: m.latest_version.id, openapiSchema: m.latest_version.openapi_schema };
    } catch (error) {
      throw toProviderError(error, REPLICATE_SERVICE);
    }
  }

  async function resolve(refText: string, signal?: AbortSignal): Promise<ModelContract> {
    const ref = parseModelRef(refText);
    const cached = opts.cache ? await opts.cache.find(ref.model, ref.version ?? undefined).catch(() => null) : null;
    const fresh = cached && (ref.version !== null || now() - Date.parse(cached.fetchedAt) < maxAgeMs);
    if (cached && fresh) return deriveContract(ref.model, cached.version, cached.openapiSchema, 'cache');
    let failure: OmveeError | null = null;
    if (opts.client) {
      try {
        const got = await fetchSchema(ref, signal);
        await opts.cache?.save(ref.model, got.version, got.openapiSchema, new Date(now()).toISOString());
        return deriveContract(ref.model, got.version, got.openapiSchema, 'api');
      } catch (error) {
        const e = toProviderError(error, REPLICATE_SERVICE);
        // a wrong name or a refused key is not papered over with an old copy
        if (e.code === 'interrupted' || e.code === 'provider_auth' || e.details?.['status'] === 404 || e.details?.['status'] === 422) throw notFoundOr(e, ref.model);
        failure = e;
      }
    }
    const why = failure ? `Replicate could not be asked (${failure.message})` : 'offline';
    if (cached) {
      opts.log?.(`${why}: using the schema of ${ref.model} cached on ${cached.fetchedAt.slice(0, 10)}`);
      return deriveContract(ref.model, cached.version, cached.openapiSchema, 'cache');
    }
    const shipped = fixtureModelObject(ref.model);
    if (shipped?.latest_version?.openapi_schema) {
      if (failure) opts.log?.(`${why}: using the schema of ${ref.model} shipped with omvee`);
      if (ref.version && ref.version !== shipped.latest_version.id) opts.log?.(`the shipped schema of ${ref.model} is version ${shipped.latest_version.id.slice(0, 8)}, not the pinned ${ref.version.slice(0, 8)}`);
      return deriveContract(ref.model, shipped.latest_version.id, shipped.latest_version.openapi_schema, 'fixture');
    }
    throw new OmveeError(failure?.code ?? 'config', `no input schema known for ${ref.model}${failure ? `: ${failure.message}` : ' without a network'}`, {
      hint: failure ? 'Check your connection and REPLICATE_API_TOKEN, then rerun.' : `Run once online so it is cached, or use a model whose schema ships with omvee: ${FIXTURE_MODELS.join(', ')}.`,
      ...(failure ? { cause: failure } : {}),
    });
  }

  return {
    get(modelRef, signal) {
      let p = memo.get(modelRef);
      if (!p) {
        p = resolve(modelRef, signal);
        memo.set(modelRef, p);
        p.catch(() => memo.delete(modelRef));
      }
      return p;
    },
  };
}

function noSchema(model: string): OmveeError {
  return new OmveeError('provider', `${model} publishes no input schema`, { hint: 'omvee drives cog models with a published openapi_schema; pick another model.', details: { status: 422 } });
}

function notFoundOr(e: OmveeError, model: string): OmveeError {
  if (e.details?.['status'] !== 404) return e;
  return new OmveeError('config', `Replicate has no model ${model} (HTTP 404)`, {
    hint: 'Check the name in OMVEE_CLIP_MODEL / OMVEE_IMAGE_MODEL (owner/name, as on replicate.com).',
    details: { status: 404, model },
  });
}
