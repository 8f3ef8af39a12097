/**
 * What people type to name things: names and free text (validated the same way everywhere),
 * and references to rows — a full id, a unique id prefix (4+ hex characters) or, for named
 * rows, a unique exact name.
 */
import { notFound, OmveeError } from './errors.ts';
import type { Store } from '../store/port.ts';
import type { Tables } from './model.ts';

/** Control characters a name may not contain (including newlines, tabs and line separators). */
const NAME_CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Control characters free text may not contain (newlines and tabs are fine). */
const TEXT_CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_PREFIX = /^[0-9a-f-]{4,36}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Trimmed, non-empty, at most `max` characters, no control characters. */
export function validateName(raw: string, noun: string, max: number, example: string): string {
  const name = raw.trim();
  if (name.length === 0) throw new OmveeError('invalid_input', `${noun} name is empty`, { hint: `give the ${noun} a name, e.g. "${example}"` });
  const length = [...name].length;
  if (length > max) throw new OmveeError('invalid_input', `${noun} name is too long (${length} characters; at most ${max})`, { hint: 'use a shorter name' });
  if (NAME_CONTROL_CHARS.test(name)) {
    throw new OmveeError('invalid_input', `${noun} name contains control characters (newlines, tabs, escapes)`, { hint: 'use printable characters only' });
  }
  return name;
}

/** Whether free text holds control characters it may not (newlines and tabs are fine). */
export function hasControlChars(text: string): boolean {
  return TEXT_CONTROL_CHARS.test(text);
}

/** Free text (a style, a description, a note): trimmed, at most `max` characters, printable. "" stays "". */
export function validateText(raw: string, label: string, max: number): string {
  const text = raw.trim();
  const length = [...text].length;
  if (length > max) throw new OmveeError('invalid_input', `${label} is too long (${length} characters; at most ${max})`, { hint: `shorten the ${label}` });
  if (hasControlChars(text)) throw new OmveeError('invalid_input', `${label} contains control characters`, { hint: 'use printable characters only' });
  return text;
}

type RefTable = 'projects' | 'artists' | 'jobs';

export interface RefOptions {
  /** 'project', 'artist', 'job' */
  noun: string;
  /** what to do next when nothing matches, e.g. 'list projects with `omvee project list`' */
  hint: string;
}

/**
 * Find a row by full id, unique exact name (projects and artists) or unique id prefix.
 * Unknown → not_found; several matches → ambiguous, listing them.
 */
export async function resolveRef<K extends RefTable>(store: Store, table: K, ref: string, options: RefOptions): Promise<Tables[K]> {
  const { noun, hint } = options;
  const wanted = ref.trim();
  if (wanted === '') throw new OmveeError('usage', `${noun} reference is empty`, { hint });
  if (NAME_CONTROL_CHARS.test(wanted)) throw new OmveeError('invalid_input', `${noun} reference contains control characters`, { hint });
  const ambiguous = (rows: readonly Tables[K][]) => {
    const list = rows.map((r) => ('name' in r ? `${r.id} (${String(r.name)})` : r.id)).join(', ');
    return new OmveeError('ambiguous', `"${wanted}" matches several ${noun}s: ${list}`, {
      hint: `use more characters of the id, or the full ${noun} id`,
      details: { candidates: rows.map((r) => ({ id: r.id, label: 'name' in r ? `${String(r.name)} (${r.id.slice(0, 8)}, created ${r.created_at.slice(0, 16).replace('T', ' ')})` : r.id })) },
    });
  };
  if (isUuid(wanted)) {
    const row = await store.get(table, wanted.toLowerCase());
    if (row) return row;
    throw notFound(noun, wanted, hint);
  }
  if (table !== 'jobs') {
    const byName = (await (store.list as (t: RefTable, q: unknown) => Promise<Tables[K][]>)(table, { where: { name: wanted }, limit: 3 }));
    if (byName.length === 1) return byName[0]!;
    if (byName.length > 1) throw ambiguous(byName);
  }
  const rows = (await store.list(table, { order: { column: 'created_at' } })) as Tables[K][];
  if (ID_PREFIX.test(wanted)) {
    const prefix = wanted.toLowerCase();
    const matches = rows.filter((r) => r.id.startsWith(prefix));
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) throw ambiguous(matches);
  } else if (table === 'jobs') {
    throw new OmveeError('invalid_input', `not a job id: ${wanted}`, { hint: `job ids look like 7c1e2f3a-…; ${hint}` });
  }
  if (table !== 'jobs') {
    const named = rows as (Tables[K] & { name: string })[];
    const folded = foldName(wanted);
    const same = named.filter((r) => foldName(r.name) === folded);
    if (same.length === 1) return same[0]!;
    if (same.length > 1) throw ambiguous(same);
    const near = closestNames(wanted, named.map((r) => r.name));
    if (near.length > 0) throw notFound(noun, wanted, `did you mean ${near.map((n) => `"${n}"`).join(' or ')}? (${hint})`);
  }
  throw notFound(noun, wanted, hint);
}

/** A name as people mean it: case, accents and runs of spaces do not matter. */
export function foldName(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The names closest to what was typed (a typo or two away, or containing it), best first, at most 3. */
export function closestNames(typed: string, names: readonly string[]): string[] {
  const want = foldName(typed);
  const scored = [...new Set(names)]
    .map((name) => {
      const folded = foldName(name);
      const distance = editDistance(want, folded);
      const contains = want.length >= 3 && (folded.includes(want) || want.includes(folded));
      return { name, score: contains ? Math.min(distance, 1) : distance };
    })
    .filter((s) => s.score <= Math.max(1, Math.floor(want.length / 4)))
    .sort((a, b) => a.score - b.score);
  return scored.slice(0, 3).map((s) => s.name);
}

/** Rows already named like `name` (case and spacing aside), to warn before a second one is made. */
export async function sameNamed<K extends 'projects' | 'artists'>(store: Store, table: K, name: string): Promise<Tables[K][]> {
  const folded = foldName(name);
  const rows = (await store.list(table, { order: { column: 'created_at' } })) as Tables[K][];
  return rows.filter((r) => foldName(r.name) === folded);
}
