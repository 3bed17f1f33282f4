DELETE FROM settings WHERE key = 'case_retention_years';
ALTER TABLE plan_efforts DROP CONSTRAINT plan_efforts_referral_id_fkey,
    ADD CONSTRAINT plan_efforts_referral_id_fkey FOREIGN KEY (referral_id) REFERENCES referrals (id);
ALTER TABLE plans DROP CONSTRAINT plans_assessment_id_fkey,
    ADD CONSTRAINT plans_assessment_id_fkey FOREIGN KEY (assessment_id) REFERENCES assessments (id);
DROP INDEX IF EXISTS citizens_closed_idx;
ALTER TABLE citizens
    DROP CONSTRAINT IF EXISTS citizens_legal_hold_reason_chk,
    DROP CONSTRAINT IF EXISTS citizens_closed_reason_chk,
    DROP COLUMN IF EXISTS legal_hold_by,
    DROP COLUMN IF EXISTS legal_hold_reason,
    DROP COLUMN IF EXISTS legal_hold_at,
    DROP COLUMN IF EXISTS closed_by,
    DROP COLUMN IF EXISTS closed_reason,
    DROP COLUMN IF EXISTS closed_at;
