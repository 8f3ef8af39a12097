/**
 * supabase/migrations on a real PostgreSQL 15 shaped like a Supabase database
 * (test/support/supabase-pg/roles.sql + database.sql: `postgres` is not a superuser, storage belongs to
 * supabase_storage_admin, default privileges hand every new public table to anon/authenticated),
 * applied file by file as `postgres` the way `supabase db push` does (one transaction per file):
 * - another app's table and sequence in `public` keep exactly their grants;
 * - without supautils, the storage-policy migration stops with a message that says what to run,
 *   everything before it stays applied, and after running that the migration passes;
 * - as a role that may create the policies (hosted Supabase's supautils; here the superuser)
 *   every file applies.
 * With OMVEE_TEST_SUPABASE_CLI=/path/to/supabase (the npm package `supabase`, 3.x) the same is done
 * with the real `supabase db push --db-url`.
 *
 * Needs the PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin, Debian's postgresql-15) and
 * psql; reports itself skipped without them. The server listens on 127.0.0.1 and is stopped after.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const PG_BIN = process.env.OMVEE_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** OMVEE_TEST_MIGRATIONS: another folder of migrations (e.g. an older version, to compare) */
const MIGRATIONS = process.env.OMVEE_TEST_MIGRATIONS ?? path.join(ROOT, 'supabase', 'migrations');
const ROLES = path.join(ROOT, 'test', 'support', 'supabase-pg', 'roles.sql');
const DATABASE = path.join(ROOT, 'test', 'support', 'supabase-pg', 'database.sql');
const CLI = process.env.OMVEE_TEST_SUPABASE_CLI;

