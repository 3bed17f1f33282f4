-- Back to sealing on insert (migration 0015): seal what is waiting, then the chain's columns
-- are required again and the insert trigger takes the chain's lock.
SELECT audit_seal(2147483647);

CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
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

DROP FUNCTION audit_seal(int);
DROP INDEX audit_events_unsealed_idx;
ALTER TABLE audit_events
    DROP CONSTRAINT audit_events_sealed_chk,
    ALTER COLUMN seq SET NOT NULL,
    ALTER COLUMN prev_hash SET NOT NULL,
    ALTER COLUMN hash SET NOT NULL;

-- The guard as migration 0001 wrote it.
CREATE OR REPLACE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('helhed.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '30 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

-- audit_purge as migration 0015 wrote it.
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
