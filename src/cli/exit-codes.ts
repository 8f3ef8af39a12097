/**
 * Exit codes, decided at the CLI edge from an error's code (the core knows nothing of them):
 * 0 ok, 1 failure, 2 usage, 130 interrupted (Ctrl-C), 143 SIGTERM, 129 SIGHUP.
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

export function exitCodeOf(error: { code: ErrorCode }): ExitCode {
  switch (error.code) {
    case 'usage':
    case 'not_interactive':
      return ExitCode.usage;
    case 'interrupted':
      return ExitCode.interrupted;
    default:
      return ExitCode.failure;
  }
}
