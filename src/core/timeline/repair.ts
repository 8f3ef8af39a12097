/**
 * Deterministic repair of a director's scene list (typically an LLM's answer): sort, clamp to
 * the song, close gaps and remove overlaps (the shared boundary moves to the midpoint), merge
 * scenes shorter than min into a neighbour, split scenes longer than max, first at 0 and last at
 * the song's end exactly. If lengths still break the bounds while a valid cut exists, the song is
 * re-cut by the planner, preferring the director's own boundaries. Titles, themes, energy and
 * artist roles follow the scene that covers most of each new scene; excerpts are shared out.
 */
import type { SceneDraft } from '../../providers/ports.ts';
import { TIME_EPS, isPartitionFeasible } from './bounds.ts';
import { assertDuration, evenBoundaries, partitionTimeline } from './partition.ts';
import { validateScenes } from './validate.ts';

export interface RepairScenesOptions {
  durationS: number;
  sceneMinS: number;
  sceneMaxS: number;
}

export interface RepairScenesResult<T extends SceneDraft> {
  scenes: T[];
  /** what was wrong with the input (validateScenes) and what was done about it; [] if nothing */
  problems: string[];
}

const EXCERPT_SPLIT = /\s*(?:\n|\s\/\s)\s*/;

function excerptLines(excerpt: string): string[] {
  return excerpt.split(EXCERPT_SPLIT).map((l) => l.trim()).filter(Boolean);
}

/** Closes gaps/overlaps of sorted, clamped drafts into a contiguous cover of [0, D]. */
function makeContiguous<T extends SceneDraft>(sorted: T[], D: number, notes: string[]): T[] {
  const out: T[] = [];
  for (const s of sorted) {
    const prev = out[out.length - 1];
    if (prev && s.end_time_s <= prev.end_time_s + TIME_EPS) {
      // Nested inside the previous scene: its lyrics join the previous one.
      const lines = [...excerptLines(prev.lyric_excerpt), ...excerptLines(s.lyric_excerpt)];
      prev.lyric_excerpt = [...new Set(lines)].join(' / ');
      notes.push(`merged scene "${s.title}" into "${prev.title}" (it lay inside it)`);
      continue;
    }
    out.push({ ...s });
  }
  for (let i = 0; i + 1 < out.length; i++) {
    const a = out[i]!;
    const b = out[i + 1]!;
    const mid = Math.abs(a.end_time_s - b.start_time_s) <= TIME_EPS ? a.end_time_s : (a.end_time_s + b.start_time_s) / 2;
    a.end_time_s = mid;
    b.start_time_s = mid;
  }
  if (out.length > 0) {
    out[0]!.start_time_s = 0;
    out[out.length - 1]!.end_time_s = D;
  }
  return out;
}

/** Merges too-short scenes into their shorter neighbour, then splits too-long ones evenly. */
function mergeAndSplit(bounds: number[], min: number, max: number): number[] {
  const b = [...bounds];
  for (;;) {
    if (b.length <= 2) break;
    let shortest = -1;
    for (let k = 0; k + 1 < b.length; k++) {
      const len = b[k + 1]! - b[k]!;
      if (len < min - TIME_EPS && (shortest < 0 || len < b[shortest + 1]! - b[shortest]!)) shortest = k;
    }
    if (shortest < 0) break;
    const scenes = b.length - 1;
    const leftLen = shortest > 0 ? b[shortest]! - b[shortest - 1]! : Infinity;
    const rightLen = shortest < scenes - 1 ? b[shortest + 2]! - b[shortest + 1]! : Infinity;
    // remove the boundary shared with the shorter neighbour
    b.splice(leftLen <= rightLen ? shortest : shortest + 1, 1);
  }
  const out: number[] = [b[0]!];
  for (let k = 0; k + 1 < b.length; k++) {
    const len = b[k + 1]! - b[k]!;
    const pieces = len > max + TIME_EPS ? Math.ceil(len / max - TIME_EPS) : 1;
    out.push(...evenBoundaries(b[k]!, b[k + 1]!, pieces).slice(1));
  }
  return out;
}

