/**
 * What a motion prompt for an image-to-video model must say, shared by every director:
 * what moves in the picture, how the camera moves, how intensely (from the scene's energy,
 * 0..1), as ONE continuous shot, in positive phrasing only — video models read "no camera
 * shake" as "camera shake" often enough that negations are dropped here.
 */

export interface Intensity {
  label: 'gentle' | 'moderate' | 'intense';
  /** how the camera moves at this energy */
  camera: string;
  /** how things in the picture move at this energy */
  subject: string;
}

export function intensityFor(energy: number | null | undefined): Intensity {
  const e = typeof energy === 'number' && Number.isFinite(energy) ? energy : 0.5;
  if (e < 0.34) return { label: 'gentle', camera: 'slow, smooth', subject: 'small, slow movements' };
  if (e < 0.67) return { label: 'moderate', camera: 'steady, deliberate', subject: 'clear, steady movement' };
  return { label: 'intense', camera: 'fast, energetic', subject: 'vigorous, rapid movement' };
}

/** Words that make a clause negative ("no cuts", "without shaking", "don't zoom"). */
const NEGATION = /\b(no|not|never|none|nothing|without|avoid|avoiding|don't|do not|doesn't|isn't|aren't|shouldn't|mustn't|cannot|can't|nor)\b/i;

/**
 * Drop the negative clauses of a motion prompt ("a slow push in, no camera shake." → "a slow
 * push in."). When every clause is negative the text is kept as it is (better than nothing).
 */
export function dropNegativeClauses(text: string): string {
  const sentences = text.split(/(?<=[.!?])\s+/);
  const kept = sentences
    .map((sentence) => {
      const end = /[.!?]$/.test(sentence) ? sentence.slice(-1) : '';
      const body = end ? sentence.slice(0, -1) : sentence;
      // [clause, separator, clause, …]: each kept clause keeps the separator before it
      const parts = body.split(/(\s*[,;]\s*|\s+-{1,2}\s+|\s+—\s+)/);
      const clauses: { text: string; sep: string }[] = [];
      for (let i = 0; i < parts.length; i += 2) clauses.push({ text: parts[i]!, sep: i > 0 ? parts[i - 1]! : '' });
      const good = clauses.filter((c) => c.text.trim() && !NEGATION.test(c.text));
      return good.length ? `${good.map((c, k) => (k === 0 ? c.text : c.sep + c.text)).join('')}${end}` : '';
    })
    .filter(Boolean);
  return kept.length ? kept.join(' ') : text;
}

/** At most `max` characters, cut at a word boundary. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}.`;
}

/** A motion prompt as it is stored and sent: one line, positive, bounded. */
export function tidyMotionPrompt(text: string, maxChars = 600): string {
  const oneLine = text.replace(/^["'`\s]+|["'`\s]+$/g, '').replace(/\s+/g, ' ').trim();
  return clipText(dropNegativeClauses(oneLine), maxChars);
}
