/**
 * Shared setup for the provider end-to-end tests: the fake OpenAI/OpenRouter and Replicate
 * servers on 127.0.0.1, a temp OMVEE_HOME, a short test song, and the built binary run as a
 * subprocess with fake keys and *_BASE_URL pointing at the fakes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULT_PRICES } from '../../src/providers/cost.ts';
import { askedIndices, isMotionRequest, promptsAnswer, scenesAnswer, startFakeOpenAi, textOf, type ChatRequest, type FakeOpenAi } from '../support/fake-openai/server.ts';
import { makeMp4, makePng, makeToneWav } from '../support/fake-replicate/media.ts';
import { startFakeReplicate, type FakeReplicate } from '../support/fake-replicate/server.ts';

const run = promisify(execFile);
export const BIN = fileURLToPath(new URL('../../bin/omvee', import.meta.url));

export interface Harness {
  dir: string;
  song: string;
  openai: FakeOpenAi;
  replicate: FakeReplicate;
  env: Record<string, string>;
  /** keep the fake director answering (one scripted answer per chat request) */
  autoDirector(count?: number): void;
  omvee(args: string[], extraEnv?: Record<string, string>): Promise<Result>;
  spawnOmvee(args: string[], extraEnv?: Record<string, string>): { child: ChildProcess; done: Promise<Result> };
  billedUsd(): number;
  close(): Promise<void>;
}

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Answers the director's three kinds of request (scenes, prompts, clip motion) from what the request itself says. */
export function directorAnswer(req: ChatRequest): { content: string } {
  const text = req.messages.map(textOf).join('\n');
  if (isMotionRequest(req)) {
    const scene = /Scene (\d+):/.exec(text)?.[1] ?? '?';
    return { content: JSON.stringify({ motion_prompt: `The camera pushes in slowly on scene ${scene} while the lights flicker.` }) };
  }
  const duration = /Duration: ([\d.]+) seconds/.exec(text);
  if (duration) {
    const n = Number(/about (\d+) consecutive scenes/.exec(text)?.[1] ?? '2');
    return { content: JSON.stringify(scenesAnswer(Number(duration[1]), n)) };
  }
  return { content: JSON.stringify(promptsAnswer(askedIndices(req))) };
}

/**
 * A community image model billed by hardware time, known to the fake only by the schema it
 * publishes (cog's form: an Input object of plain fields).
 */
const ACME_SLOW_IMAGE = {
  owner: 'acme',
  name: 'slow-image',
  latest_version: {
    id: 'acme-slow-image-v1',
    openapi_schema: {
      openapi: '3.0.2',
      components: {
        schemas: {
          Input: { type: 'object', title: 'Input', required: ['prompt'], properties: { prompt: { type: 'string' }, width: { type: 'integer', minimum: 64, maximum: 2048 }, height: { type: 'integer', minimum: 64, maximum: 2048 }, seed: { type: 'integer', nullable: true } } },
          Output: { type: 'string', format: 'uri' },
        },
      },
    },
  },
};

export async function startHarness(songSeconds = 8): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'omvee-prov-e2e-'));
  const openai = await startFakeOpenAi({ reportCost: true });
  const replicate = await startFakeReplicate({ png: makePng(64, 36), mp4: await makeMp4(dir, 1), prices: DEFAULT_PRICES as never, models: [ACME_SLOW_IMAGE] });
  const song = await makeToneWav(dir, songSeconds);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, 'config'),
    CI: 'true',
    NO_COLOR: '1',
    OMVEE_HOME: join(dir, 'home'),
    OMVEE_BACKEND: 'local',
    OPENAI_API_KEY: openai.apiKey,
    OPENAI_BASE_URL: openai.baseURL,
    OPENROUTER_API_KEY: openai.apiKey,
    OPENROUTER_BASE_URL: openai.openRouterBaseURL,
    REPLICATE_API_TOKEN: replicate.token,
    REPLICATE_BASE_URL: replicate.baseUrl,
    OMVEE_REPLICATE_POLL_MS: '40',
    OMVEE_SCENE_MIN: '2',
    OMVEE_SCENE_MAX: '3',
  };
  const children = new Set<ChildProcess>();
  const spawnOmvee = (args: string[], extraEnv: Record<string, string> = {}) => {
    const child = spawn(process.execPath, ['--no-warnings', BIN, ...args], { cwd: dir, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    children.add(child);
    const done = new Promise<Result>((resolve) =>
      child.on('close', (code, signal) => {
        children.delete(child);
        resolve({ code, signal, stdout, stderr });
      }),
    );
    return { child, done };
  };
  const h: Harness = {
    dir,
    song,
    openai,
    replicate,
    env,
    autoDirector(count = 40) {
      openai.chatScripts.length = 0;
      for (let i = 0; i < count; i++) openai.chatScripts.push(directorAnswer);
    },
    omvee: (args, extraEnv) => spawnOmvee(args, extraEnv).done,
    spawnOmvee,
    billedUsd: () => Math.round((openai.billedUsd() + replicate.billedUsd()) * 1e6) / 1e6,
    async close() {
      for (const child of children) child.kill('SIGKILL');
      await Promise.all([openai.close(), replicate.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
  h.autoDirector();
  return h;
}

/** Frames and duration of a video, with ffprobe counting the frames. */
export async function probeVideo(path: string): Promise<{ frames: number; fps: number; durationS: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames,r_frame_rate:format=duration', '-of', 'json', path]);
  const info = JSON.parse(stdout) as { streams: { nb_read_frames: string; r_frame_rate: string }[]; format: { duration: string } };
  const [num, den] = info.streams[0]!.r_frame_rate.split('/').map(Number) as [number, number];
  return { frames: Number(info.streams[0]!.nb_read_frames), fps: num / den, durationS: Number(info.format.duration) };
}

export function json<T = Record<string, unknown>>(r: Result): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

/** Wait until cond() holds, polling. */
export async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
