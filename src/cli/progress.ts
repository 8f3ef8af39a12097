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

export async function startProgress(ctx: CliContext, text: string): Promise<Progress> {
  if (ctx.animate) {
    const { default: ora } = await import('ora');
    // discardStdin off: ora's default puts the terminal in raw mode while it spins (which turns
    // off the kernel's Ctrl-C → SIGINT) and relies on reading the 0x03 byte itself, but it never
    // starts reading a stdin nobody read before (it resumes stdin only when `isPaused()`, which
    // a fresh stdin is not, and `prependListener('data')` does not start the flow) — so Ctrl-C
    // was swallowed and the run went on. In cooked mode the terminal itself sends SIGINT.
    const spinner = ora({ text, stream: ctx.io.stderr as NodeJS.WritableStream, color: 'cyan', discardStdin: false }).start() as unknown as Spinner;
    return {
      update(next, percent) {
        spinner.text = percent === undefined ? next : `${next} ${Math.round(percent)}%`;
      },
      succeed(done) {
        spinner.succeed(done);
      },
      fail(done) {
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
        if (spinner.isSpinning) spinner.stop();
      },
    };
  }
  return plainProgress(ctx, text);
}

function plainProgress(ctx: CliContext, text: string): Progress {
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
        line(percent === undefined ? `${next}…` : `${next} ${Math.round(percent)}%`);
      } else if (bucket > lastBucket) {
        lastBucket = bucket;
        line(`${next} ${Math.round(percent!)}%`);
      }
    },
    succeed(done) {
      ctx.success(done);
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
