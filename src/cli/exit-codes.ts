/**
 * Exit codes, decided at the CLI edge from an error's code (the core knows nothing of them):
 * 0 ok, 1 failure, 2 usage, 130 interrupted (Ctrl-C), 143 SIGTERM, 129 SIGHUP — a stop by a
 * signal exits 128 + the signal's number, as shells report a process the signal killed.
 */
import type { ErrorCode } from '../core/errors.ts';

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  hangup: 129,
  interrupted: 130,
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The signals that stop omvee cleanly: the running work stops, is recorded, and can resume. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

export function exitCodeOfSignal(signal: StopSignal): ExitCode {
  switch (signal) {
    case 'SIGTERM':
      return ExitCode.terminated;
    case 'SIGHUP':
      return ExitCode.hangup;
    default:
      return ExitCode.interrupted;
  }
}

/** The reason the entry aborts a command with when a signal arrives, so the exit code names it. */
export class SignalReceived extends Error {
  readonly signal: StopSignal;
  constructor(signal: StopSignal) {
    super(`received ${signal}`);
    this.name = 'SignalReceived';
    this.signal = signal;
  }
}

/** The exit code of an interruption: the signal's when `abort` was aborted by one, else 130. */
export function interruptedExitCode(abort?: AbortSignal): ExitCode {
  const reason: unknown = abort?.aborted ? abort.reason : undefined;
  return reason instanceof SignalReceived ? exitCodeOfSignal(reason.signal) : ExitCode.interrupted;
}

export function exitCodeOf(error: { code: ErrorCode }, abort?: AbortSignal): ExitCode {
  switch (error.code) {
    case 'usage':
    case 'not_interactive':
      return ExitCode.usage;
    case 'interrupted':
      return interruptedExitCode(abort);
    default:
      return ExitCode.failure;
  }
}
