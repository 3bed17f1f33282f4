-- Staff single sign-on (OpenID Connect): a user provisioned from the municipality's identity
-- provider is matched on (issuer, subject) from then on, never on name or e-mail, and gets
-- its unit and role through a mapping from the provider's groups that an administrator keeps.
-- Staff identity is not citizen data; logins and provisioning are audited.

ALTER TABLE users
    ADD COLUMN sso_issuer  text CHECK (sso_issuer <> '' AND length(sso_issuer) <= 500),
    ADD COLUMN sso_subject text CHECK (sso_subject <> '' AND length(sso_subject) <= 255),
    ADD CONSTRAINT users_sso_pair CHECK ((sso_issuer IS NULL) = (sso_subject IS NULL));
CREATE UNIQUE INDEX users_sso_idx ON users (sso_issuer, sso_subject) WHERE sso_issuer IS NOT NULL;

-- One identity-provider group (as the groups claim names it: an Entra ID object id, an AD
-- group name) gives one unit and one role.
CREATE TABLE sso_group_mappings (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_name text NOT NULL CHECK (group_name <> '' AND length(group_name) <= 200),
    unit_id    bigint NOT NULL REFERENCES units (id),
    role       text NOT NULL REFERENCES roles (code),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sso_group_mappings_group_idx ON sso_group_mappings (group_name);
CREATE INDEX sso_group_mappings_unit_idx ON sso_group_mappings (unit_id);
CREATE INDEX sso_group_mappings_role_idx ON sso_group_mappings (role);
