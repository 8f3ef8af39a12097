-- omvee storage access, part 1 of 2: the storage policies as a function (nothing is created yet).
--
-- Creating policies on storage.objects / storage.buckets needs their owner (supabase_storage_admin)
-- or, on hosted Supabase, supautils' policy_grants, which let `postgres` do it. Self-hosted stacks
-- and some projects have neither (supabase/supabase#41126: "must be owner of table objects"). So the
-- policies live in public.omvee_create_storage_policies(), which part 2 calls and which the owner of
-- storage.objects can call by hand when part 2 says so. It creates only the policies that are
-- missing, so running it again (or on a project whose first migration already made them) is safe.
--
-- Policies:
--   omvee_objects_select/insert/update/delete: a signed-in user touches objects of the bucket
--     project-files only under projects/{id}/ or artists/{id}/ of rows they own;
--   omvee_bucket_read: a signed-in user may read the bucket's own row (GET /storage/v1/bucket/
--     project-files: `omvee doctor`, and the upload size limit, file_size_limit).

create or replace function public.omvee_create_storage_policies() returns text[]
language plpgsql
security invoker
set search_path = ''
as $$
declare
  created text[] := '{}';
begin
  if not exists (select 1 from pg_catalog.pg_policies where schemaname = 'storage' and tablename = 'objects' and policyname = 'omvee_objects_select') then
    create policy omvee_objects_select on storage.objects for select to authenticated
      using (bucket_id = 'project-files' and public.omvee_owns_object(name));
    created := created || 'omvee_objects_select'::text;
  end if;
  if not exists (select 1 from pg_catalog.pg_policies where schemaname = 'storage' and tablename = 'objects' and policyname = 'omvee_objects_insert') then
    create policy omvee_objects_insert on storage.objects for insert to authenticated
      with check (bucket_id = 'project-files' and public.omvee_owns_object(name));
    created := created || 'omvee_objects_insert'::text;
  end if;
  if not exists (select 1 from pg_catalog.pg_policies where schemaname = 'storage' and tablename = 'objects' and policyname = 'omvee_objects_update') then
    create policy omvee_objects_update on storage.objects for update to authenticated
      using (bucket_id = 'project-files' and public.omvee_owns_object(name))
      with check (bucket_id = 'project-files' and public.omvee_owns_object(name));
    created := created || 'omvee_objects_update'::text;
  end if;
  if not exists (select 1 from pg_catalog.pg_policies where schemaname = 'storage' and tablename = 'objects' and policyname = 'omvee_objects_delete') then
    create policy omvee_objects_delete on storage.objects for delete to authenticated
      using (bucket_id = 'project-files' and public.omvee_owns_object(name));
    created := created || 'omvee_objects_delete'::text;
  end if;
  if not exists (select 1 from pg_catalog.pg_policies where schemaname = 'storage' and tablename = 'buckets' and policyname = 'omvee_bucket_read') then
    create policy omvee_bucket_read on storage.buckets for select to authenticated
      using (id = 'project-files');
    created := created || 'omvee_bucket_read'::text;
  end if;
  return created;
end;
$$;

/** true when every storage policy omvee needs exists (`omvee doctor` asks). */
create or replace function public.omvee_storage_policies_ready() returns boolean
language sql stable
security invoker
set search_path = ''
as $$
  select count(*) = 5 from pg_catalog.pg_policies
  where (schemaname = 'storage' and tablename = 'objects'
         and policyname in ('omvee_objects_select', 'omvee_objects_insert', 'omvee_objects_update', 'omvee_objects_delete'))
     or (schemaname = 'storage' and tablename = 'buckets' and policyname = 'omvee_bucket_read');
$$;

revoke execute on function public.omvee_create_storage_policies() from public, anon, authenticated;
revoke execute on function public.omvee_storage_policies_ready() from public, anon;
grant execute on function public.omvee_storage_policies_ready() to authenticated, service_role;
do $$
begin
  if exists (select 1 from pg_catalog.pg_roles where rolname = 'supabase_storage_admin') then
    grant execute on function public.omvee_create_storage_policies() to supabase_storage_admin;
  end if;
end;
$$;
