/**
 * What models really answer, read into omvee's drafts — one field never costs a whole item,
 * one item never costs a whole answer.
 *
 * Seen from real models (the original backend's DeepSeek logs and others):
 * - keys in other spellings (`imagePrompt`, `colorPalette`, `start`, `end`, `lyrics`);
 * - `color_palette` as a string of hex codes or colour names (palette.ts salvages it);
 * - `energy` on a 1–10 or 0–100 scale, or as "7/10", "70%", "high". The scale is decided from
 *   the WHOLE answer (a 1–10 answer that happens to contain a 1 is still 1–10), then rescaled
 *   to 0..1;
 * - times as "1:23.5" or "12.5s"; `scene_index` 1-based, missing, or as "scene 3";
 * - text fields as arrays or numbers; optional fields missing (defaults: '' or null).
 * Items that cannot be used (no image prompt, no times) are reported by index so that only
 * they are asked for again.
 */
import { ARTIST_ROLES } from '../../core/model.ts';
import type { PromptDraft, SceneDraft } from '../ports.ts';
import { salvagePalette } from './palette.ts';

type Obj = Record<string, unknown>;

/** `imagePrompt`, `Image Prompt`, `image-prompt` → `image_prompt`. */
export function snakeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}

function normaliseKeys(item: unknown): Obj | null {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return null;
  const out: Obj = {};
  for (const [k, v] of Object.entries(item as Obj)) out[snakeKey(k)] ??= v;
  return out;
}

function first(o: Obj, keys: readonly string[]): unknown {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

/** The array of items in an answer: `{ <key>: [...] }`, a bare array, or the only array property. */
export function itemsOf(value: unknown, key: string): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (!value || typeof value !== 'object') return null;
  const o = value as Obj;
  const named = o[key] ?? Object.entries(o).find(([k]) => snakeKey(k) === key)?.[1];
  if (Array.isArray(named)) return named;
  const arrays = Object.values(o).filter(Array.isArray);
  if (arrays.length === 1) return arrays[0] as unknown[];
  for (const v of Object.values(o)) {
    // one level of nesting: { "video": { "scenes": [...] } }
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const inner = itemsOf(v, key);
      if (inner) return inner;
    }
  }
  return null;
}

function text(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(text).filter(Boolean).join(', ');
  return '';
}

function optionalText(v: unknown): string | null {
  const t = text(v);
  return t ? t : null;
}

/** Seconds from 12.5, "12.5", "12.5s", "1:23.5", "00:01:23.5". */
export function seconds(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const s = v.trim().replace(/\s*(s|sec|secs|seconds)$/i, '');
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(s);
  if (m) return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  return null;
}

// ---------------------------------------------------------------------------------------------
// energy

interface EnergyReading {
  value: number;
  /** true when the answer said its own scale ("7/10", "70%", a word) */
  explicit: boolean;
}

const ENERGY_WORDS: readonly [RegExp, number][] = [
  [/\b(very\s+low|minimal|still|silent)\b/i, 0.1],
  [/\b(very\s+high|max(imum)?|peak|explosive|climax)\b/i, 0.95],
  [/\b(low|calm|quiet|soft|gentle|mellow)\b/i, 0.25],
  [/\b(medium|moderate|mid|building|steady)\b/i, 0.5],
  [/\b(high|intense|energetic|strong|loud)\b/i, 0.8],
];

export function readEnergy(v: unknown): EnergyReading | null {
  if (typeof v === 'number') return Number.isFinite(v) ? { value: v, explicit: false } : null;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  const ratio = /^(-?\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(s);
  if (ratio && Number(ratio[2]) > 0) return { value: Number(ratio[1]) / Number(ratio[2]), explicit: true };
  const pct = /^(-?\d+(?:\.\d+)?)\s*%$/.exec(s);
  if (pct) return { value: Number(pct[1]) / 100, explicit: true };
  if (/^-?\d+(\.\d+)?$/.test(s)) return { value: Number(s), explicit: false };
  for (const [re, value] of ENERGY_WORDS) if (re.test(s)) return { value, explicit: true };
  return null;
}

/** The scale the answer's plain numbers are on: 1 (0..1), 10 (1–10) or 100 (0–100). */
export function energyScale(readings: readonly (EnergyReading | null)[]): 1 | 10 | 100 {
  const plain = readings.filter((r): r is EnergyReading => r !== null && !r.explicit).map((r) => r.value);
  const max = plain.length ? Math.max(...plain) : 0;
  return max <= 1 ? 1 : max <= 10 ? 10 : 100;
}

const DEFAULT_ENERGY = 0.5;

function clamp01(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
}

// ---------------------------------------------------------------------------------------------
// scenes

export interface ScenesReading {
  scenes: SceneDraft[];
  /** items that could not be used, and why */
  dropped: string[];
  /** what was salvaged (for a note) */
  notes: string[];
}

export function readScenesAnswer(value: unknown): { ok: true; reading: ScenesReading } | { ok: false; error: string } {
  const items = itemsOf(value, 'scenes');
  if (!items || items.length === 0) return { ok: false, error: 'the JSON has no "scenes" array' };
  const objs = items.map(normaliseKeys);
  const energies = objs.map((o) => (o ? readEnergy(first(o, ['energy', 'energy_level', 'intensity'])) : null));
  const scale = energyScale(energies);
  const dropped: string[] = [];
  const notes: string[] = [];
  if (scale !== 1) notes.push(`energy came on a 0–${scale} scale; rescaled to 0..1`);
  const missingEnergy = energies.filter((e) => e === null).length;
  if (missingEnergy > 0) notes.push(`${missingEnergy} scene(s) had no energy; using ${DEFAULT_ENERGY}`);
  const scenes: SceneDraft[] = [];
  objs.forEach((o, k) => {
    if (!o) return void dropped.push(`item ${k}: not an object`);
    const start = seconds(first(o, ['start_time_s', 'start_time', 'start_s', 'start', 'from', 'begin']));
    const end = seconds(first(o, ['end_time_s', 'end_time', 'end_s', 'end', 'to', 'finish']));
    if (start === null || end === null) return void dropped.push(`item ${k}: no start/end time`);
    const e = energies[k];
    const energy = e === null || e === undefined ? DEFAULT_ENERGY : clamp01(e.explicit ? e.value : e.value / scale);
    const role = text(first(o, ['artist_role', 'role', 'artist'])).toLowerCase();
    scenes.push({
      start_time_s: start,
      end_time_s: end,
      title: text(first(o, ['title', 'name', 'scene_title'])),
      theme: text(first(o, ['theme', 'visual_theme', 'concept', 'description', 'visual'])),
      lyric_excerpt: text(first(o, ['lyric_excerpt', 'lyrics', 'lyric', 'lines', 'excerpt'])),
      energy,
      artist_role: (ARTIST_ROLES as readonly string[]).includes(role) ? (role as SceneDraft['artist_role']) : 'none',
    });
  });
  if (scenes.length === 0) return { ok: false, error: `no usable scene: ${dropped.slice(0, 3).join('; ')}` };
  return { ok: true, reading: { scenes: scenes.sort((a, b) => a.start_time_s - b.start_time_s), dropped, notes } };
}

// ---------------------------------------------------------------------------------------------
// prompts

export interface PromptsReading {
  /** by scene index (the index the prompt gave the model) */
  drafts: Map<number, PromptDraft>;
  /** requested scenes with no usable item, and why */
  problems: string[];
  notes: string[];
}

function indexOf(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const m = /(\d+)\s*$/.exec(v.trim());
    if (m) return Number(m[1]);
  }
  return null;
}

