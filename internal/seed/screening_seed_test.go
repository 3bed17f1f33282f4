package seed

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/testdb"
)

// The generated screenings carry the items the form asks (height and weight, hash and other
// drugs, the standard self-rated health answer) in plausible shares, are scored with the
// newest rule set and record its version, so each re-displays exactly as generated.
func TestGeneratedScreeningsHaveTheNewItems(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := smallScale(t, 17)
	var latest int
	var params []byte
	if err := pool.QueryRow(ctx, `SELECT version, params FROM rule_sets ORDER BY version DESC LIMIT 1`).Scan(&latest, &params); err != nil {
		t.Fatal(err)
	}
	var rs helhed.RuleSet
	if err := json.Unmarshal(params, &rs); err != nil {
		t.Fatal(err)
	}
	rows, _ := pool.Query(ctx, `SELECT answers, rule_set_version, who5, computed_group, coalesce(self_rated_health, '') FROM screenings`)
	var n, obese, under, hash, drugs, otherVersion, rescored, selfHealthMissing int
	var answers []byte
	var version, who5 int
	var group, self string
	if _, err := pgx.ForEachRow(rows, []any{&answers, &version, &who5, &group, &self}, func() error {
		var a helhed.ScreeningAnswers
		if err := json.Unmarshal(answers, &a); err != nil {
			return err
		}
		n++
		if version != latest {
			otherVersion++
		}
		if res := helhed.Score(a, rs); res.WHO5 != who5 || string(res.Group) != group {
			rescored++
		}
		if self == "" || self != a.SelfHealth {
			selfHealthMissing++
		}
		if a.Validate() != nil {
			t.Errorf("generated answers fail validation: %v (%+v)", a.Validate(), a)
		}
		bmi, _ := a.BMI10()
		switch helhed.ClassifyBMI(bmi) {
		case helhed.BMIObese:
			obese++
		case helhed.BMIUnder:
			under++
		}
		if a.Hash == helhed.DrugRecent {
			hash++
		}
		if a.Drugs == helhed.DrugRecent {
			drugs++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n < 1000 {
		t.Fatalf("only %d screenings", n)
	}
	if otherVersion != 0 || rescored != 0 || selfHealthMissing != 0 {
		t.Errorf("of %d screenings: %d not scored with version %d, %d re-score differently, %d without the keyed self-rated health",
			n, otherVersion, latest, rescored, selfHealthMissing)
	}
	share := func(k int) float64 { return float64(k) / float64(n) }
	for _, c := range []struct {
		what   string
		got    float64
		lo, hi float64
	}{
		{"BMI 30 and over", share(obese), 0.15, 0.50},
		{"BMI under 18,5", share(under), 0.01, 0.15},
		{"hash in the last month", share(hash), 0.05, 0.15},
		{"other drugs in the last month", share(drugs), 0.005, 0.06},
	} {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s: %.1f %% of screenings; want %.1f–%.1f %%", c.what, 100*c.got, 100*c.lo, 100*c.hi)
		}
	}
}

// The demo citizens' screenings answer the new items too.
func TestDemoScreeningsHaveTheNewItems(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.New(t)
	if _, err := Demo(ctx, pool, Options{Citizens: 20, Seed: 5, Today: testToday}); err != nil {
		t.Fatal(err)
	}
	var n, missing int
	if err := pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE self_rated_health IS NULL
		OR NOT answers ? 'HeightCm' OR NOT answers ? 'Hash') FROM screenings`).Scan(&n, &missing); err != nil {
		t.Fatal(err)
	}
	if n == 0 || missing != 0 {
		t.Errorf("%d demo screenings, %d without height, hash or the self-rated health answer", n, missing)
	}
}
