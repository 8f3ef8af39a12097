/**
 * Glue between commander and command handlers. Command definitions stay light (commander
 * only); the handler module — with zod, core and adapters — is imported when the command
 * actually runs, so `omvee --help` loads nothing heavy.
 */
import type { Command } from 'commander';
import { CliContext, type GlobalOptions, type IO } from './context.ts';

export interface CommandInput {
  args: string[];
  options: Record<string, unknown>;
  command: Command;
}

export type Handler = (ctx: CliContext, input: CommandInput) => Promise<void>;
export type HandlerModule = { run: Handler };

export interface Runtime {
  io: IO;
  abort: AbortController;
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

export type ActionFactory = (load: () => Promise<HandlerModule>) => (...args: unknown[]) => Promise<void>;

export function actionFactory(runtime: Runtime): ActionFactory {
  return (load) =>
    async (...actionArgs: unknown[]) => {
      const command = actionArgs[actionArgs.length - 1] as Command;
      const options = command.opts() as Record<string, unknown>;
      const args = command.args.slice(0, command.registeredArguments.length).map((a) => a as string);
      // variadic last argument: commander passes an array
      const positional = actionArgs.slice(0, command.registeredArguments.length);
      const flatArgs: string[] = [];
      for (const value of positional) {
        if (Array.isArray(value)) flatArgs.push(...(value as string[]));
        else if (typeof value === 'string') flatArgs.push(value);
      }
      const ctx = new CliContext(runtime.io, globalsOf(command), runtime.abort);
      runtime.current = ctx;
      const { run } = await load();
      await run(ctx, { args: flatArgs.length ? flatArgs : args, options, command });
    };
}
