/**
 * Progress of a batch of scenes that moves smoothly: each scene in flight reports its own fraction
 * (frames encoded, a prediction's reported percentage), and the batch's fraction is the mean over all
 * scenes, so twelve clips do not move in 8 % jumps. The detail keeps the count of finished
 * scenes ("clips 3/12"), which is what people read.
 */
export interface SceneProgress {
  /** a scene's own progress, 0..1 (never moves backwards) */
  update(sceneId: string, fraction: number): void;
  /** a scene settled (done, skipped or failed) */
  settle(sceneId: string): void;
}

/** `report` gets the whole batch's fraction 0..1 and how many scenes have settled. */
export function trackSceneProgress(total: number, report: (whole: number, finished: number) => void): SceneProgress {
  const fractions = new Map<string, number>();
  const settled = new Set<string>();
  let last = -1;
  const emit = (): void => {
    let sum = settled.size;
    for (const [id, f] of fractions) if (!settled.has(id)) sum += f;
    const whole = total > 0 ? Math.min(1, sum / total) : 1;
    // a tenth of a percent is below what any view shows: those calls are skipped
    if (whole - last < 0.001 && settled.size < total) return;
    last = whole;
    report(whole, settled.size);
  };
  return {
    update(sceneId, fraction) {
      if (settled.has(sceneId) || !Number.isFinite(fraction)) return;
      const clamped = Math.max(0, Math.min(1, fraction));
      if (clamped <= (fractions.get(sceneId) ?? 0)) return;
      fractions.set(sceneId, clamped);
      emit();
    },
    settle(sceneId) {
      if (settled.has(sceneId)) return;
      settled.add(sceneId);
      emit();
    },
  };
}
