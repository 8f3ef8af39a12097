/**
 * The embedded director: offline, free, deterministic (same input → same output).
 *
 * selectScenes = planScenes (lyric-aware cut within the scene bounds) + per scene a title (its
 * first lyric line, or "Instrumental n"), a keyword-based theme (scene lyrics, project style,
 * whole song), the lyric excerpt and an energy guess.
 * writePrompts = per scene, prompts assembled from templates: the theme's settings and imagery,
 * the lyric's content words, the project's style; shot type and camera motion vary between
 * consecutive scenes; a 3–5 colour palette derived from theme, style and index.
 * writeMotion = per clip, once its still exists: the planned camera move (another one for a
 * rejected take, the pace nudged by the reviewer's note), what moves for the scene's theme,
 * the pace from its energy, one continuous shot (director/motion.ts).
 */
import type { AudioAnalysis } from '../../core/analysis/model.ts';
import { energyBetween, sectionAt } from '../../core/analysis/query.ts';
import type { Scene, Transcript, TranscriptSegment } from '../../core/model.ts';
import { sceneLooks } from '../../core/video/looks.ts';
import { validateSceneBounds } from '../../core/timeline/bounds.ts';
import { planScenes } from '../../core/timeline/plan.ts';
import type { PlannedScene } from '../../core/timeline/plan.ts';
import { snapCuts } from '../../core/timeline/snap.ts';
import type {
  CallContext,
  Director,
  MotionWritingInput,
  MotionWritingResult,
  PromptDraft,
  PromptWritingInput,
  PromptWritingResult,
  SceneDraft,
  SceneSelectionInput,
  SceneSelectionResult,
} from '../ports.ts';
import { findRepeatedLines, guessEnergy } from './director/energy.ts';
import { hash32, pick, pickDifferent } from './director/hash.ts';
import { localMotionPrompt } from './director/motion.ts';
import { makePalette } from './director/palette.ts';
import { contentWords, titleFromLine } from './director/text.ts';
import { FALLBACK_THEME, scoreThemes, themeByName } from './director/themes.ts';
import type { Theme } from './director/themes.ts';

export const LOCAL_DIRECTOR_MODEL = 'omvee-local-director-1';

export const SHOT_TYPES = [
  'wide establishing shot',
  'medium shot',
  'close-up',
  'low-angle shot',
  'over-the-shoulder shot',
  'aerial shot',
  'extreme close-up',
  'tracking shot',
] as const;

export const MOTIONS = ['zoom in', 'zoom out', 'pan left', 'pan right', 'pan up', 'pan down'] as const;

const NEGATIVE_PROMPT =
  'text, letters, captions, subtitles, watermark, logo, signature, frame border, low quality, blurry, jpeg artifacts, ' +
  'deformed hands, extra fingers, extra limbs, distorted faces, oversaturated';

const DEFAULT_STYLE = 'cinematic music video still, 35mm film look, shallow depth of field';

function allText(transcript: Transcript | null): string {
  return (transcript?.segments ?? []).map((s) => s.text).join(' ');
}

function chooseTheme(sceneText: string, style: string | null, songText: string): Theme {
  return scoreThemes([
    { text: sceneText, weight: 2 },
    { text: style ?? '', weight: 1 },
    { text: songText, weight: 0.25 },
  ]);
}

