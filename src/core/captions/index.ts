/** Captions in time: styles, the title-safe area, layout, the caption track and its ASS document. */
export { CAPTION_STYLES, defaultCaptionStyle, isCaptionStyle, parseCaptionStyle, resolveCaptionStyle } from './styles.ts';
export type { CaptionChoice, CaptionStyle } from './styles.ts';
export { rectInside, titleSafeArea } from './safe-area.ts';
export type { Rect } from './safe-area.ts';
export { balancedBreaks, fitCaption } from './layout.ts';
export type { FitOptions, FittedCaption, FontMetrics } from './layout.ts';
export { CAPTION_LOOKS, captionArea, captionTrack, cuesBetween } from './track.ts';
export type { CaptionCue, CaptionLook, CaptionTrackOptions, CaptionWord } from './track.ts';
export { FLASH_S, assColour, assDocument, assTime, escapeAssText } from './ass.ts';
export type { AssOptions, BeatFlash } from './ass.ts';
