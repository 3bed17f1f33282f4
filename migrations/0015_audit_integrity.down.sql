-- The grace period of a shorter retention period.
DELETE FROM settings WHERE key = 'retention_grace_days';

-- The hash chain.
DROP TRIGGER IF EXISTS audit_events_chain ON audit_events;
DROP FUNCTION IF EXISTS audit_events_chain();
DROP FUNCTION IF EXISTS audit_event_hash(bytea, bigint, audit_events);
DROP TABLE IF EXISTS audit_chain;
DROP INDEX IF EXISTS audit_events_seq_idx;
DROP INDEX IF EXISTS audit_events_citizen_ids_idx;
ALTER TABLE audit_events
    DROP CONSTRAINT IF EXISTS audit_events_citizen_ids_chk,
    DROP COLUMN IF EXISTS citizen_ids,
    DROP COLUMN IF EXISTS seq,
    DROP COLUMN IF EXISTS prev_hash,
    DROP COLUMN IF EXISTS hash;

-- audit_purge as migration 0001 wrote it.
CREATE OR REPLACE FUNCTION audit_purge(cutoff timestamptz) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    PERFORM set_config('helhed.audit_purge', 'on', true);
    DELETE FROM audit_events WHERE at < cutoff;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('helhed.audit_purge', 'off', true);
    RETURN n;
END $$;
ALTER FUNCTION audit_purge(timestamptz) SECURITY INVOKER RESET search_path;
GRANT EXECUTE ON FUNCTION audit_purge(timestamptz) TO PUBLIC;

-- The runtime role.
DROP FUNCTION IF EXISTS management_refresh(text);
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
