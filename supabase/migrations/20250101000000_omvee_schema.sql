-- omvee schema, version 1.
--
-- What `supabase db push` applies to a fresh Supabase project; it can also be pasted into the SQL
-- editor. Tables and columns mirror src/core/model.ts exactly (the local store holds the same rows).
--
-- Decisions worth knowing:
-- * Ownership lives on projects.user_id and artists.user_id (default auth.uid()). Every other table
--   is reached through its project; row level security is ON everywhere and the policies are
--   written `(select auth.uid()) = user_id` so Postgres evaluates auth.uid() once per statement.
--   service_role bypasses RLS (operators, CI, `omvee worker` with SUPABASE_SERVICE_KEY).
-- * jobs.project_id may be null; such jobs are visible to service_role only.
-- * artists.reference_images holds at most 5 blob keys. The product asks for 3 to 5, but the row is
--   created first and its images are uploaded under artists/{artist_id}/ one by one, so the
--   database only caps the list; the CLI checks the minimum of 3 before an artist is used.
-- * created_at defaults to clock_timestamp() (not now()) so rows inserted by one statement keep
--   their insertion order; updated_at starts equal to created_at and is bumped by a trigger.
-- * Foreign keys ignore row level security, so a reference to a scene, prompt, image or clip is a
--   composite key (ref, project_id) → parent (id, project_id): a row can only point at rows of its
--   own project (never at another user's). Nullable links use ON DELETE SET NULL (column) so the
--   row's project_id is kept (Postgres 15 or later).
-- * A running job's lease ends at jobs.lease_expires_at (claim/heartbeat time + the holder's lease
--   length); recover_expired_jobs judges a job by its own lease, not by the recovering worker's.


-- ---------------------------------------------------------------------------------------------
-- helpers

create or replace function public.omvee_touch_row() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    new.updated_at := coalesce(new.updated_at, new.created_at);
  else
    new.updated_at := greatest(clock_timestamp(), old.updated_at);
  end if;
  return new;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- tables

create table public.projects (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references auth.users (id) on delete cascade default auth.uid(),
  name text not null check (length(name) between 1 and 255),
  description text,
  style text,
  status text not null default 'created' check (status in (
    'created', 'uploaded', 'transcribed', 'scenes_selected', 'prompts_generated',
    'images_generated', 'clips_generated', 'rendered', 'failed')),
  audio_path text,
  audio_filename text,
  audio_format text,
  audio_codec text,
  audio_duration_s double precision check (audio_duration_s is null or audio_duration_s >= 0),
  audio_sample_rate integer check (audio_sample_rate is null or audio_sample_rate > 0),
  audio_channels integer check (audio_channels is null or audio_channels > 0),
  audio_size_bytes bigint check (audio_size_bytes is null or audio_size_bytes >= 0),
  transcript jsonb check (transcript is null or jsonb_typeof(transcript) = 'object'),
  transcript_path text,
  width integer not null default 1280 check (width > 0),
  height integer not null default 720 check (height > 0),
  fps integer not null default 30 check (fps > 0),
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null
);

create table public.artists (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references auth.users (id) on delete cascade default auth.uid(),
  name text not null check (length(name) >= 1),
  description text,
  reference_images jsonb not null default '[]'::jsonb check (
    jsonb_typeof(reference_images) = 'array'
    and jsonb_array_length(reference_images) <= 5),
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null
);

create table public.selected_scenes (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  order_idx integer not null check (order_idx >= 0),
  start_time_s double precision not null check (start_time_s >= 0),
  end_time_s double precision not null,
  title text,
  theme text,
  lyric_excerpt text,
  energy double precision check (energy is null or energy between 0 and 1),
  artist_id uuid references public.artists (id) on delete set null,
  artist_role text not null default 'none' check (artist_role in ('primary', 'background', 'none')),
  generated_by_model text,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null,
  constraint selected_scenes_start_before_end check (start_time_s < end_time_s),
  constraint selected_scenes_project_id_order_idx_key unique (project_id, order_idx),
  constraint selected_scenes_id_project_id_key unique (id, project_id)
);

