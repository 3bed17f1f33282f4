DROP TABLE sso_group_mappings;
DROP INDEX users_sso_idx;
ALTER TABLE users DROP CONSTRAINT users_sso_pair, DROP COLUMN sso_subject, DROP COLUMN sso_issuer;
