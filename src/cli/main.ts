/**
 * The program: builds the command tree, runs it, and maps whatever happened to an exit code
 * (0 ok, 1 failure, 2 usage, 130/143/129 interrupted). The only place that prints errors.
 */
import { Command, CommanderError, Option } from 'commander';
import { actionFactory, commandPath, type ParsedCommand, type Runtime } from './action.ts';
import type { Prompter } from './prompts.ts';
import type { IO } from './context.ts';
import { OmveeError } from '../core/errors.ts';
import { ExitCode, exitCodeOf } from './exit-codes.ts';
import { registerCommands } from '../commands/index.ts';
import { VERSION } from '../version.ts';

export function buildProgram(runtime: Runtime): Command {
  const program = new Command('omvee');
  program
    .description('Turn a song into a music video: lyrics → scenes → prompts → images → clips → final cut.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--json', 'print machine-readable JSON on stdout')
    .option('-y, --yes', 'answer yes to confirmations (required for destructive commands without a TTY)')
    .option('-q, --quiet', 'print only data and errors')
    .option('--debug', 'print debug logs and stack traces')
    .option('--no-color', 'disable colours and spinners (also: NO_COLOR=1)')
    .addOption(new Option('--backend <kind>', 'where state lives').choices(['auto', 'local', 'supabase']))
    .option('--home <dir>', 'local store folder (default: $OMVEE_HOME or ~/.local/share/omvee)')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    .addHelpText(
      'after',
      `
Examples:
  $ omvee run song.mp3 --lyrics song.lrc --out video.mp4  # everything at once
  $ omvee project create "Easy Kill" --audio song.mp3  # step by step
  $ omvee project list --json | jq -r '.[].id'  # scripting
  $ omvee jobs watch --project 3f2a --exit-status  # in CI

Exit codes: 0 ok, 1 failure, 2 usage error, 130/143/129 interrupted (see: omvee help exit-codes).
Settings: flags > environment > ./.env > ~/.config/omvee/config.json (see: omvee config show).`,
    );
  registerCommands(program, actionFactory(runtime));
  applyToTree(program, (cmd) => {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (s) => runtime.io.stdout.write(s),
      writeErr: (s) => runtime.io.stderr.write(s),
      outputError: (s, write) => {
        usageOf = commandPath(cmd);
        write(s);
      },
    });
  });
  return program;
}

/** The command whose usage was wrong, for the "(see: omvee … --help)" line. */
let usageOf = '';

function applyToTree(cmd: Command, fn: (c: Command) => void): void {
  fn(cmd);
  for (const sub of cmd.commands) applyToTree(sub, fn);
}

const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    failure (a step failed, a file was bad, a provider refused, verification failed),
       or a confirmation was answered "no" (nothing was changed)
  2    usage error (unknown flag, bad value, missing argument, --yes needed without a TTY)
  129  stopped by SIGHUP (the terminal closed)
  130  interrupted (Ctrl-C, SIGINT)
  143  stopped by SIGTERM (timeout, CI job limits, systemd, docker stop)
       after 129/130/143 the work done so far is kept, the stop is recorded, and
       \`omvee run --project <id>\` resumes (delivering to the --out the run was given)
`;

export interface MainOptions {
  io: IO;
  abort?: AbortController;
  /** who answers questions (default: inquirer on the terminal) */
  prompter?: Prompter;
  /** tests: receive each command's parsed options instead of running it */
  capture?: (parsed: ParsedCommand) => void;
}

export async function main(argvIn: string[], options: MainOptions): Promise<number> {
  let argv = argvIn;
  const runtime: Runtime = { io: options.io, abort: options.abort ?? new AbortController(), prompter: options.prompter, capture: options.capture };
  // `omvee help exit-codes` is a topic, not a command
  if (argv[0] === 'help' && argv[1] === 'exit-codes') {
    options.io.stdout.write(EXIT_CODES_HELP);
    return ExitCode.ok;
  }
  const program = buildProgram(runtime);
  const debug = argv.includes('--debug');
  if (argv[0] === 'help' && argv.length > 1) {
    const unknown = unknownHelpTopic(program, argv.slice(1));
    if (unknown) return report(unknown, runtime, debug, false);
    // `omvee help scenes select` is `omvee scenes select --help` (commander's help takes one word)
    argv = [...argv.slice(1), '--help'];
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    return await report(error, runtime, debug, argv.includes('--json'));
  } finally {
    await runtime.current?.close();
  }
}

