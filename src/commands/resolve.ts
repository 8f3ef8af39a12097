/**
 * Naming a project or an artist from a command: the core's resolution (id, id prefix, exact or
 * case-insensitive name, "did you mean" when nothing matches), plus, on a terminal, a picker when
 * a name matches several.
 */
import type { CliContext } from '../cli/context.ts';
import { choose } from '../cli/prompts.ts';
import { resolveArtist } from '../core/artists.ts';
import { OmveeError } from '../core/errors.ts';
import type { Artist, Project } from '../core/model.ts';
import { resolveProject } from '../core/projects.ts';
import type { Store } from '../store/port.ts';

async function orPick<T extends { id: string }>(ctx: CliContext, find: (ref: string) => Promise<T>, ref: string, noun: string): Promise<T> {
  try {
    return await find(ref);
  } catch (error) {
    const candidates = error instanceof OmveeError && error.code === 'ambiguous' ? (error.details?.candidates as { id: string; label: string }[] | undefined) : undefined;
    if (!candidates || !ctx.canPrompt) throw error;
    const id = await choose(ctx, `"${ref.trim()}" matches several ${noun}s; which one?`, candidates.map((c) => ({ value: c.id, name: c.label })), { flag: `the ${noun} id` });
    return find(id);
  }
}

export function projectFor(ctx: CliContext, store: Store, ref: string): Promise<Project> {
  return orPick(ctx, (r) => resolveProject(store, r), ref, 'project');
}

export function artistFor(ctx: CliContext, store: Store, ref: string): Promise<Artist> {
  return orPick(ctx, (r) => resolveArtist(store, r), ref, 'artist');
}
