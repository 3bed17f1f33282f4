DROP TABLE IF EXISTS meeting_cases;
DROP TABLE IF EXISTS meetings;
DROP TABLE IF EXISTS rehab_team_members;
DROP TABLE IF EXISTS rehab_teams;
DELETE FROM settings WHERE key = 'agenda_access_days';
DELETE FROM ref_values WHERE kind IN ('indstilling', 'team_area');
DELETE FROM ref_kinds WHERE kind IN ('indstilling', 'team_area');
