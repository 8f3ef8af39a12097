/** generate_images: a still per scene (a new take with new_take); every take is kept. */
import { z } from 'zod';
import { defineStep } from '../step-definition.ts';
import { countScenesWithout, generateImages } from '../images-step.ts';

export default defineStep({
  payload: z.object({ scenes: z.array(z.number().int().positive()).optional(), new_take: z.boolean().optional() }),
  worker: true,
  async run(deps, project, payload, control) {
    const out = await generateImages(deps, project, { ...(payload.scenes ? { scenes: payload.scenes } : {}), newTake: payload.new_take === true }, control);
    return { result: { generated: out.generated.length, skipped: out.skipped, image_ids: out.generated.map((g) => g.id) }, costUsd: out.costUsd };
  },
  plan: {
    needed: async (store, project) => (await countScenesWithout({ store }, project.id, 'generated_images', project)) > 0,
    queueAlways: true,
    payload: () => ({}),
    label: (_p, providers) => `generating images (${providers.images})`,
    done: (j) => `${String(j.result?.generated)} images`,
  },
});
