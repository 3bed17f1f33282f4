-- Schema hardening.
--
-- CHECKs where the domain fixes the values in Go: the risk groups (helhed.RiskGroups), the
-- KRAMS factors (helhed.KRAMSCodes) and the referral states (helhed.ReferralStates) on the
-- columns that did not have one yet. These are the program's own codes, never edited by an
-- administrator; store TestFixedCodesFollowTheDomain checks the lists against the domain's.
--
-- An index behind every foreign key: deleting a citizen (the retention job) cascades
-- through plans, efforts and referrals, and deleting any referenced row makes PostgreSQL
-- look for referencing rows. Without an index that look-up is a scan of the whole
-- referencing table per deleted row. A nullable column gets a partial index WHERE col IS
-- NOT NULL (a NULL references nothing, and the look-up "col = $1" implies it), so mostly
-- empty columns cost almost nothing. store TestEveryForeignKeyHasAnIndex holds every key,
-- present and future, to this rule.

-- Codes the domain fixes.
ALTER TABLE citizens
    ADD CONSTRAINT citizens_risk_group_check CHECK (risk_group IN ('hoej', 'mellem', 'lav', 'ingen'));
ALTER TABLE screenings
    ADD CONSTRAINT screenings_computed_group_check CHECK (computed_group IN ('hoej', 'mellem', 'lav', 'ingen')),
    ADD CONSTRAINT screenings_final_group_check CHECK (final_group IN ('hoej', 'mellem', 'lav', 'ingen')),
    ADD CONSTRAINT screenings_krams_risks_check
        CHECK (krams_risks <@ ARRAY['kost', 'rygning', 'alkohol', 'motion', 'soevn']);
ALTER TABLE referral_events
    ADD CONSTRAINT referral_events_from_state_check CHECK (from_state IN ('sendt', 'modtaget', 'accepteret',
        'venteliste', 'afvist', 'startet', 'afsluttet', 'udeblevet', 'afbrudt', 'annulleret')),
    ADD CONSTRAINT referral_events_to_state_check CHECK (to_state IN ('sendt', 'modtaget', 'accepteret',
        'venteliste', 'afvist', 'startet', 'afsluttet', 'udeblevet', 'afbrudt', 'annulleret'));

-- The foreign keys that had no index.
-- Between a citizen's own rows: the cascades of a citizen's deletion walk these.
CREATE INDEX plans_assessment_idx ON plans (assessment_id) WHERE assessment_id IS NOT NULL;
CREATE INDEX plan_efforts_referral_idx ON plan_efforts (referral_id) WHERE referral_id IS NOT NULL;
-- To offers, units, rule sets and roles.
CREATE INDEX plan_efforts_offer_idx ON plan_efforts (offer_id) WHERE offer_id IS NOT NULL;
CREATE INDEX plan_efforts_responsible_unit_idx ON plan_efforts (responsible_unit_id);
CREATE INDEX referrals_from_unit_idx ON referrals (from_unit_id);
CREATE INDEX consents_recipient_unit_idx ON consents (recipient_unit_id);
CREATE INDEX assessment_participants_unit_idx ON assessment_participants (unit_id);
CREATE INDEX rehab_teams_unit_idx ON rehab_teams (unit_id);
CREATE INDEX screenings_rule_set_idx ON screenings (rule_set_version);
CREATE INDEX users_role_idx ON users (role);
-- To users: who created, changed, concluded, recorded. The app disables users and never deletes
-- them; these keep a removal by hand (a user created by mistake) from scanning every case
-- table, and cost little: B-tree deduplication keeps one user's many entries in one posting list.
CREATE INDEX assessment_participants_user_idx ON assessment_participants (user_id);
CREATE INDEX assessments_created_by_idx ON assessments (created_by);
CREATE INDEX assessments_updated_by_idx ON assessments (updated_by);
CREATE INDEX assessments_concluded_by_idx ON assessments (concluded_by) WHERE concluded_by IS NOT NULL;
CREATE INDEX citizens_closed_by_idx ON citizens (closed_by) WHERE closed_by IS NOT NULL;
CREATE INDEX citizens_legal_hold_by_idx ON citizens (legal_hold_by) WHERE legal_hold_by IS NOT NULL;
CREATE INDEX consents_recorded_by_idx ON consents (recorded_by);
CREATE INDEX consents_withdrawn_by_idx ON consents (withdrawn_by) WHERE withdrawn_by IS NOT NULL;
CREATE INDEX follow_ups_created_by_idx ON follow_ups (created_by);
CREATE INDEX initiative_status_changes_changed_by_idx ON initiative_status_changes (changed_by) WHERE changed_by IS NOT NULL;
CREATE INDEX initiatives_created_by_idx ON initiatives (created_by) WHERE created_by IS NOT NULL;
CREATE INDEX initiatives_updated_by_idx ON initiatives (updated_by) WHERE updated_by IS NOT NULL;
CREATE INDEX meeting_cases_added_by_idx ON meeting_cases (added_by);
CREATE INDEX meeting_cases_caseworker_idx ON meeting_cases (caseworker_id) WHERE caseworker_id IS NOT NULL;
CREATE INDEX meeting_cases_prepared_by_idx ON meeting_cases (prepared_by) WHERE prepared_by IS NOT NULL;
CREATE INDEX meeting_cases_recorded_by_idx ON meeting_cases (recorded_by) WHERE recorded_by IS NOT NULL;
CREATE INDEX meetings_chair_idx ON meetings (chair_id) WHERE chair_id IS NOT NULL;
CREATE INDEX meetings_minute_taker_idx ON meetings (minute_taker_id) WHERE minute_taker_id IS NOT NULL;
CREATE INDEX meetings_created_by_idx ON meetings (created_by);
CREATE INDEX plan_versions_saved_by_idx ON plan_versions (saved_by);
CREATE INDEX plans_created_by_idx ON plans (created_by);
CREATE INDEX plans_updated_by_idx ON plans (updated_by);
CREATE INDEX referral_events_by_user_idx ON referral_events (by_user_id) WHERE by_user_id IS NOT NULL;
CREATE INDEX rehab_teams_created_by_idx ON rehab_teams (created_by) WHERE created_by IS NOT NULL;
CREATE INDEX rule_sets_published_by_idx ON rule_sets (published_by) WHERE published_by IS NOT NULL;
CREATE INDEX screenings_created_by_idx ON screenings (created_by);
CREATE INDEX screenings_overridden_by_idx ON screenings (overridden_by) WHERE overridden_by IS NOT NULL;
CREATE INDEX settings_created_by_idx ON settings (created_by) WHERE created_by IS NOT NULL;
