/** analyze_scenes (the original backend's name): scenes that cover the whole song, chosen by the director. */
import { z } from 'zod';
import { defineStep } from '../step-definition.ts';
import { selectScenes } from '../scenes-step.ts';

export default defineStep({
  payload: z.object({ scene_min: z.number().positive(), scene_max: z.number().positive() }),
  worker: true,
  async run(deps, project, payload, control) {
    const out = await selectScenes(deps, project, { sceneMinS: payload.scene_min, sceneMaxS: payload.scene_max }, control);
    if (out.repaired.length > 0) deps.log(`the director's scenes were repaired: ${out.repaired.slice(0, 3).join('; ')}${out.repaired.length > 3 ? '; …' : ''}`);
    return { result: { scenes: out.scenes.length, model: out.model, repaired: out.repaired }, costUsd: out.costUsd };
  },
  plan: {
    needed: async (store, project) => (await store.count('selected_scenes', { project_id: project.id })) === 0,
    queueAlways: false,
    payload: (o) => ({ scene_min: o.bounds.sceneMinS, scene_max: o.bounds.sceneMaxS }),
    label: (_p, providers) => `choosing scenes (${providers.director})`,
    done: (j) => `${String(j.result?.scenes)} scenes`,
  },
});
