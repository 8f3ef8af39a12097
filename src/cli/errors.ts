/**
 * The one error type of omvee. Commands and core throw it; only the entry (bin/omvee via
 * src/cli/main.ts) turns it into a message on stderr and an exit code.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode =
  | 'usage'
  | 'not_found'
  | 'ambiguous'
  | 'invalid_input'
  | 'conflict'
  | 'not_interactive'
  | 'aborted'
  | 'interrupted'
  | 'media'
  | 'ffmpeg_missing'
  | 'store'
  | 'config'
  | 'provider'
  | 'provider_auth'
  | 'provider_quota'
  | 'network'
  | 'job_failed'
  | 'verification'
  | 'budget'
  | 'internal';

export interface OmveeErrorOptions {
  hint?: string | undefined;
  exitCode?: ExitCode;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class OmveeError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: OmveeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OmveeError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? defaultExitCode(code);
    this.details = options.details;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, hint: this.hint ?? null, exitCode: this.exitCode };
  }
}

function defaultExitCode(code: ErrorCode): ExitCode {
  switch (code) {
    case 'usage':
    case 'not_interactive':
      return ExitCode.usage;
    case 'interrupted':
      return ExitCode.interrupted;
    default:
      return ExitCode.failure;
  }
}

export const usageError = (message: string, hint?: string): OmveeError =>
  new OmveeError('usage', message, { hint, exitCode: ExitCode.usage });

export const notFound = (what: string, ref: string, hint?: string): OmveeError =>
  new OmveeError('not_found', `${what} not found: ${ref}`, { hint });

export const invalidInput = (message: string, hint?: string): OmveeError =>
  new OmveeError('invalid_input', message, { hint });

export function isOmveeError(error: unknown): error is OmveeError {
  return error instanceof OmveeError;
}
