/**
 * Projects: naming rules, finding a project from what a person typed (id, unique id prefix,
 * or unique name), and deleting one with its files.
 */
import type { Blobs } from '../blobs/port.ts';
import { projectPrefix } from '../blobs/keys.ts';
import { OmveeError } from '../cli/errors.ts';
import type { Store } from '../store/port.ts';
import { PROJECT_NAME_MAX, type Project } from './model.ts';

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Trimmed, non-empty, at most 255 characters, no control characters. */
export function validateProjectName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0) throw new OmveeError('invalid_input', 'project name is empty', { hint: 'give the project a name, e.g. "Easy Kill"' });
  if ([...name].length > PROJECT_NAME_MAX) {
    throw new OmveeError('invalid_input', `project name is too long (${[...name].length} characters; at most ${PROJECT_NAME_MAX})`, { hint: 'use a shorter name' });
  }
  if (CONTROL_CHARS.test(name)) {
    throw new OmveeError('invalid_input', 'project name contains control characters (newlines, tabs, escapes)', { hint: 'use printable characters only' });
  }
  return name;
}

export function validateStyle(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const style = raw.trim();
  if (style.length > 2000) throw new OmveeError('invalid_input', `style is too long (${style.length} characters; at most 2000)`);
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(style)) throw new OmveeError('invalid_input', 'style contains control characters');
  return style === '' ? null : style;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_PREFIX = /^[0-9a-f-]{4,36}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * Find a project by full id, unique id prefix (4+ hex characters) or unique exact name.
 * Unknown → not_found; several matches → ambiguous (listing them).
 */
export async function resolveProject(store: Store, ref: string): Promise<Project> {
  const wanted = ref.trim();
  if (wanted === '') throw new OmveeError('usage', 'project reference is empty', { hint: 'pass a project id, id prefix or name (see: omvee project list)' });
  if (CONTROL_CHARS.test(wanted)) throw new OmveeError('invalid_input', 'project reference contains control characters');
  if (isUuid(wanted)) {
    const project = await store.get('projects', wanted.toLowerCase());
    if (project) return project;
    throw notFoundProject(wanted);
  }
  const byName = await store.list('projects', { where: { name: wanted }, limit: 3 });
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) throw ambiguous(wanted, byName);
  if (ID_PREFIX.test(wanted)) {
    // prefix match on ids: the projects table is small enough to scan ids
    const all = await store.list('projects', { order: { column: 'created_at' } });
    const matches = all.filter((p) => p.id.startsWith(wanted.toLowerCase()));
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) throw ambiguous(wanted, matches);
  }
  throw notFoundProject(wanted);
}

function notFoundProject(ref: string): OmveeError {
  return new OmveeError('not_found', `project not found: ${ref}`, { hint: 'list projects with `omvee project list`' });
}

function ambiguous(ref: string, matches: readonly Project[]): OmveeError {
  const list = matches.map((p) => `${p.id} (${p.name})`).join(', ');
  return new OmveeError('ambiguous', `"${ref}" matches several projects: ${list}`, { hint: 'use the full project id' });
}

/**
 * Delete a project: the rows first (the source of truth; child rows cascade), then its files.
 * If removing files fails after the rows are gone, the leftover files are reported, not lost work.
 */
export async function deleteProject(store: Store, blobs: Blobs, project: Project): Promise<{ filesRemoved: number; fileError: string | null }> {
  const deleted = await store.delete('projects', project.id);
  if (!deleted) throw notFoundProject(project.id);
  try {
    const filesRemoved = await blobs.removePrefix(projectPrefix(project.id));
    return { filesRemoved, fileError: null };
  } catch (error) {
    return { filesRemoved: 0, fileError: error instanceof Error ? error.message : String(error) };
  }
}
