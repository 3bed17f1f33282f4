-- Going back to the schema without withdrawal cannot keep withdrawn cases: the old schema
-- has no way to say a row is off the agenda. They are deleted, as the old code did.
DELETE FROM meeting_cases WHERE withdrawn_at IS NOT NULL;
DROP INDEX meeting_cases_withdrawn_by_idx;
DROP INDEX meeting_cases_meeting_idx;
DROP INDEX meeting_cases_meeting_citizen_idx;
CREATE UNIQUE INDEX meeting_cases_meeting_citizen_idx ON meeting_cases (meeting_id, citizen_id);
ALTER TABLE meeting_cases
    DROP CONSTRAINT meeting_cases_withdrawn_check,
    ALTER COLUMN position SET NOT NULL,
    DROP COLUMN withdrawn_by,
    DROP COLUMN withdrawn_at;
