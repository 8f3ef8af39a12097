-- The pieces a Supabase database provides before any project migration runs: the API roles,
-- the auth schema (users + auth.uid()/role()/jwt() reading the request's JWT claims, as
-- PostgREST sets them) and the storage schema (buckets, objects, foldername()).
-- Test double only: a real Supabase project already has all of this.

create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
-- on Supabase the storage schema belongs to supabase_storage_admin (not to the migration role)
create role supabase_storage_admin nologin noinherit;

create schema if not exists extensions;
create schema auth;
create schema storage;

create table auth.users (
  id uuid primary key default gen_random_uuid(),
  email text unique,
  encrypted_password text,
  role text default 'authenticated',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$$;
create function auth.uid() returns uuid language sql stable as $$
  select nullif(auth.jwt() ->> 'sub', '')::uuid
$$;
create function auth.role() returns text language sql stable as $$
  select nullif(auth.jwt() ->> 'role', '')
$$;

create table storage.buckets (
  id text primary key,
  name text not null unique,
  owner uuid,
  public boolean not null default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text not null references storage.buckets (id),
  name text not null,
  owner uuid,
  metadata jsonb,
  version text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_accessed_at timestamptz not null default now(),
  unique (bucket_id, name)
);

create function storage.foldername(name text) returns text[] language sql immutable as $$
  select (string_to_array(name, '/'))[1:greatest(coalesce(array_length(string_to_array(name, '/'), 1), 0) - 1, 0)]
$$;
create function storage.filename(name text) returns text language sql immutable as $$
  select (string_to_array(name, '/'))[array_length(string_to_array(name, '/'), 1)]
$$;

alter table storage.objects enable row level security;
alter table storage.buckets enable row level security;
alter schema storage owner to supabase_storage_admin;
alter table storage.objects owner to supabase_storage_admin;
alter table storage.buckets owner to supabase_storage_admin;

grant usage on schema public, auth, storage, extensions to anon, authenticated, service_role;
grant all on storage.objects, storage.buckets to anon, authenticated, service_role;
grant select on auth.users to service_role;
grant execute on all functions in schema auth, storage to anon, authenticated, service_role;

alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant execute on functions to anon, authenticated, service_role;

-- Realtime. A Supabase project starts with an empty publication `supabase_realtime` (the
-- supabase/postgres image's init scripts create it; tables are added with
-- `alter publication supabase_realtime add table …`). Only tables in it emit postgres_changes.
create schema realtime;
create publication supabase_realtime;
grant usage on schema realtime to anon, authenticated, service_role;

-- Supabase Realtime reads changes from the WAL through a logical replication slot (wal2json,
-- see supabase/realtime lib/extensions/postgres_cdc_rls/replications.ex). PGlite has no
-- replication slots, so the double captures the same facts with row triggers instead: each
-- committed row change of a published table lands here and a NOTIFY wakes the Realtime endpoint
-- (test/support/postgrest-double/realtime.ts), which drains this table in order. Rolled-back
-- changes never appear, because the row and the notification belong to the same transaction.
create table realtime.double_changes (
  id bigint generated always as identity primary key,
  schema_name text not null,
  table_name text not null,
  action text not null check (action in ('INSERT', 'UPDATE', 'DELETE')),
  record jsonb,
  old_record jsonb,
  commit_timestamp timestamptz not null default clock_timestamp()
);

create function realtime.double_capture() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  change_id bigint;
begin
  -- publication membership is checked when the change happens, as logical decoding does
  if not exists (
    select 1 from pg_catalog.pg_publication_tables p
    where p.pubname = 'supabase_realtime' and p.schemaname = tg_table_schema and p.tablename = tg_table_name
  ) then
    return null;
  end if;
  insert into realtime.double_changes (schema_name, table_name, action, record, old_record)
  values (tg_table_schema, tg_table_name, tg_op,
          case when tg_op <> 'DELETE' then to_jsonb(new) end,
          case when tg_op <> 'INSERT' then to_jsonb(old) end)
  returning id into change_id;
  perform pg_notify('realtime_double_changes', change_id::text);
  return null;
end;
$$;
revoke execute on function realtime.double_capture() from public, anon, authenticated, service_role;

/** Attach the capture trigger to every table of the public schema (run after the migrations). */
create function realtime.double_attach_capture() returns void
language plpgsql
as $$
declare
  t record;
begin
  for t in
    select c.relname from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
      and not exists (select 1 from pg_catalog.pg_trigger tr where tr.tgrelid = c.oid and tr.tgname = 'realtime_double_capture')
  loop
    execute format('create trigger realtime_double_capture after insert or update or delete on public.%I
                    for each row execute function realtime.double_capture()', t.relname);
  end loop;
end;
$$;
