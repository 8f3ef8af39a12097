/** The analysis stored with a project, when it is usable: it parses and was made by this version. */
import type { Project } from '../model.ts';
import { ANALYSIS_VERSION } from './analyze.ts';
import { AudioAnalysisSchema } from './model.ts';
import type { AudioAnalysis } from './model.ts';

/**
 * The project's analysis, or null when there is none, it no longer parses, or an older version of
 * the algorithm made it (then the analyze step redoes it). `sha256`: also require that it was made
 * from this song file.
 */
export function storedAnalysis(project: Pick<Project, 'audio_analysis'>, sha256?: string): AudioAnalysis | null {
  const raw = project.audio_analysis;
  if (raw === null || raw === undefined) return null;
  const parsed = AudioAnalysisSchema.safeParse(raw);
  if (!parsed.success || parsed.data.version !== ANALYSIS_VERSION) return null;
  if (sha256 !== undefined && parsed.data.audio_sha256 !== sha256) return null;
  return parsed.data;
}

/**
 * The analysis a step uses: the one it was given (null: none, as tests ask), else the one stored
 * with the project — so every step that listens to the music (looks, cuts, camera pace, flashes,
 * the preview, the export's section markers, the storyboard's timeline) hears the same song.
 */
export function analysisOf(project: Pick<Project, 'audio_analysis'>, given: AudioAnalysis | null | undefined): AudioAnalysis | null {
  return given !== undefined ? given : storedAnalysis(project);
}

/**
 * A cheap guess, without reading the song, whether the stored analysis belongs to the stored song:
 * songs are kept under a content-addressed key (`song-<first 16 hex of sha256>.ext`, see
 * src/core/audio.ts). False whenever it cannot tell; the step itself checks the full hash.
 */
export function analysisMatchesSongKey(project: Pick<Project, 'audio_analysis' | 'audio_path'>): boolean {
  const a = storedAnalysis(project);
  if (!a || !project.audio_path) return false;
  const m = /\/song-([0-9a-f]{16})\.[^/]*$/.exec(project.audio_path);
  return m !== null && a.audio_sha256.startsWith(m[1]!);
}
