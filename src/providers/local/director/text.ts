/** Small text helpers for the local director: words, stopwords, titles. */

const STOPWORDS = new Set(
  (
    'a an the and or but if so to of in on at by for with from into onto up down out over under about as is are was were be been being ' +
    'am do does did have has had i me my mine you your yours he him his she her hers it its we us our they them their this that these those ' +
    'there here what which who whom when where why how all any each no not nor only own same too very can will just dont don t s ll re ve m d ' +
    'oh ooh yeah hey na la uh ah whoa gonna wanna gotta got get let lets im youre its cause like now then than again ever never still ' +
    'one two would could should shall may might must'
  ).split(/\s+/),
);

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Content words in order of first appearance, without repeats. */
export function contentWords(text: string, limit: number): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.length < 3 || STOPWORDS.has(w) || out.includes(w)) continue;
    out.push(w);
    if (out.length >= limit) break;
  }
  return out;
}

/** Normalised form of a lyric line, to spot repeats (the chorus). */
export function lineKey(text: string): string {
  return words(text).join(' ');
}

/** A short title from a lyric line: trailing punctuation removed, cut at a word near maxLen. */
export function titleFromLine(line: string, maxLen = 48): string {
  const clean = line.replace(/\s+/g, ' ').replace(/^[\s"'“(\-–—]+|[\s"'”),.;:!?\-–—]+$/g, '').trim();
  if (clean.length <= maxLen) return clean.charAt(0).toUpperCase() + clean.slice(1);
  const cut = clean.slice(0, maxLen);
  const space = cut.lastIndexOf(' ');
  const head = (space > maxLen / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?\-–—]+$/, '');
  return `${head.charAt(0).toUpperCase()}${head.slice(1)}…`;
}
