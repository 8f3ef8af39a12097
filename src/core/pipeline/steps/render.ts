/** assemble_video: the approved clips in order, cut to the frame, with the song — redone when anything it was made from changed. */
import { z } from 'zod';
import { usableFinal } from '../final-video.ts';
import { defineStep } from '../step-definition.ts';
import { renderFinal } from '../render-step.ts';

export default defineStep({
  payload: z.object({ auto_approve: z.boolean(), lyrics_overlay: z.boolean() }),
  worker: true,
  async run(deps, project, payload, control) {
    const out = await renderFinal(deps, project, { autoApprove: payload.auto_approve, lyricsOverlay: payload.lyrics_overlay }, control);
    return {
      result: { final_video_id: out.final.id, video_path: out.final.video_path, frame_count: out.final.frame_count, duration_s: out.final.duration_s, size_bytes: out.final.size_bytes },
    };
  },
  plan: {
    needed: async (store, project, o) => (await usableFinal(store, project.id, o.lyricsOverlay, project)) === null,
    queueAlways: true,
    payload: (o) => ({ auto_approve: true, lyrics_overlay: o.lyricsOverlay }),
    label: () => 'rendering the final cut',
    done: (j) => `${String(j.result?.frame_count)} frames`,
  },
});
