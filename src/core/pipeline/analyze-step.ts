/**
 * The analyze step: the song decoded once (streamed, so memory stays bounded however long it is)
 * and heard — tempo, beats, downbeats, sections, energy (src/core/analysis). Idempotent per song
 * file: skipped when the stored analysis was made from this file (its sha256) by this version of
 * the algorithm; redone when the song is replaced. Nothing is stored unless the whole analysis
 * passes its schema (no NaN, sections covering the song).
 */
import { AudioAnalyser, ANALYSIS_SAMPLE_RATE, storedAnalysis } from '../analysis/index.ts';
import type { AudioAnalysis } from '../analysis/index.ts';
import { sha256File } from '../files.ts';
import type { Project } from '../model.ts';
import { materialize } from './deps.ts';
import type { PipelineDeps } from './deps.ts';
import { scopeToProject } from './scope.ts';
import type { StepContext } from './step.ts';
import { requireAudio } from './transcript-step.ts';

export interface AnalyzeOutcome {
  analysis: AudioAnalysis;
  /** true when the stored analysis was already current and nothing was decoded */
  skipped: boolean;
}

export async function analyzeSong(deps: PipelineDeps, project: Project, step: StepContext, options: { force?: boolean } = {}): Promise<AnalyzeOutcome> {
  const scoped = await scopeToProject(deps, project);
  deps = scoped.deps;
  const { audioPath, durationS } = requireAudio(project, scoped.scope);
  step.progress(2, 'reading the song');
  const file = await materialize(deps, audioPath);
  const sha256 = await sha256File(file);
  const current = storedAnalysis(project, sha256);
  if (current && !options.force) return { analysis: current, skipped: true };
  step.signal.throwIfAborted();
  step.progress(5, 'listening to the song');
  const analyser = new AudioAnalyser({ sampleRate: ANALYSIS_SAMPLE_RATE, durationS, sha256 });
  const expected = Math.max(1, durationS * ANALYSIS_SAMPLE_RATE);
  let samples = 0;
  let shown = 5;
  for await (const chunk of deps.media.decodePcm(file, step.signal)) {
    analyser.push(chunk);
    samples += chunk.length;
    const pct = Math.min(85, 5 + Math.floor((80 * samples) / expected));
    if (pct >= shown + 5) {
      shown = pct;
      step.progress(pct, 'listening to the song');
    }
  }
  step.progress(88, 'finding beats and sections');
  const analysis = analyser.finish();
  step.signal.throwIfAborted();
  // the row is written only now, whole: a stopped or failed analysis leaves the old one
  await deps.store.update('projects', project.id, { audio_analysis: analysis });
  return { analysis, skipped: false };
}

/** One line for progress views and logs: "120 BPM, 4/4, 256 beats, 6 sections (chorus B)". */
export function analysisSummary(a: AudioAnalysis): string {
  const parts = [
    a.tempo_bpm === null ? 'no steady beat' : `${Math.round(a.tempo_bpm)} BPM`,
    ...(a.meter ? [`${a.meter}/4`] : []),
    `${a.beats.length} beats`,
    `${a.sections.length} section${a.sections.length === 1 ? '' : 's'}${a.chorus_label ? ` (chorus ${a.chorus_label})` : ''}`,
  ];
  return parts.join(', ');
}
