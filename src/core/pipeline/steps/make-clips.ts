/**
 * generate_clips: a moving clip per scene, exactly as long as the scene. `omvee run` always gives
 * it one pass: it skips finished scenes and remakes outdated or rejected ones.
 */
import { z } from 'zod';
import { defineStep } from '../step-definition.ts';
import { generateClips } from '../clips-step.ts';

export default defineStep({
  payload: z.object({ scenes: z.array(z.number().int().positive()).optional(), new_take: z.boolean().optional() }),
  worker: true,
  async run(deps, project, payload, control) {
    const out = await generateClips(deps, project, { ...(payload.scenes ? { scenes: payload.scenes } : {}), newTake: payload.new_take === true }, control);
    return { result: { generated: out.generated.length, skipped: out.skipped, clip_ids: out.generated.map((c) => c.id) }, costUsd: out.costUsd };
  },
  plan: {
    needed: async () => true,
    queueAlways: true,
    payload: () => ({}),
    label: (_p, providers) => `generating clips (${providers.clips})`,
    done: (j) => `${String(j.result?.generated)} clips${Number(j.result?.skipped) ? `, ${String(j.result?.skipped)} already done` : ''}`,
  },
});
