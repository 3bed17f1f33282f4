-- SAML single sign-on: the IDs of the assertions accepted, so that each is accepted once on
-- every instance (a captured assertion replayed is refused), kept until the assertion
-- expires. Not citizen data.
CREATE TABLE saml_assertions (
    id         text PRIMARY KEY CHECK (id <> '' AND length(id) <= 300),
    expires_at timestamptz NOT NULL
);
CREATE INDEX saml_assertions_expires_idx ON saml_assertions (expires_at);
