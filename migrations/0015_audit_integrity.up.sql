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

-- 2. A hash chain over the audit rows, so a change made past the privileges (by a superuser,
--    with the triggers off) is found by `helhed audit verify` (internal/store/auditchain.go).
--    citizen_ids: the citizens a list view showed (one row per list, not one per citizen), so
--    "who looked at citizen X" finds lists too.
ALTER TABLE audit_events
    ADD COLUMN citizen_ids bigint[],
    ADD COLUMN seq bigint,
    ADD COLUMN prev_hash bytea,
    ADD COLUMN hash bytea,
    ADD CONSTRAINT audit_events_citizen_ids_chk CHECK (citizen_ids IS NULL OR
        (cardinality(citizen_ids) > 0 AND array_ndims(citizen_ids) = 1 AND array_position(citizen_ids, NULL) IS NULL));
CREATE INDEX audit_events_citizen_ids_idx ON audit_events USING gin (citizen_ids) WHERE citizen_ids IS NOT NULL;

-- The chain's anchor: the position and hash of the last row the retention purge removed
-- (position 0 and 32 zero bytes before any purge). The runtime role may read it.
CREATE TABLE audit_chain (
    one         boolean PRIMARY KEY DEFAULT true CHECK (one),
    anchor_seq  bigint NOT NULL DEFAULT 0,
    anchor_hash bytea NOT NULL DEFAULT decode(repeat('00', 32), 'hex')
);
INSERT INTO audit_chain DEFAULT VALUES;
REVOKE ALL ON audit_chain FROM helhed_app;
GRANT SELECT ON audit_chain TO helhed_app;

-- audit_event_hash is SHA-256 over the previous row's hash, the row's position and its
-- content, each field in a fixed binary form: integers as int8send (8 bytes, big-endian), the
-- time as microseconds since 1970, a 0/1 byte before a nullable value, a 4-byte length before
-- text; citizen_ids as its text "1,2,3" (one dimension, no NULLs: the check above). It is a
-- single expression, so PostgreSQL inlines it into the trigger. store.chainHash computes the
-- same in Go; keep the two alike.
CREATE FUNCTION audit_event_hash(prev bytea, pos bigint, e audit_events) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT sha256(
        prev
        || int8send(pos)
        || int8send((extract(epoch FROM e.at) * 1000000)::bigint)
        || CASE WHEN e.user_id IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || int8send(e.user_id) END
        || CASE WHEN e.citizen_id IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || int8send(e.citizen_id) END
        || CASE WHEN e.citizen_ids IS NULL THEN '\x00'::bytea
                ELSE '\x01'::bytea || int4send(octet_length(array_to_string(e.citizen_ids, ',')))
                     || convert_to(array_to_string(e.citizen_ids, ','), 'UTF8') END
        || int4send(octet_length(e.action)) || convert_to(e.action, 'UTF8')
        || int4send(octet_length(e.detail)) || convert_to(e.detail, 'UTF8')
        || int4send(octet_length(e.request_id)) || convert_to(e.request_id, 'UTF8'))
$$;

-- Rows written before this migration join the chain in the order of their ids.
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
DO $$
DECLARE
    r record;
    prev bytea := (SELECT anchor_hash FROM audit_chain);
    pos bigint := 0;
BEGIN
    FOR r IN SELECT id FROM audit_events ORDER BY id LOOP
        pos := pos + 1;
        UPDATE audit_events e SET seq = pos, prev_hash = prev, hash = audit_event_hash(prev, pos, e)
        WHERE e.id = r.id RETURNING e.hash INTO prev;
    END LOOP;
END $$;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;
ALTER TABLE audit_events
    ALTER COLUMN seq SET NOT NULL,
    ALTER COLUMN prev_hash SET NOT NULL,
    ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX audit_events_seq_idx ON audit_events (seq);

-- The chain's lock (advisory, held to the end of the inserting transaction): one writer at a
-- time appends, so every row follows the row committed before it. Its key is "helhed" and
-- this migration's number; the purge serialises on the next one.
--
-- Under REPEATABLE READ the transaction's snapshot may predate the newest row, so the head
-- read after the lock could be stale; such transactions may not write audit rows (the unique
-- index on seq would refuse a fork anyway).
--
-- Names are schema-qualified instead of a SET search_path clause, which would cost every
-- insert a change of settings (a temporary table cannot shadow public.audit_events).
CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head_seq  bigint;
    head_hash bytea;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'audit rows are written in READ COMMITTED transactions (isolation is %)',
            current_setting('transaction_isolation') USING ERRCODE = 'feature_not_supported';
    END IF;
    PERFORM pg_advisory_xact_lock(7522537948225732629); -- 0x68656c6865640015
    SELECT e.seq, e.hash INTO head_seq, head_hash FROM public.audit_events e ORDER BY e.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        SELECT c.anchor_seq, c.anchor_hash INTO head_seq, head_hash FROM public.audit_chain c;
    END IF;
    NEW.seq := head_seq + 1;
    NEW.prev_hash := head_hash;
    NEW.hash := public.audit_event_hash(head_hash, NEW.seq, NEW);
    RETURN NEW;
END $$;
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_chain();

-- The purge removes the oldest part of the chain (never a row after one it keeps) and moves
-- the anchor to the last row it removed. It still refuses rows younger than 30 days, and
-- instances purging at once take turns.
CREATE OR REPLACE FUNCTION audit_purge(cutoff timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    n         bigint;
    keep_from bigint;
    last_seq  bigint;
    last_hash bytea;
BEGIN
    IF cutoff > now() - interval '30 days' THEN
        RAISE EXCEPTION 'audit_purge: audit rows younger than 30 days are kept (cutoff %)', cutoff
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM pg_advisory_xact_lock(7522537948225732630); -- 0x68656c6865640016
    SELECT seq INTO keep_from FROM audit_events WHERE at >= cutoff ORDER BY seq LIMIT 1;
    SELECT seq, hash INTO last_seq, last_hash FROM audit_events
    WHERE keep_from IS NULL OR seq < keep_from ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    PERFORM set_config('helhed.audit_purge', 'on', true);
    DELETE FROM audit_events WHERE seq <= last_seq;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('helhed.audit_purge', 'off', true);
    UPDATE audit_chain SET anchor_seq = last_seq, anchor_hash = last_hash WHERE anchor_seq < last_seq;
    RETURN n;
END $$;

-- 3. A shorter retention period waits (docs/operations.md): store.SetCaseRetentionYears dates
--    it no earlier than this many days from today, after the administrator has seen what it
--    will delete, and the deletion job holds back a shorter value until this long after it
--    was written, however it was written. A dated setting like the period itself.
INSERT INTO settings (key, valid_from, value, note) VALUES
    ('retention_grace_days', '1900-01-01', '30',
     'En kortere opbevaringsperiode sletter tidligst 30 dage efter, at den er fastsat');
