/**
 * Issue 2 through the built binary: project create/list/show/update/delete, upload audio, jobs,
 * doctor, config show (precedence and redaction), global flags and exit codes.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { before, after, describe, test } from 'node:test';
import { ANSI, BIN, hasStackTrace, makeSong, sandbox, type Sandbox } from './helpers.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let media: Sandbox & { cleanup: () => Promise<void> };
let song: string;

before(async () => {
  media = await sandbox();
  song = await makeSong(media.file('song.wav'), 6);
});
after(() => media.cleanup());

describe('project create', () => {
  test('without audio: --json prints the row with the schema fields', async (t) => {
    const sb = await sandbox(t);
    const r = await sb.run(['project', 'create', 'First', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const row = JSON.parse(r.stdout);
    assert.match(row.id, UUID);
    assert.equal(row.name, 'First');
    assert.equal(row.status, 'created');
    assert.equal(row.audio_duration_s, null);
    assert.equal(row.audio_path, null);
    assert.equal(row.style, null);
    for (const key of ['created_at', 'updated_at', 'width', 'height', 'fps']) assert.ok(key in row, key);
    assert.match(r.stderr, /created project First/);
    assert.doesNotMatch(r.stdout, /created project/, 'messages stay off stdout');
  });

  test('with --audio and --style: the song is copied and probed', async (t) => {
    const sb = await sandbox(t);
    const row = await sb.json(['project', 'create', 'With song', '--audio', song, '--style', 'neon rain']);
    assert.equal(row.status, 'uploaded');
    assert.equal(row.style, 'neon rain');
    assert.ok(Math.abs(row.audio_duration_s - 6) < 0.05, String(row.audio_duration_s));
    assert.equal(row.audio_sample_rate, 44100);
    assert.equal(row.audio_channels, 2);
    assert.equal(row.audio_codec, 'pcm_s16le');
    assert.equal(row.audio_filename, 'song.wav');
    assert.match(row.audio_path, new RegExp(`^projects/${row.id}/audio/`));
    assert.ok(existsSync(path.join(sb.home, 'project-files', row.audio_path)), 'song copied into the blob store');
  });
});

describe('project list / show / update / delete', () => {
  let sb: Sandbox & { cleanup: () => Promise<void> };
  let a: any;
  let b: any;
  let c: any;
  before(async () => {
    sb = await sandbox();
    a = await sb.json(['project', 'create', 'Alpha']);
    b = await sb.json(['project', 'create', 'Beta', '--audio', song]);
    c = await sb.json(['project', 'create', 'Twin']);
  });
  after(() => sb.cleanup());

  test('list: TSV without header when not a TTY, --json array, --status, --limit', async () => {
    const r = await sb.run(['project', 'list']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    const ids = lines.map((l) => l.split('\t')[0]);
    assert.deepEqual(new Set(ids), new Set([a.id, b.id, c.id]), 'first column is the id (no header line)');
    for (const l of lines) assert.ok(l.split('\t').length >= 3, `tab-separated: ${JSON.stringify(l)}`);
    assert.doesNotMatch(r.stdout, / {2,}/, 'no aligned table when not a TTY');

    const all = await sb.json(['project', 'list']);
    assert.ok(Array.isArray(all));
    assert.equal(all.length, 3);
    assert.deepEqual(new Set(all.map((p: any) => p.id)), new Set([a.id, b.id, c.id]));

    const uploaded = await sb.json(['project', 'list', '--status', 'uploaded']);
    assert.deepEqual(uploaded.map((p: any) => p.id), [b.id]);
    const created = await sb.json(['project', 'list', '--status', 'created']);
    assert.deepEqual(new Set(created.map((p: any) => p.id)), new Set([a.id, c.id]));

    const limited = await sb.json(['project', 'list', '--limit', '2']);
    assert.equal(limited.length, 2);
  });

  test('show by id, id prefix and unique name; an ambiguous name is an error', async () => {
    const byId = await sb.json(['project', 'show', b.id]);
    assert.equal(byId.id, b.id);
    assert.equal(byId.name, 'Beta');
    const byPrefix = await sb.json(['project', 'show', b.id.slice(0, 8)]);
    assert.equal(byPrefix.id, b.id);
    const byName = await sb.json(['project', 'show', 'Alpha']);
    assert.equal(byName.id, a.id);

    const text = await sb.run(['project', 'show', 'Beta']);
    assert.equal(text.code, 0);
    assert.match(text.stdout, new RegExp(`^id\\t${b.id}$`, 'm'));

    const dup = await sb.json(['project', 'create', 'Twin']);
    try {
      const r = await sb.run(['project', 'show', 'Twin']);
      assert.notEqual(r.code, 0);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /several projects/);
      assert.ok(r.stderr.includes(c.id) && r.stderr.includes(dup.id), 'lists the candidates');
      assert.ok(!hasStackTrace(r.stderr));
    } finally {
      const d = await sb.run(['project', 'delete', dup.id, '--yes']);
      assert.equal(d.code, 0, d.stderr);
    }
  });

  test('update --name and --style', async () => {
    const updated = await sb.json(['project', 'update', a.id, '--name', 'Alpha Two', '--style', 'watercolour']);
    assert.equal(updated.id, a.id);
    assert.equal(updated.name, 'Alpha Two');
    assert.equal(updated.style, 'watercolour');
    const shown = await sb.json(['project', 'show', 'Alpha Two']);
    assert.equal(shown.style, 'watercolour');
    assert.ok(shown.updated_at >= a.updated_at);
    const cleared = await sb.json(['project', 'update', a.id, '--style', '']);
    assert.equal(cleared.style, null);
  });

  test('delete: refuses without --yes when not interactive; with --yes removes the row and files', async () => {
    const folder = path.join(sb.home, 'project-files', 'projects', b.id);
    assert.ok(existsSync(folder), 'project folder exists before');

    const refused = await sb.run(['project', 'delete', b.id]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--yes required when not running interactively/);
    assert.ok(existsSync(folder));
    assert.equal((await sb.json(['project', 'show', b.id])).id, b.id);

    const ok = await sb.run(['project', 'delete', b.id, '--yes']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(!existsSync(folder), 'files removed');
    const list = await sb.json(['project', 'list']);
    assert.ok(!list.some((p: any) => p.id === b.id));
    const gone = await sb.run(['project', 'show', b.id]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /not found/);
    b = undefined;
  });
});

describe('upload audio and jobs', () => {
  test('upload audio stores the probe fields; jobs list/show see the work', async (t) => {
    const sb = await sandbox(t);
    const p = await sb.json(['project', 'create', 'Later']);
    const r = await sb.run(['upload', 'audio', p.id, song, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const shown = await sb.json(['project', 'show', p.id]);
    assert.equal(shown.status, 'uploaded');
    assert.ok(Math.abs(shown.audio_duration_s - 6) < 0.05);
    assert.equal(shown.audio_sample_rate, 44100);
    assert.equal(shown.audio_channels, 2);
    assert.equal(shown.audio_codec, 'pcm_s16le');
    assert.ok(shown.audio_size_bytes > 0);
    assert.ok(existsSync(path.join(sb.home, 'project-files', shown.audio_path)));

    const lrc = sb.file('l.lrc');
    await writeFile(lrc, '[00:01.00]one\n[00:03.00]two\n');
    const imp = await sb.run(['transcript', 'import', p.id, lrc]);
    assert.equal(imp.code, 0, imp.stderr);

    const jobs = await sb.json(['jobs', 'list']);
    assert.ok(Array.isArray(jobs) && jobs.length >= 1);
    const tj = jobs.find((j: any) => j.type === 'transcribe');
    assert.ok(tj, `a transcribe job: ${JSON.stringify(jobs.map((j: any) => j.type))}`);
    assert.equal(tj.status, 'completed');
    assert.equal(tj.project_id, p.id);

    const one = await sb.json(['jobs', 'show', tj.id]);
    assert.equal(one.id, tj.id);
    assert.equal(one.status, 'completed');
    assert.equal(Number(one.progress), 100);

    const filtered = await sb.json(['jobs', 'list', '--project', p.id, '--type', 'transcribe', '--status', 'completed']);
    assert.deepEqual(filtered.map((j: any) => j.id), [tj.id]);
    assert.deepEqual(await sb.json(['jobs', 'list', '--status', 'failed']), []);

    const tsv = await sb.run(['jobs', 'list']);
    assert.equal(tsv.code, 0);
    assert.ok(tsv.stdout.split('\n').some((l) => l.startsWith(`${tj.id}\t`) || l.split('\t').includes(tj.id)));
  });
});

describe('doctor', () => {
  /** A stand-in for the OpenAI API on 127.0.0.1: answers every request with an empty model list. */
  async function fakeOpenAI(t: { after: (fn: () => Promise<void>) => void }, status = 200) {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers.authorization ?? ''));
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { object: 'list', data: [{ id: 'whisper-1', object: 'model' }] } : { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
  }

  test('exits 0 and never prints a key (checked against a local stand-in, and --offline)', async (t) => {
    const sb = await sandbox(t);
    const secret = 'sk-test-secret-123';
    const api = await fakeOpenAI(t);
    const env = { OPENAI_API_KEY: secret, OPENAI_BASE_URL: api.url };
    for (const args of [['doctor'], ['doctor', '--json'], ['doctor', '--debug'], ['doctor', '--offline']]) {
      const r = await sb.run(args, { env });
      assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${args.join(' ')} printed the key`);
      assert.ok(!r.stdout.includes('secret-123') && !r.stderr.includes('secret-123'), 'not even part of it');
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      if (!args.includes('--debug')) assert.ok(!hasStackTrace(r.stderr));
      assert.match(r.stdout, /openai/i, 'the OpenAI provider is reported');
    }
    assert.ok(api.seen.some((h) => h.includes(secret)), 'the key was checked against the (local) API');

    const plain = await sb.run(['doctor'], { env });
    assert.match(plain.stdout, /^node\tok/m);
    assert.match(plain.stdout, /^ffmpeg\tok/m);
    assert.match(plain.stdout, /^store\tok.*schema version \d+/m);
    assert.match(plain.stdout, /^openai\tok/m);
    const json = await sb.json(['doctor'], { env });
    assert.ok(Array.isArray(json));
    assert.ok(json.every((c: any) => typeof c.status === 'string'));
    assert.ok(!json.some((c: any) => c.status === 'fail'));

    const noKeys = await sb.run(['doctor']);
    assert.equal(noKeys.code, 0, noKeys.stdout + noKeys.stderr);
  });

  test('a refused key fails the check (exit 1) with a hint, still without printing it', async (t) => {
    const sb = await sandbox(t);
    const secret = 'sk-test-secret-123';
    const api = await fakeOpenAI(t, 401);
    const r = await sb.run(['doctor', '--debug'], { env: { OPENAI_API_KEY: secret, OPENAI_BASE_URL: api.url } });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^openai\tfail/m);
    assert.match(r.stderr, /hint: .*OPENAI_API_KEY/);
    assert.ok(!r.stdout.includes('secret-123') && !r.stderr.includes('secret-123'));
  });
});

describe('config show', () => {
  test('precedence: flag > env > .env in cwd > user config file, with sources; secrets redacted', async (t) => {
    const sb = await sandbox(t);
    await mkdir(path.join(sb.xdg, 'omvee'), { recursive: true });
    await writeFile(
      path.join(sb.xdg, 'omvee', 'config.json'),
      JSON.stringify({ OMVEE_HOME: '/from/config-file', OMVEE_SCENE_MIN: 4, OMVEE_SCENE_MAX: 8, OPENAI_API_KEY: 'sk-file-secret-1' }),
    );
    await writeFile(path.join(sb.cwd, '.env'), 'OMVEE_HOME=/from/dotenv\nOMVEE_SCENE_MAX=9\nOPENROUTER_API_KEY=sk-dotenv-secret-2\n');

    const get = async (extra: string[], env: Record<string, string | undefined>) => {
      const r = await sb.run(['config', 'show', '--json', ...extra], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes('sk-file-secret-1') && !r.stderr.includes('sk-file-secret-1'));
      assert.ok(!r.stdout.includes('sk-dotenv-secret-2') && !r.stderr.includes('sk-dotenv-secret-2'));
      return JSON.parse(r.stdout);
    };

    const noEnv = await get([], { OMVEE_HOME: undefined });
    assert.deepEqual([noEnv.OMVEE_HOME.value, noEnv.OMVEE_HOME.source], ['/from/dotenv', '.env']);
    assert.equal(noEnv.OMVEE_SCENE_MAX.source, '.env');
    assert.equal(String(noEnv.OMVEE_SCENE_MAX.value), '9');
    assert.equal(noEnv.OMVEE_SCENE_MIN.source, 'config file');
    assert.equal(String(noEnv.OMVEE_SCENE_MIN.value), '4');
    assert.equal(noEnv.OPENAI_API_KEY.source, 'config file');
    assert.equal(noEnv.OPENROUTER_API_KEY.source, '.env');
    assert.equal(noEnv.OPENAI_API_KEY.secret, true);

    const withEnv = await get([], { OMVEE_HOME: '/from/env', OMVEE_SCENE_MIN: '3' });
    assert.deepEqual([withEnv.OMVEE_HOME.value, withEnv.OMVEE_HOME.source], ['/from/env', 'env']);
    assert.equal(withEnv.OMVEE_SCENE_MIN.source, 'env');

    const withFlag = await get(['--home', '/from/flag'], { OMVEE_HOME: '/from/env' });
    assert.deepEqual([withFlag.OMVEE_HOME.value, withFlag.OMVEE_HOME.source], ['/from/flag', 'flag']);

    // Without the .env the config file wins.
    const text = await sb.run(['config', 'show'], { env: { OMVEE_HOME: undefined }, cwd: sb.dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^OMVEE_HOME\t\/from\/config-file\tconfig file$/m);
    assert.match(text.stdout, /^OPENAI_API_KEY\t[^\t]*redacted[^\t]*\tconfig file$/m);
    assert.doesNotMatch(text.stdout, /OPENROUTER_API_KEY/);
  });
});

describe('global flags and exit codes', () => {
  test('--quiet prints only data; no ANSI escapes without a TTY, with NO_COLOR or --no-color', async (t) => {
    const sb = await sandbox(t);
    const q = await sb.run(['project', 'create', 'Quiet', '--quiet', '--json']);
    assert.equal(q.code, 0, q.stderr);
    assert.equal(q.stderr, '');
    assert.equal(JSON.parse(q.stdout).name, 'Quiet');
    const loud = await sb.run(['project', 'create', 'Loud']);
    assert.notEqual(loud.stderr, '', 'without --quiet there is a message');

    for (const [args, env] of [
      [['project', 'list'], {}],
      [['project', 'create', 'Plain', '--no-color'], {}],
      [['doctor', '--no-color'], {}],
      [['doctor'], { NO_COLOR: '1' }],
      [['project', 'show', 'nope'], { NO_COLOR: '1' }],
      [['project', 'show', 'nope', '--no-color'], {}],
    ] as Array<[string[], Record<string, string>]>) {
      const r = await sb.run(args, { env });
      assert.ok(!ANSI.test(r.stdout) && !ANSI.test(r.stderr), `ANSI in ${args.join(' ')}: ${JSON.stringify(r.stderr)}`);
    }
  });

  test('on a terminal (pseudo-TTY via script(1)) colours appear, and NO_COLOR / --no-color remove them', { skip: !existsSync('/usr/bin/script') && 'script(1) not installed' }, async (t) => {
    const sb = await sandbox(t);
    const onTty = async (args: string[], env: Record<string, string> = {}) => {
      const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
      const { stdout } = await execFileP('script', ['-qec', cmd, '/dev/null'], { cwd: sb.cwd, env: { ...sb.env, ...env }, timeout: 30_000 });
      return stdout;
    };
    assert.match(await onTty(['project', 'create', 'Colour']), ANSI, 'a TTY gets colours (so the checks below can fail)');
    assert.doesNotMatch(await onTty(['project', 'create', 'NoColourEnv'], { NO_COLOR: '1' }), ANSI);
    assert.doesNotMatch(await onTty(['project', 'create', 'NoColourFlag', '--no-color']), ANSI);
  });

  test('unknown command, unknown flag and missing argument exit 2 with a message', async (t) => {
    const sb = await sandbox(t);
    for (const [args, re] of [
      [['bogus'], /unknown command/],
      [['project', 'list', '--bogus'], /unknown option/],
      [['project', 'create'], /missing required argument/],
      [['project', 'show'], /missing required argument/],
      [['upload', 'audio', 'x'], /missing required argument/],
      [['project', 'list', '--status', 'nonsense'], /status|invalid|choice/i],
    ] as Array<[string[], RegExp]>) {
      const r = await sb.run(args);
      assert.equal(r.code, 2, `${args.join(' ')} → ${r.code}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.ok(!hasStackTrace(r.stderr));
      assert.equal(r.stdout, '');
    }
    const help = await sb.run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: omvee/);
    const version = await sb.run(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
  });
});