/** `omvee help <words>` naming no command: a usage error with the closest command, not the root page. */
function unknownHelpTopic(program: Command, words: string[]): OmveeError | null {
  let cmd = program;
  for (const word of words.filter((w) => !w.startsWith('-'))) {
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) {
      const names = cmd.commands.map((c) => c.name()).filter((n) => n !== 'help');
      const near = names.find((n) => n.startsWith(word.slice(0, 3))) ?? null;
      const where = cmd === program ? 'omvee' : `omvee ${commandPath(cmd)}`;
      return new OmveeError('usage', `no help for "${words.join(' ')}": ${where} has no command "${word}"`, {
        hint: `${near ? `did you mean \`${where} ${near}\`? ` : ''}commands: ${names.join(', ')} (and: omvee help exit-codes)`,
      });
    }
    cmd = sub;
  }
  return null;
}

async function report(error: unknown, runtime: Runtime, debug: boolean, json: boolean): Promise<number> {
  const { stderr } = runtime.io;
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.ok;
    if (error.exitCode === 0) return ExitCode.ok;
    // commander already printed "error: …"
    if (error.code === 'commander.executeSubCommandAsync' || error.code === 'commander.missingMandatoryOptionValue') return ExitCode.usage;
    stderr.write(`(see: omvee ${usageOf ? `${usageOf} ` : ''}--help)\n`);
    return ExitCode.usage;
  }
  let omvee: OmveeError;
  // after Ctrl-C, whatever failed (a killed ffmpeg, an aborted request) failed because of it
  if (runtime.abort.signal.aborted && !(error instanceof OmveeError && error.code === 'interrupted')) {
    omvee = new OmveeError('interrupted', 'interrupted', { hint: error instanceof OmveeError && error.hint?.includes('resume') ? error.hint : 'finished work is kept; run the command again to resume' });
  } else if (error instanceof OmveeError) omvee = error;
  else if (runtime.abort.signal.aborted || (error instanceof Error && error.name === 'AbortError')) omvee = new OmveeError('interrupted', 'interrupted', { hint: 'work done so far is kept; run the command again to resume' });
  else omvee = new OmveeError('internal', error instanceof Error ? error.message : String(error), { hint: 'this is a bug in omvee; rerun with --debug and report it', cause: error });

  const redact = await redactor(runtime);
  if (omvee.code === 'canceled') {
    if (json) stderr.write(`${JSON.stringify({ canceled: true, message: omvee.message })}\n`);
    else stderr.write(`${omvee.message}\n`);
    return exitCodeOf(omvee);
  }
  if (json) stderr.write(`${redact(JSON.stringify({ error: { ...omvee.toJSON(), exitCode: exitCodeOf(omvee, runtime.abort.signal) } }))}\n`);
  else {
    stderr.write(`error: ${redact(omvee.message)}\n`);
    if (omvee.hint) stderr.write(`hint: ${redact(omvee.hint)}\n`);
  }
  if (debug) {
    const stack = (omvee.cause instanceof Error ? omvee.cause.stack : undefined) ?? omvee.stack;
    if (stack) stderr.write(`${redact(stack)}\n`);
  }
  return exitCodeOf(omvee, runtime.abort.signal);
}

async function redactor(runtime: Runtime): Promise<(text: string) => string> {
  try {
    const ctx = runtime.current;
    if (!ctx) return (t) => t;
    const [{ redactSecrets }, config] = await Promise.all([import('../config/resolve.ts'), ctx.config()]);
    return (t) => redactSecrets(t, config.values);
  } catch {
    // no config (it may be the broken thing): redact what the environment holds
    const { redactSecrets } = await import('../config/resolve.ts');
    return (t) => redactSecrets(t, runtime.io.env as never);
  }
}
