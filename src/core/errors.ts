/**
 * The one error type of omvee, a leaf module (it imports nothing): core, adapters and commands
 * throw it; only the CLI edge (src/cli/exit-codes.ts, src/cli/main.ts) turns its code into a
 * message on stderr and an exit code.
 */
export type ErrorCode =
  | 'usage'
  | 'not_found'
  | 'ambiguous'
  | 'invalid_input'
  | 'conflict'
  | 'not_interactive'
  | 'aborted'
  /** the person declined a confirmation: said plainly, not as an error */
  | 'canceled'
  | 'interrupted'
  | 'media'
  | 'ffmpeg_missing'
  | 'store'
  /** the backend refused the caller (row level security, storage policies): not worth a retry */
  | 'permission'
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
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class OmveeError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: OmveeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OmveeError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, hint: this.hint ?? null };
  }
}

export const usageError = (message: string, hint?: string): OmveeError => new OmveeError('usage', message, { hint });

export const notFound = (what: string, ref: string, hint?: string): OmveeError =>
  new OmveeError('not_found', `${what} not found: ${ref}`, { hint });

export const invalidInput = (message: string, hint?: string): OmveeError => new OmveeError('invalid_input', message, { hint });

export function isOmveeError(error: unknown): error is OmveeError {
  return error instanceof OmveeError;
}
