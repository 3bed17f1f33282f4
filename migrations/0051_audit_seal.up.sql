-- The audit hash chain is built after the fact instead of on insert. Migration 0015's insert
-- trigger took the chain's advisory lock and held it to the end of every audited transaction,
-- across its commit and the commit's WAL flush, so every audited transaction of the system
-- committed one at a time. Now an audit row is inserted unsealed (seq, prev_hash and hash
-- NULL) without any lock, and audit_seal, run by the server every second, appends the
-- committed unsealed rows to the chain in id order with the same hash (audit_event_hash), so
-- `helhed audit verify` and store.chainHash are unchanged.

-- Inserted rows are unsealed: whatever the inserter wrote into the chain's columns is
-- discarded (the application cannot place a row in the chain itself). No lock, no read, no
-- hash, and any isolation level.
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.seq := NULL;
    NEW.prev_hash := NULL;
    NEW.hash := NULL;
    RETURN NEW;
END $$;

ALTER TABLE audit_events
    ALTER COLUMN seq DROP NOT NULL,
    ALTER COLUMN prev_hash DROP NOT NULL,
    ALTER COLUMN hash DROP NOT NULL,
    -- Sealed means all three; a half-sealed row cannot exist.
    ADD CONSTRAINT audit_events_sealed_chk CHECK (
        (seq IS NULL AND prev_hash IS NULL AND hash IS NULL)
        OR (seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL));
-- The rows waiting for audit_seal: a handful at any time, found without reading the chain.
CREATE INDEX audit_events_unsealed_idx ON audit_events (id) WHERE seq IS NULL;

-- The guard (migration 0001) refuses every UPDATE, DELETE and TRUNCATE, with two exceptions,
-- each allowed only while its function has set its transaction-local flag:
--   audit_purge deletes sealed rows older than 30 days;
--   audit_seal fills in seq, prev_hash and hash of an unsealed row, changing nothing else.
-- Setting a flag by hand gives nothing the role could not do anyway: the runtime role has
-- no UPDATE or DELETE privilege on audit_events, and the owner could drop the trigger.
CREATE OR REPLACE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('helhed.audit_purge', true) = 'on'
           AND OLD.seq IS NOT NULL
           AND OLD.at < now() - interval '30 days' THEN
            RETURN OLD;
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF current_setting('helhed.audit_seal', true) = 'on'
           AND OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
           AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
           AND to_jsonb(NEW) - '{seq,prev_hash,hash}'::text[] = to_jsonb(OLD) - '{seq,prev_hash,hash}'::text[] THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

-- audit_seal appends up to max_rows committed unsealed rows to the chain, in id order, and
-- returns how many. It takes the chain's lock (the key of migration 0015) to the end of its
-- own short transaction, so sealers take turns and each continues from the head the one
-- before it committed. It reads in READ COMMITTED: each statement sees what committed before
-- it, so the head read after the lock is the newest. The owner's rights (SECURITY DEFINER)
-- let it update the rows, which the runtime role may not.
CREATE FUNCTION audit_seal(max_rows int) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    head_seq  bigint;
    head_hash bytea;
    r         record;
    n         bigint := 0;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'audit_seal runs in READ COMMITTED transactions (isolation is %)',
            current_setting('transaction_isolation') USING ERRCODE = 'feature_not_supported';
    END IF;
    IF max_rows IS NULL OR max_rows < 1 THEN
        RAISE EXCEPTION 'audit_seal: max_rows must be positive, not %', max_rows
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(7522537948225732629); -- 0x68656c6865640015
    -- One statement, one snapshot: the newest sealed row, or the anchor when the purge has
    -- removed every sealed row (it moves the anchor in the same transaction).
    SELECT h.seq, h.hash INTO head_seq, head_hash FROM (
        (SELECT e.seq, e.hash FROM audit_events e WHERE e.seq IS NOT NULL ORDER BY e.seq DESC LIMIT 1)
        UNION ALL SELECT c.anchor_seq, c.anchor_hash FROM audit_chain c) h
    ORDER BY h.seq DESC LIMIT 1;
    PERFORM set_config('helhed.audit_seal', 'on', true);
    FOR r IN SELECT e.id FROM audit_events e WHERE e.seq IS NULL ORDER BY e.id LIMIT max_rows FOR UPDATE LOOP
        head_seq := head_seq + 1;
        UPDATE audit_events e SET seq = head_seq, prev_hash = head_hash, hash = audit_event_hash(head_hash, head_seq, e)
        WHERE e.id = r.id RETURNING e.hash INTO head_hash;
        n := n + 1;
    END LOOP;
    PERFORM set_config('helhed.audit_seal', 'off', true);
    RETURN n;
END $$;
REVOKE EXECUTE ON FUNCTION audit_seal(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_seal(int) TO helhed_app;

-- The purge removes the oldest part of the chain: sealed rows only (an unsealed row is not in
-- the chain yet, and the guard refuses to delete it), never a row after one it keeps.
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
    SELECT seq INTO keep_from FROM audit_events WHERE at >= cutoff AND seq IS NOT NULL ORDER BY seq LIMIT 1;
    SELECT seq, hash INTO last_seq, last_hash FROM audit_events
    WHERE seq IS NOT NULL AND (keep_from IS NULL OR seq < keep_from) ORDER BY seq DESC LIMIT 1;
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
