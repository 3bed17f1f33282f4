-- Foundation: reference data, units, roles, users, sessions, citizens, benefit periods, audit.
-- Law-dependent vocabularies (benefit types, visitation categories, exit reasons …) live in
-- ref_values with validity dates, so a law change is an UPDATE/INSERT by an administrator,
-- never a migration or a release.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE ref_kinds (
    kind        text PRIMARY KEY,
    label       text NOT NULL,
    description text NOT NULL DEFAULT ''
);

CREATE TABLE ref_values (
    kind        text NOT NULL REFERENCES ref_kinds (kind),
    code        text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,40}$'),
    label       text NOT NULL CHECK (label <> ''),
    description text NOT NULL DEFAULT '',
    sort_order  int  NOT NULL DEFAULT 0,
    valid_from  date NOT NULL DEFAULT DATE '1900-01-01',
    valid_to    date, -- inclusive; NULL = still in force
    PRIMARY KEY (kind, code),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

CREATE TABLE roles (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z_]{1,40}$'),
    label       text NOT NULL,
    description text NOT NULL DEFAULT '',
    sort_order  int  NOT NULL DEFAULT 0
);

CREATE TABLE units (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (name <> ''),
    kind       text NOT NULL, -- ref_values kind 'unit_kind'
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username             text NOT NULL CHECK (username ~ '^[a-z0-9._-]{2,60}$'),
    name                 text NOT NULL CHECK (name <> ''),
    email                text NOT NULL DEFAULT '',
    unit_id              bigint NOT NULL REFERENCES units (id),
    role                 text NOT NULL REFERENCES roles (code),
    password_hash        text NOT NULL,
    disabled_at          timestamptz,
    -- Sessions started before this instant are void: disabling a user or resetting a password
    -- moves it forward, which ends every session of theirs on the very next request.
    sessions_valid_after timestamptz NOT NULL DEFAULT now(),
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_idx ON users (username);
CREATE INDEX users_unit_idx ON users (unit_id, name);

-- scs/pgxstore's table.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Failed logins counted in the database so throttling holds across app instances.
CREATE TABLE login_failures (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username text NOT NULL,
    ip       text NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_username_idx ON login_failures (username, at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);

CREATE TABLE citizens (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cpr             text NOT NULL CHECK (cpr ~ '^[0-9]{10}$'),
    first_name      text NOT NULL CHECK (first_name <> ''),
    last_name       text NOT NULL CHECK (last_name <> ''),
    address         text NOT NULL DEFAULT '',
    postal_code     text NOT NULL DEFAULT '',
    city            text NOT NULL DEFAULT '',
    phone           text NOT NULL DEFAULT '',
    email           text NOT NULL DEFAULT '',
    unit_id         bigint NOT NULL REFERENCES units (id),
    caseworker_id   bigint REFERENCES users (id),
    visitation_code text, -- ref_values kind 'visitation_category'
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         int NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX citizens_cpr_idx ON citizens (cpr);
CREATE INDEX citizens_caseworker_idx ON citizens (caseworker_id, last_name, first_name, id);
CREATE INDEX citizens_unit_idx ON citizens (unit_id, last_name, first_name, id);
CREATE INDEX citizens_name_trgm_idx ON citizens
    USING gin ((lower(first_name || ' ' || last_name)) gin_trgm_ops);

CREATE TABLE benefit_periods (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id   bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    benefit_code text NOT NULL, -- ref_values kind 'benefit_type'
    start_date   date NOT NULL,
    end_date     date,
    exit_code    text, -- ref_values kind 'exit_reason'
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (end_date IS NULL OR end_date >= start_date),
    CHECK (exit_code IS NULL OR end_date IS NOT NULL)
);
CREATE INDEX benefit_periods_citizen_idx ON benefit_periods (citizen_id, start_date DESC);

-- The audit log: who did what to which citizen, when, in which request. Append-only: a trigger
-- refuses UPDATE, TRUNCATE and DELETE, except the retention purge (audit_purge) which may only
-- remove rows older than 30 days.
CREATE TABLE audit_events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    user_id    bigint, -- no FK: the log outlives what it describes
    citizen_id bigint,
    action     text NOT NULL,
    detail     text NOT NULL DEFAULT '',
    request_id text NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at_idx ON audit_events (at);
CREATE INDEX audit_events_citizen_idx ON audit_events (citizen_id, at) WHERE citizen_id IS NOT NULL;
CREATE INDEX audit_events_user_idx ON audit_events (user_id, at);

CREATE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('helhed.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '30 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_guard();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_guard();

-- audit_purge deletes audit rows older than cutoff; the retention job calls it. The 30-day
-- floor in the guard means no caller can use it to erase recent history.
CREATE FUNCTION audit_purge(cutoff timestamptz) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    PERFORM set_config('helhed.audit_purge', 'on', true);
    DELETE FROM audit_events WHERE at < cutoff;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('helhed.audit_purge', 'off', true);
    RETURN n;
END $$;