/** New scenes on `bounds`, their fields taken from the contiguous `sources`. */
function fromSources<T extends SceneDraft>(bounds: readonly number[], sources: readonly T[]): T[] {
  const main: number[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    let best = 0;
    let bestOverlap = -Infinity;
    sources.forEach((s, i) => {
      const o = Math.min(s.end_time_s, bounds[k + 1]!) - Math.max(s.start_time_s, bounds[k]!);
      if (o > bestOverlap + TIME_EPS) {
        bestOverlap = o;
        best = i;
      }
    });
    main.push(best);
  }
  const scenes: T[] = [];
  for (let k = 0; k < main.length; ) {
    let g = 1;
    while (k + g < main.length && main[k + g] === main[k]) g++;
    const src = sources[main[k]!]!;
    const lines = excerptLines(src.lyric_excerpt);
    for (let p = 0; p < g; p++) {
      const start = bounds[k + p]!;
      const end = bounds[k + p + 1]!;
      let own: string[];
      if (g === 1) own = lines;
      else if (lines.length >= g) own = lines.slice(Math.floor((p * lines.length) / g), Math.floor(((p + 1) * lines.length) / g));
      else own = lines.length > 0 ? [lines[Math.min(lines.length - 1, Math.floor((p * lines.length) / g))]!] : [];
      // scenes merged into this one bring their lyrics along, in time order
      const extra: { t: number; lines: string[] }[] = [];
      sources.forEach((s, i) => {
        const mid = (s.start_time_s + s.end_time_s) / 2;
        if (i !== main[k] && mid >= start && mid < end && !main.includes(i)) extra.push({ t: s.start_time_s, lines: excerptLines(s.lyric_excerpt) });
      });
      const all = [...extra.filter((e) => e.t < src.start_time_s), { t: src.start_time_s, lines: own }, ...extra.filter((e) => e.t >= src.start_time_s)];
      scenes.push({
        ...src,
        start_time_s: start,
        end_time_s: end,
        title: g > 1 ? `${src.title} (${p + 1}/${g})` : src.title,
        lyric_excerpt: [...new Set(all.flatMap((e) => e.lines))].join(' / '),
      });
    }
    k += g;
  }
  return scenes;
}

export function repairScenes<T extends SceneDraft>(drafts: readonly T[], opts: RepairScenesOptions): RepairScenesResult<T> {
  assertDuration(opts.durationS);
  const D = opts.durationS;
  const { sceneMinS: min, sceneMaxS: max } = opts;
  const problems = validateScenes(drafts, opts);
  if (problems.length === 0) {
    const scenes = drafts.map((s) => ({ ...s }));
    scenes[0]!.start_time_s = 0;
    scenes[scenes.length - 1]!.end_time_s = D;
    return { scenes, problems };
  }
  const notes: string[] = [];

  const usable: T[] = [];
  drafts.forEach((s, i) => {
    if (!Number.isFinite(s.start_time_s) || !Number.isFinite(s.end_time_s)) {
      notes.push(`dropped scene ${i + 1}: its times are not numbers`);
      return;
    }
    const start = Math.min(D, Math.max(0, s.start_time_s));
    const end = Math.min(D, Math.max(0, s.end_time_s));
    if (end - start <= TIME_EPS) {
      notes.push(`dropped scene ${i + 1}: empty once kept inside the song`);
      return;
    }
    usable.push({ ...s, start_time_s: start, end_time_s: end });
  });
  const sorted = usable.map((s, i) => ({ s, i })).sort((a, b) => a.s.start_time_s - b.s.start_time_s || a.s.end_time_s - b.s.end_time_s || a.i - b.i).map((x) => x.s);

  let sources = makeContiguous(sorted, D, notes);
  if (sources.length === 0) {
    notes.push('no usable scene was left: the song was cut evenly');
    const base = drafts[0];
    sources = [
      {
        ...(base ?? {}),
        start_time_s: 0,
        end_time_s: D,
        title: base?.title || 'Scene',
        theme: base?.theme ?? '',
        lyric_excerpt: base?.lyric_excerpt ?? '',
        energy: Number.isFinite(base?.energy) ? (base!.energy as number) : 0.5,
      } as T,
    ];
  }
  const sourceBounds = [0, ...sources.map((s) => s.end_time_s)];
  let bounds = mergeAndSplit(sourceBounds, min, max);
  const lengthsOk = (b: number[]): boolean =>
    validateScenes(b.slice(1).map((end, k) => ({ start_time_s: b[k]!, end_time_s: end })), opts).length === 0;
  if (!lengthsOk(bounds)) {
    const feasible = isPartitionFeasible(D, min, max);
    if (feasible) notes.push('scene lengths could not be fixed by merging and splitting: the song was re-cut at the nearest boundaries');
    else notes.push(`no cut of ${D}s into scenes of ${min}–${max}s exists: the lengths break the bounds as little as possible`);
    bounds = partitionTimeline(
      D,
      sourceBounds.slice(1, -1).map((t) => ({ t, cost: 0 })),
      { sceneMinS: min, sceneMaxS: max, lengthWeight: 0.1, gridCost: () => 1 },
    );
  } else if (bounds.length !== sourceBounds.length || bounds.some((t, k) => t !== sourceBounds[k])) {
    notes.push(`merged or split scenes to keep every scene within ${min}–${max}s`);
  }
  return { scenes: fromSources(bounds, sources), problems: [...problems, ...notes] };
}