create table public.scene_prompts (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  scene_id uuid not null,
  image_prompt text not null,
  style_notes text,
  negative_prompt text,
  setting text,
  shot_type text,
  mood text,
  color_palette jsonb check (color_palette is null or jsonb_typeof(color_palette) = 'array'),
  motion_prompt text,
  generated_by_model text,
  cost_usd double precision check (cost_usd is null or cost_usd >= 0),
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null,
  constraint scene_prompts_scene_id_key unique (scene_id),
  constraint scene_prompts_id_project_id_key unique (id, project_id),
  constraint scene_prompts_scene_fkey foreign key (scene_id, project_id)
    references public.selected_scenes (id, project_id) on delete cascade
);

create table public.generated_images (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  scene_id uuid not null,
  prompt_id uuid,
  take integer not null default 1 check (take > 0),
  status text not null default 'pending' check (status in ('pending', 'processing', 'completed', 'failed', 'canceled')),
  image_path text,
  width integer,
  height integer,
  model text,
  seed bigint,
  prompt text,
  prediction_id text,
  cost_usd double precision check (cost_usd is null or cost_usd >= 0),
  error text,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null,
  constraint generated_images_scene_id_take_key unique (scene_id, take),
  constraint generated_images_id_project_id_key unique (id, project_id),
  constraint generated_images_scene_fkey foreign key (scene_id, project_id)
    references public.selected_scenes (id, project_id) on delete cascade,
  constraint generated_images_prompt_fkey foreign key (prompt_id, project_id)
    references public.scene_prompts (id, project_id) on delete set null (prompt_id)
);

create table public.video_clips (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  scene_id uuid not null,
  image_id uuid,
  take integer not null default 1 check (take > 0),
  status text not null default 'pending' check (status in ('pending', 'processing', 'completed', 'failed', 'canceled')),
  clip_path text,
  duration_s double precision check (duration_s is null or duration_s >= 0),
  frame_count integer,
  fps double precision,
  width integer,
  height integer,
  model text,
  seed bigint,
  motion_prompt text,
  prediction_id text,
  cost_usd double precision check (cost_usd is null or cost_usd >= 0),
  error text,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null,
  constraint video_clips_scene_id_take_key unique (scene_id, take),
  constraint video_clips_id_project_id_key unique (id, project_id),
  constraint video_clips_scene_fkey foreign key (scene_id, project_id)
    references public.selected_scenes (id, project_id) on delete cascade,
  constraint video_clips_image_fkey foreign key (image_id, project_id)
    references public.generated_images (id, project_id) on delete set null (image_id)
);

create table public.user_approvals (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  scene_id uuid not null,
  image_id uuid,
  clip_id uuid,
  user_id uuid default auth.uid(),
  decision text not null check (decision in ('approved', 'rejected', 'regenerate')),
  note text,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null,
  constraint user_approvals_scene_fkey foreign key (scene_id, project_id)
    references public.selected_scenes (id, project_id) on delete cascade,
  constraint user_approvals_image_fkey foreign key (image_id, project_id)
    references public.generated_images (id, project_id) on delete set null (image_id),
  constraint user_approvals_clip_fkey foreign key (clip_id, project_id)
    references public.video_clips (id, project_id) on delete set null (clip_id)
);

create table public.final_videos (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  status text not null default 'pending' check (status in ('pending', 'processing', 'completed', 'failed', 'canceled')),
  video_path text,
  duration_s double precision check (duration_s is null or duration_s >= 0),
  frame_count integer,
  fps double precision,
  width integer,
  height integer,
  size_bytes bigint,
  lyrics_overlay boolean not null default false,
  error text,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null
);

create table public.jobs (
  id uuid primary key default gen_random_uuid(),
  project_id uuid references public.projects (id) on delete cascade,
  type text not null check (type in (
    'upload_audio', 'transcribe', 'analyze_scenes', 'generate_prompts', 'generate_images',
    'generate_clips', 'assemble_video')),
  status text not null default 'pending' check (status in ('pending', 'running', 'completed', 'failed', 'canceled')),
  progress integer not null default 0 check (progress between 0 and 100),
  payload jsonb check (payload is null or jsonb_typeof(payload) = 'object'),
  result jsonb check (result is null or jsonb_typeof(result) = 'object'),
  error text,
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 3 check (max_attempts > 0),
  run_after timestamptz not null default clock_timestamp(),
  locked_by text,
  locked_at timestamptz,
  heartbeat_at timestamptz,
  lease_expires_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  cost_usd double precision check (cost_usd is null or cost_usd >= 0),
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null
);

