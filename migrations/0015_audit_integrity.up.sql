-- Security review: the audit log is protected by the database itself, not only by the
-- application's code.
--
-- 1. A runtime role. The application works as helhed_app (store.OpenPool sets it on every
--    connection): ordinary rights on the case tables, but only INSERT and SELECT on
--    audit_events. Migrations, seeding and backups run as the tables' owner. A superuser
--    bypasses privileges, which is why the application must not work as one.

-- Roles are cluster-wide: a cluster with several Helhed databases (the tests make one per
-- test) creates it once. Two databases migrating at once may both see it missing; the loser
-- of that race is fine too. An operator whose migrating role may not create roles creates
-- helhed_app beforehand (docs/operations.md).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'helhed_app') THEN
        CREATE ROLE helhed_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END $$;

-- A non-superuser owner that also serves the application (DATABASE_URL without a separate
-- MIGRATE_DATABASE_URL) must be allowed to SET ROLE helhed_app. Where the owner may not grant
-- it, the operator does (docs/operations.md); the migration does not fail for that.
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'helhed_app', 'MEMBER') THEN
        EXECUTE format('GRANT helhed_app TO %I', current_user);
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'grant helhed_app to % by hand: %', current_user, SQLERRM;
END $$;

GRANT USAGE ON SCHEMA public TO helhed_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO helhed_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO helhed_app;
-- Tables and sequences later migrations create get the same rights.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO helhed_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO helhed_app;
-- The audit log: append and read, nothing else.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM helhed_app;
-- golang-migrate's bookkeeping is the owner's.
REVOKE ALL ON schema_migrations FROM helhed_app;

-- audit_purge is the one way to delete audit rows: it runs with its owner's rights (SECURITY
-- DEFINER), with a search_path nobody else can write to, and still refuses rows younger than
-- 30 days (the guard trigger).
ALTER FUNCTION audit_purge(timestamptz) SECURITY DEFINER SET search_path = public, pg_temp;
REVOKE EXECUTE ON FUNCTION audit_purge(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_purge(timestamptz) TO helhed_app;

-- Only a materialised view's owner may refresh it (PostgreSQL 15 has no MAINTAIN privilege),
-- so the management figures are refreshed through this function, which refreshes nothing but
-- the management views.
CREATE FUNCTION management_refresh(view_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF view_name NOT LIKE 'management\_%' OR NOT EXISTS (
        SELECT 1 FROM pg_matviews WHERE schemaname = 'public' AND matviewname = view_name) THEN
        RAISE EXCEPTION 'management_refresh: % is not a management view', view_name
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY public.%I', view_name);
END $$;
REVOKE EXECUTE ON FUNCTION management_refresh(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION management_refresh(text) TO helhed_app;
