/**
 * What bin/omvee calls: the real process streams, and signal handling. The first Ctrl-C
 * aborts the running command (it stops cleanly, keeps finished work, exits 130); a second
 * one exits at once.
 */
import type { IO } from './context.ts';
import { main as runMain } from './main.ts';

export function processIO(): IO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

export async function main(argv: string[], io: IO): Promise<number> {
  const abort = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      // exit now, without waiting for the running step to stop: a job it held stays `running`
      // until its lease expires; then it is recovered (by any worker's lease recovery): failed
      // when its attempts are spent (in-process runs have one), else returned to the queue
      io.stderr.write('interrupted\n');
      process.exit(130);
    }
    abort.abort(new Error(`received ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // a closed pipe (e.g. `omvee jobs list | head`) is not an error
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  try {
    const code = await runMain(argv, { io, abort });
    return abort.signal.aborted && code === 1 ? 130 : code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
