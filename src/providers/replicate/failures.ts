/**
 * What a prediction that did not succeed means for the take.
 *
 * Transient (a NEW attempt may well succeed): the GPU ran out of memory ("CUDA out of memory"),
 * Replicate interrupted it ("Prediction interrupted; please retry (code: PA)"), its director
 * failed ("Director: unexpected error handling prediction (E9828)"), it timed out, or the
 * model's upstream answered a 5xx. Permanent (trying again pays for the same refusal): the
 * safety filter ("The input or output was flagged as sensitive. Please try again with different
 * inputs. (E005)"), an input the model rejects, or a cancel.
 */
import { OmveeError } from '../../core/errors.ts';
import type { Prediction } from './client.ts';

export type FailureKind = 'transient' | 'safety' | 'input' | 'model' | 'canceled';

const SAFETY = /\bE005\b|flagged as sensitive|\bnsfw\b|safety (filter|checker|system)|content (policy|moderation)|moderat(ed|ion)/i;
const INPUT = /invalid input|input validation|unprocessable|must be (one of|less|greater)|is required|unsupported (image|format)|cannot identify image|\bE006\b/i;
const TRANSIENT = /out of memory|\bOOM\b|CUDA (error|out)|interrupted|\(code: PA\)|\bE9828\b|unexpected error handling prediction|timed? ?out|timeout|\b50[0234]\b|bad gateway|service unavailable|server error|internal error|connection (reset|refused|aborted)|try again later/i;

export function errorText(p: Pick<Prediction, 'error'>): string {
  const e = p.error;
  if (e == null) return '';
  return (typeof e === 'string' ? e : JSON.stringify(e)).slice(0, 500);
}

export function classifyFailure(p: Pick<Prediction, 'status' | 'error'>): FailureKind {
  if (p.status === 'canceled') return 'canceled';
  if (p.status === 'aborted') return 'transient';
  const text = errorText(p);
  if (SAFETY.test(text)) return 'safety';
  if (INPUT.test(text)) return 'input';
  if (TRANSIENT.test(text)) return 'transient';
  return 'model';
}

const HINTS: Record<FailureKind, string> = {
  safety:
    "The model's safety filter refused this scene. Rewrite the scene's image or motion prompt (softer wording, no real people or violence), then make a new take; the other scenes are kept.",
  input: 'The model refused this input. Check the model settings (OMVEE_CLIP_MODEL / OMVEE_IMAGE_MODEL) and the scene; then make a new take.',
  model: 'The model failed on this input. Make a new take (a different seed often works); if it keeps failing, try another model.',
  transient: 'Replicate kept failing for reasons of its own (GPU memory, interruptions). Rerun later: finished scenes are kept and only this take is tried again.',
  canceled: 'It was canceled on Replicate. Rerun to make a new take.',
};

/** The error for a take whose last attempt ended in `p` (after `attempts` attempts). */
export function predictionFailure(p: Prediction, attempts: number): OmveeError {
  const kind = classifyFailure(p);
  const text = errorText(p);
  const why = text ? `: ${text.slice(0, 300)}` : '';
  const retried = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  const what = kind === 'safety' ? 'was refused by the safety filter' : p.status === 'succeeded' ? 'succeeded' : p.status;
  return new OmveeError(kind === 'input' ? 'invalid_input' : 'provider', `Replicate prediction ${p.id} ${what}${retried}${why}`, {
    hint: HINTS[kind],
    details: { predictionId: p.id, status: p.status, reason: kind, attempts },
  });
}