async function selectScenes(input: SceneSelectionInput, ctx: CallContext): Promise<SceneSelectionResult> {
  ctx.signal?.throwIfAborted();
  const { sceneMinS, sceneMaxS } = validateSceneBounds(input.sceneMinS, input.sceneMaxS);
  const planned = musicPlan(input, sceneMinS, sceneMaxS) ?? planScenes({ durationS: input.durationS, transcript: input.transcript, sceneMinS, sceneMaxS });
  const segments: readonly TranscriptSegment[] = input.transcript?.segments ?? [];
  const repeated = findRepeatedLines(segments);
  const songText = allText(input.transcript);
  let instrumental = 0;
  const sectionThemes = input.analysis ? themesBySection(planned, input.analysis, input.style, songText) : null;
  const scenes: SceneDraft[] = planned.map((p) => {
    const segs = p.segmentIdx.map((i) => segments[i]!);
    const first = segs.find((s) => s.text.trim());
    const title = first ? titleFromLine(first.text) || `Scene` : `Instrumental ${++instrumental}`;
    const label = input.analysis ? labelAt(input.analysis, p.start_time_s, p.end_time_s) : null;
    const theme = (label !== null ? sectionThemes?.get(label) : undefined) ?? chooseTheme(p.lyric_excerpt, input.style, songText);
    const energy = input.analysis && input.analysis.energy.values.length > 0 ? energyBetween(input.analysis, p.start_time_s, p.end_time_s) : guessEnergy({
      startS: p.start_time_s,
      endS: p.end_time_s,
      durationS: input.durationS,
      segments: segs,
      repeatedLines: repeated,
    });
    return {
      start_time_s: p.start_time_s,
      end_time_s: p.end_time_s,
      title,
      theme: theme.name,
      lyric_excerpt: p.lyric_excerpt,
      energy,
      artist_role: 'none',
    };
  });
  return { scenes, model: LOCAL_DIRECTOR_MODEL, costUsd: 0 };
}

/**
 * An instrumental with a beat is cut by the music alone: on downbeats and section starts, loud
 * parts cut tighter than quiet ones (snapCuts with the energy). Songs with lyrics are cut on
 * their lines (planScenes); the pipeline then moves those cuts onto the beat. Planned on a
 * centisecond grid; the pipeline puts the cuts on the video's frames.
 */
function musicPlan(input: SceneSelectionInput, sceneMinS: number, sceneMaxS: number): PlannedScene[] | null {
  const a = input.analysis;
  if (!a || a.beats.length === 0 || (input.transcript?.segments.length ?? 0) > 0) return null;
  const { boundaries } = snapCuts({ durationS: input.durationS, fps: 100, sceneMinS, sceneMaxS, proposed: [], music: a, energy: a.energy });
  return boundaries.slice(1).map((end, i) => ({ start_time_s: boundaries[i]!, end_time_s: end, lyric_excerpt: '', segmentIdx: [] }));
}

/** The section label a scene belongs to — the same rule as the looks of the stills (core/video/looks.ts). */
function labelAt(a: AudioAnalysis, startS: number, endS: number): string | null {
  return sectionAt(a, (startS + endS) / 2)?.label ?? null;
}

/** One theme per section label, from the lyrics of every scene in it: a returning chorus keeps its world. */
function themesBySection(planned: readonly { start_time_s: number; end_time_s: number; lyric_excerpt: string }[], a: AudioAnalysis, style: string | null, songText: string): Map<string, Theme> {
  const text = new Map<string, string[]>();
  for (const p of planned) {
    const label = labelAt(a, p.start_time_s, p.end_time_s);
    if (label !== null) text.set(label, [...(text.get(label) ?? []), p.lyric_excerpt]);
  }
  return new Map([...text].map(([label, lines]) => [label, chooseTheme(lines.join(' '), style, songText)]));
}

function moodFor(theme: Theme, energy: number): string {
  return theme.moods[energy < 0.34 ? 0 : energy < 0.67 ? 1 : 2];
}

function pace(energy: number): string {
  return energy < 0.34 ? 'slow, gentle' : energy < 0.67 ? 'steady' : 'brisk, punchy';
}

