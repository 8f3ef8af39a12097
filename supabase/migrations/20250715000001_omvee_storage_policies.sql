-- omvee storage access, part 2 of 2: create the storage policies (see part 1), or stop with what to
-- run instead when this role may not create policies on storage.objects (supabase/supabase#41126).
-- Everything before this file is applied either way.

do $$
begin
  perform public.omvee_create_storage_policies();
exception when insufficient_privilege then
  -- the Supabase CLI prints the message but not the hint: the message says what to run
  raise exception 'omvee: the storage policies were not created: role "%" may not create policies on storage.objects here (%). '
                  'Create them as the owner of storage.objects: connect as supabase_admin (or in the SQL editor) and run: '
                  'set role supabase_storage_admin; select public.omvee_create_storage_policies(); '
                  '— then run supabase db push again (this file then finds them and passes)', current_user, sqlerrm
    using errcode = 'insufficient_privilege',
          hint = 'until then only SUPABASE_SERVICE_KEY can use Storage; `omvee doctor` checks the policies';
end;
$$;
