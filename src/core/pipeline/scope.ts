/**
 * The storage a step may touch for a project: its own folder and the folders of the artists its
 * scenes feature. Every pipeline step opens with `scopeToProject`, so whatever a row or a job
 * payload says, the step reads, writes and deletes only inside that scope (see
 * src/blobs/scoped.ts for why: the confused deputy).
 *
 * Worker rights: `omvee worker` with SUPABASE_SERVICE_KEY acts as the service role, not as the
 * job's owner. Acting as the owner would need a token for that user, which only Supabase Auth
 * can issue (minting one needs the project's JWT secret, which omvee must not hold) and which
 * the worker does not have for users who are not signed in on its machine. So the service-role
 * worker stays, and this scope is what limits it; a user who wants RLS and the storage policies
 * to apply too runs `omvee worker` signed in (SUPABASE_ANON_KEY + `omvee login`), which only
 * ever sees that user's jobs. README.md, "Security", says the same.
 *
 * For the lead: handlers get this for free (every step scopes itself). Code outside the steps
 * that builds PipelineDeps for one project can call `scopeToProject(deps, project)` too.
 */
import { scopeBlobs, type KeyScope } from '../../blobs/scoped.ts';
import type { Store } from '../../store/port.ts';
import type { Project } from '../model.ts';
import type { PipelineDeps } from './deps.ts';

/**
 * The scope of a project: projects/{id}/ plus artists/{artist}/ of every artist one of its
 * scenes features, when that artist belongs to the project's owner (on Supabase RLS already
 * keeps a user from featuring someone else's artist; this holds for the service role as well).
 */
export async function projectScope(store: Pick<Store, 'list' | 'get'>, project: Project): Promise<KeyScope> {
  const scenes = await store.list('selected_scenes', { where: { project_id: project.id } });
  const featured = new Set(scenes.filter((s) => s.artist_id && s.artist_role !== 'none').map((s) => s.artist_id!));
  const artistIds = new Set<string>();
  for (const id of featured) {
    const artist = await store.get('artists', id);
    if (artist && (artist.user_id ?? null) === (project.user_id ?? null)) artistIds.add(id);
  }
  return { projectId: project.id, artistIds };
}

/** `deps` whose blobs are limited to the project's scope, and the scope itself. */
export async function scopeToProject<D extends Pick<PipelineDeps, 'store' | 'blobs'>>(deps: D, project: Project): Promise<{ deps: D; scope: KeyScope }> {
  const scope = await projectScope(deps.store, project);
  return { deps: { ...deps, blobs: scopeBlobs(deps.blobs, scope) }, scope };
}
