/** Step 3 — visual prompts per scene, for the scenes that have none yet (or all, when forced). */
import { projectKey } from '../../blobs/keys.ts';
import { storedAnalysis } from '../analysis/stored.ts';
import { OmveeError } from '../errors.ts';
import type { Project, ScenePrompt } from '../model.ts';
import type { PipelineDeps } from './deps.ts';
import { listScenes } from './scenes-step.ts';
import { scopeToProject } from './scope.ts';
import type { StepContext } from './step.ts';

export async function generatePrompts(deps: PipelineDeps, project: Project, options: { force?: boolean }, step: StepContext): Promise<{ created: number; kept: number; model: string; costUsd: number }> {
  deps = (await scopeToProject(deps, project)).deps;
  const scenes = await listScenes(deps, project.id);
  if (scenes.length === 0) throw new OmveeError('invalid_input', `project ${project.name} has no scenes yet`, { hint: `run: omvee scenes select ${project.id}` });
  const existing = await deps.store.list('scene_prompts', { where: { project_id: project.id } });
  const have = new Map(existing.map((p) => [p.scene_id, p]));
  const todo = options.force ? scenes : scenes.filter((s) => !have.has(s.id));
  if (todo.length === 0) return { created: 0, kept: existing.length, model: deps.providers.director.name, costUsd: 0 };
  step.progress(10, `writing ${todo.length} prompts with the ${deps.providers.director.name} director`);
  const written = await deps.providers.director.writePrompts(
    { projectName: project.name, style: project.style, scenes: todo, transcript: project.transcript, analysis: storedAnalysis(project) },
    { signal: step.signal, log: deps.note ?? deps.log },
  );
  if (written.prompts.length !== todo.length) throw new OmveeError('provider', `the director wrote ${written.prompts.length} prompts for ${todo.length} scenes`);
  const perCall = todo.length ? written.costUsd / todo.length : 0;
  const saved: ScenePrompt[] = [];
  for (const [i, scene] of todo.entries()) {
    const draft = written.prompts[i]!;
    const row = { ...draft, generated_by_model: written.model, cost_usd: perCall };
    const old = have.get(scene.id);
    saved.push(old ? await deps.store.update('scene_prompts', old.id, row) : await deps.store.insert('scene_prompts', { ...row, project_id: project.id, scene_id: scene.id }));
    step.progress(10 + (80 * (i + 1)) / todo.length, 'saving prompts');
  }
  const all = await deps.store.list('scene_prompts', { where: { project_id: project.id } });
  await deps.blobs.put(projectKey(project.id, 'prompts', 'prompts.json'), Buffer.from(JSON.stringify(all, null, 2)), { contentType: 'application/json' });
  if (project.status === 'scenes_selected') await deps.store.update('projects', project.id, { status: 'prompts_generated' });
  return { created: saved.length, kept: existing.length - (options.force ? existing.length : 0), model: written.model, costUsd: written.costUsd };
}
