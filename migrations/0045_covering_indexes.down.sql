DROP INDEX assessments_open_idx;
DROP INDEX assessment_participants_user_idx;
CREATE INDEX assessment_participants_user_idx ON assessment_participants (user_id);
DROP INDEX referrals_inbox_idx;
CREATE INDEX referrals_inbox_idx ON referrals (to_unit_id, state, created_at);
