-- Reverses 0017: the indexes behind the foreign keys and the CHECKs on fixed codes.

DROP INDEX IF EXISTS
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
