DROP INDEX offers_focus_idx;
ALTER TABLE offers DROP COLUMN focus;
DROP INDEX screenings_gp_encouraged_by_idx;
ALTER TABLE screenings DROP CONSTRAINT screenings_gp_encouraged_check,
    DROP COLUMN gp_encouraged_by, DROP COLUMN gp_encouraged_at;
-- The rule set version this migration added goes only if no screening was scored with it.
DELETE FROM rule_sets r WHERE r.params ? 'BMILow10' AND r.published_by IS NULL
    AND NOT EXISTS (SELECT 1 FROM screenings s WHERE s.rule_set_version = r.version);
DROP INDEX screenings_self_rated_health_idx;
ALTER TABLE screenings DROP CONSTRAINT screenings_self_rated_health_fkey,
    DROP COLUMN self_rated_health_kind, DROP COLUMN self_rated_health;
DELETE FROM ref_values WHERE kind = 'self_rated_health';
DELETE FROM ref_kinds WHERE kind = 'self_rated_health';
