DROP TABLE decisions;
DROP TABLE hearings;
DELETE FROM settings WHERE key IN ('hearing_deadline_days', 'decision_revurdering_required', 'decision_tasks_from', 'complaint_guidance');
