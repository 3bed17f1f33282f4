DROP TABLE self_comments;
DROP TABLE goal_self_ratings;
DROP TABLE who5_self_reports;
ALTER TABLE documents
    DROP CONSTRAINT documents_uploaded_by_citizen_check,
    DROP COLUMN uploaded_by_citizen;
-- Consents the citizen gave have no recording user: they cannot survive the NOT NULL.
DELETE FROM consents WHERE recorded_by IS NULL;
ALTER TABLE consents
    DROP CONSTRAINT consents_withdrawn_by_check,
    DROP CONSTRAINT consents_given_by_check,
    DROP COLUMN withdrawn_by_citizen,
    DROP COLUMN given_by_citizen,
    ALTER COLUMN recorded_by SET NOT NULL;
