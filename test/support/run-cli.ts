/**
 * The in-process CLI harness: runs the real `main()` (src/cli/main.ts) with a test IO — stdout and
 * stderr captured, TTY or not, a terminal width, an environment, a scripted prompter — and
 * returns what a person would have seen. For what subprocess tests cannot reach cheaply: tables
 * on a TTY, answering a confirmation, colour on and off. Signals and the real binary stay with the
 * subprocess tests (test/e2e).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { ParsedCommand } from '../../src/cli/action.ts';
import type { IO, OutStream } from '../../src/cli/context.ts';
import { main } from '../../src/cli/main.ts';
import type { Choice, Prompter } from '../../src/cli/prompts.ts';

export class CapturedStream implements OutStream {
  text = '';
  readonly isTTY: boolean;
  readonly columns: number | undefined;
  constructor(tty: boolean, columns?: number) {
    this.isTTY = tty;
    this.columns = tty ? (columns ?? 80) : undefined;
  }
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export interface Question {
  kind: 'confirm' | 'input' | 'password' | 'select';
  message: string;
}

/** Answers questions from a script, in order; a question nobody scripted fails the test. */
export function scriptedPrompter(answers: readonly (boolean | string)[], asked: Question[]): Prompter {
  const queue = [...answers];
  const next = <T>(kind: Question['kind'], message: string): T => {
    asked.push({ kind, message });
    if (queue.length === 0) throw new Error(`unexpected ${kind} question: ${message}`);
    return queue.shift() as T;
  };
  return {
    confirm: async (message) => next<boolean>('confirm', message),
    input: async (message) => next<string>('input', message),
    password: async (message) => next<string>('password', message),
    select: async <T extends string>(message: string, _choices: readonly Choice<T>[]) => next<T>('select', message),
  };
}

export interface RunCliOptions {
  /** stdin, stdout and stderr are terminals (default false: piped, like a script) */
  tty?: boolean;
  columns?: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** answers to the questions the command asks, in order */
  answers?: readonly (boolean | string)[];
  /** parse only: return each command's parsed input instead of running it */
  capture?: boolean;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  asked: Question[];
  parsed: ParsedCommand | null;
}

export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  const tty = options.tty === true;
  const stdout = new CapturedStream(tty, options.columns);
  const stderr = new CapturedStream(tty, options.columns);
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  const io: IO = { stdout, stderr, stdin, env: { ...options.env }, cwd: options.cwd ?? process.cwd() };
  const asked: Question[] = [];
  let parsed: ParsedCommand | null = null;
  const code = await main([...argv], {
    io,
    prompter: scriptedPrompter(options.answers ?? [], asked),
    ...(options.capture ? { capture: (p: ParsedCommand) => void (parsed = p) } : {}),
  });
  return { code, stdout: stdout.text, stderr: stderr.text, asked, parsed };
}

/** A fresh omvee home (local store) for one test, and the environment that points at it. */
export async function tempHome(): Promise<{ home: string; env: Record<string, string>; cleanup: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'omvee-cli-'));
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), OMVEE_HOME: join(home, 'data'), OMVEE_BACKEND: 'local', PATH: process.env.PATH ?? '' };
  return { home, env, cleanup: () => rm(home, { recursive: true, force: true }) };
}
