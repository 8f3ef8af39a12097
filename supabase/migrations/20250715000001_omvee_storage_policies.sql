-- omvee storage access, part 2 of 2: create the storage policies (see part 1), or stop with what to
-- run instead when this role may not create policies on storage.objects (supabase/supabase#41126).
-- Everything before this file is applied either way.

do $$
begin
  perform public.omvee_create_storage_policies();
exception when insufficient_privilege then
  raise exception 'omvee: the storage policies were not created: role "%" may not create policies on storage.objects here (%)', current_user, sqlerrm
    using errcode = 'insufficient_privilege',
          hint = 'create them as the owner of storage.objects (or a superuser): connect as supabase_admin '
                 '(self-hosted: psql -U supabase_admin) and run  set role supabase_storage_admin; select public.omvee_create_storage_policies();'
                 '  then mark this migration applied: supabase migration repair 20250715000001 --status applied.'
                 ' Until then only SUPABASE_SERVICE_KEY can use Storage; omvee doctor checks it.';
end;
$$;
