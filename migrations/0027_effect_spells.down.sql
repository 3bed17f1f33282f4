DROP TABLE IF EXISTS function_self_ratings;

DROP MATERIALIZED VIEW IF EXISTS management_spells;
DELETE FROM management_refreshes WHERE view_name = 'management_spells';

-- management_outcomes as migration 0007 made it.
CREATE MATERIALIZED VIEW management_outcomes AS
SELECT date_trunc('month', b.end_date)::date AS month, c.unit_id, b.benefit_code,
       coalesce(b.exit_code, '') AS exit_code, coalesce(s.final_group, '') AS risk_group,
       coalesce(p.created_at <= b.end_date + 1, false) AS with_plan,
       array_agg(b.end_date - b.start_date + 1 ORDER BY b.id) AS days
FROM benefit_periods b
JOIN citizens c ON c.id = b.citizen_id
LEFT JOIN plans p ON p.citizen_id = b.citizen_id
LEFT JOIN LATERAL (
    SELECT s.final_group FROM screenings s
    WHERE s.citizen_id = b.citizen_id AND s.screened_on <= b.end_date
    ORDER BY s.screened_on DESC, s.id DESC LIMIT 1) s ON true
WHERE b.end_date IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;
CREATE UNIQUE INDEX management_outcomes_key ON management_outcomes (month, unit_id, benefit_code, exit_code, risk_group, with_plan);
INSERT INTO management_refreshes (view_name) VALUES ('management_outcomes') ON CONFLICT DO NOTHING;

DROP VIEW IF EXISTS benefit_spells;

DROP TABLE IF EXISTS exit_reason_categories;
DROP TABLE IF EXISTS benefit_spell_scopes;
DELETE FROM ref_values WHERE kind IN ('exit_category', 'spell_scope');
DELETE FROM ref_kinds WHERE kind IN ('exit_category', 'spell_scope');
