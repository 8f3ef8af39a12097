-- omvee: the job queue's columns belong to the queue (issue 12).
--
-- Before this migration a signed-in user could UPDATE every column of their own jobs: reset a
-- running job to pending (a second worker then ran it again on the operator's provider keys),
-- zero cost_usd, backdate created_at to jump the queue; and, knowing the operator's worker id
-- (jobs.locked_by is readable), call complete_job/fail_job/release_job on a job the operator's
-- worker was running. `authenticated` and `anon` also held TRUNCATE, REFERENCES and TRIGGER.
--
-- After it:
-- * authenticated may INSERT only (id, project_id, type, payload, max_attempts, run_after) and
--   UPDATE only (run_after, error) of jobs; a trigger keeps run_after from going into the past
--   and caps max_attempts at 10 for them. Everything else starts from its default (status
--   pending, attempts 0, created_at now, no lease, no result, no cost).
-- * The queue functions (claim/heartbeat/progress/complete/fail/release/recover/cancel/retry) are
--   SECURITY DEFINER, so they can write the queue columns the caller cannot. Inside, a caller
--   that is not the service role is held to what row level security gave it before: the jobs of
--   projects it owns. On top of that, a signed-in user may only heartbeat, complete, fail or
--   release a lease that user claimed (omvee_job_claims records who claimed each attempt), so a
--   user's own `omvee worker`/`omvee run` keeps working and the operator's leases stay the
--   operator's.
-- * TRUNCATE, REFERENCES and TRIGGER are revoked from anon and authenticated on omvee's tables.
--
-- The service role keeps every privilege it had (operators, CI, tests).

-- ---------------------------------------------------------------------------------------------
-- table privileges

revoke truncate, references, trigger on table
  public.projects, public.artists, public.selected_scenes, public.scene_prompts,
  public.generated_images, public.video_clips, public.user_approvals, public.final_videos,
  public.jobs
  from anon, authenticated;

revoke insert, update on table public.jobs from authenticated;
grant insert (id, project_id, type, payload, max_attempts, run_after) on table public.jobs to authenticated;
grant update (run_after, error) on table public.jobs to authenticated;

-- ---------------------------------------------------------------------------------------------
-- who claimed which attempt of a job (read by the queue functions only)

create table public.omvee_job_claims (
  job_id uuid primary key references public.jobs (id) on delete cascade,
  attempt integer not null,
  -- auth.uid() of the signed-in user who claimed it; null when the service role did
  claimed_by uuid,
  claimed_at timestamptz not null default clock_timestamp()
);
alter table public.omvee_job_claims enable row level security;
revoke all on table public.omvee_job_claims from public, anon, authenticated;
grant select on table public.omvee_job_claims to service_role;

/** true when the caller is the service role (the JWT PostgREST verified says so). */
create or replace function public.omvee_is_service() returns boolean
language sql stable security invoker
set search_path = ''
as $$
  select coalesce((select auth.role()) = 'service_role', false);
$$;

/** true when the caller may act on this job at all: the service role, or the project's owner. */
create or replace function public.omvee_may_queue(p_project_id uuid) returns boolean
language sql stable security invoker
set search_path = ''
as $$
  select public.omvee_is_service()
      or (p_project_id is not null and (select auth.uid()) is not null and public.omvee_owns_project(p_project_id));
$$;

/** true when the caller holds this attempt's lease rights: the service role, or the user who claimed it. */
create or replace function public.omvee_may_hold(p_job_id uuid, p_attempt integer) returns boolean
language sql stable security invoker
set search_path = ''
as $$
  select public.omvee_is_service()
      or exists (
        select 1 from public.omvee_job_claims c
        where c.job_id = p_job_id and c.attempt = p_attempt
          and c.claimed_by is not null and c.claimed_by = (select auth.uid()));
$$;

-- ---------------------------------------------------------------------------------------------
-- what a signed-in user's own writes may do

create or replace function public.omvee_jobs_user_guard() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- the queue functions run as the table owner, not as authenticated: they are not limited here
  if current_user <> 'authenticated' then
    return new;
  end if;
  if tg_op = 'INSERT' then
    if new.max_attempts > 10 then
      raise exception 'max_attempts may be at most 10 (got %)', new.max_attempts using errcode = '23514';
    end if;
    -- defaults, restated: whatever a future grant might allow, a user's job starts fresh
    new.status := 'pending';
    new.attempts := 0;
    new.progress := 0;
    new.result := null;
    new.cost_usd := null;
    new.locked_by := null;
    new.locked_at := null;
    new.heartbeat_at := null;
    new.lease_expires_at := null;
    new.started_at := null;
    new.finished_at := null;
    new.created_at := clock_timestamp();
    new.run_after := greatest(coalesce(new.run_after, clock_timestamp()), clock_timestamp());
  elsif new.run_after is distinct from old.run_after then
    new.run_after := greatest(coalesce(new.run_after, clock_timestamp()), clock_timestamp());
  end if;
  return new;
end;
$$;
revoke execute on function public.omvee_jobs_user_guard() from public, anon, authenticated;

create trigger jobs_user_guard before insert or update on public.jobs
  for each row execute function public.omvee_jobs_user_guard();

-- ---------------------------------------------------------------------------------------------
-- the queue functions, now SECURITY DEFINER with the checks row level security used to make

create or replace function public.claim_job(
  p_worker_id text,
  p_types text[] default null,
  p_project_id uuid default null,
  p_job_id uuid default null,
  p_lease_seconds integer default 300
) returns setof public.jobs
language plpgsql volatile security definer
set search_path = ''
as $$
declare claimed public.jobs;
begin
  with candidate as (
    select j.id from public.jobs j
    where j.status = 'pending'
      and j.run_after <= clock_timestamp()
      and (p_types is null or j.type = any (p_types))
      and (p_project_id is null or j.project_id = p_project_id)
      and (p_job_id is null or j.id = p_job_id)
      and public.omvee_may_queue(j.project_id)
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
  returning j.* into claimed;
  if claimed.id is null then
    return;
  end if;
  insert into public.omvee_job_claims as c (job_id, attempt, claimed_by)
  values (claimed.id, claimed.attempts, case when public.omvee_is_service() then null else (select auth.uid()) end)
  on conflict (job_id) do update
     set attempt = excluded.attempt, claimed_by = excluded.claimed_by, claimed_at = clock_timestamp();
  return next claimed;
end;
$$;

create or replace function public.heartbeat_job(
  p_job_id uuid, p_worker_id text, p_attempt integer, p_progress integer default null,
  p_lease_seconds integer default null
) returns boolean
language plpgsql volatile security definer
set search_path = ''
as $$
begin
  update public.jobs
     set heartbeat_at = clock_timestamp(),
         lease_expires_at = public.omvee_renewed_lease(p_lease_seconds, heartbeat_at, lease_expires_at),
         progress = coalesce(p_progress, progress)
   where id = p_job_id and status = 'running' and locked_by = p_worker_id and attempts = p_attempt
     and public.omvee_may_queue(project_id) and public.omvee_may_hold(id, attempts);
  return found;
end;
$$;

create or replace function public.update_job_progress(
  p_job_id uuid, p_worker_id text, p_attempt integer, p_progress integer, p_result jsonb default null,
  p_lease_seconds integer default null
) returns boolean
language plpgsql volatile security definer
set search_path = ''
as $$
begin
  update public.jobs
     set progress = p_progress,
         result = case when p_result is null then result else coalesce(result, '{}'::jsonb) || p_result end,
         heartbeat_at = clock_timestamp(),
         lease_expires_at = public.omvee_renewed_lease(p_lease_seconds, heartbeat_at, lease_expires_at)
   where id = p_job_id and status = 'running' and locked_by = p_worker_id and attempts = p_attempt
     and public.omvee_may_queue(project_id) and public.omvee_may_hold(id, attempts);
  return found;
end;
$$;

create or replace function public.complete_job(
  p_job_id uuid, p_worker_id text, p_attempt integer, p_result jsonb, p_cost_usd double precision default null
) returns setof public.jobs
language sql volatile security definer
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
     and public.omvee_may_queue(project_id) and public.omvee_may_hold(id, attempts)
  returning *;
$$;

create or replace function public.fail_job(
  p_job_id uuid, p_worker_id text, p_attempt integer, p_error text,
  p_retry boolean default true, p_backoff_seconds double precision default 0
) returns setof public.jobs
language sql volatile security definer
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
     and public.omvee_may_queue(project_id) and public.omvee_may_hold(id, attempts)
  returning *;
$$;

create or replace function public.release_job(p_job_id uuid, p_worker_id text, p_attempt integer) returns boolean
language plpgsql volatile security definer
set search_path = ''
as $$
begin
  update public.jobs
     set status = 'pending',
         attempts = greatest(attempts - 1, 0),
         locked_by = null, locked_at = null, heartbeat_at = null, lease_expires_at = null,
         run_after = clock_timestamp()
   where id = p_job_id and status = 'running' and locked_by = p_worker_id and attempts = p_attempt
     and public.omvee_may_queue(project_id) and public.omvee_may_hold(id, attempts);
  return found;
end;
$$;

create or replace function public.recover_expired_jobs(p_lease_seconds integer default 300) returns integer
language plpgsql volatile security definer
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
      and public.omvee_may_queue(project_id)
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
language sql volatile security definer
set search_path = ''
as $$
  update public.jobs
     set status = 'canceled',
         error = coalesce(p_reason, 'canceled'),
         locked_by = null, locked_at = null, heartbeat_at = null, lease_expires_at = null,
         finished_at = clock_timestamp()
   where id = p_job_id and status in ('pending', 'running')
     and public.omvee_may_queue(project_id)
  returning *;
$$;

-- a retried job goes to the back of the queue (created_at now): an old job cannot be used to
-- jump ahead of jobs queued since
create or replace function public.retry_job(p_job_id uuid, p_reset_attempts boolean default false) returns setof public.jobs
language sql volatile security definer
set search_path = ''
as $$
  update public.jobs
     set status = 'pending',
         attempts = case when p_reset_attempts then 0 else attempts end,
         progress = 0,
         error = null,
         run_after = clock_timestamp(),
         created_at = case when public.omvee_is_service() then created_at else clock_timestamp() end,
         locked_by = null, locked_at = null, heartbeat_at = null, lease_expires_at = null, finished_at = null
   where id = p_job_id and status in ('failed', 'canceled')
     and public.omvee_may_queue(project_id)
  returning *;
$$;

-- execute rights: the queue functions as before (authenticated, service_role); the helpers only
-- where the definer functions call them (they run as the owner) and for service_role
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
    'retry_job(uuid, boolean)'
  ] loop
    execute format('revoke execute on function public.%s from public, anon', f);
    execute format('grant execute on function public.%s to authenticated, service_role', f);
  end loop;
  foreach f in array array['omvee_is_service()', 'omvee_may_queue(uuid)', 'omvee_may_hold(uuid, integer)'] loop
    execute format('revoke execute on function public.%s from public, anon, authenticated', f);
    execute format('grant execute on function public.%s to service_role', f);
  end loop;
end;
$$;
