/** Prompts cut to a model's maxLength at a word boundary. */

export interface CutText {
  text: string;
  /** set when the text was shortened */
  note?: string;
}

/**
 * `text` when it fits; otherwise its longest prefix of whole words that fits (a single word
 * longer than the limit is cut hard), trailing punctuation and spaces removed.
 */
export function cutToLength(text: string, maxLength: number | null | undefined, field = 'prompt'): CutText {
  if (maxLength == null || maxLength <= 0 || [...text].length <= maxLength) return { text };
  const chars = [...text];
  let cut = chars.slice(0, maxLength).join('');
  const next = chars[maxLength];
  if (next !== undefined && !/\s/.test(next)) {
    const lastSpace = cut.search(/\s\S*$/);
    if (lastSpace > 0) cut = cut.slice(0, lastSpace);
  }
  cut = cut.replace(/[\s,;:–—-]+$/u, '');
  return {
    text: cut,
    note: `${field} shortened from ${chars.length} to ${[...cut].length} characters (the model takes at most ${maxLength})`,
  };
}
