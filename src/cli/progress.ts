/**
 * Progress for long work, on stderr. A terminal gets an ora spinner with the percentage;
 * anything else (CI, pipes, --quiet off) gets plain lines, throttled to every 10% so logs
 * stay readable. The only importer of ora. The spinner leaves the terminal's modes alone, so
 * Ctrl-C always reaches omvee as SIGINT (see startProgress).
 */
import type { CliContext } from './context.ts';

export interface Progress {
  /** set the step text and (optionally) its percentage 0–100 */
  update(text: string, percent?: number): void;
  succeed(text: string): void;
  fail(text: string): void;
  /** warn without breaking the spinner line */
  warn(text: string): void;
  /** a note (not a warning) without breaking the spinner line */
  note(text: string): void;
  stop(): void;
}

interface Spinner {
  text: string;
  start(): Spinner;
  stop(): Spinner;
  succeed(text?: string): Spinner;
  fail(text?: string): Spinner;
  isSpinning: boolean;
}

/** m:ss (or h:mm:ss) */
export function clockTime(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * A progress line: the text, the percentage, and for work that has run a while the time so far
 * and what is left at this pace ("clips 3/12 25% · 0:42, ~2:06 left"). No guess in the first
 * seconds or before 3 %, when the pace says nothing yet.
 */
export function describeProgress(text: string, percent: number | undefined, elapsedMs: number): string {
  if (percent === undefined) return elapsedMs >= 5000 ? `${text} · ${clockTime(elapsedMs)}` : text;
  const shown = `${text} ${Math.round(percent)}%`;
  if (elapsedMs < 5000) return shown;
  const eta = percent >= 3 && percent < 100 ? `, ~${clockTime((elapsedMs * (100 - percent)) / percent)} left` : '';
  return `${shown} · ${clockTime(elapsedMs)}${eta}`;
}

/** "… in 1:23" for steps that took long enough for it to matter. */
const took = (text: string, elapsedMs: number) => (elapsedMs >= 5000 ? `${text} in ${clockTime(elapsedMs)}` : text);

export async function startProgress(ctx: CliContext, text: string, now: () => number = Date.now): Promise<Progress> {
  const started = now();
  if (ctx.animate) {
    const { default: ora } = await import('ora');
    // discardStdin off: ora's default puts the terminal in raw mode while it spins (which turns
    // off the kernel's Ctrl-C → SIGINT) and relies on reading the 0x03 byte itself, but it never
    // starts reading a stdin nobody read before (it resumes stdin only when `isPaused()`, which
    // a fresh stdin is not, and `prependListener('data')` does not start the flow) — so Ctrl-C
    // was swallowed and the run went on. In cooked mode the terminal itself sends SIGINT.
    const spinner = ora({ text, stream: ctx.io.stderr as NodeJS.WritableStream, color: 'cyan', discardStdin: false }).start() as unknown as Spinner;
    let current: [string, number | undefined] = [text, undefined];
    const redraw = () => {
      spinner.text = describeProgress(current[0], current[1], now() - started);
    };
    // the clock moves even when the work reports nothing for a while
    const ticker = setInterval(redraw, 1000);
    ticker.unref();
    return {
      update(next, percent) {
        current = [next, percent];
        redraw();
      },
      succeed(done) {
        clearInterval(ticker);
        spinner.succeed(took(done, now() - started));
      },
      fail(done) {
        clearInterval(ticker);
        spinner.fail(done);
      },
      warn(message) {
        const wasSpinning = spinner.isSpinning;
        spinner.stop();
        ctx.warn(message);
        if (wasSpinning) spinner.start();
      },
      note(message) {
        const wasSpinning = spinner.isSpinning;
        spinner.stop();
        ctx.info(message);
        if (wasSpinning) spinner.start();
      },
      stop() {
        clearInterval(ticker);
        if (spinner.isSpinning) spinner.stop();
      },
    };
  }
  return plainProgress(ctx, text, () => now() - started);
}

function plainProgress(ctx: CliContext, text: string, elapsed: () => number): Progress {
  let lastText = '';
  let lastBucket = -1;
  const line = (message: string) => ctx.info(message);
  line(`${text}…`);
  lastText = text;
  return {
    update(next, percent) {
      const bucket = percent === undefined ? -1 : Math.floor(percent / 10);
      if (next !== lastText) {
        lastText = next;
        lastBucket = bucket;
        line(percent === undefined ? `${describeProgress(next, undefined, elapsed())}…` : describeProgress(next, percent, elapsed()));
      } else if (bucket > lastBucket) {
        lastBucket = bucket;
        line(describeProgress(next, percent, elapsed()));
      }
    },
    succeed(done) {
      ctx.success(took(done, elapsed()));
    },
    fail(done) {
      ctx.io.stderr.write(`✖ ${done}\n`);
    },
    warn(message) {
      ctx.warn(message);
    },
    note(message) {
      ctx.info(message);
    },
    stop() {},
  };
}
