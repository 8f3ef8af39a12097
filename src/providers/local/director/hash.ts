/** Deterministic choices: a stable string hash instead of randomness. */

/** FNV-1a, 32-bit. */
export function hash32(...parts: (string | number | null | undefined)[]): number {
  let h = 0x811c9dc5;
  const text = parts.map((p) => (p === null || p === undefined ? '' : String(p))).join('\u241f');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function pick<T>(list: readonly T[], seed: number): T {
  return list[seed % list.length]!;
}

/** Picks from the list by seed, but never the same value as `avoid` (when the list allows it). */
export function pickDifferent<T>(list: readonly T[], seed: number, avoid: T | undefined): T {
  const first = seed % list.length;
  for (let k = 0; k < list.length; k++) {
    const v = list[(first + k) % list.length]!;
    if (v !== avoid) return v;
  }
  return list[first]!;
}
