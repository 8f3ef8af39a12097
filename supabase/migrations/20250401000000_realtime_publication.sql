-- Live job progress over Supabase Realtime.
--
-- `omvee jobs watch` (and `run --detach` followed by a watch) subscribe to Postgres changes of
-- public.jobs through Realtime (`postgres_changes`), filtered by project or job. Realtime streams
-- only the tables of the `supabase_realtime` publication, and it sends each change only to the
-- subscribers whose row level security lets them select the row, so a signed-in user hears about
-- the jobs of their own projects and nothing else (service_role hears about every job).
--
-- Only jobs is published: it is the one table omvee watches, and every published table costs the
-- Realtime server an RLS check per change per subscriber.
--
-- Idempotent: safe to apply again, on a project whose publication already lists the table, and on
-- a self-hosted database that lacks the publication (it is created empty first, as Supabase does).
do $$
begin
  if not exists (select 1 from pg_catalog.pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
  -- a FOR ALL TABLES publication already lists jobs (and refuses ADD TABLE)
  if not exists (
    select 1 from pg_catalog.pg_publication_tables
    where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'jobs'
  ) then
    alter publication supabase_realtime add table public.jobs;
  end if;
end;
$$;

-- When Realtime is unreachable the watcher polls instead, asking for the jobs changed since its
-- last look (updated_at >= cursor); this index keeps that query cheap however many jobs there are.
create index if not exists jobs_updated_at_idx on public.jobs (updated_at, id);
