-- SAML single sign-on: the IDs of the assertions accepted, so that each is accepted once on
-- every instance (a captured assertion replayed is refused), kept until the assertion
-- expires. Not citizen data.
CREATE TABLE saml_assertions (
    id         text PRIMARY KEY CHECK (id <> '' AND length(id) <= 300),
    expires_at timestamptz NOT NULL
);
CREATE INDEX saml_assertions_expires_idx ON saml_assertions (expires_at);

-- A second factor for local accounts (the break-glass administrator, the demo): a TOTP
-- secret, sealed with AES-GCM under the operator's TOTP_KEY ("v1:…"; "v0:…" only without a
-- key, in development), when it was confirmed, and the step of the last code accepted, so
-- each code works once. Staff identity, not citizen data.
ALTER TABLE users
    ADD COLUMN totp_secret     text CHECK (length(totp_secret) <= 200),
    ADD COLUMN totp_enabled_at timestamptz,
    ADD COLUMN totp_last_step  bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT users_totp_pair CHECK ((totp_secret IS NULL) = (totp_enabled_at IS NULL));
