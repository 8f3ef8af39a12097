/**
 * Every flag value omvee parses, in one module: zod fragments the commands' option schemas are
 * built from (scene bounds, concurrency, spending, provider choice, output, scene numbers), each
 * failing with a usage error that names the flag and says what it takes. The commander side of
 * the same flags (names and help) is ./shared-options.ts.
 */
import { z } from 'zod';
import { checkOutPath } from '../app/deliver.ts';
import type { ProviderChoice } from '../app/providers.ts';
import type { SpendFlags } from '../cli/spend.ts';
import { OmveeError } from '../core/errors.ts';
import { validateSceneBounds, type SceneBounds } from '../core/timeline/index.ts';
import { CAPTION_STYLES, parseCaptionStyle } from '../core/captions/styles.ts';
import { ASPECTS, FRAME_RATES, RESOLUTIONS, parseAspect, parseFrameRate, parseResolution } from '../core/video/frame-format.ts';
import { VISUALIZER_STYLES, type VisualizerStyle } from '../core/video/visualizer.ts';
import type { VideoSettings } from '../core/video/project-format.ts';
import { providerChoices, type ProviderSlot } from '../providers/registry.ts';

/** A flag value parsed by `parse`; an OmveeError it throws becomes the usage error, as worded. */
export function flagValue<T>(parse: (raw: unknown) => T) {
  return z.unknown().optional().transform((raw, ctx): T => {
    try {
      return parse(raw);
    } catch (error) {
      if (!(error instanceof OmveeError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message, params: { hint: error.hint ?? 'see --help for the accepted values' } });
      return z.NEVER;
    }
  });
}

const invalid = (flag: string, raw: unknown, hint: string) => new OmveeError('usage', `invalid ${flag} "${String(raw)}"`, { hint });

/** A whole number in [min, max], or undefined when the flag is absent. */
export function wholeNumber(flag: string, min: number, max: number, hint = `a whole number from ${min} to ${max}`) {
  return flagValue((raw): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (typeof raw === 'boolean' || String(raw).trim() === '' || !Number.isInteger(n) || n < min || n > max) throw invalid(flag, raw, hint);
    return n;
  });
}

/** A number of seconds, or undefined when the flag is absent (its range is the caller's to check). */
export function seconds(flag: string, hint = 'a number of seconds, e.g. 4.5') {
  return flagValue((raw): number | undefined => {
    if (raw === undefined) return undefined;
    const text = String(raw).trim();
    const n = Number(text);
    if (typeof raw === 'boolean' || text === '' || !Number.isFinite(n)) throw invalid(flag, raw, hint);
    return n;
  });
}

export const concurrency = wholeNumber('--concurrency', 1, 64);

/** Scene numbers typed by a person (1-based): 3, 2-5, 1,4 — from arguments or --scene flags. */
export function parseSceneNumbers(values: readonly string[] | undefined): number[] | undefined {
  if (!values || values.length === 0) return undefined;
  const out: number[] = [];
  for (const raw of values.flatMap((v) => v.split(','))) {
    const text = raw.trim();
    if (text === '') continue;
    const range = /^(\d+)-(\d+)$/.exec(text);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (a < 1 || b < a || b - a > 10000) throw new OmveeError('usage', `invalid scene range "${text}"`, { hint: 'scenes are numbered from 1, e.g. 3 or 2-5' });
      for (let n = a; n <= b; n += 1) out.push(n);
      continue;
    }
    if (!/^\d+$/.test(text) || Number(text) < 1) throw new OmveeError('usage', `invalid scene number "${text}"`, { hint: 'scenes are numbered from 1 (see: omvee scenes list <project>)' });
    out.push(Number(text));
  }
  return [...new Set(out)];
}

/** --scene (repeatable) */
export const sceneNumbers = flagValue((raw) => parseSceneNumbers(raw as string[] | undefined));

/** --scene-min / --scene-max: seconds; the bounds are checked against each other (and the settings) by sceneBounds(). */
export const sceneBoundFlags = {
  sceneMin: seconds('--scene-min', 'a number of seconds, e.g. 4'),
  sceneMax: seconds('--scene-max', 'a number of seconds, e.g. 8'),
};

