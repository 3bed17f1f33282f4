ALTER TABLE consents
    DROP CONSTRAINT IF EXISTS consents_purpose_stated,
    DROP CONSTRAINT IF EXISTS consents_expire_after_given;
