/**
 * Every question omvee asks goes through here (the only importer of inquirer), so the
 * no-prompt rule is enforced in one place: no prompt unless stdin and stdout are TTYs and CI
 * is unset; otherwise fail naming the flag that answers the question.
 */
import type { CliContext } from './context.ts';
import { OmveeError } from '../core/errors.ts';

function notInteractive(flag: string): OmveeError {
  return new OmveeError('not_interactive', `${flag} required when not running interactively`, {
    hint: `pass ${flag} to answer the question from a script or CI`,
  });
}

function isPromptAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}

/** Ask yes/no. `--yes` answers yes without asking. */
export async function confirm(ctx: CliContext, message: string, options: { flag?: string; default?: boolean } = {}): Promise<boolean> {
  if (ctx.yes) return true;
  if (!ctx.canPrompt) throw notInteractive(options.flag ?? '--yes');
  const { confirm: ask } = await import('@inquirer/prompts');
  try {
    return await ask({ message, default: options.default ?? false }, { output: ctx.io.stderr as NodeJS.WritableStream, signal: ctx.signal });
  } catch (error) {
    if (isPromptAbort(error)) throw new OmveeError('interrupted', 'interrupted');
    throw error;
  }
}

/** Ask for a line of text (not for secrets). */
export async function askText(ctx: CliContext, message: string, options: { flag: string; default?: string }): Promise<string> {
  if (!ctx.canPrompt) throw notInteractive(options.flag);
  const { input } = await import('@inquirer/prompts');
  try {
    return await input({ message, ...(options.default ? { default: options.default } : {}) }, { output: ctx.io.stderr as NodeJS.WritableStream, signal: ctx.signal });
  } catch (error) {
    if (isPromptAbort(error)) throw new OmveeError('interrupted', 'interrupted');
    throw error;
  }
}

/** Ask for a secret without echoing it. */
export async function askSecret(ctx: CliContext, message: string, options: { flag: string }): Promise<string> {
  if (!ctx.canPrompt) throw notInteractive(options.flag);
  const { password } = await import('@inquirer/prompts');
  try {
    return await password({ message, mask: '*' }, { output: ctx.io.stderr as NodeJS.WritableStream, signal: ctx.signal });
  } catch (error) {
    if (isPromptAbort(error)) throw new OmveeError('interrupted', 'interrupted');
    throw error;
  }
}

/** Pick one of several choices. */
export async function choose<T extends string>(ctx: CliContext, message: string, choices: readonly { value: T; name: string }[], options: { flag: string }): Promise<T> {
  if (!ctx.canPrompt) throw notInteractive(options.flag);
  const { select } = await import('@inquirer/prompts');
  try {
    return await select<T>({ message, choices: choices.map((c) => ({ value: c.value, name: c.name })) }, { output: ctx.io.stderr as NodeJS.WritableStream, signal: ctx.signal });
  } catch (error) {
    if (isPromptAbort(error)) throw new OmveeError('interrupted', 'interrupted');
    throw error;
  }
}
