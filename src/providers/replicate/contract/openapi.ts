/**
 * Reading a model's published input schema as Replicate's API returns it.
 *
 * `GET /v1/models/{owner}/{name}` answers a model object whose `latest_version.openapi_schema`
 * is the OpenAPI document cog publishes; `GET /v1/models/{owner}/{name}/versions/{id}` answers
 * a version object with the same `openapi_schema`. The inputs are
 * `components.schemas.Input.properties`; cog writes an enum as
 * `{"allOf": [{"$ref": "#/components/schemas/<name>"}], "default": …}` pointing at a named
 * component schema holding `enum` and `type`. This module resolves those references into one
 * flat description per input field.
 */
import { z } from 'zod';
import { OmveeError } from '../../../core/errors.ts';

/** One input field of a model, with every $ref / allOf resolved. */
export interface InputField {
  name: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | undefined;
  enum?: readonly (string | number | boolean)[] | undefined;
  minimum?: number | undefined;
  maximum?: number | undefined;
  exclusiveMinimum?: number | undefined;
  exclusiveMaximum?: number | undefined;
  minLength?: number | undefined;
  maxLength?: number | undefined;
  minItems?: number | undefined;
  maxItems?: number | undefined;
  format?: string | undefined;
  default?: unknown;
  nullable?: boolean | undefined;
  description?: string | undefined;
  title?: string | undefined;
  items?: InputField | undefined;
  order?: number | undefined;
}

export interface InputSchema {
  fields: Readonly<Record<string, InputField>>;
  required: readonly string[];
}

const VersionObjectSchema = z.looseObject({
  id: z.string().min(1),
  created_at: z.string().nullable().optional(),
  cog_version: z.string().nullable().optional(),
  openapi_schema: z.looseObject({}).nullable(),
});
export type VersionObject = z.infer<typeof VersionObjectSchema>;

const ModelObjectSchema = z.looseObject({
  owner: z.string().min(1),
  name: z.string().min(1),
  latest_version: VersionObjectSchema.nullable(),
});
export type ModelObject = z.infer<typeof ModelObjectSchema>;

function shapeError(what: string, error: z.ZodError): OmveeError {
  const issue = error.issues[0];
  return new OmveeError('provider', `Replicate answered a ${what} omvee cannot read (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'bad shape'})`, {
    hint: 'The model may be private, deleted or not a cog model; check the model name (OMVEE_CLIP_MODEL / OMVEE_IMAGE_MODEL).',
  });
}

/** A model object as `GET /v1/models/{owner}/{name}` returns it. */
export function parseModelObject(json: unknown): ModelObject {
  const parsed = ModelObjectSchema.safeParse(json);
  if (!parsed.success) throw shapeError('model object', parsed.error);
  return parsed.data;
}

/** A version object as `GET /v1/models/{owner}/{name}/versions/{id}` returns it. */
export function parseVersionObject(json: unknown): VersionObject {
  const parsed = VersionObjectSchema.safeParse(json);
  if (!parsed.success) throw shapeError('model version', parsed.error);
  return parsed.data;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

const REF_PREFIX = '#/components/schemas/';

/** Merge a schema node with everything it references, outermost keys winning. */
function flatten(node: unknown, schemas: Json, depth = 0): Json {
  if (!isObject(node) || depth > 8) return {};
  let merged: Json = {};
  const ref = node['$ref'];
  if (typeof ref === 'string' && ref.startsWith(REF_PREFIX)) {
    merged = { ...merged, ...flatten(schemas[ref.slice(REF_PREFIX.length)], schemas, depth + 1) };
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[key];
    if (!Array.isArray(list)) continue;
    // allOf: all apply; anyOf/oneOf: the first usable non-null branch describes the value
    const members = key === 'allOf' ? list : list.filter((m) => !(isObject(m) && m['type'] === 'null')).slice(0, 1);
    for (const member of members) merged = { ...merged, ...flatten(member, schemas, depth + 1) };
    if (key !== 'allOf' && list.some((m) => isObject(m) && m['type'] === 'null')) merged['nullable'] = true;
  }
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' || k === 'allOf' || k === 'anyOf' || k === 'oneOf') continue;
    merged[k] = v;
  }
  return merged;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const TYPES = new Set(['string', 'integer', 'number', 'boolean', 'array', 'object']);

function toField(name: string, node: unknown, schemas: Json): InputField {
  const f = flatten(node, schemas);
  const type = typeof f['type'] === 'string' && TYPES.has(f['type']) ? (f['type'] as InputField['type']) : undefined;
  const enumValues = Array.isArray(f['enum']) ? (f['enum'].filter((x) => ['string', 'number', 'boolean'].includes(typeof x)) as (string | number | boolean)[]) : undefined;
  return {
    name,
    type: type ?? (enumValues && enumValues.length > 0 ? (typeof enumValues[0] === 'number' ? (enumValues.every((x) => Number.isInteger(x)) ? 'integer' : 'number') : typeof enumValues[0] === 'boolean' ? 'boolean' : 'string') : undefined),
    enum: enumValues,
    minimum: num(f['minimum']),
    maximum: num(f['maximum']),
    exclusiveMinimum: num(f['exclusiveMinimum']),
    exclusiveMaximum: num(f['exclusiveMaximum']),
    minLength: num(f['minLength']),
    maxLength: num(f['maxLength']),
    minItems: num(f['minItems']),
    maxItems: num(f['maxItems']),
    format: str(f['format']),
    default: f['default'],
    nullable: f['nullable'] === true ? true : undefined,
    description: str(f['description']),
    title: str(f['title']),
    items: f['items'] !== undefined ? toField(`${name}[]`, f['items'], schemas) : undefined,
    order: num(f['x-order']),
  };
}

/** The input fields of a published openapi_schema (components.schemas.Input). */
export function readInputSchema(openapi: unknown): InputSchema {
  const components = isObject(openapi) && isObject(openapi['components']) ? openapi['components'] : null;
  const schemas = components && isObject(components['schemas']) ? components['schemas'] : null;
  const input = schemas ? flatten(schemas['Input'], schemas) : null;
  if (!schemas || !input || !isObject(input['properties'])) {
    throw new OmveeError('provider', 'the model publishes no input schema (components.schemas.Input is missing)', {
      hint: 'omvee can only drive cog models with a published schema; pick another model (OMVEE_CLIP_MODEL / OMVEE_IMAGE_MODEL).',
    });
  }
  const fields: Record<string, InputField> = {};
  for (const [name, node] of Object.entries(input['properties'])) fields[name] = toField(name, node, schemas);
  const required = Array.isArray(input['required']) ? input['required'].filter((r): r is string => typeof r === 'string') : [];
  return { fields, required };
}