/** "a", "a and b", "a, b and c" */
function listPhrase(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function artistPhrase(role: Scene['artist_role']): string | null {
  if (role === 'primary') return 'the lead performer in the foreground';
  if (role === 'background') return 'the performer small in the background';
  return null;
}

async function writePrompts(input: PromptWritingInput, ctx: CallContext): Promise<PromptWritingResult> {
  ctx.signal?.throwIfAborted();
  const songText = allText(input.transcript);
  const style = input.style?.trim() ? input.style.trim() : null;
  let prevShot: string | undefined;
  let prevMotion: string | undefined;
  // scenes in sections with the same label (every chorus) share a motif: theme, setting, palette
  const looks = input.analysis && input.analysis.sections.length > 0 ? sceneLooks(input.scenes, input.analysis) : null;
  const motifs = new Map<string, { theme: Theme; setting: string; palette: string[] }>();
  const prompts: PromptDraft[] = input.scenes.map((scene, index) => {
    const excerpt = scene.lyric_excerpt ?? '';
    const label = looks?.[index]?.section ?? null;
    const shared = label !== null ? motifs.get(label) : undefined;
    const theme = shared?.theme ?? themeByName(scene.theme) ?? (excerpt || style ? chooseTheme(excerpt, style, songText) : FALLBACK_THEME);
    const energy = scene.energy ?? 0.5;
    const seed = hash32(input.projectName, style, index, scene.title, excerpt, theme.name);
    const shot = pickDifferent(SHOT_TYPES, seed, prevShot);
    const motion = pickDifferent(MOTIONS, seed >>> 8, prevMotion);
    prevShot = shot;
    prevMotion = motion;
    let setting = shared?.setting ?? pick(theme.settings, seed >>> 16);
    let palette = shared?.palette ?? makePalette(theme, style, index, energy);
    if (label !== null && !shared) {
      // the motif is fixed by the label, not by which scene of it comes first
      const sectionEnergy = sectionEnergyOf(input.analysis!, label);
      setting = pick(theme.settings, hash32(input.projectName, style, 'section', label) >>> 16);
      palette = makePalette(theme, style, label.charCodeAt(0) - 65, sectionEnergy);
      motifs.set(label, { theme, setting, palette });
    }
    const mood = moodFor(theme, energy);
    const words = contentWords(excerpt, 4);
    const parts = [
      `${shot.charAt(0).toUpperCase()}${shot.slice(1)} of ${setting}`,
      words.length > 0 ? `evoking ${listPhrase(words)}` : 'an instrumental moment without people speaking',
      theme.imagery,
      artistPhrase(scene.artist_role),
      `${mood} atmosphere`,
      theme.lighting,
      style ?? DEFAULT_STYLE,
    ].filter((p): p is string => Boolean(p));
    return {
      image_prompt: parts.join(', '),
      style_notes: `${style ?? DEFAULT_STYLE}; ${theme.lighting}; colour palette ${palette.join(' ')}`,
      negative_prompt: NEGATIVE_PROMPT,
      setting,
      shot_type: shot,
      mood,
      color_palette: palette,
      motion_prompt: `${motion}, ${pace(energy)} camera movement`,
    };
  });
  return { prompts, model: LOCAL_DIRECTOR_MODEL, costUsd: 0 };
}

/** Mean energy of the sections with this label. */
function sectionEnergyOf(a: AudioAnalysis, label: string): number {
  const same = a.sections.filter((s) => s.label === label);
  return same.length ? same.reduce((sum, s) => sum + s.energy, 0) / same.length : 0.5;
}

async function writeMotion(input: MotionWritingInput, ctx: CallContext): Promise<MotionWritingResult> {
  ctx.signal?.throwIfAborted();
  const scene = input.scene;
  const theme = themeByName(scene.theme) ?? chooseTheme(scene.lyric_excerpt ?? '', input.style, '');
  const motion = localMotionPrompt({
    seedParts: [input.projectName, scene.order_idx, scene.title, input.rejected ? `rejected:${input.rejected.motionPrompt ?? ''}:${input.rejected.note ?? ''}` : null],
    themeName: theme.name,
    setting: input.prompt?.setting ?? null,
    energy: scene.energy,
    durationS: input.durationS,
    plannedMotion: input.prompt?.motion_prompt ?? null,
    rejected: input.rejected ?? null,
  });
  return { motion_prompt: motion, model: LOCAL_DIRECTOR_MODEL, costUsd: 0, sawImage: false };
}

export interface LocalDirector extends Director {
  readonly model: string;
}

export function createLocalDirector(): LocalDirector {
  return { name: 'local', model: LOCAL_DIRECTOR_MODEL, selectScenes, writePrompts, writeMotion };
}
