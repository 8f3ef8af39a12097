/**
 * Checks an input against a model's published schema BEFORE anything paid is created, and says
 * which field is wrong and what it allows. The problems are reported in the shape Replicate's
 * own 422 answer uses (`invalid_fields: [{type, field, description}]`, types such as
 * `required`, `enum`, `number_gte`, `number_lte`, `string_lte`, `invalid_type`), e.g.
 * {"type":"enum","field":"input.output_format","description":"output_format must be one of the following: \"jpg\", \"png\""}.
 */
import { OmveeError } from '../../../core/errors.ts';
import type { ModelContract } from './derive.ts';
import type { InputField } from './openapi.ts';

export interface InvalidField {
  type: string;
  field: string;
  description: string;
  /** what the field allows, in words (omvee's addition, for the error hint) */
  allowed?: string;
}

const quote = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : String(v));

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: InputField['type'], value: unknown): boolean {
  const actual = typeOf(value);
  if (expected === undefined) return true;
  if (expected === 'number') return actual === 'number' || actual === 'integer';
  return actual === expected;
}

/** Human words for what a field allows, e.g. "2–12", "one of 5, 10", "at most 1500 characters". */
export function describeAllowed(field: InputField): string {
  if (field.enum?.length) return `one of ${field.enum.map(quote).join(', ')}`;
  const parts: string[] = [];
  if (field.type === 'integer' || field.type === 'number') {
    if (field.minimum !== undefined && field.maximum !== undefined) parts.push(`${field.type === 'integer' ? 'a whole number ' : ''}from ${field.minimum} to ${field.maximum}`);
    else if (field.minimum !== undefined) parts.push(`≥ ${field.minimum}`);
    else if (field.maximum !== undefined) parts.push(`≤ ${field.maximum}`);
    else parts.push(field.type === 'integer' ? 'a whole number' : 'a number');
  }
  if (field.type === 'string') {
    if (field.maxLength !== undefined) parts.push(`at most ${field.maxLength} characters`);
    if (field.format === 'uri') parts.push('a URL');
  }
  if (field.type === 'array' && field.maxItems !== undefined) parts.push(`at most ${field.maxItems} items`);
  if (field.type === 'boolean') parts.push('true or false');
  return parts.join(', ') || `a ${field.type ?? 'value'}`;
}

function checkValue(field: InputField, value: unknown, path: string, out: InvalidField[]): void {
  const allowed = describeAllowed(field);
  if (value === null) {
    if (!field.nullable) out.push({ type: 'invalid_type', field: path, description: `Invalid type. Expected: ${field.type ?? 'value'}, given: null`, allowed });
    return;
  }
  if (!typeMatches(field.type, value)) {
    out.push({ type: 'invalid_type', field: path, description: `Invalid type. Expected: ${field.type}, given: ${typeOf(value)}`, allowed });
    return;
  }
  if (field.enum?.length && !field.enum.some((e) => e === value)) {
    out.push({ type: 'enum', field: path, description: `${field.name} must be one of the following: ${field.enum.map(quote).join(', ')}`, allowed });
    return;
  }
  if (typeof value === 'number') {
    if (field.minimum !== undefined && value < field.minimum) out.push({ type: 'number_gte', field: path, description: `Must be greater than or equal to ${field.minimum}`, allowed });
    if (field.maximum !== undefined && value > field.maximum) out.push({ type: 'number_lte', field: path, description: `Must be less than or equal to ${field.maximum}`, allowed });
    if (field.exclusiveMinimum !== undefined && value <= field.exclusiveMinimum) out.push({ type: 'number_gt', field: path, description: `Must be greater than ${field.exclusiveMinimum}`, allowed });
    if (field.exclusiveMaximum !== undefined && value >= field.exclusiveMaximum) out.push({ type: 'number_lt', field: path, description: `Must be less than ${field.exclusiveMaximum}`, allowed });
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (field.maxLength !== undefined && length > field.maxLength) out.push({ type: 'string_lte', field: path, description: `String length must be less than or equal to ${field.maxLength}`, allowed });
    if (field.minLength !== undefined && length < field.minLength) out.push({ type: 'string_gte', field: path, description: `String length must be greater than or equal to ${field.minLength}`, allowed });
    if (field.format === 'uri' && !/^[a-z][a-z0-9+.-]*:/i.test(value)) out.push({ type: 'format', field: path, description: "Does not match format 'uri'", allowed });
  }
  if (Array.isArray(value)) {
    if (field.maxItems !== undefined && value.length > field.maxItems) out.push({ type: 'array_max_items', field: path, description: `Array must have at most ${field.maxItems} items`, allowed });
    if (field.minItems !== undefined && value.length < field.minItems) out.push({ type: 'array_min_items', field: path, description: `Array must have at least ${field.minItems} items`, allowed });
    if (field.items) value.forEach((item, i) => checkValue(field.items!, item, `${path}.${i}`, out));
  }
}

/** Every problem of `input` against the contract's schema (empty when it is valid). */
export function validateInput(contract: ModelContract, input: Readonly<Record<string, unknown>>): InvalidField[] {
  const out: InvalidField[] = [];
  const { fields, required } = contract.schema;
  for (const name of required) {
    if (input[name] === undefined) out.push({ type: 'required', field: 'input', description: `${name} is required`, allowed: fields[name] ? describeAllowed(fields[name]!) : undefined });
  }
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const field = fields[name];
    if (!field) {
      out.push({ type: 'additional_property_not_allowed', field: 'input', description: `Additional property ${name} is not allowed`, allowed: `fields of ${contract.model}: ${Object.keys(fields).join(', ')}` });
      continue;
    }
    checkValue(field, value, `input.${name}`, out);
  }
  return out;
}

/** Throws a clear OmveeError naming each bad field and what it allows; nothing is paid. */
export function assertValidInput(contract: ModelContract, input: Readonly<Record<string, unknown>>): void {
  const problems = validateInput(contract, input);
  if (problems.length === 0) return;
  const first = problems[0]!;
  const name = first.field === 'input' ? (/(\S+) is required|property (\S+) is/.exec(first.description)?.slice(1).find(Boolean) ?? 'input') : first.field.replace(/^input\./, '');
  const lines = problems.map((p) => `${p.field === 'input' ? p.description : `${p.field.replace(/^input\./, '')}: ${p.description}`}`);
  throw new OmveeError('invalid_input', `${contract.model} would refuse this input (${lines.join('; ')}); nothing was sent or paid`, {
    hint: first.allowed
      ? `${name} must be ${first.allowed}${contract.source === 'fixture' ? ' (from the schema shipped with omvee; it may be out of date)' : ''}. Fix the setting that produced it, or choose another model.`
      : 'Check the model settings (OMVEE_CLIP_MODEL / OMVEE_IMAGE_MODEL).',
    details: { model: contract.model, version: contract.version, invalidFields: problems.map(({ type, field, description }) => ({ type, field, description })) },
  });
}
