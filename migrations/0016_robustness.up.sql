-- Robustness (security review): plausible consents, and one submission per form.

-- A consent states its purpose (not only blanks, at most 500 characters) and, when it
-- expires, expires after the day it was given. The application checks the same and more
-- (helhed.ValidateConsent: dates relative to today); these are the rules that hold whoever
-- writes. NOT VALID: rows recorded before the rule are kept as they are, new rows are checked.
ALTER TABLE consents
    ADD CONSTRAINT consents_purpose_stated
        CHECK (btrim(purpose, E' \t\r\n') <> '' AND char_length(purpose) <= 500) NOT VALID,
    ADD CONSTRAINT consents_expire_after_given
        CHECK (expires_on IS NULL OR expires_on > given_on) NOT VALID;

-- One submission per form. Every form that creates something carries a one-time token
-- (web/components.FormToken). The first POST of a token claims it here; a second POST of the
-- same token (a double click, a resent form) creates nothing and is sent to result_url, where
-- the first went (NULL while the first is still being handled). Keyed by user, so a token
-- means nothing in anyone else's hands. Rows older than a day are pruned by the hourly
-- retention job (store.RunRetention).
CREATE TABLE form_submissions (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token      text NOT NULL CHECK (token ~ '^[A-Za-z0-9_-]{16,64}$'),
    result_url text CHECK (result_url ~ '^/([^/\\]|$)'),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, token)
);
CREATE INDEX form_submissions_created_idx ON form_submissions (created_at);