async function which(bin: string): Promise<boolean> {
  return exec('sh', ['-c', `command -v ${bin}`]).then(() => true, () => false);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** initdb refuses root: run the server as the OS user `postgres` then */
async function asServerUser(bin: string, args: string[]): Promise<void> {
  if (isRoot) await exec('runuser', ['-u', 'postgres', '--', bin, ...args]);
  else await exec(bin, args);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const missing = !existsSync(path.join(PG_BIN, 'initdb')) ? `no PostgreSQL 15 server at ${PG_BIN} (apt-get install postgresql-15)` : null;

describe('supabase/migrations on PostgreSQL 15 with Supabase roles', { skip: missing ?? false }, () => {
  let dir: string;
  let port: number;
  let ready = false;
  before(async () => {
    if (!(await which('psql'))) throw new Error('psql is missing (apt-get install postgresql-client-15)');
    if (isRoot && !(await exec('id', ['postgres']).then(() => true, () => false))) throw new Error('running as root needs the OS user postgres to run the server');
    dir = await mkdtemp(path.join(tmpdir(), 'omvee-pg15-'));
    await chmod(dir, 0o777);
    port = await freePort();
    await asServerUser(path.join(PG_BIN, 'initdb'), ['-D', path.join(dir, 'data'), '-U', 'supabase_admin', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await asServerUser(path.join(PG_BIN, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-o', `-p ${port} -h 127.0.0.1 -k ${dir} -F`, '-l', path.join(dir, 'server.log'), '-w', 'start']);
    ready = true;
    await psql('supabase_admin', 'postgres', ['-f', ROLES]);
  });
  after(async () => {
    if (ready) await asServerUser(path.join(PG_BIN, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const psql = (user: string, db: string, args: string[]) =>
    exec('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db, '-v', 'ON_ERROR_STOP=1', '-q', '-X', ...args], { env: { ...process.env, PGPASSWORD: 'postgres' } });
  const sql = async (user: string, db: string, text: string): Promise<string> => (await psql(user, db, ['-Atc', text])).stdout.trim();
  /** the database as `supabase start` / a new project has it, plus another app's objects */
  async function freshDatabase(name: string): Promise<void> {
    await sql('supabase_admin', 'postgres', `create database ${name}`);
    await psql('supabase_admin', name, ['-f', DATABASE]);
    await sql('postgres', name, 'create table public.other_app_notes (id serial primary key, body text); create function public.other_app_fn() returns int language sql as $$ select 1 $$');
  }
  const foreignAcls = (db: string) =>
    sql('postgres', db, "select string_agg(relname || '=' || coalesce(relacl::text, '-'), ' ' order by relname) from pg_class where relnamespace = 'public'::regnamespace and relname like 'other_app%'")
      .then(async (rels) => `${rels} fn=${await sql('postgres', db, "select coalesce(proacl::text, '-') from pg_proc where proname = 'other_app_fn'")}`);
  const files = async (): Promise<string[]> => (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql')).sort();

  it('as postgres without supautils: foreign grants untouched; the policy file says what to run; it passes after that', async () => {
    await freshDatabase('shared_project');
    const before = await foreignAcls('shared_project');
    assert.match(before, /other_app_notes=\{.*anon=arwdDxt.*\}/, 'Supabase default privileges gave anon the foreign table');
    const all = await files();
    const policyFile = all.find((f) => f.endsWith('_omvee_storage_policies.sql'))!;
    let failure = '';
    for (const file of all) {
      try {
        await psql('postgres', 'shared_project', ['-1', '-f', path.join(MIGRATIONS, file)]);
      } catch (error) {
        assert.equal(file, policyFile, `only the policy file may fail: ${String((error as { stderr?: string }).stderr)}`);
        failure = String((error as { stderr?: string }).stderr);
      }
    }
    assert.match(failure, /omvee: the storage policies were not created: role "postgres" may not create policies on storage\.objects/);
    assert.match(failure, /set role supabase_storage_admin; select public\.omvee_create_storage_policies\(\);/);
    assert.equal(await foreignAcls('shared_project'), before, "another app's table, sequence and function keep their grants");
    assert.equal(await sql('postgres', 'shared_project', "select has_table_privilege('anon', 'public.projects', 'select')"), 'f');
    assert.equal(await sql('postgres', 'shared_project', "select has_table_privilege('authenticated', 'public.projects', 'select')"), 't');
    assert.equal(await sql('postgres', 'shared_project', "select has_function_privilege('anon', 'public.claim_job(text, text[], uuid, uuid, integer)', 'execute')"), 'f');
    assert.equal(await sql('postgres', 'shared_project', 'select public.omvee_storage_policies_ready()'), 'f');

    // what the message says to run, then the file again
    const created = await sql('supabase_admin', 'shared_project', 'set role supabase_storage_admin; select public.omvee_create_storage_policies()');
    assert.equal(created, '{omvee_objects_select,omvee_objects_insert,omvee_objects_update,omvee_objects_delete,omvee_bucket_read}');
    await psql('postgres', 'shared_project', ['-1', '-f', path.join(MIGRATIONS, policyFile)]);
    assert.equal(await sql('postgres', 'shared_project', 'select public.omvee_storage_policies_ready()'), 't');
  });

  it('as a role that may create storage policies, every file applies', async () => {
    await freshDatabase('hosted_like');
    const before = await foreignAcls('hosted_like');
    for (const file of await files()) await psql('supabase_admin', 'hosted_like', ['-1', '-f', path.join(MIGRATIONS, file)]);
    assert.equal(await foreignAcls('hosted_like'), before, "another app's table, sequence and function keep their grants");
    assert.equal(await sql('postgres', 'hosted_like', 'select public.omvee_storage_policies_ready()'), 't');
  });

  it('the real Supabase CLI: supabase db push --db-url', { skip: CLI ? false : 'set OMVEE_TEST_SUPABASE_CLI to a supabase CLI (npm i supabase@3) to run' }, async () => {
    await freshDatabase('cli_push');
    const project = path.join(dir, 'cli-project');
    await mkdir(path.join(project, 'supabase'), { recursive: true });
    await cp(MIGRATIONS, path.join(project, 'supabase', 'migrations'), { recursive: true });
    const before = await foreignAcls('cli_push');
    const url = `postgresql://postgres:postgres@127.0.0.1:${port}/cli_push`;
    const push = () => exec(CLI!, ['db', 'push', '--db-url', url, '--yes'], { cwd: project, env: { ...process.env, PGSSLMODE: 'disable' } }).then((r) => ({ ok: true, out: `${r.stdout}${r.stderr}` }), (e: { stdout?: string; stderr?: string }) => ({ ok: false, out: `${e.stdout}${e.stderr}` }));
    const first = await push();
    assert.equal(first.ok, false);
    assert.match(first.out, /set role supabase_storage_admin; select public\.omvee_create_storage_policies\(\);/);
    assert.equal(await foreignAcls('cli_push'), before);
    await sql('supabase_admin', 'cli_push', 'set role supabase_storage_admin; select public.omvee_create_storage_policies()');
    const second = await push();
    assert.equal(second.ok, true, second.out);
    assert.match(second.out, /Finished supabase db push/);
  });
});
