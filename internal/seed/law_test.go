package seed

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
)

// Every benefit period the demo and the scale generators write passes the rule the app
// enforces on a new period (store.BenefitOutOfForce: the benefit type is in force on the
// start date, by the reference data's dates), and none runs past the end of its benefit: no
// uddannelseshjælp or integrationsydelse started, or still running, after 30 June 2025 (lov
// nr. 1655 af 30.12.2024). The demo is made for December 2026, the scale data for March 2026.
func TestGeneratedBenefitsObeyTheLaw(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	december := time.Date(2026, time.December, 7, 0, 0, 0, 0, time.UTC)
	demo, _ := testdb.New(t)
	if _, err := Demo(ctx, demo, Options{Citizens: 120, Seed: 7, Today: december}); err != nil {
		t.Fatal(err)
	}
	scale, _ := smallScale(t, 5)
	for _, run := range []struct {
		name  string
		pool  *pgxpool.Pool
		today time.Time
	}{{"demo", demo, december}, {"scale", scale, testToday}} {
		name, pool, today := run.name, run.pool, run.today
		law, err := benefitLaw(ctx, pool)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := pool.Query(ctx, `SELECT citizen_id, benefit_code, start_date, end_date, exit_code FROM benefit_periods`)
		ps, err := pgx.CollectRows(rows, pgx.RowToStructByName[storedPeriod])
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, p := range ps {
			v, ok := law.Value(p.Benefit)
			if !ok {
				t.Fatalf("%s: citizen %d: unknown benefit %s", name, p.CitizenID, p.Benefit)
			}
			last := today
			if p.End != nil {
				last = *p.End
			}
			if why := store.BenefitOutOfForce(v, p.Start); why != "" {
				t.Errorf("%s: citizen %d: %s from %s refused by the app: %s", name, p.CitizenID, p.Benefit, p.Start.Format(time.DateOnly), why)
			} else if why := v.OutOfForce(last); why != "" && p.End == nil {
				t.Errorf("%s: citizen %d: %s still running: %s", name, p.CitizenID, p.Benefit, why)
			} else if why != "" {
				t.Errorf("%s: citizen %d: %s until %s: %s", name, p.CitizenID, p.Benefit, last.Format(time.DateOnly), why)
			}
			seen[p.Benefit]++
		}
		// The history still has the benefits the reform ended, before it.
		if len(ps) == 0 || seen[uddannelseshjaelp] == 0 || seen[kontanthjaelp] == 0 {
			t.Errorf("%s: %d periods, by benefit %v; want history with uddannelseshjælp", name, len(ps), seen)
		}
	}
}