/**
 * Read a prompts answer for the `requested` scene indices. Items are matched by their
 * scene_index; a 1-based answer (every index one too high) is shifted; items without an index
 * fill the remaining requested scenes in order.
 */
export function readPromptsAnswer(value: unknown, requested: readonly number[]): PromptsReading {
  const drafts = new Map<number, PromptDraft>();
  const problems: string[] = [];
  const notes: string[] = [];
  let items = itemsOf(value, 'prompts');
  if (!items && value && typeof value === 'object' && normaliseKeys(value)?.['image_prompt'] !== undefined) items = [value];
  if (!items) return { drafts, problems: ['the JSON has no "prompts" array'], notes };
  const objs = items.map(normaliseKeys);
  const want = new Set(requested);
  let indices = objs.map((o) => (o ? indexOf(first(o, ['scene_index', 'index', 'scene', 'scene_id', 'scene_number', 'id'])) : null));
  const given = indices.filter((i): i is number => i !== null);
  if (given.length > 0 && !given.every((i) => want.has(i)) && given.every((i) => want.has(i - 1))) {
    indices = indices.map((i) => (i === null ? null : i - 1));
    notes.push('scene_index was counted from 1; shifted');
  }
  const free = requested.filter((r) => !indices.includes(r));
  objs.forEach((o, k) => {
    if (!o) return void problems.push(`item ${k}: not an object`);
    let index = indices[k] ?? null;
    if (index === null) {
      index = free.shift() ?? null;
      if (index === null) return void problems.push(`item ${k}: no scene_index`);
    }
    if (!want.has(index)) return void problems.push(`item ${k}: scene_index ${index} was not asked for`);
    if (drafts.has(index)) return;
    const imagePrompt = text(first(o, ['image_prompt', 'prompt', 'image', 'image_description', 'visual_prompt', 'description']));
    if (!imagePrompt) return void problems.push(`scene_index ${index}: no image_prompt`);
    const rawPalette = first(o, ['color_palette', 'colour_palette', 'palette', 'colors', 'colours']);
    const palette = salvagePalette(rawPalette);
    const clean = Array.isArray(rawPalette) && rawPalette.every((c) => typeof c === 'string' && /^#[0-9a-f]{6}$/i.test(c.trim()));
    if (rawPalette !== undefined && !clean) {
      notes.push(`scene_index ${index}: color_palette came as ${Array.isArray(rawPalette) ? 'a list of names' : typeof rawPalette}; ${palette ? `read ${palette.length} colour(s)` : 'no colour readable, left empty'}`);
    }
    drafts.set(index, {
      image_prompt: imagePrompt,
      style_notes: optionalText(first(o, ['style_notes', 'style', 'notes'])),
      negative_prompt: optionalText(first(o, ['negative_prompt', 'negative', 'avoid'])),
      setting: optionalText(first(o, ['setting', 'location', 'environment'])),
      shot_type: optionalText(first(o, ['shot_type', 'shot', 'camera_shot', 'framing'])),
      mood: optionalText(first(o, ['mood', 'emotion', 'tone'])),
      color_palette: palette,
      motion_prompt: optionalText(first(o, ['motion_prompt', 'motion', 'camera_motion', 'camera_movement', 'camera'])),
    });
  });
  for (const r of requested) if (!drafts.has(r) && !problems.some((p) => p.startsWith(`scene_index ${r}:`))) problems.push(`scene_index ${r}: missing from the answer`);
  return { drafts, problems, notes };
}
