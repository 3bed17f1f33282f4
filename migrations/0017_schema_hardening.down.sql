-- Reverses 0017: the indexes, the CHECKs, and the reference-code keys with their constant kind
-- columns. The data is not touched.

DROP INDEX IF EXISTS
    units_kind_idx,
    citizens_visitation_code_idx,
    benefit_periods_benefit_code_idx,
    benefit_periods_exit_code_idx,
    consents_information_idx,
    offers_opgavetype_code_idx,
    offers_legal_basis_idx,
    assessment_participants_unit_kind_idx,
    plan_efforts_area_idx,
    plan_efforts_status_idx,
    rehab_team_members_area_idx,
    meeting_cases_outcome_idx,
    initiatives_theme_code_idx,
    initiatives_status_idx,
    initiative_status_changes_status_idx,
    plans_assessment_idx,
    plan_efforts_referral_idx,
    plan_efforts_offer_idx,
    plan_efforts_responsible_unit_idx,
    referrals_from_unit_idx,
    consents_recipient_unit_idx,
    assessment_participants_unit_idx,
    rehab_teams_unit_idx,
    screenings_rule_set_idx,
    users_role_idx,
    assessment_participants_user_idx,
    assessments_created_by_idx,
    assessments_updated_by_idx,
    assessments_concluded_by_idx,
    citizens_closed_by_idx,
    citizens_legal_hold_by_idx,
    consents_recorded_by_idx,
    consents_withdrawn_by_idx,
    follow_ups_created_by_idx,
    initiative_status_changes_changed_by_idx,
    initiatives_created_by_idx,
    initiatives_updated_by_idx,
    meeting_cases_added_by_idx,
    meeting_cases_caseworker_idx,
    meeting_cases_prepared_by_idx,
    meeting_cases_recorded_by_idx,
    meetings_chair_idx,
    meetings_minute_taker_idx,
    meetings_created_by_idx,
    plan_versions_saved_by_idx,
    plans_created_by_idx,
    plans_updated_by_idx,
    referral_events_by_user_idx,
    rehab_teams_created_by_idx,
    rule_sets_published_by_idx,
    screenings_created_by_idx,
    screenings_overridden_by_idx,
    settings_created_by_idx;

ALTER TABLE referral_events
    DROP CONSTRAINT IF EXISTS referral_events_from_state_check,
    DROP CONSTRAINT IF EXISTS referral_events_to_state_check;
ALTER TABLE screenings
    DROP CONSTRAINT IF EXISTS screenings_computed_group_check,
    DROP CONSTRAINT IF EXISTS screenings_final_group_check,
    DROP CONSTRAINT IF EXISTS screenings_krams_risks_check;
ALTER TABLE citizens DROP CONSTRAINT IF EXISTS citizens_risk_group_check;

-- Dropping a kind column would drop its key too; the keys are named for clarity.
ALTER TABLE units
    DROP CONSTRAINT IF EXISTS units_kind_fkey,
    DROP COLUMN IF EXISTS kind_kind;
ALTER TABLE citizens
    DROP CONSTRAINT IF EXISTS citizens_visitation_code_fkey,
    DROP COLUMN IF EXISTS visitation_code_kind;
ALTER TABLE benefit_periods
    DROP CONSTRAINT IF EXISTS benefit_periods_benefit_code_fkey,
    DROP CONSTRAINT IF EXISTS benefit_periods_exit_code_fkey,
    DROP COLUMN IF EXISTS benefit_code_kind,
    DROP COLUMN IF EXISTS exit_code_kind;
ALTER TABLE consents
    DROP CONSTRAINT IF EXISTS consents_information_fkey,
    DROP COLUMN IF EXISTS information_kind;
ALTER TABLE offers
    DROP CONSTRAINT IF EXISTS offers_opgavetype_fkey,
    DROP CONSTRAINT IF EXISTS offers_legal_basis_fkey,
    DROP COLUMN IF EXISTS opgavetype_kind,
    DROP COLUMN IF EXISTS legal_basis_kind;
ALTER TABLE assessment_participants
    DROP CONSTRAINT IF EXISTS assessment_participants_unit_kind_fkey,
    DROP COLUMN IF EXISTS unit_kind_kind;
ALTER TABLE plan_efforts
    DROP CONSTRAINT IF EXISTS plan_efforts_area_fkey,
    DROP CONSTRAINT IF EXISTS plan_efforts_status_fkey,
    DROP COLUMN IF EXISTS area_kind,
    DROP COLUMN IF EXISTS status_kind;
ALTER TABLE rehab_team_members
    DROP CONSTRAINT IF EXISTS rehab_team_members_area_fkey,
    DROP COLUMN IF EXISTS area_kind;
ALTER TABLE meeting_cases
    DROP CONSTRAINT IF EXISTS meeting_cases_outcome_fkey,
    DROP COLUMN IF EXISTS outcome_kind;
ALTER TABLE initiatives
    DROP CONSTRAINT IF EXISTS initiatives_theme_fkey,
    DROP CONSTRAINT IF EXISTS initiatives_status_fkey,
    DROP COLUMN IF EXISTS theme_kind,
    DROP COLUMN IF EXISTS status_kind;
ALTER TABLE initiative_status_changes
    DROP CONSTRAINT IF EXISTS initiative_status_changes_status_fkey,
    DROP COLUMN IF EXISTS status_kind;
