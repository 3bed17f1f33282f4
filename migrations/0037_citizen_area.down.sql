DROP TABLE self_comments;
DROP TABLE goal_self_ratings;
DROP TABLE who5_self_reports;
ALTER TABLE documents
    DROP CONSTRAINT documents_uploaded_by_citizen_check,
    DROP COLUMN uploaded_by_citizen;
-- A consent the citizen gave has no recording user. It stays: a consent is the record of
-- what health data may be shared, and a rollback must not lose it. So recorded_by stays
-- nullable (the audit log says who gave it: the citizen).
ALTER TABLE consents
    DROP CONSTRAINT consents_withdrawn_by_check,
    DROP CONSTRAINT consents_given_by_check,
    DROP COLUMN withdrawn_by_citizen,
    DROP COLUMN given_by_citizen;
