DROP TRIGGER IF EXISTS referrals_seat_counts ON referrals;
DROP FUNCTION IF EXISTS referral_seat_counts();
ALTER TABLE offers DROP COLUMN IF EXISTS seats_taken, DROP COLUMN IF EXISTS waiting;
