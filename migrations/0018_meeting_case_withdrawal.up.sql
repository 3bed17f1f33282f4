-- Taking a case off a meeting's agenda no longer deletes it. The forberedende del and the
-- team's indstilling are documents the municipality's afgørelse and a complaint rest on, so
-- the row stays, marked withdrawn from that meeting, until retention deletes the citizen's
-- case. A withdrawn case has no place in the agenda's order (position NULL), and the citizen
-- may be put on the same meeting again as a new case.
ALTER TABLE meeting_cases
    ADD COLUMN withdrawn_at timestamptz,
    ADD COLUMN withdrawn_by bigint REFERENCES users (id),
    ALTER COLUMN position DROP NOT NULL,
    ADD CONSTRAINT meeting_cases_withdrawn_check CHECK (
        (withdrawn_at IS NULL) = (position IS NOT NULL) AND (withdrawn_at IS NULL) = (withdrawn_by IS NULL));

-- A citizen is on a meeting's agenda once at a time.
DROP INDEX meeting_cases_meeting_citizen_idx;
CREATE UNIQUE INDEX meeting_cases_meeting_citizen_idx ON meeting_cases (meeting_id, citizen_id)
    WHERE withdrawn_at IS NULL;
-- The agenda in order (and the meeting's foreign key, which the partial index above no longer
-- covers).
CREATE INDEX meeting_cases_meeting_idx ON meeting_cases (meeting_id, position);
CREATE INDEX meeting_cases_withdrawn_by_idx ON meeting_cases (withdrawn_by) WHERE withdrawn_by IS NOT NULL;
