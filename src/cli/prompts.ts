/**
 * Every question omvee asks goes through here, so the no-prompt rule is enforced in one place:
 * no prompt unless stdin and stdout are TTYs and CI is unset; otherwise fail naming the flag that
 * answers the question. The questions themselves go to a Prompter: inquirer's (the only importer
 * of inquirer) unless the context carries another (tests answer from a script).
 */
import type { CliContext } from './context.ts';
import { OmveeError } from '../core/errors.ts';

export interface Choice<T extends string> {
  value: T;
  name: string;
}

/** The seam between omvee's questions and whatever answers them. */
export interface Prompter {
  confirm(message: string, options: { default: boolean; output: NodeJS.WritableStream; signal: AbortSignal }): Promise<boolean>;
  input(message: string, options: { default?: string | undefined; output: NodeJS.WritableStream; signal: AbortSignal }): Promise<string>;
  password(message: string, options: { output: NodeJS.WritableStream; signal: AbortSignal }): Promise<string>;
  select<T extends string>(message: string, choices: readonly Choice<T>[], options: { output: NodeJS.WritableStream; signal: AbortSignal }): Promise<T>;
}

/** The terminal's prompter: inquirer, loaded on first use. */
export const inquirerPrompter: Prompter = {
  async confirm(message, o) {
    const { confirm } = await import('@inquirer/prompts');
    return confirm({ message, default: o.default }, { output: o.output, signal: o.signal });
  },
  async input(message, o) {
    const { input } = await import('@inquirer/prompts');
    return input({ message, ...(o.default ? { default: o.default } : {}) }, { output: o.output, signal: o.signal });
  },
  async password(message, o) {
    const { password } = await import('@inquirer/prompts');
    return password({ message, mask: '*' }, { output: o.output, signal: o.signal });
  },
  async select(message, choices, o) {
    const { select } = await import('@inquirer/prompts');
    return select({ message, choices: choices.map((c) => ({ value: c.value, name: c.name })) }, { output: o.output, signal: o.signal });
  },
};

function notInteractive(flag: string): OmveeError {
  return new OmveeError('not_interactive', `${flag} required when not running interactively`, {
    hint: `pass ${flag} to answer the question from a script or CI`,
  });
}

function isPromptAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}

async function ask<T>(ctx: CliContext, flag: string, question: (p: Prompter, o: { output: NodeJS.WritableStream; signal: AbortSignal }) => Promise<T>): Promise<T> {
  if (!ctx.canPrompt) throw notInteractive(flag);
  try {
    return await question(ctx.prompter ?? inquirerPrompter, { output: ctx.io.stderr as NodeJS.WritableStream, signal: ctx.signal });
  } catch (error) {
    if (isPromptAbort(error)) throw new OmveeError('interrupted', 'interrupted');
    throw error;
  }
}

/** Ask yes/no. `--yes` answers yes without asking. */
export async function confirm(ctx: CliContext, message: string, options: { flag?: string; default?: boolean } = {}): Promise<boolean> {
  if (ctx.yes) return true;
  return ask(ctx, options.flag ?? '--yes', (p, o) => p.confirm(message, { ...o, default: options.default ?? false }));
}

/**
 * Ask yes/no before something destructive; a "no" is a quiet cancel: `what` ("nothing
 * deleted") is said plainly and the command ends with exit code 1, without an error line.
 */
export async function confirmOrCancel(ctx: CliContext, message: string, what: string, options: { flag?: string } = {}): Promise<void> {
  if (!(await confirm(ctx, message, options))) throw new OmveeError('canceled', `canceled: ${what}`);
}

/** Ask for a line of text (not for secrets). */
export async function askText(ctx: CliContext, message: string, options: { flag: string; default?: string }): Promise<string> {
  return ask(ctx, options.flag, (p, o) => p.input(message, { ...o, default: options.default }));
}

/** Ask for a secret without echoing it. */
export async function askSecret(ctx: CliContext, message: string, options: { flag: string }): Promise<string> {
  return ask(ctx, options.flag, (p, o) => p.password(message, o));
}

/** Pick one of several choices. */
export async function choose<T extends string>(ctx: CliContext, message: string, choices: readonly Choice<T>[], options: { flag: string }): Promise<T> {
  return ask(ctx, options.flag, (p, o) => p.select(message, choices, o));
}
