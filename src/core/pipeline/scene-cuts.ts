/**
 * The cut follows the music: a director's scenes (local or LLM, already valid) moved onto the
 * song's beats with snapCuts — downbeats first, section boundaries always, within the scene
 * bounds, away from the middle of sung lines, every cut on the video's frame grid — and each
 * scene's energy taken from the audio (energyBetween), not from the director's guess.
 *
 * A song without a steady beat keeps the director's cut (it is already valid; there is nothing to
 * snap to). Snapping may merge or split a scene when the beats ask for it: every new scene takes its title,
 * theme and artist from the draft it overlaps most, and its lyric lines from the transcript.
 */
import { energyBetween } from '../analysis/query.ts';
import type { AudioAnalysis } from '../analysis/model.ts';
import type { Transcript } from '../model.ts';
import { EXCERPT_SEPARATOR, assignSegments } from '../timeline/plan.ts';
import { snapCuts } from '../timeline/snap.ts';
import type { SceneDraft } from '../../providers/ports.ts';

export interface FollowMusicInput {
  durationS: number;
  fps: number;
  sceneMinS: number;
  sceneMaxS: number;
  analysis: AudioAnalysis;
  transcript: Transcript | null;
}

export function followTheMusic(drafts: readonly SceneDraft[], input: FollowMusicInput): { scenes: SceneDraft[]; notes: string[] } {
  const hasEnergy = input.analysis.energy.values.length > 0;
  if (input.analysis.beats.length === 0) {
    // no steady beat: nothing to snap to — the director's (valid) cut stays, the energy is still heard
    return { scenes: drafts.map((d) => ({ ...d, energy: hasEnergy ? energyBetween(input.analysis, d.start_time_s, d.end_time_s) : d.energy })), notes: [] };
  }
  const segments = (input.transcript?.segments ?? [])
    .map((seg, idx) => ({ seg, idx }))
    .filter(({ seg }) => Number.isFinite(seg.start) && Number.isFinite(seg.end) && seg.end > seg.start);
  const snapped = snapCuts({
    durationS: input.durationS,
    fps: input.fps,
    sceneMinS: input.sceneMinS,
    sceneMaxS: input.sceneMaxS,
    proposed: drafts.slice(1).map((d) => d.start_time_s),
    music: input.analysis,
    lines: segments.map(({ seg }) => ({ start: seg.start, end: seg.end })),
    energy: input.analysis.energy,
  });
  const bounds = snapped.boundaries;
  const perScene = segments.length > 0 ? assignSegments(bounds, segments) : null;
  const texts = input.transcript?.segments ?? [];
  const scenes: SceneDraft[] = [];
  const used = new Map<SceneDraft, number>();
  for (let k = 0; k + 1 < bounds.length; k++) {
    const a = bounds[k]!;
    const b = bounds[k + 1]!;
    let best = drafts[0]!;
    let bestOverlap = -Infinity;
    for (const d of drafts) {
      const o = Math.min(b, d.end_time_s) - Math.max(a, d.start_time_s);
      if (o > bestOverlap) {
        bestOverlap = o;
        best = d;
      }
    }
    const excerpt = perScene ? perScene[k]!.map((i) => texts[i]!.text.trim()).filter(Boolean).join(EXCERPT_SEPARATOR) : best.lyric_excerpt;
    // a draft the beats split in two: its second part says it goes on
    const part = (used.get(best) ?? 0) + 1;
    used.set(best, part);
    scenes.push({
      ...best,
      title: part > 1 ? `${best.title} (${part})` : best.title,
      start_time_s: a,
      end_time_s: b,
      lyric_excerpt: excerpt,
      energy: hasEnergy ? energyBetween(input.analysis, a, b) : best.energy,
    });
  }
  return { scenes, notes: snapped.notes };
}
