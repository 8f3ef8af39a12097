/**
 * Which scenes share a look: scenes in sections with the same label (from the audio analysis:
 * every chorus is 'B', say) share one key, so the offline stills keep a section's palette and
 * composition family when it returns. Without an analysis, scenes singing a line that the song
 * repeats (a chorus line) share a key by that line. Other scenes get their own look (null).
 */
import type { AudioAnalysis } from '../analysis/model.ts';
import type { Scene, Transcript } from '../model.ts';
import { sectionAt } from './music.ts';

export interface SceneLook {
  /** shared by scenes that should look alike; null: the scene's own look */
  key: string | null;
  /** the section label (analysis) when known */
  section: string | null;
  chorus: boolean;
}

const lineKey = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

export function sceneLooks(scenes: readonly Scene[], analysis?: AudioAnalysis | null, transcript?: Transcript | null): SceneLook[] {
  if (analysis && analysis.sections.length > 0) {
    return scenes.map((s) => {
      const section = sectionAt(analysis, (s.start_time_s + s.end_time_s) / 2);
      const label = section?.label ?? null;
      return { key: label ? `section:${label}` : null, section: label, chorus: label !== null && label === analysis.chorus_label };
    });
  }
  const segments = transcript?.segments ?? [];
  const counts = new Map<string, number>();
  for (const seg of segments) {
    const k = lineKey(seg.text);
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return scenes.map((s) => {
    const sung = segments.filter((seg) => seg.start < s.end_time_s && seg.end > s.start_time_s).map((seg) => lineKey(seg.text));
    const repeated = sung.find((k) => k && (counts.get(k) ?? 0) >= 2);
    return { key: repeated ? `line:${repeated}` : null, section: null, chorus: repeated !== undefined };
  });
}
