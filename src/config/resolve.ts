/**
 * Effective configuration. Precedence: flags > environment > `.env` in the working directory >
 * user config file ($XDG_CONFIG_HOME/omvee/config.json) > built-in defaults.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describeIssue } from '../core/zod-issues.ts';
import { OmveeError } from '../core/errors.ts';
import { parseDotenv } from './dotenv.ts';
import { CONFIG_DESCRIPTIONS, CONFIG_KEYS, CONFIG_SCHEMA, SECRET_KEYS, type ConfigKey, type ConfigValues } from './schema.ts';

export type ConfigSource = 'flag' | 'env' | '.env' | 'config file' | 'default';

export interface ConfigPaths {
  /** the .env file that was read, or null */
  dotenv: string | null;
  /** the user config file (it may not exist) */
  userConfig: string;
  configDir: string;
  home: string;
}

export interface ResolvedConfig {
  values: ConfigValues;
  sources: Partial<Record<ConfigKey, ConfigSource>>;
  paths: ConfigPaths;
}

export interface ResolveInput {
  flags: Partial<Record<ConfigKey, string>>;
  env: Record<string, string | undefined>;
  cwd: string;
}

export function configDir(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homeOf(env), '.config');
  return join(base, 'omvee');
}

export function defaultHome(env: Record<string, string | undefined>): string {
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME !== '' ? env.XDG_DATA_HOME : join(homeOf(env), '.local', 'share');
  return join(base, 'omvee');
}

function homeOf(env: Record<string, string | undefined>): string {
  return env.HOME && env.HOME !== '' ? env.HOME : homedir();
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') throw new OmveeError('config', `${path} is a directory, expected a file`);
    throw new OmveeError('config', `cannot read ${path}: ${(error as Error).message}`);
  }
}

async function readUserConfig(path: string): Promise<Record<string, string>> {
  const text = await readOptional(path);
  if (text === null || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OmveeError('config', `${path} is not valid JSON: ${(error as Error).message}`, {
      hint: 'fix the file or remove it; it holds a JSON object such as {"OMVEE_SCENE_MIN": 4}',
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new OmveeError('config', `${path} must hold a JSON object of settings`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (value === null || value === undefined) continue;
    out[key] = String(value);
  }
  return out;
}

function pick(record: Record<string, string | undefined>): Partial<Record<ConfigKey, string>> {
  const out: Partial<Record<ConfigKey, string>> = {};
  for (const key of CONFIG_KEYS) {
    const value = record[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

export async function resolveConfig(input: ResolveInput): Promise<ResolvedConfig> {
  const dir = configDir(input.env);
  const userConfigPath = join(dir, 'config.json');
  const dotenvPath = join(input.cwd, '.env');
  const dotenvText = await readOptional(dotenvPath);
  const layers: [ConfigSource, Partial<Record<ConfigKey, string>>][] = [
    ['flag', pick(input.flags)],
    ['env', pick(input.env)],
    ['.env', dotenvText === null ? {} : pick(parseDotenv(dotenvText))],
    ['config file', pick(await readUserConfig(userConfigPath))],
  ];

  const raw: Partial<Record<ConfigKey, string>> = {};
  const sources: Partial<Record<ConfigKey, ConfigSource>> = {};
  for (const key of CONFIG_KEYS) {
    for (const [source, layer] of layers) {
      const value = layer[key];
      if (value !== undefined) {
        raw[key] = value;
        sources[key] = source;
        break;
      }
    }
  }

  // a URL setting that is not a URL at all is reported here: the schema's https refinement would
  // otherwise run `new URL` on it and throw a TypeError (a crash instead of an error)
  const notUrl = [...URL_KEYS].find((key) => raw[key] !== undefined && !URL.canParse(raw[key]!));
  const parsed = notUrl ? null : CONFIG_SCHEMA.safeParse(raw);
  if (!parsed || !parsed.success) {
    const first = parsed?.error.issues[0];
    const key = String(first ? first.path[0] : notUrl) as ConfigKey;
    const problem = first ? describeIssue(first) : 'not a URL';
    // the value is never shown, for any setting: an invalid value is often something pasted in
    // the wrong place, such as a token in a *_BASE_URL, and errors end up in terminals and CI logs
    const length = [...(raw[key] ?? '')].length;
    throw new OmveeError('config', `invalid setting ${key} from ${describeSource(sources[key], dotenvPath, userConfigPath)}: ${problem}${first?.code === 'invalid_value' ? '' : ` (${CONFIG_DESCRIPTIONS[key]})`}; the value (${length} character${length === 1 ? '' : 's'}) is not shown`, {
      hint: `fix the value or unset it (if a key or token ended up in ${key}, move it to its own setting and rotate it); \`omvee config show\` lists every setting and where it comes from`,
    });
  }
  const home = parsed.data.OMVEE_HOME ?? defaultHome(input.env);
  if (parsed.data.OMVEE_HOME === undefined) sources.OMVEE_HOME = 'default';
  return {
    values: { ...parsed.data, OMVEE_HOME: home },
    sources,
    paths: { dotenv: dotenvText === null ? null : dotenvPath, userConfig: userConfigPath, configDir: dir, home },
  };
}

function describeSource(source: ConfigSource | undefined, dotenvPath: string, userConfigPath: string): string {
  switch (source) {
    case '.env':
      return dotenvPath;
    case 'config file':
      return userConfigPath;
    case 'flag':
      return 'a command-line flag';
    default:
      return 'the environment';
  }
}

/** The value to show for a setting: secrets are never shown, nor credentials inside a URL. */
export function displayValue(key: ConfigKey, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (SECRET_KEYS.has(key)) return 'set (redacted)';
  if (URL_KEYS.has(key)) return withoutCredentials(String(value));
  return String(value);
}

const URL_KEYS: ReadonlySet<ConfigKey> = new Set<ConfigKey>(['SUPABASE_URL', 'OPENAI_BASE_URL', 'OPENROUTER_BASE_URL', 'REPLICATE_BASE_URL']);

/** a URL without user:password, query or fragment (where tokens hide); "(invalid URL)" if unparsable */
function withoutCredentials(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}

/** Remove every configured secret from a text (error messages, debug logs). */
export function redactSecrets(text: string, values: ConfigValues): string {
  let out = text;
  for (const key of SECRET_KEYS) {
    const secret = values[key];
    if (typeof secret === 'string' && secret.length >= 4) out = out.split(secret).join(`<${key} redacted>`);
  }
  return out;
}
