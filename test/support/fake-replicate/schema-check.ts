/**
 * The fake Replicate's input validation: a model's published openapi_schema
 * (components.schemas.Input, enums behind allOf/$ref) checked the way Replicate's API answers a
 * bad create — HTTP 422 with
 *   {"detail":"- input.output_format: output_format must be one of the following: \"jpg\", \"png\"\n",
 *    "status":422,"title":"Input validation failed",
 *    "invalid_fields":[{"type":"enum","field":"input.output_format","description":"output_format must be one of the following: \"jpg\", \"png\""}]}
 * (the response shape Replicate documents: https://replicate.com/changelog/2024-05-01-improved-validation-for-api-prediction-payloads
 * — `invalid_fields` of {type, field, description}, e.g. type "required" / "additional_property_not_allowed")
 * and, for a missing field, {"type":"required","field":"input","description":"prompt is required"}
 * with detail "- input: prompt is required"; bounds as {"type":"number_lte","field":"input.num_inference_steps",
 * "description":"Must be less than or equal to 4"} (422 bodies quoted from public reports of real
 * Replicate responses; the type names and wording are those of gojsonschema, the Go JSON-schema
 * validator whose messages they are).
 *
 * Written separately from src/providers/replicate/contract/validate.ts on purpose: the fake must
 * not agree with omvee because it shares omvee's code. Unknown input fields are ignored, as cog
 * schemas do not forbid additional properties.
 */

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface InvalidField {
  type: string;
  field: string;
  description: string;
}

function resolve(node: unknown, schemas: Json, depth = 0): Json {
  if (!isObj(node) || depth > 10) return {};
  const out: Json = {};
  if (typeof node['$ref'] === 'string') Object.assign(out, resolve(schemas[(node['$ref'] as string).split('/').pop()!], schemas, depth + 1));
  if (Array.isArray(node['allOf'])) for (const m of node['allOf']) Object.assign(out, resolve(m, schemas, depth + 1));
  for (const [k, v] of Object.entries(node)) if (k !== '$ref' && k !== 'allOf') out[k] = v;
  return out;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const fmt = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : String(v));

function check(name: string, prop: Json, value: unknown, field: string, out: InvalidField[], schemas: Json): void {
  if (value === null) {
    if (prop['nullable'] !== true) out.push({ type: 'invalid_type', field, description: `Invalid type. Expected: ${String(prop['type'])}, given: null` });
    return;
  }
  const expected = prop['type'];
  const given = jsonType(value);
  if (typeof expected === 'string' && !(expected === given || (expected === 'number' && given === 'integer'))) {
    out.push({ type: 'invalid_type', field, description: `Invalid type. Expected: ${expected}, given: ${given}` });
    return;
  }
  if (Array.isArray(prop['enum']) && !prop['enum'].includes(value)) {
    out.push({ type: 'enum', field, description: `${name} must be one of the following: ${prop['enum'].map(fmt).join(', ')}` });
    return;
  }
  if (typeof value === 'number') {
    if (typeof prop['minimum'] === 'number' && value < prop['minimum']) out.push({ type: 'number_gte', field, description: `Must be greater than or equal to ${prop['minimum']}` });
    if (typeof prop['maximum'] === 'number' && value > prop['maximum']) out.push({ type: 'number_lte', field, description: `Must be less than or equal to ${prop['maximum']}` });
  }
  if (typeof value === 'string') {
    if (typeof prop['maxLength'] === 'number' && [...value].length > prop['maxLength']) out.push({ type: 'string_lte', field, description: `String length must be less than or equal to ${prop['maxLength']}` });
    if (prop['format'] === 'uri' && !/^[a-zA-Z][a-zA-Z0-9+.-]*:./.test(value)) out.push({ type: 'format', field, description: "Does not match format 'uri'" });
  }
  if (Array.isArray(value)) {
    if (typeof prop['maxItems'] === 'number' && value.length > prop['maxItems']) out.push({ type: 'array_max_items', field, description: `Array must have at most ${prop['maxItems']} items` });
    const items = resolve(prop['items'], schemas);
    value.forEach((item, i) => check(name, items, item, `${field}.${i}`, out, schemas));
  }
}

/** Every problem of `input` against `openapi` (empty when valid). */
export function checkInput(openapi: Json, input: Json): InvalidField[] {
  const schemas = (isObj(openapi['components']) && isObj((openapi['components'] as Json)['schemas']) ? (openapi['components'] as Json)['schemas'] : {}) as Json;
  const spec = resolve(schemas['Input'], schemas);
  const props = (isObj(spec['properties']) ? spec['properties'] : {}) as Json;
  const out: InvalidField[] = [];
  for (const name of Array.isArray(spec['required']) ? (spec['required'] as string[]) : []) {
    if (input[name] === undefined) out.push({ type: 'required', field: 'input', description: `${name} is required` });
  }
  for (const [name, value] of Object.entries(input)) {
    if (!isObj(props[name])) continue;
    check(name, resolve(props[name], schemas), value, `input.${name}`, out, schemas);
  }
  return out;
}

/** The 422 body Replicate answers for these problems. */
export function invalidBody(fields: InvalidField[]): Json {
  return {
    detail: fields.map((f) => `- ${f.field}: ${f.description}\n`).join(''),
    status: 422,
    title: 'Input validation failed',
    invalid_fields: fields,
  };
}
