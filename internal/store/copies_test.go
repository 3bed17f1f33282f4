package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/dbtrace"
	"github.com/helhed/helhed/internal/live/livetest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/testlimit"
)

// roundTrips is how many round trips f makes (the store's pool must carry the tracer).
func roundTrips(f func(ctx context.Context)) int64 {
	ctx, c := dbtrace.WithCounter(context.Background())
	f(ctx)
	return c.RoundTrips()
}

// The settings and units a store keeps in memory follow a change made on another connection
// (another instance, or an administrator in SQL) once it is announced; until then, and after,
// they are read from memory. While the live connection is down every read goes to the
// database, and sees a change at once.
func TestSettingsAndUnitsFollowChangesMadeElsewhere(t *testing.T) {
	t.Parallel()
	url := testdb.NewURL(t)
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = &dbtrace.Tracer{}
	cfg.AfterConnect = store.AsRuntimeRole
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	st := store.New(pool)
	h := livetest.New(t, url, store.LiveChannel)
	st.KeepCopies(h.Hub)
	elsewhere, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { elsewhere.Close(ctx) })
	exec := func(q string) {
		t.Helper()
		if _, err := elsewhere.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO units (name, kind) VALUES ('Jobcenter Nord', 'jobcenter')`)

	before, after := time.Date(2031, 1, 31, 0, 0, 0, 0, time.UTC), time.Date(2031, 2, 1, 0, 0, 0, 0, time.UTC)
	interval := func(ctx context.Context, day time.Time) int {
		t.Helper()
		n, err := st.FollowUpIntervalMonths(ctx, day)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	unit := func(ctx context.Context, name string) (store.Unit, bool) {
		t.Helper()
		us, err := st.ListUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(us, func(u store.Unit) bool { return u.Name == name })
		if i < 0 {
			return store.Unit{}, false
		}
		return us[i], true
	}
	reads := func() int64 {
		return roundTrips(func(ctx context.Context) { interval(ctx, after); unit(ctx, "Jobcenter Nord") })
	}

	// The first use starts the listener; once it listens the copies are read once and kept.
	reads()
	h.WaitListening(t)
	reads()
	if n := reads(); n != 0 {
		t.Fatalf("a setting and the units with the copies in place: %d round trips, want 0", n)
	}
	if n := interval(ctx, after); n != 3 {
		t.Fatalf("interval %d, want the default 3", n)
	}

	// A dated setting written elsewhere is in force from its day, not before.
	exec(`INSERT INTO settings (key, valid_from, value) VALUES ('follow_up_interval_months', '2031-02-01', '5')`)
	testlimit.Eventually(t, 2*time.Second, "the new setting", func() bool { return interval(ctx, after) == 5 })
	if n := interval(ctx, before); n != 3 {
		t.Errorf("the day before the new setting: %d, want 3", n)
	}
	// A unit renamed, and its kind's label changed in the reference data.
	exec(`UPDATE units SET name = 'Jobcenter Nordvest' WHERE name = 'Jobcenter Nord'`)
	testlimit.Eventually(t, 2*time.Second, "the renamed unit", func() bool { _, ok := unit(ctx, "Jobcenter Nordvest"); return ok })
	exec(`UPDATE ref_values SET label = 'Jobcenter (kommunal)' WHERE kind = 'unit_kind' AND code = 'jobcenter'`)
	testlimit.Eventually(t, 2*time.Second, "the unit kind's new label", func() bool {
		u, _ := unit(ctx, "Jobcenter Nordvest")
		return u.KindLabel == "Jobcenter (kommunal)"
	})
	exec(`UPDATE units SET name = 'Jobcenter Nord' WHERE name = 'Jobcenter Nordvest'`)
	testlimit.Eventually(t, 2*time.Second, "the unit's name back", func() bool { _, ok := unit(ctx, "Jobcenter Nord"); return ok })
	if n := reads(); n != 0 {
		t.Fatalf("after the changes were read: %d round trips, want 0", n)
	}

	// The live connection down: no change can be announced, so each read goes to the
	// database and sees what was written just before it, without waiting.
	h.Cut(t)
	for i, months := range []string{"6", "7"} {
		exec(`UPDATE settings SET value = '` + months + `' WHERE key = 'follow_up_interval_months' AND valid_from = '2031-02-01'`)
		exec(`UPDATE units SET name = 'Jobcenter Nord ` + months + `' WHERE kind = 'jobcenter' AND name LIKE 'Jobcenter Nord%'`)
		var n int
		var ok bool
		trips := roundTrips(func(ctx context.Context) {
			n = interval(ctx, after)
			_, ok = unit(ctx, "Jobcenter Nord "+months)
		})
		if n != 6+i || !ok || trips != 2 {
			t.Fatalf("connection down, change %d: interval %d, unit renamed %v, %d round trips; want %d, true, 2 (read through)", i+1, n, ok, trips, 6+i)
		}
	}
	// Back up, the copies are read again and kept.
	h.Restore(t)
	if n := interval(ctx, after); n != 7 {
		t.Fatalf("after reconnecting: interval %d, want 7", n)
	}
	reads()
	if n := reads(); n != 0 {
		t.Fatalf("after reconnecting: %d round trips, want 0", n)
	}

	// A change this store commits is seen by its own next read, before the announcement.
	if _, err := st.CreateUnit(ctx, who, "Jobcenter Øst", "jobcenter"); err != nil {
		t.Fatal(err)
	}
	if _, ok := unit(ctx, "Jobcenter Øst"); !ok {
		t.Error("a unit this store created is missing from its next list")
	}
}