/** The scene bounds: flags, then OMVEE_SCENE_MIN/MAX, then the defaults (5 and 10). */
export function sceneBounds(flags: { sceneMin?: number | undefined; sceneMax?: number | undefined }, settings: { OMVEE_SCENE_MIN?: number | undefined; OMVEE_SCENE_MAX?: number | undefined }): SceneBounds {
  return validateSceneBounds(flags.sceneMin ?? settings.OMVEE_SCENE_MIN, flags.sceneMax ?? settings.OMVEE_SCENE_MAX);
}

/** --max-cost USD ("5", "0.50", "$2") */
export const maxCost = flagValue((raw): number | undefined => {
  if (raw === undefined) return undefined;
  const text = String(raw).trim().replace(/^\$/, '');
  const usd = Number(text);
  if (text === '' || !Number.isFinite(usd) || usd < 0) {
    throw new OmveeError('usage', `invalid --max-cost "${String(raw)}"`, { hint: 'an amount in US dollars, e.g. --max-cost 5 or --max-cost 0.50' });
  }
  return usd;
});

/** --dry-run, --max-cost, --cancel-on-exit */
export const spendFlags = {
  dryRun: z.boolean().optional(),
  maxCost,
  cancelOnExit: z.boolean().optional(),
};

export function spendOf(o: { dryRun?: boolean | undefined; maxCost?: number | undefined; cancelOnExit?: boolean | undefined }): SpendFlags {
  return { dryRun: o.dryRun === true, maxCostUsd: o.maxCost, cancelOnExit: o.cancelOnExit === true };
}

/** --transcriber/--director/--images/--clips, with the registry's choices. */
export function providerFlags<const S extends readonly ProviderSlot[]>(slots: S): { [K in S[number]]: z.ZodOptional<z.ZodEnum<Record<string, string>>> } {
  return Object.fromEntries(slots.map((slot) => [slot, z.enum(providerChoices(slot)).optional()])) as never;
}

export function providerChoiceOf(o: Partial<Record<ProviderSlot, string | undefined>>): ProviderChoice {
  return { transcriber: o.transcriber, director: o.director, images: o.images, clips: o.clips };
}

export const videoOut = flagValue((raw): string | undefined => (raw === undefined ? undefined : checkOutPath(String(raw))));

/** images/clips generate: which scenes, new takes, concurrency, spending, --detach. */
export const takeFlags = {
  scene: sceneNumbers,
  newTake: z.boolean().optional(),
  concurrency,
  ...spendFlags,
  detach: z.boolean().optional(),
};

/** A flag whose value one of omvee's parsers reads; its error is reworded to name the flag. */
function parsedFlag<T>(flag: string, parse: (text: string) => T, hint: string) {
  return flagValue((raw): T | undefined => {
    if (raw === undefined) return undefined;
    if (typeof raw === 'boolean') throw invalid(flag, raw, hint);
    try {
      return parse(String(raw));
    } catch (error) {
      if (error instanceof OmveeError) throw invalid(flag, raw, hint);
      throw error;
    }
  });
}

const parseVisualizer = (text: string): VisualizerStyle => {
  const v = text.trim().toLowerCase();
  if ((VISUALIZER_STYLES as readonly string[]).includes(v)) return v as VisualizerStyle;
  throw new OmveeError('usage', `unknown visualizer "${text}"`);
};

/** --aspect, --resolution, --fps, --captions, --visualizer (project create / update, run). */
export const videoFlags = {
  aspect: parsedFlag('--aspect', parseAspect, `one of ${ASPECTS.join(', ')} (9:16 for Shorts, Reels and TikTok)`),
  resolution: parsedFlag('--resolution', parseResolution, `one of ${RESOLUTIONS.join(', ')} (the short side of the frame)`),
  fps: parsedFlag('--fps', parseFrameRate, `one of ${FRAME_RATES.join(', ')} frames per second`),
  captions: parsedFlag('--captions', parseCaptionStyle, `one of ${CAPTION_STYLES.join(', ')}`),
  visualizer: parsedFlag('--visualizer', parseVisualizer, `one of ${VISUALIZER_STYLES.join(', ')}`),
};

export function videoSettingsOf(o: { aspect?: VideoSettings['aspect']; resolution?: VideoSettings['resolution']; fps?: VideoSettings['fps']; captions?: VideoSettings['captions']; visualizer?: VideoSettings['visualizer'] }): VideoSettings {
  return { aspect: o.aspect, resolution: o.resolution, fps: o.fps, captions: o.captions, visualizer: o.visualizer };
}

/** A command without options of its own. */
export const NoOptions = z.object({}).strict();
