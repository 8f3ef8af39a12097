/**
 * What bin/omvee calls: the real process streams, and signal handling. The first SIGINT
 * (Ctrl-C), SIGTERM or SIGHUP aborts the running command: it stops cleanly, records the
 * interruption, keeps finished work and exits 130 / 143 / 129 (see exit-codes.ts); a second
 * signal exits at once with its code.
 */
import type { IO } from './context.ts';
import { main as runMain } from './main.ts';
import { STOP_SIGNALS, SignalReceived, exitCodeOfSignal, interruptedExitCode, type StopSignal } from './exit-codes.ts';

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
  const onSignal = (signal: StopSignal) => {
    signals += 1;
    if (signals > 1) {
      // exit now, without waiting for the running step to stop: a job it held stays `running`
      // until its lease expires; then it is recovered (by any worker's lease recovery): failed
      // when its attempts are spent (in-process runs have one), else returned to the queue
      io.stderr.write('interrupted\n');
      process.exit(exitCodeOfSignal(signal));
    }
    abort.abort(new SignalReceived(signal));
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  // a closed pipe (e.g. `omvee jobs list | head`) is not an error
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    // EIO: the terminal went away (SIGHUP follows); the interruption is still recorded
    if (error.code !== 'EIO') throw error;
  });
  // stderr is where errors are reported: when it is gone (a closed terminal, a closed pipe)
  // there is nowhere left to say anything, and failing here would skip recording the stop
  process.stderr.on('error', () => undefined);
  try {
    const code = await runMain(argv, { io, abort });
    return abort.signal.aborted && code === 1 ? interruptedExitCode(abort.signal) : code;
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  }
}
