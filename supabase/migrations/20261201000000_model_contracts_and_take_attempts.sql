-- omvee schema, version 2: model contracts and take attempts.
--
-- * model_contracts caches each Replicate model's published input schema per version (what
--   GET /v1/models/{owner}/{name} answers as latest_version.openapi_schema), so runs and
--   `--dry-run` know the model's durations, sizes and fields without asking again. It is not a
--   project row: every signed-in user may READ it; only service_role (a worker with
--   SUPABASE_SERVICE_KEY) writes it. A user's session never writes a row that a worker with more
--   rights would then trust. Rows written by service_role have user_id null.
-- * generated_images.attempts / video_clips.attempts: every paid attempt of a take (prediction
--   id, status, error, whether it was transient, cost), a JSON array; null for older takes.
--   Mirrors src/store/local/migrations.ts version 3.

create table public.model_contracts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid default auth.uid(),
  model text not null check (length(model) between 3 and 200 and model like '%/%'),
  version text not null check (length(version) between 1 and 200),
  openapi_schema jsonb not null check (jsonb_typeof(openapi_schema) = 'object'),
  source text not null,
  fetched_at timestamptz not null,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default clock_timestamp(),
  unique nulls not distinct (model, version, user_id)
);
create index model_contracts_model_fetched_idx on public.model_contracts (model, fetched_at);

create trigger model_contracts_touch before insert or update on public.model_contracts
  for each row execute function public.omvee_touch_row();

alter table public.model_contracts enable row level security;

-- read by every signed-in user; no insert/update/delete policy: only service_role (which
-- bypasses row level security) writes
create policy model_contracts_read on public.model_contracts for select to authenticated
  using (true);

revoke all on public.model_contracts from anon;
grant select on public.model_contracts to authenticated;
grant select, insert, update, delete on public.model_contracts to service_role;

alter table public.generated_images add column attempts jsonb
  check (attempts is null or jsonb_typeof(attempts) = 'array');
alter table public.video_clips add column attempts jsonb
  check (attempts is null or jsonb_typeof(attempts) = 'array');

create or replace function public.omvee_schema_version() returns integer
language sql immutable
set search_path = ''
as $$ select 2 $$;
