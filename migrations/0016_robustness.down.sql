DROP TABLE IF EXISTS form_submissions;

ALTER TABLE consents
    DROP CONSTRAINT IF EXISTS consents_purpose_stated,
    DROP CONSTRAINT IF EXISTS consents_expire_after_given;
