DELETE FROM settings WHERE key = 'post_team_required_outcomes';
DROP TABLE health_advice;
DROP TABLE case_descriptions;
