-- A PostgreSQL 15 shaped like a Supabase project's database, for the migration tests: the roles
-- and schemas Supabase creates before any project migration (after supabase/postgres's
-- init-scripts: supabase_admin is the superuser; `postgres` — the role `supabase db push` and the
-- SQL editor use — is NOT a superuser; the storage schema and its tables belong to
-- supabase_storage_admin; default privileges give anon/authenticated/service_role every new table
-- in public). Without supautils, `postgres` may not create policies on storage.objects — the
-- situation of supabase/supabase#41126 and of self-hosted stacks. Run as supabase_admin.

create role postgres login createrole createdb bypassrls password 'postgres';
create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
create role authenticator login noinherit;
grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role to postgres;
create role supabase_storage_admin login noinherit createrole;
create role supabase_auth_admin login noinherit createrole;

-- (cluster-wide: once per server; database.sql then shapes each database)
