DROP TABLE IF EXISTS referral_events;
DROP TABLE IF EXISTS referrals;
DROP TABLE IF EXISTS offers;
DELETE FROM ref_values WHERE kind IN ('opgavetype', 'legal_basis');
DELETE FROM ref_kinds WHERE kind IN ('opgavetype', 'legal_basis');
