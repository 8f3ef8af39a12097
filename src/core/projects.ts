/**
 * Projects: naming rules, finding a project from what a person typed (id, unique id prefix,
 * or unique name), and deleting one with its files.
 */
import type { Blobs } from '../blobs/port.ts';
import { projectPrefix } from '../blobs/keys.ts';
import { notFound } from './errors.ts';
import type { Store } from '../store/port.ts';
import { PROJECT_NAME_MAX, type Project } from './model.ts';
import { resolveRef, validateName, validateText } from './refs.ts';

export { isUuid } from './refs.ts';

/** Trimmed, non-empty, at most 255 characters, no control characters. */
export function validateProjectName(raw: string): string {
  return validateName(raw, 'project', PROJECT_NAME_MAX, 'Easy Kill');
}

/** A visual style: "" or nothing → null. */
export function validateStyle(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  return validateText(raw, 'style', 2000) || null;
}

/** Find a project by full id, unique id prefix (4+ hex characters) or unique exact name. */
const PROJECT_HINT = 'list projects with `omvee project list`';

export function resolveProject(store: Store, ref: string): Promise<Project> {
  return resolveRef(store, 'projects', ref, { noun: 'project', hint: PROJECT_HINT });
}

/**
 * Delete a project: the rows first (the source of truth; child rows cascade), then its files.
 * If removing files fails after the rows are gone, the leftover files are reported, not lost work.
 */
export async function deleteProject(store: Store, blobs: Blobs, project: Project): Promise<{ filesRemoved: number; fileError: string | null }> {
  const deleted = await store.delete('projects', project.id);
  if (!deleted) throw notFound('project', project.id, PROJECT_HINT);
  try {
    const filesRemoved = await blobs.removePrefix(projectPrefix(project.id));
    return { filesRemoved, fileError: null };
  } catch (error) {
    return { filesRemoved: 0, fileError: error instanceof Error ? error.message : String(error) };
  }
}
