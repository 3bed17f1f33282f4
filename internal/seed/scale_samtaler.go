package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// scaleSamtalerSQL gives every open case with a caseworker three samtaler spread over four
// months back and four ahead, on weekdays' office hours, held by the caseworker in the
// citizen's unit: those past are held (afholdt), those ahead booked. Every twentieth has the
// health centre's sundhed001 taking part. So the week view (/kalender), the calendar feed and
// the tasks of the kontaktforløb have a caseworker's realistic week at 100 000 citizens.
const scaleSamtalerSQL = `
	WITH s AS (
		INSERT INTO samtaler (citizen_id, holder_id, unit_id, starts_at, ends_at, form, place, status, booked_by, created_at, updated_at)
		SELECT c.id, c.caseworker_id, c.unit_id, t.at, t.at + interval '45 minutes', 'fysisk', 'Mødelokale ' || k,
		       CASE WHEN t.at < $2::timestamptz THEN 'afholdt' ELSE 'booket' END, c.caseworker_id, $2::timestamptz, $2::timestamptz
		FROM citizens c
		CROSS JOIN generate_series(1, 3) k
		CROSS JOIN LATERAL (
			SELECT (($1::date + ((c.id * 7 + k * 61) % 240 - 120)::int)::timestamp + time '08:00'
			        + make_interval(mins => (((c.id + k) % 14) * 30)::int)) AT TIME ZONE 'Europe/Copenhagen' AS at) t
		WHERE c.closed_at IS NULL AND c.caseworker_id IS NOT NULL
		  AND extract(isodow FROM t.at AT TIME ZONE 'Europe/Copenhagen') < 6
		RETURNING id, starts_at)
	INSERT INTO samtale_participants (samtale_id, user_id, starts_at)
	SELECT s.id, u.id, s.starts_at FROM s JOIN users u ON u.username = 'sundhed001' WHERE s.id % 20 = 0`

// scaleSamtaler runs scaleSamtalerSQL and returns how many samtaler it made.
func scaleSamtaler(ctx context.Context, pool *pgxpool.Pool, today time.Time) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, scaleSamtalerSQL, today, time.Now()); err != nil {
			return fmt.Errorf("samtaler: %w", err)
		}
		return tx.QueryRow(ctx, `SELECT count(*) FROM samtaler`).Scan(&n)
	})
	return n, err
}
