-- Retention and deletion of closed cases (GDPR art. 17, storage limitation art. 5(1)(e)).
--
-- A case is closed by the case-holding unit with a reason; it is deleted when the retention
-- period, counted from the end of the year of closure, has run out — unless a legal hold
-- (slettestop: a complaint, a lawsuit, an inspection) stops it. Reopening clears the closure.
ALTER TABLE citizens
    ADD COLUMN closed_at         timestamptz,
    ADD COLUMN closed_reason     text NOT NULL DEFAULT '',
    ADD COLUMN closed_by         bigint REFERENCES users (id),
    ADD COLUMN legal_hold_at     timestamptz,
    ADD COLUMN legal_hold_reason text NOT NULL DEFAULT '',
    ADD COLUMN legal_hold_by     bigint REFERENCES users (id),
    ADD CONSTRAINT citizens_closed_reason_chk CHECK (closed_at IS NULL OR closed_reason <> ''),
    ADD CONSTRAINT citizens_legal_hold_reason_chk CHECK (legal_hold_at IS NULL OR legal_hold_reason <> '');

-- The retention job's scan (closed, no hold, oldest first) and the administrator's retention
-- overview (closed or held, by closure).
CREATE INDEX citizens_closed_idx ON citizens (closed_at, id) WHERE closed_at IS NOT NULL OR legal_hold_at IS NOT NULL;

-- Deleting a citizen deletes every row about them in one statement, through ON DELETE CASCADE
-- from citizens. Two links between the citizen's own rows did not say what happens on delete
-- (NO ACTION), so the order in which PostgreSQL runs the cascades could refuse the delete; a
-- plan outlives a removed TFA and an effort outlives a removed referral, so both become
-- SET NULL. store TestCitizenDeletionCascadesEverywhere checks the rule for every table.
ALTER TABLE plans DROP CONSTRAINT plans_assessment_id_fkey,
    ADD CONSTRAINT plans_assessment_id_fkey FOREIGN KEY (assessment_id) REFERENCES assessments (id) ON DELETE SET NULL;
ALTER TABLE plan_efforts DROP CONSTRAINT plan_efforts_referral_id_fkey,
    ADD CONSTRAINT plan_efforts_referral_id_fkey FOREIGN KEY (referral_id) REFERENCES referrals (id) ON DELETE SET NULL;

-- The retention period in years, counted from the end of the year of closure. Five years is
-- the common rule for case files in municipal employment and social administration; a
-- municipality changes it by adding a row valid from a date (docs/operations.md).
INSERT INTO settings (key, valid_from, value, note) VALUES
    ('case_retention_years', '1900-01-01', '5',
     'Afsluttede sager slettes 5 år efter udgangen af det år, sagen blev afsluttet');
