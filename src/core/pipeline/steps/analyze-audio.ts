/**
 * analyze_audio: the song heard — tempo, beats, downbeats, sections with repeat labels, energy —
 * stored with the project. Idempotent per song file hash and analysis version (../analyze-step.ts).
 */
import { z } from 'zod';
import { analysisMatchesSongKey } from '../../analysis/index.ts';
import { analysisSummary, analyzeSong } from '../analyze-step.ts';
import { defineStep } from '../step-definition.ts';

export default defineStep({
  payload: z.object({ force: z.boolean().optional() }),
  worker: true,
  async run(deps, project, payload, control) {
    const out = await analyzeSong(deps, project, control, { force: payload.force === true });
    for (const note of out.analysis.notes) deps.note?.(note);
    const a = out.analysis;
    return {
      result: {
        skipped: out.skipped,
        summary: analysisSummary(a),
        tempo_bpm: a.tempo_bpm,
        meter: a.meter,
        beats: a.beats.length,
        sections: a.sections.length,
        chorus_label: a.chorus_label,
        notes: a.notes,
      },
    };
  },
  plan: {
    // a current analysis of the stored song needs nothing; the step checks the full hash itself
    needed: async (_store, project) => project.audio_path !== null && !analysisMatchesSongKey(project),
    queueAlways: false,
    payload: () => ({}),
    label: () => 'listening to the song',
    done: (j) => (typeof j.result?.summary === 'string' ? j.result.summary : 'analysed'),
  },
});
