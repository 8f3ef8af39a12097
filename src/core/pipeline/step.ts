/** What a step gets while it runs (from a job's control, or a plain caller in tests). */
export interface StepContext {
  signal: AbortSignal;
  progress(percent: number, detail?: string): void;
}

export const noopStep = (signal: AbortSignal = new AbortController().signal): StepContext => ({ signal, progress() {} });
