-- The calendar feed (issue 17): a user's samtaler as an iCalendar (.ics) feed that Outlook
-- subscribes to, behind a token in the URL, because a calendar client cannot log in. Only the
-- token's SHA-256 is stored, so the table (or a backup of it) does not open anyone's feed; the
-- user sees the token once, when it is made. A user has at most one feed in force: making a
-- new one revokes the old, and the user can revoke it on the account page. Creating and
-- revoking are audited, and so is every read (the case references it showed).
--
-- The feed holds times, place, the form and a case reference, never a name, a CPR number or
-- the reason of a cancellation (store.FeedSamtaler does not read them). Not citizen data: the
-- rows are the user's.
CREATE TABLE calendar_feeds (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id),
    token_hash   bytea NOT NULL CHECK (length(token_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    last_used_at timestamptz,
    CONSTRAINT calendar_feeds_token_key UNIQUE (token_hash)
);
-- The user's feeds (the foreign key's index), and at most one in force per user.
CREATE INDEX calendar_feeds_user_idx ON calendar_feeds (user_id);
CREATE UNIQUE INDEX calendar_feeds_one_active ON calendar_feeds (user_id) WHERE revoked_at IS NULL;
