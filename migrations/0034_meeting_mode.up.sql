-- Meeting mode on the shared screen (issue 16).
--
-- meetings: when the case now in focus came on the screen (the board's timer counts from it
-- against the agenda's slot) and the chair's "teamet drøfter" state, which hides the case's
-- content on the shared screen while the team deliberates. Neither is data about a citizen:
-- the meeting is not a citizen table (see 0006 on focus_case_id).
ALTER TABLE meetings
    ADD COLUMN focus_started_at timestamptz,
    ADD COLUMN deliberating boolean NOT NULL DEFAULT false;

-- meeting_cases: who was there while the team handled the case (the citizen, a bisidder,
-- the members: user ids of the room, a set recorded whole by the chair or minute-taker), and
-- the citizen's own comments to the indstilling. NULL attendance is "not recorded"; the
-- recorded_* pairs say who wrote them and when, kept in step by CHECKs.
ALTER TABLE meeting_cases
    ADD COLUMN citizen_attended boolean,
    ADD COLUMN bisidder_attended boolean,
    ADD COLUMN members_present bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN attendance_recorded_at timestamptz,
    ADD COLUMN attendance_recorded_by bigint REFERENCES users (id),
    ADD COLUMN citizen_comments text NOT NULL DEFAULT '' CHECK (char_length(citizen_comments) <= 4000),
    ADD COLUMN comments_recorded_at timestamptz,
    ADD COLUMN comments_recorded_by bigint REFERENCES users (id),
    ADD CONSTRAINT meeting_cases_attendance_check CHECK (
        (attendance_recorded_at IS NULL) = (attendance_recorded_by IS NULL)
        AND (attendance_recorded_at IS NULL) = (citizen_attended IS NULL)
        AND (citizen_attended IS NULL) = (bisidder_attended IS NULL)),
    ADD CONSTRAINT meeting_cases_comments_check CHECK (
        (comments_recorded_at IS NULL) = (comments_recorded_by IS NULL));
CREATE INDEX meeting_cases_attendance_by_idx ON meeting_cases (attendance_recorded_by) WHERE attendance_recorded_by IS NOT NULL;
CREATE INDEX meeting_cases_comments_by_idx ON meeting_cases (comments_recorded_by) WHERE comments_recorded_by IS NOT NULL;
