package store

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/live/livetest"
	"github.com/helhed/helhed/internal/testdb"
)

// The copy of the settings in memory answers "the value in force on day" as the SQL does
// (the latest valid_from on or before day's date), for every key, on and around every
// valid_from, with ±infinity and with days given in another zone than UTC.
func TestSettingInMemoryAnswersAsSQL(t *testing.T) {
	t.Parallel()
	pool, url := testdb.New(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `
		INSERT INTO settings (key, valid_from, value, note) VALUES
			('test_dated', '2026-03-01', '1', 'første'), ('test_dated', '2026-03-31', '2', 'anden'),
			('test_dated', '2027-01-01', '{"n": 3}', 'tredje'),
			('test_open', '-infinity', '"altid"', ''), ('test_open', 'infinity', '"aldrig"', ''),
			('test_late', 'infinity', '"aldrig"', '')`); err != nil {
		t.Fatal(err)
	}
	fromSQL := New(pool)
	inMemory := New(pool)
	inMemory.KeepCopies(livetest.New(t, url, LiveChannel).Hub)
	all, err := inMemory.readSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	days := []time.Time{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC),
		// Danish midnight and 00:30 are the day before in UTC; 23:30 UTC is the next day here.
		time.Date(2026, 3, 1, 0, 0, 0, 0, cph), time.Date(2026, 3, 1, 0, 30, 0, 0, cph),
		time.Date(2026, 2, 28, 23, 30, 0, 0, time.UTC), time.Date(2026, 2, 28, 23, 30, 0, 0, cph)}
	for _, rows := range all {
		for _, r := range rows {
			if d := r.ValidFrom.Time; !d.IsZero() {
				days = append(days, d.AddDate(0, 0, -1), d, d.AddDate(0, 0, 1), d.Add(23*time.Hour))
			}
		}
	}
	keys := []string{"no_such_setting"}
	for k := range all {
		keys = append(keys, k)
	}
	if len(keys) < 5 {
		t.Fatalf("only %d keys: %v", len(keys), keys)
	}
	for _, k := range keys {
		for _, day := range days {
			want, wantOK, err := fromSQL.settingInForce(ctx, k, day)
			if err != nil {
				t.Fatal(err)
			}
			got, gotOK, err := inMemory.settingInForce(ctx, k, day)
			if err != nil {
				t.Fatal(err)
			}
			if gotOK != wantOK || !bytes.Equal(got.Value, want.Value) || got.ValidFrom != want.ValidFrom || got.Note != want.Note {
				t.Errorf("%s on %s: in memory %v %s (from %v), SQL %v %s (from %v)", k, day.Format(time.RFC3339),
					gotOK, got.Value, got.ValidFrom, wantOK, want.Value, want.ValidFrom)
			}
		}
	}
	if inMemory.settings == nil {
		t.Fatal("the store keeps no copy")
	}
}
