-- The leader's rettidighed figure (the share of the kontaktforløb's required conversations held
-- by their deadline over the last 13 weeks) joins the management views: computed live it cost
-- 0.7 s per unit on every view of the caseload dashboard at 100 000 citizens (docs/queries.md).
--
-- One row per unit: the figure as the live statement (store.ContactRettidighed, rettidighedSQL)
-- gives it for the unit's citizens over [to_day − 91, to_day), where to_day is the Danish day
-- of the refresh (now() is the refreshing transaction's start). The period is kept in the row,
-- so the page names the days the figure covers, however old it is. The body is rettidighedSQL
-- with the unit grouped instead of filtered and the period from the clock; keep the two alike
-- (TestManagementRettidighedMatchesLive compares them). 91 is store.RettidighedDays. Every
-- unit has a row (0 of 0 where no conversation fell due). No citizen id.
CREATE MATERIALIZED VIEW management_rettidighed AS
WITH period AS (
    SELECT (now() AT TIME ZONE 'Europe/Copenhagen')::date - 91 AS from_day,
           (now() AT TIME ZONE 'Europe/Copenhagen')::date AS to_day
), dues AS (
    SELECT c.unit_id, c.id AS citizen_id, c.closed_at, b.end_date, w.from_day, w.end_day, k.k,
           contact_due(w.from_day, w.end_day, cad.samtaler, k.k - 1, b.start_date + cad.first_within_days - 1) AS due
    FROM period p
    CROSS JOIN benefit_periods b
    JOIN citizens c ON c.id = b.citizen_id
    JOIN contact_cadences cad ON cad.benefit_code = b.benefit_code
      AND cad.valid_from <= b.start_date AND (cad.valid_to IS NULL OR cad.valid_to >= b.start_date)
    CROSS JOIN LATERAL (
        SELECT (b.start_date + make_interval(months => cad.after_months))::date AS from_day,
               (b.start_date + make_interval(months => cad.within_months))::date AS end_day) w
    CROSS JOIN LATERAL generate_series(1, cad.samtaler) AS k(k)
    WHERE b.start_date < p.to_day
      AND b.start_date > p.from_day - (SELECT make_interval(months => max(within_months)) FROM contact_cadences)
      AND (b.end_date IS NULL OR b.end_date >= p.from_day) AND w.end_day > p.from_day AND w.from_day < p.to_day
), judged AS (
    SELECT d.unit_id, h.on_time
    FROM dues d
    CROSS JOIN period p
    LEFT JOIN LATERAL (
        SELECT (s.starts_at AT TIME ZONE 'Europe/Copenhagen')::date <= d.due AS on_time FROM samtaler s
        WHERE s.citizen_id = d.citizen_id AND s.status = 'afholdt'
          AND s.starts_at >= d.from_day::timestamp AT TIME ZONE 'Europe/Copenhagen'
          AND s.starts_at < d.end_day::timestamp AT TIME ZONE 'Europe/Copenhagen'
        ORDER BY s.starts_at OFFSET d.k - 1 LIMIT 1) h ON true
    WHERE d.due >= p.from_day AND d.due < p.to_day
      AND (d.end_date IS NULL OR d.due <= d.end_date)
      AND (d.closed_at IS NULL OR (d.closed_at AT TIME ZONE 'Europe/Copenhagen')::date > d.due)
      AND NOT EXISTS (SELECT 1 FROM contact_exemptions e WHERE e.citizen_id = d.citizen_id
                      AND e.from_date <= d.due AND (e.to_date IS NULL OR e.to_date >= d.due))
)
SELECT u.id AS unit_id, p.from_day, p.to_day,
       count(j.unit_id)::int AS due, count(*) FILTER (WHERE j.on_time)::int AS on_time
FROM units u
CROSS JOIN period p
LEFT JOIN judged j ON j.unit_id = u.id
GROUP BY u.id, p.from_day, p.to_day;
-- REFRESH … CONCURRENTLY needs a unique index; the dashboard reads one unit by it.
CREATE UNIQUE INDEX management_rettidighed_key ON management_rettidighed (unit_id);
INSERT INTO management_refreshes (view_name) VALUES ('management_rettidighed');
