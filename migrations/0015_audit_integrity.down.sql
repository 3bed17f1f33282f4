DROP FUNCTION IF EXISTS management_refresh(text);
ALTER FUNCTION audit_purge(timestamptz) SECURITY INVOKER RESET search_path;
GRANT EXECUTE ON FUNCTION audit_purge(timestamptz) TO PUBLIC;

ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM helhed_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM helhed_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM helhed_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM helhed_app;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM helhed_app;
REVOKE USAGE ON SCHEMA public FROM helhed_app;
-- The role itself is cluster-wide: other databases of the cluster may still use it, so it is
-- dropped only when nothing else refers to it.
DO $$
BEGIN
    DROP ROLE IF EXISTS helhed_app;
EXCEPTION WHEN dependent_objects_still_exist OR insufficient_privilege THEN
    NULL;
END $$;
