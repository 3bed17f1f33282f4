package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// Shortening the retention period cannot delete anything at once: the new period takes effect
// after the grace period (the dated setting retention_grace_days, 30 days), the administrator
// first sees what it would delete (closed cases per year of closure, no names), and until
// then the hourly job deletes only what was due before the change — also when a shorter
// period is written straight into the settings table.
func TestShorterRetentionWaitsForTheGracePeriod(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	cph := danish(t)
	// The store's clock is the database's, so the settings' created_at is "now" too.
	now := time.Now()
	st.Now = func() time.Time { return now }
	w := store.Who{UserID: uid, RequestID: "test"}
	y := now.In(cph).Year()
	closedAt := func(year int) time.Time { return time.Date(year, 6, 1, 12, 0, 0, 0, cph) }
	closed := map[int]int64{} // by year of closure
	for i, year := range []int{y - 7, y - 5, y - 4, y - 3, y - 1} {
		id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, []string{"020385-1233", "030486-1234",
			"040587-1235", "050688-1236", "060789-1237"}[i]), FirstName: "A", LastName: "B"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Pool().Exec(ctx, `UPDATE citizens SET closed_at = $2, closed_reason = 'Flyttet' WHERE id = $1`,
			id, closedAt(year)); err != nil {
			t.Fatal(err)
		}
		closed[year] = id
	}
	grace, err := st.RetentionGraceDays(ctx, now)
	if err != nil || grace != 30 {
		t.Fatalf("grace period: %d, %v; want 30 days", grace, err)
	}

	// Five years now; two from today would make more cases due. Which ones depends on the
	// date the test runs: a case is in the preview if two years delete it on the day the
	// change takes effect and five would not.
	today := helhed.RetentionDay(now)
	effective := today.AddDate(0, 0, grace)
	dueBy := func(year, years int, day time.Time) bool {
		return !helhed.CaseDeletionDue(closedAt(year), years).After(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, cph))
	}
	var want []store.ClosureYearCount
	total := 0
	for _, year := range []int{y - 7, y - 5, y - 4, y - 3, y - 1} {
		if dueBy(year, 2, effective) && !dueBy(year, 5, effective) {
			want = append(want, store.ClosureYearCount{Year: year, Cases: 1})
			total++
		}
	}
	pv, err := st.RetentionChangePreview(ctx, 2, today)
	if err != nil {
		t.Fatal(err)
	}
	if total < 2 || !pv.Shortens || pv.CurrentYears != 5 || !pv.EffectiveFrom.Equal(effective) || pv.Total != total || !slices.Equal(pv.ByYear, want) {
		t.Fatalf("preview: %+v; want %d cases from %s, by year %v", pv, total, effective.Format(time.DateOnly), want)
	}
	if pv, err := st.RetentionChangePreview(ctx, 8, today); err != nil || pv.Shortens || pv.Total != 0 || !pv.EffectiveFrom.Equal(today) {
		t.Fatalf("a longer period: %+v, %v; want it at once, deleting nothing", pv, err)
	}

	from, err := st.SetCaseRetentionYears(ctx, w, today, 2, "Kortere frist")
	if err != nil || !from.Equal(effective) {
		t.Fatalf("set 2 years from today: from %v, %v; want %s", from, err, effective.Format(time.DateOnly))
	}
	for day, want := range map[time.Time]int{today: 5, effective.AddDate(0, 0, -1): 5, effective: 2} {
		if n, err := st.CaseRetentionYears(ctx, day); err != nil || n != want {
			t.Errorf("period on %s: %d, %v; want %d", day.Format(time.DateOnly), n, err, want)
		}
	}
	// Within the grace period the job deletes only what five years make due.
	dueNow := func(years int, day time.Time) (ids []int64) {
		for year, id := range closed {
			if dueBy(year, years, day) {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		return ids
	}
	deleted, err := st.DeleteExpiredCases(ctx)
	if want := dueNow(5, today); err != nil || !slices.Equal(deleted, want) || len(want) != 1 {
		t.Fatalf("today: deleted %v, %v; want %v (five years)", deleted, err, want)
	}
	// A shorter period written into the settings directly, in force from long ago, is held
	// back the same way: it counts from when it was written.
	if _, err := st.Pool().Exec(ctx, `INSERT INTO settings (key, valid_from, value, note) VALUES ($1, '2000-01-01', '1', 'SQL')`,
		store.SettingCaseRetention); err != nil {
		t.Fatal(err)
	}
	// newly returns the ids in ids that are not in gone, and adds them to gone.
	gone := deleted
	newly := func(ids []int64) (out []int64) {
		for _, id := range ids {
			if !slices.Contains(gone, id) {
				out = append(out, id)
			}
		}
		gone = append(gone, out...)
		return out
	}
	now = now.AddDate(0, 0, grace-1)
	deleted, err = st.DeleteExpiredCases(ctx)
	slices.Sort(deleted)
	if want := newly(dueNow(5, helhed.RetentionDay(now))); err != nil || !slices.Equal(deleted, want) {
		t.Fatalf("a day before the grace period ends: deleted %v, %v; want %v (five years)", deleted, err, want)
	}
	now = now.AddDate(0, 0, 2)
	deleted, err = st.DeleteExpiredCases(ctx)
	slices.Sort(deleted)
	wantIDs := newly(dueNow(2, helhed.RetentionDay(now)))
	if err != nil || !slices.Equal(deleted, wantIDs) || len(wantIDs) == 0 {
		t.Fatalf("after the grace period: deleted %v, %v; want %v (two years)", deleted, err, wantIDs)
	}
}
