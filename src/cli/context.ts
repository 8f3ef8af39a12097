/**
 * Everything a command needs from the outside world, in one object that tests can build:
 * streams, environment, whether we may prompt or colour, global flags, and lazily the
 * configuration and services (store, blobs, media, providers).
 */
import type { ResolvedConfig } from '../config/resolve.ts';
import type { Services } from '../app/services.ts';
import type { Prompter } from './prompts.ts';

export interface GlobalOptions {
  json: boolean;
  yes: boolean;
  quiet: boolean;
  debug: boolean;
  color: boolean;
  backend?: string | undefined;
  home?: string | undefined;
}

export interface OutStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface InStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

export interface IO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

export class CliContext {
  readonly io: IO;
  readonly globals: GlobalOptions;
  readonly abort: AbortController;
  /** asks the person (only when canPrompt); tests give a scripted one */
  readonly prompter: Prompter | undefined;
  #config: Promise<ResolvedConfig> | undefined;
  #services: Promise<Services> | undefined;
  #cleanups: (() => Promise<void>)[] = [];

  constructor(io: IO, globals: GlobalOptions, abort: AbortController = new AbortController(), prompter?: Prompter) {
    this.io = io;
    this.globals = globals;
    this.abort = abort;
    this.prompter = prompter;
  }

  get env(): Record<string, string | undefined> {
    return this.io.env;
  }
  get json(): boolean {
    return this.globals.json;
  }
  get yes(): boolean {
    return this.globals.yes;
  }
  get signal(): AbortSignal {
    return this.abort.signal;
  }
  get isCI(): boolean {
    const ci = this.io.env.CI;
    return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  }
  /** stdout is a terminal: tables instead of TSV */
  get stdoutIsTTY(): boolean {
    return this.io.stdout.isTTY === true;
  }
  get stderrIsTTY(): boolean {
    return this.io.stderr.isTTY === true;
  }
  /** prompts only with a person at both ends and not in CI */
  get canPrompt(): boolean {
    return this.io.stdin.isTTY === true && this.io.stdout.isTTY === true && !this.isCI;
  }
  /** colour and spinners: a TTY on stderr, no NO_COLOR, no --no-color */
  get color(): boolean {
    const noColor = this.io.env.NO_COLOR;
    return this.globals.color && this.stderrIsTTY && (noColor === undefined || noColor === '');
  }
  /** spinners redraw lines: only on a real terminal with a known width */
  get animate(): boolean {
    return this.color && !this.globals.quiet && !this.isCI && (this.io.stderr.columns ?? 0) > 0;
  }

  // ---- messages (stderr) ----
  info(message: string): void {
    if (!this.globals.quiet) this.io.stderr.write(`${message}\n`);
  }
  success(message: string): void {
    if (!this.globals.quiet) this.io.stderr.write(`${this.paint('32', '✔')} ${message}\n`);
  }
  warn(message: string): void {
    this.io.stderr.write(`${this.paint('33', 'warning:')} ${message}\n`);
  }
  debug(message: string): void {
    if (this.globals.debug) this.io.stderr.write(`${this.paint('2', `debug: ${message}`)}\n`);
  }
  paint(code: string, text: string): string {
    return this.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }

  // ---- data (stdout) ----
  write(text: string): void {
    this.io.stdout.write(text);
  }
  writeJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  // ---- lazily built ----
  config(): Promise<ResolvedConfig> {
    this.#config ??= import('../config/resolve.ts').then(({ resolveConfig }) =>
      resolveConfig({
        flags: {
          ...(this.globals.backend ? { OMVEE_BACKEND: this.globals.backend } : {}),
          ...(this.globals.home ? { OMVEE_HOME: this.globals.home } : {}),
        },
        env: this.io.env,
        cwd: this.io.cwd,
      }),
    );
    return this.#config;
  }

  services(): Promise<Services> {
    this.#services ??= (async () => {
      const [{ openServices }, config] = await Promise.all([import('../app/services.ts'), this.config()]);
      const services = await openServices(config, { env: this.io.env, log: (m) => this.debug(m) });
      this.#cleanups.push(() => services.close());
      return services;
    })();
    return this.#services;
  }

  onClose(fn: () => Promise<void>): void {
    this.#cleanups.push(fn);
  }

  async close(): Promise<void> {
    const cleanups = this.#cleanups.splice(0).reverse();
    for (const fn of cleanups) {
      try {
        await fn();
      } catch {
        // closing is best effort
      }
    }
  }
}