-- ---------------------------------------------------------------------------------------------
-- indexes (foreign keys used by policies and cascades, the queue's claim order)

create index projects_user_id_idx on public.projects (user_id);
create index artists_user_id_idx on public.artists (user_id);
create index selected_scenes_artist_id_idx on public.selected_scenes (artist_id);
create index scene_prompts_project_id_idx on public.scene_prompts (project_id);
create index generated_images_project_id_idx on public.generated_images (project_id);
create index generated_images_prompt_id_idx on public.generated_images (prompt_id);
create index video_clips_project_id_idx on public.video_clips (project_id);
create index video_clips_image_id_idx on public.video_clips (image_id);
create index user_approvals_project_id_idx on public.user_approvals (project_id);
create index user_approvals_scene_id_idx on public.user_approvals (scene_id);
create index user_approvals_image_id_idx on public.user_approvals (image_id);
create index user_approvals_clip_id_idx on public.user_approvals (clip_id);
create index final_videos_project_id_idx on public.final_videos (project_id);
create index jobs_project_id_idx on public.jobs (project_id);
create index jobs_claim_idx on public.jobs (status, run_after, created_at);
create index jobs_pending_created_idx on public.jobs (created_at, id) where status = 'pending';
create index jobs_running_heartbeat_idx on public.jobs (heartbeat_at) where status = 'running';
create index jobs_running_lease_idx on public.jobs (lease_expires_at) where status = 'running';

-- ---------------------------------------------------------------------------------------------
-- updated_at triggers

do $$
declare t text;
begin
  foreach t in array array['projects', 'artists', 'selected_scenes', 'scene_prompts', 'generated_images',
                           'video_clips', 'user_approvals', 'final_videos', 'jobs'] loop
    execute format('create trigger %I before insert or update on public.%I
                    for each row execute function public.omvee_touch_row()', t || '_touch', t);
  end loop;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- row level security

alter table public.projects enable row level security;
alter table public.artists enable row level security;
alter table public.selected_scenes enable row level security;
alter table public.scene_prompts enable row level security;
alter table public.generated_images enable row level security;
alter table public.video_clips enable row level security;
alter table public.user_approvals enable row level security;
alter table public.final_videos enable row level security;
alter table public.jobs enable row level security;

create policy projects_owner on public.projects for all to authenticated
  using ((select auth.uid()) = user_id)
  with check ((select auth.uid()) = user_id);

create policy artists_owner on public.artists for all to authenticated
  using ((select auth.uid()) = user_id)
  with check ((select auth.uid()) = user_id);

/** true when the signed-in user owns the project (used by the child-table policies). */
create or replace function public.omvee_owns_project(p_project_id uuid) returns boolean
language sql stable security invoker
set search_path = ''
as $$
  select exists (
    select 1 from public.projects p
    where p.id = p_project_id and p.user_id = (select auth.uid())
  );
$$;

do $$
declare t text;
begin
  foreach t in array array['scene_prompts', 'generated_images', 'video_clips', 'final_videos', 'jobs'] loop
    execute format('create policy %I on public.%I for all to authenticated
                    using ((select public.omvee_owns_project(project_id)))
                    with check ((select public.omvee_owns_project(project_id)))', t || '_via_project', t);
  end loop;
end;
$$;

-- A scene may feature only an artist the signed-in user can see: the subquery runs under the
-- artists policy, so another user's artist is invisible here (the foreign key alone ignores RLS).
create policy selected_scenes_via_project on public.selected_scenes for all to authenticated
  using ((select public.omvee_owns_project(project_id)))
  with check (
    (select public.omvee_owns_project(project_id))
    and (artist_id is null or exists (select 1 from public.artists a where a.id = artist_id)));

-- An approval is recorded by the signed-in user (or by nobody): user_id cannot name someone else.
create policy user_approvals_via_project on public.user_approvals for all to authenticated
  using ((select public.omvee_owns_project(project_id)))
  with check (
    (select public.omvee_owns_project(project_id))
    and (user_id is null or user_id = (select auth.uid())));

-- ---------------------------------------------------------------------------------------------
-- storage: the private bucket and who may touch which objects

insert into storage.buckets (id, name, public)
values ('project-files', 'project-files', false)
on conflict (id) do nothing;

/** true when the object key lies under a project or artist the signed-in user owns. */
create or replace function public.omvee_owns_object(p_name text) returns boolean
language sql stable security invoker
set search_path = ''
as $$
  select case (storage.foldername(p_name))[1]
    when 'projects' then exists (
      select 1 from public.projects p
      where p.id::text = (storage.foldername(p_name))[2] and p.user_id = (select auth.uid()))
    when 'artists' then exists (
      select 1 from public.artists a
      where a.id::text = (storage.foldername(p_name))[2] and a.user_id = (select auth.uid()))
    else false
  end;
$$;

-- The policies on storage.objects are created by 20250715000001_omvee_storage_policies.sql (through
-- public.omvee_create_storage_policies() of 20250715000000_omvee_storage_access.sql), which says what
-- to run instead when the migration role may not create policies there (supabase/supabase#41126).

-- ---------------------------------------------------------------------------------------------
-- the job queue (called with supabase.rpc). SECURITY INVOKER: row level security limits an
-- authenticated caller to the jobs of their own projects; service_role sees every job.

create or replace function public.claim_job(
  p_worker_id text,
  p_types text[] default null,
  p_project_id uuid default null,
  p_job_id uuid default null,
  p_lease_seconds integer default 300
) returns setof public.jobs
language sql volatile security invoker
set search_path = ''
as $$
  with candidate as (
    select j.id from public.jobs j
    where j.status = 'pending'
      and j.run_after <= clock_timestamp()
      and (p_types is null or j.type = any (p_types))
      and (p_project_id is null or j.project_id = p_project_id)
      and (p_job_id is null or j.id = p_job_id)
    order by j.created_at, j.id
    limit 1
    for update skip locked
  )
  update public.jobs j
     set status = 'running',
         attempts = j.attempts + 1,
         locked_by = p_worker_id,
         locked_at = clock_timestamp(),
         heartbeat_at = clock_timestamp(),
         lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
         started_at = coalesce(j.started_at, clock_timestamp()),
         finished_at = null
    from candidate
   where j.id = candidate.id
  returning j.*;
$$;

/**
 * The lease end after a renewal now: now + p_lease_seconds when the holder names its lease length,
 * otherwise now + the length the lease already has (so a renewal keeps what was granted).
 */
create or replace function public.omvee_renewed_lease(
  p_lease_seconds integer, p_heartbeat_at timestamptz, p_lease_expires_at timestamptz
) returns timestamptz
language sql volatile
set search_path = ''
as $$
  select clock_timestamp() + coalesce(
    case when p_lease_seconds > 0 then make_interval(secs => p_lease_seconds) end,
    p_lease_expires_at - p_heartbeat_at,
    interval '300 seconds');
$$;

create or replace function public.heartbeat_job(
  p_job_id uuid, p_worker_id text, p_attempt integer, p_progress integer default null,
  p_lease_seconds integer default null
) returns boolean
language plpgsql volatile security invoker
set search_path = ''
as $$
begin
  update public.jobs
     set heartbeat_at = clock_timestamp(),
         lease_expires_at = public.omvee_renewed_lease(p_lease_seconds, heartbeat_at, lease_expires_at),
         progress = coalesce(p_progress, progress)
   where id = p_job_id and status = 'running' and locked_by = p_worker_id and attempts = p_attempt;
  return found;
end;
$$;

create or replace function public.update_job_progress(
  p_job_id uuid, p_worker_id text, p_attempt integer, p_progress integer, p_result jsonb default null,
  p_lease_seconds integer default null
) returns boolean
language plpgsql volatile security invoker
set search_path = ''
as $$
begin
  update public.jobs
     set progress = p_progress,
         result = case when p_result is null then result else coalesce(result, '{}'::jsonb) || p_result end,
         heartbeat_at = clock_timestamp(),
         lease_expires_at = public.omvee_renewed_lease(p_lease_seconds, heartbeat_at, lease_expires_at)
   where id = p_job_id and status = 'running' and locked_by = p_worker_id and attempts = p_attempt;
  return found;
end;
$$;

create or replace function public.complete_job(
  p_job_id uuid, p_worker_id text, p_attempt integer, p_result jsonb, p_cost_usd double precision default null
) returns setof public.jobs
language sql volatile security invoker
set search_path = ''
as $$
  update public.jobs
     set status = 'completed',
         progress = 100,
         result = p_result,
         error = null,
         cost_usd = coalesce(p_cost_usd, cost_usd),
         locked_by = null, locked_at = null, heartbeat_at = null, lease_expires_at = null,
         finished_at = clock_timestamp()
   where id = p_job_id and status = 'running' and locked_by = p_worker_id and attempts = p_attempt
  returning *;
$$;

create or replace function public.fail_job(
  p_job_id uuid, p_worker_id text, p_attempt integer, p_error text,
  p_retry boolean default true, p_backoff_seconds double precision default 0
) returns setof public.jobs
language sql volatile security invoker
set search_path = ''
as $$
  update public.jobs
     set status = case when p_retry and attempts < max_attempts then 'pending' else 'failed' end,
         error = p_error,
         run_after = case when p_retry and attempts < max_attempts
                          then clock_timestamp() + make_interval(secs => greatest(coalesce(p_backoff_seconds, 0), 0))
                          else run_after end,
         locked_by = null, locked_at = null, heartbeat_at = null, lease_expires_at = null,
         finished_at = case when p_retry and attempts < max_attempts then null else clock_timestamp() end
   where id = p_job_id and status = 'running' and locked_by = p_worker_id and attempts = p_attempt
  returning *;
$$;

create or replace function public.release_job(p_job_id uuid, p_worker_id text, p_attempt integer) returns boolean
language plpgsql volatile security invoker
set search_path = ''
as $$
begin
  update public.jobs
     set status = 'pending',
         attempts = greatest(attempts - 1, 0),
         locked_by = null, locked_at = null, heartbeat_at = null, lease_expires_at = null,
         run_after = clock_timestamp()
   where id = p_job_id and status = 'running' and locked_by = p_worker_id and attempts = p_attempt;
  return found;
end;
$$;

/**
 * Return running jobs whose own lease has ended (lease_expires_at < now) to the queue, or fail them
 * when their attempts are spent. p_lease_seconds only judges rows without a stored lease end.
 */
create or replace function public.recover_expired_jobs(p_lease_seconds integer default 300) returns integer
language plpgsql volatile security invoker
set search_path = ''
as $$
declare n integer;
begin
  if p_lease_seconds is null or p_lease_seconds <= 0 then
    raise exception 'p_lease_seconds must be a positive number of seconds' using errcode = '22023';
  end if;
  with expired as (
    select id from public.jobs
    where status = 'running'
      and case when lease_expires_at is not null then lease_expires_at < clock_timestamp()
               else coalesce(heartbeat_at, locked_at, started_at) < clock_timestamp() - make_interval(secs => p_lease_seconds)
          end
    for update skip locked
  )
  update public.jobs j
     set status = case when j.attempts >= j.max_attempts then 'failed' else 'pending' end,
         error = case when j.attempts >= j.max_attempts
                      then format('lease expired (worker %s stopped heartbeating) after %s attempts', j.locked_by, j.attempts)
                      else j.error end,
         finished_at = case when j.attempts >= j.max_attempts then clock_timestamp() else null end,
         locked_by = null, locked_at = null, heartbeat_at = null, lease_expires_at = null,
         run_after = clock_timestamp()
    from expired
   where j.id = expired.id;
  get diagnostics n = row_count;
  return n;
end;
$$;

create or replace function public.cancel_job(p_job_id uuid, p_reason text default null) returns setof public.jobs
language sql volatile security invoker
set search_path = ''
as $$
  update public.jobs
     set status = 'canceled',
         error = coalesce(p_reason, 'canceled'),
         locked_by = null, locked_at = null, heartbeat_at = null, lease_expires_at = null,
         finished_at = clock_timestamp()
   where id = p_job_id and status in ('pending', 'running')
  returning *;
$$;

create or replace function public.retry_job(p_job_id uuid, p_reset_attempts boolean default false) returns setof public.jobs
language sql volatile security invoker
set search_path = ''
as $$
  update public.jobs
     set status = 'pending',
         attempts = case when p_reset_attempts then 0 else attempts end,
         progress = 0,
         error = null,
         run_after = clock_timestamp(),
         locked_by = null, locked_at = null, heartbeat_at = null, lease_expires_at = null, finished_at = null
   where id = p_job_id and status in ('failed', 'canceled')
  returning *;
$$;

/**
 * Replace a project's scenes in one statement (and, by cascade, their prompts, takes and
 * approvals). p_scenes is a JSON array of scene objects; ids and defaults are filled here.
 */
create or replace function public.replace_scenes(p_project_id uuid, p_scenes jsonb) returns setof public.selected_scenes
language plpgsql volatile security invoker
set search_path = ''
as $$
begin
  if jsonb_typeof(p_scenes) is distinct from 'array' then
    raise exception 'p_scenes must be a JSON array' using errcode = '22023';
  end if;
  if not exists (select 1 from public.projects where id = p_project_id) then
    raise exception 'project % not found', p_project_id using errcode = 'P0002';
  end if;
  delete from public.selected_scenes where project_id = p_project_id;
  return query
  insert into public.selected_scenes as s (
    id, project_id, order_idx, start_time_s, end_time_s, title, theme, lyric_excerpt, energy,
    artist_id, artist_role, generated_by_model)
  select coalesce(r.id, gen_random_uuid()), p_project_id, r.order_idx, r.start_time_s, r.end_time_s,
         r.title, r.theme, r.lyric_excerpt, r.energy, r.artist_id, coalesce(r.artist_role, 'none'),
         r.generated_by_model
    from jsonb_populate_recordset(null::public.selected_scenes, p_scenes) with ordinality as r
   order by r.ordinality
  returning s.*;
end;
$$;

/** The version of this schema; `omvee doctor` compares it with what the CLI expects. */
create or replace function public.omvee_schema_version() returns integer
language sql immutable
set search_path = ''
as $$ select 1 $$;

-- ---------------------------------------------------------------------------------------------
-- grants: omvee's tables are reachable by authenticated (through RLS) and service_role; anon gets
-- nothing. Every statement NAMES omvee's own tables and functions (omvee has no sequences: its keys
-- are uuids), so another app sharing this project's public schema keeps its grants.

revoke all on table public.projects, public.artists, public.selected_scenes, public.scene_prompts,
  public.generated_images, public.video_clips, public.user_approvals, public.final_videos, public.jobs
  from anon;
grant select, insert, update, delete on table public.projects, public.artists, public.selected_scenes,
  public.scene_prompts, public.generated_images, public.video_clips, public.user_approvals,
  public.final_videos, public.jobs
  to authenticated, service_role;

do $$
declare f text;
begin
  foreach f in array array[
    'claim_job(text, text[], uuid, uuid, integer)',
    'heartbeat_job(uuid, text, integer, integer, integer)',
    'update_job_progress(uuid, text, integer, integer, jsonb, integer)',
    'complete_job(uuid, text, integer, jsonb, double precision)',
    'fail_job(uuid, text, integer, text, boolean, double precision)',
    'release_job(uuid, text, integer)',
    'recover_expired_jobs(integer)',
    'cancel_job(uuid, text)',
    'retry_job(uuid, boolean)',
    'replace_scenes(uuid, jsonb)',
    'omvee_schema_version()',
    'omvee_owns_project(uuid)',
    'omvee_owns_object(text)'
  ] loop
    execute format('revoke execute on function public.%s from public, anon', f);
    execute format('grant execute on function public.%s to authenticated, service_role', f);
  end loop;
end;
$$;
revoke execute on function public.omvee_touch_row() from public, anon;
revoke execute on function public.omvee_renewed_lease(integer, timestamptz, timestamptz) from public, anon;
grant execute on function public.omvee_renewed_lease(integer, timestamptz, timestamptz) to authenticated, service_role;
