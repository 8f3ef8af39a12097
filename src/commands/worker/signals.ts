/**
 * While a worker runs it owns SIGINT/SIGTERM/SIGHUP: the entry's handler would exit the process on the
 * second signal, and a worker must instead release its running jobs to the queue first (so no
 * one waits a whole lease for them). First signal: abort the command (the worker stops claiming
 * and gives running jobs the grace period). Second: `releaseNow()`. Third: exit at once.
 * Only when someone (bin/omvee's entry) already handles the signals — tests calling the handler
 * in-process are left alone. Returns a function that puts the previous handlers back.
 */
import { SignalReceived, exitCodeOfSignal, type StopSignal } from '../../cli/exit-codes.ts';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function takeOverSignals(abort: AbortController, releaseNow: () => void): () => void {
  if (SIGNALS.every((s) => process.listenerCount(s) === 0)) return () => undefined;
  const previous = new Map(SIGNALS.map((s) => [s, process.listeners(s)] as const));
  for (const s of SIGNALS) process.removeAllListeners(s);
  let count = 0;
  const onSignal = (signal: StopSignal) => {
    count += 1;
    if (count === 1) abort.abort(new SignalReceived(signal));
    else if (count === 2) releaseNow();
    else process.exit(exitCodeOfSignal(signal));
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return () => {
    for (const s of SIGNALS) {
      process.off(s, onSignal);
      for (const listener of previous.get(s) ?? []) process.on(s, listener as (signal: NodeJS.Signals) => void);
    }
  };
}
