/** Time parsing and formatting helpers shared by the lyrics parsers and formatters. */

/** Rounds to whole milliseconds, so parsed times carry no float noise (12.340000000001). */
export function roundMs(t: number): number {
  return Math.round(t * 1000) / 1000;
}

/** "5" → 0.5, "50" → 0.5, "500" → 0.5: a fraction written with 1–3 digits. */
export function parseFraction(digits: string | undefined): number {
  if (!digits) return 0;
  return Number(digits) / 10 ** digits.length;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Splits a time into whole units from an integer count of `unitsPerSecond`, avoiding 59.9995 → "60". */
function split(t: number, unitsPerSecond: number): { h: number; m: number; s: number; frac: number } {
  const total = Math.max(0, Math.round(t * unitsPerSecond));
  const frac = total % unitsPerSecond;
  const secs = Math.floor(total / unitsPerSecond);
  return { h: Math.floor(secs / 3600), m: Math.floor((secs % 3600) / 60), s: secs % 60, frac };
}

/** LRC time: mm:ss.xx (minutes may exceed 59). */
export function formatLrcTime(t: number): string {
  const { h, m, s, frac } = split(t, 100);
  return `${pad(h * 60 + m, 2)}:${pad(s, 2)}.${pad(frac, 2)}`;
}

/** SRT (`,`) or WebVTT (`.`) time: hh:mm:ss,mmm. */
export function formatClockTime(t: number, sep: ',' | '.'): string {
  const { h, m, s, frac } = split(t, 1000);
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${sep}${pad(frac, 3)}`;
}

/**
 * Parses hh:mm:ss,mmm / hh:mm:ss.mmm / mm:ss.mmm (hours optional, `,` or `.` before the
 * fraction). Returns null when the text is not such a time.
 */
export function parseClockTime(text: string): number | null {
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$/.exec(text.trim());
  if (!m) return null;
  const h = m[1] ? Number(m[1]) : 0;
  const min = Number(m[2]);
  const s = Number(m[3]);
  if (min > 59 && m[1] !== undefined) return null;
  if (s > 59) return null;
  return roundMs(h * 3600 + min * 60 + s + parseFraction(m[4]));
}
