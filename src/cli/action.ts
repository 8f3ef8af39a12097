/**
 * Glue between commander and command handlers. Command definitions stay light (commander
 * only); the handler module — with zod, core and adapters — is imported when the command
 * actually runs, so `omvee --help` loads nothing heavy.
 *
 * Every handler module exports its options schema (`Options`, zod) next to `run`; the wrapper
 * parses commander's options with it before the handler runs, so a handler cannot skip the
 * check, and a bad value is a usage error (exit 2) that names the flag.
 */
import type { Command } from 'commander';
import type { z } from 'zod';
import { CliContext, type GlobalOptions, type IO } from './context.ts';
import { parseOptions } from './parse.ts';
import type { Prompter } from './prompts.ts';

export interface CommandInput<O = Record<string, never>> {
  args: string[];
  options: O;
  command: Command;
}

/** What a command's handler module exports. */
export interface CommandModule<S extends z.ZodType = z.ZodType> {
  Options: S;
  run(ctx: CliContext, input: CommandInput<z.output<S>>): Promise<void>;
}

/** The arguments and parsed options of a command, as the wrapper hands them to its handler. */
export interface ParsedCommand {
  /** e.g. "images generate" */
  path: string;
  args: string[];
  options: unknown;
}

export interface Runtime {
  io: IO;
  abort: AbortController;
  /** asks the person questions (the inquirer one unless a test gives its own) */
  prompter?: Prompter | undefined;
  /** tests: receive each command's parsed input instead of running its handler */
  capture?: ((parsed: ParsedCommand) => void) | undefined;
  /** the context of the command that ran (for error reporting and cleanup) */
  current?: CliContext;
}

export function globalsOf(command: Command): GlobalOptions {
  const o = command.optsWithGlobals() as Record<string, unknown>;
  return {
    json: o.json === true,
    yes: o.yes === true,
    quiet: o.quiet === true,
    debug: o.debug === true,
    color: o.color !== false,
    backend: typeof o.backend === 'string' ? o.backend : undefined,
    home: typeof o.home === 'string' ? o.home : undefined,
  };
}

export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export type ActionFactory = (load: () => Promise<CommandModule>) => (...args: unknown[]) => Promise<void>;

export function actionFactory(runtime: Runtime): ActionFactory {
  return (load) =>
    async (...actionArgs: unknown[]) => {
      const command = actionArgs[actionArgs.length - 1] as Command;
      // variadic last argument: commander passes an array
      const args: string[] = [];
      for (const value of actionArgs.slice(0, command.registeredArguments.length)) {
        if (Array.isArray(value)) args.push(...(value as string[]));
        else if (typeof value === 'string') args.push(value);
      }
      const ctx = new CliContext(runtime.io, globalsOf(command), runtime.abort, runtime.prompter);
      runtime.current = ctx;
      const module = await load();
      const options = parseOptions(module.Options, command.opts() as Record<string, unknown>);
      if (runtime.capture) return runtime.capture({ path: commandPath(command), args, options });
      await module.run(ctx, { args, options, command });
    };
}

/** The input of a handler whose module exports the options schema S. */
export type InputOf<S extends z.ZodType> = CommandInput<z.output<S>>;
