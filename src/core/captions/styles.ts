/**
 * Caption styles, a project-level setting:
 * - karaoke: the line being sung, large; with word times a highlight follows the words;
 * - line: the line being sung, large, without a highlight;
 * - minimal: the line being sung, small and quiet, low in the frame;
 * - none: no captions.
 * A project that never chose one gets the default of its image provider: offline projects (a
 * lyric video) show karaoke captions, AI projects none unless asked.
 */
import { OmveeError } from '../errors.ts';

export const CAPTION_STYLES = ['karaoke', 'line', 'minimal', 'none'] as const;
export type CaptionStyle = (typeof CAPTION_STYLES)[number];

export function isCaptionStyle(value: unknown): value is CaptionStyle {
  return typeof value === 'string' && (CAPTION_STYLES as readonly string[]).includes(value);
}

export function parseCaptionStyle(value: string): CaptionStyle {
  const v = value.trim().toLowerCase();
  if (isCaptionStyle(v)) return v;
  throw new OmveeError('usage', `unknown caption style "${value}"`, { hint: `Use one of: ${CAPTION_STYLES.join(', ')}.` });
}

/** The style a project gets when it never chose one: offline (procedural stills) karaoke, AI none. */
export function defaultCaptionStyle(offline: boolean): CaptionStyle {
  return offline ? 'karaoke' : 'none';
}

export interface CaptionChoice {
  /** asked for on this call (e.g. a flag), wins over everything */
  requested?: CaptionStyle | null | undefined;
  /** the project's stored setting (projects.caption_style), null when never chosen */
  project?: CaptionStyle | null | undefined;
  /**
   * the older render payload field `lyrics_overlay`: true asks for captions, so a project whose
   * style would be none gets `line`; false changes nothing
   */
  lyricsOverlay?: boolean | undefined;
  /** whether the stills are offline procedural ones */
  offline: boolean;
}

/** The caption style a render uses, from the request, the project setting, the old flag and the default. */
export function resolveCaptionStyle(choice: CaptionChoice): CaptionStyle {
  if (choice.requested) return choice.requested;
  const base = choice.project ?? defaultCaptionStyle(choice.offline);
  if (choice.lyricsOverlay === true && base === 'none') return 'line';
  return base;
}
