/**
 * `--max-cost`: a spending cap checked before every paid generation. The check is
 * "recorded spend of the project + estimates of generations in flight + this one's estimate
 * ≤ cap"; the in-flight reservations make it hold with parallel generations. Re-attaching to a
 * stored prediction costs nothing new and is never refused. When the cap would be exceeded
 * the step stops with OmveeError('budget'); finished takes are kept.
 */
import { OmveeError } from '../errors.ts';
import { roundUsd } from './prices.ts';
import type { ClipSceneShape } from './estimate.ts';

export interface PaidWork {
  projectId: string;
  kind: 'image' | 'clip';
  /** length of the scene, seconds (clips are priced by length) */
  sceneDurationS: number;
  /** e.g. "scene 3" */
  label: string;
  /** a clip's frames in the final cut and its frame: priced prediction by prediction as it will be sent */
  clip?: ClipSceneShape | undefined;
}

/** What one paid generation holds of the cap while it runs. */
export interface Reservation {
  /**
   * A part of it was paid and recorded on the take (one prediction of a long scene, a failed
   * attempt): that much stops being reserved, as the project's recorded spend now counts it. The
   * rest stays reserved for the predictions still to come.
   */
  paid(usd: number): void;
  /** The generation ended (done or failed): whatever is still reserved goes. */
  release(): void;
}

export interface BudgetGuard {
  readonly maxUsd: number;
  /**
   * Reserve the estimated price of one paid generation; throws OmveeError('budget') when it
   * would take the project over the cap.
   */
  reserve(work: PaidWork): Promise<Reservation>;
}

export interface BudgetGuardOptions {
  maxUsd: number;
  /** recorded spend of a project so far */
  spentUsd: (projectId: string) => Promise<number>;
  /** estimated price of one generation (it may read the project, e.g. its frame) */
  estimateUsd: (work: PaidWork) => number | Promise<number>;
}

export function createBudgetGuard(opts: BudgetGuardOptions): BudgetGuard {
  const inFlight = new Map<string, number>(); // projectId → reserved USD
  let queue: Promise<unknown> = Promise.resolve();
  return {
    maxUsd: opts.maxUsd,
    reserve(work) {
      // one check at a time, so two parallel generations cannot both squeeze under the cap
      const next = queue.then(async () => {
        const estimate = await opts.estimateUsd(work);
        const spent = await opts.spentUsd(work.projectId);
        const reserved = inFlight.get(work.projectId) ?? 0;
        if (spent + reserved + estimate > opts.maxUsd + 1e-9) throw budgetError(opts.maxUsd, spent + reserved, estimate, work);
        inFlight.set(work.projectId, reserved + estimate);
        let held = estimate;
        const drop = (usd: number): void => {
          const less = Math.min(held, Math.max(0, usd));
          held -= less;
          inFlight.set(work.projectId, Math.max(0, (inFlight.get(work.projectId) ?? 0) - less));
        };
        return { paid: drop, release: () => drop(held) } satisfies Reservation;
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

function budgetError(maxUsd: number, committedUsd: number, estimateUsd: number, work: PaidWork): OmveeError {
  return new OmveeError(
    'budget',
    `stopped before exceeding --max-cost $${maxUsd.toFixed(2)}: $${roundUsd(committedUsd).toFixed(4)} spent or in flight, the ${work.kind} for ${work.label} would add ~$${roundUsd(estimateUsd).toFixed(4)}`,
    {
      hint: `finished work is kept; see \`omvee project cost ${work.projectId}\`, then rerun with a higher --max-cost to continue`,
      details: { projectId: work.projectId, maxUsd, committedUsd: roundUsd(committedUsd), nextUsd: roundUsd(estimateUsd) },
    },
  );
}

export function isBudgetError(error: unknown): error is OmveeError {
  return error instanceof OmveeError && error.code === 'budget';
}

/**
 * After a batch of generations: when the cap stopped some scenes, that is the reason to
 * report (one clear error), not N copies of it. Returns null when the budget stopped nothing.
 */
export function budgetStop(failed: readonly { error: unknown }[]): OmveeError | null {
  const stops = failed.filter((f) => isBudgetError(f.error));
  if (stops.length === 0) return null;
  const first = stops[0]!.error as OmveeError;
  const others = failed.length - stops.length;
  const message = `${first.message}; ${stops.length} scene${stops.length > 1 ? 's' : ''} not generated${others ? `, ${others} other scene${others > 1 ? 's' : ''} failed` : ''}`;
  return new OmveeError('budget', message, { ...(first.hint ? { hint: first.hint } : {}), ...(first.details ? { details: first.details } : {}) });
}
