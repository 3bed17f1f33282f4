-- The citizen area's one-time form tokens: as form_submissions (0016), a form that creates
-- something is stored once however often it is posted (a double click on "Send mine svar"
-- must not store a WHO-5 twice). The citizen is no user, so the claims are keyed by the
-- citizen realm's session: session is the SHA-256 (hex) of its session token, never the token
-- itself, so a row names no citizen and a token means nothing in another session. Rows older
-- than a day are pruned with form_submissions by the hourly retention job.
CREATE TABLE self_form_submissions (
    session    text NOT NULL CHECK (session ~ '^[0-9a-f]{64}$'),
    token      text NOT NULL CHECK (token ~ '^[A-Za-z0-9_-]{16,64}$'),
    result_url text CHECK (result_url ~ '^/mit(/|$|\?|#)'),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session, token)
);
CREATE INDEX self_form_submissions_created_idx ON self_form_submissions (created_at);
