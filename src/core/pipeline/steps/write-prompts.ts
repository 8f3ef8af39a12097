/** generate_prompts: the visual prompts of every scene that has none (or all of them with force). */
import { z } from 'zod';
import { defineStep } from '../step-definition.ts';
import { generatePrompts } from '../prompts-step.ts';

export default defineStep({
  payload: z.object({ force: z.boolean().optional() }),
  worker: true,
  async run(deps, project, payload, control) {
    const out = await generatePrompts(deps, project, { force: payload.force === true }, control);
    return { result: { created: out.created, kept: out.kept, model: out.model }, costUsd: out.costUsd };
  },
  plan: {
    needed: async (store, project) => (await store.count('scene_prompts', { project_id: project.id })) < (await store.count('selected_scenes', { project_id: project.id })),
    queueAlways: true,
    payload: () => ({}),
    label: (_p, providers) => `writing prompts (${providers.director})`,
    done: (j) => `${String(j.result?.created)} prompts`,
  },
});
