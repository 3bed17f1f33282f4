DELETE FROM settings WHERE key = 'no_show_warning';
DROP TABLE referral_reports;
DROP TABLE referral_attendance;
