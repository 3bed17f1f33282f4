package seed

import (
	"context"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/helhed"
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
		obeysTheBenefitRules(t, name, pool, law, ps)
		livesInTheMunicipality(t, name, pool)
		ownPreparation(t, name, pool)
	}
}

// obeysTheBenefitRules runs every benefit rule of migration 0024 (store.AddBenefitPeriod's:
// overlap of forsørgelsesydelser, folkepensionsalderen, jobafklaring after sygedagpenge, LAB
// § 112, stk. 3) over every generated period against the rest of its citizen's history, by the
// citizen's CPR birth date; a refusal or a warning (the generated periods carry no reason)
// fails. It also checks the ages fit the benefits: nobody under 25 on fleksjob,
// ledighedsydelse or ressourceforløb, no førtidspension exit under 40 (lov om social pension
// § 16).
func obeysTheBenefitRules(t *testing.T, name string, pool *pgxpool.Pool, law seedLaw, ps []storedPeriod) {
	t.Helper()
	ctx := context.Background()
	rows, _ := pool.Query(ctx, `SELECT id, cpr FROM citizens`)
	births := map[int64]time.Time{}
	var id int64
	var cpr string
	if _, err := pgx.ForEachRow(rows, []any{&id, &cpr}, func() error {
		births[id] = helhed.CPR(cpr).BirthDate()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	byCitizen := map[int64][]helhed.BenefitSpan{}
	for _, p := range ps {
		byCitizen[p.CitizenID] = append(byCitizen[p.CitizenID], helhed.BenefitSpan{Benefit: p.Benefit, Start: p.Start, End: p.End})
	}
	if len(law.rules.Rules) < 6 {
		t.Fatalf("%s: %d benefit rules loaded; want those of migration 0024", name, len(law.rules.Rules))
	}
	checked, bad := 0, 0
	for cid, hist := range byCitizen {
		birth := births[cid]
		if birth.IsZero() {
			t.Errorf("%s: citizen %d has no birth date", name, cid)
			continue
		}
		for i, p := range hist {
			checked++
			others := slices.Delete(slices.Clone(hist), i, i+1)
			for _, f := range law.rules.Check(birth, others, p, law.Label) {
				if bad++; bad <= 10 {
					t.Errorf("%s: citizen %d (born %s): %s from %s: %s %s: %s", name, cid, birth.Format(time.DateOnly),
						p.Benefit, p.Start.Format(time.DateOnly), f.Severity, f.Rule, f.Message)
				}
			}
			if a := age(birth, p.Start); a < youngest && (p.Benefit == fleksjob || p.Benefit == ledighedsydelse || p.Benefit == ressourceforloeb) {
				t.Errorf("%s: citizen %d: %s at %d", name, cid, p.Benefit, a)
			}
		}
	}
	var young int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM benefit_periods b JOIN citizens c ON c.id = b.citizen_id
		WHERE b.exit_code = 'foertidspension' AND b.end_date < (SELECT min(born) FROM (VALUES (1)) v(x),
			LATERAL (SELECT make_date(CASE WHEN substr(c.cpr, 7, 1) IN ('4','9') AND substr(c.cpr, 5, 2)::int <= 36 THEN 2000
			                              WHEN substr(c.cpr, 7, 1) IN ('5','6','7','8') AND substr(c.cpr, 5, 2)::int <= 57 THEN 2000
			                              ELSE 1900 END + substr(c.cpr, 5, 2)::int,
			                          substr(c.cpr, 3, 2)::int, substr(c.cpr, 1, 2)::int) + interval '40 years' AS born) b40)`).Scan(&young); err != nil {
		t.Fatal(err)
	}
	if young != 0 {
		t.Errorf("%s: %d periods end in førtidspension before the age of 40", name, young)
	}
	t.Logf("%s: %d periods checked against %d benefit rules", name, checked, len(law.rules.Rules))
}

// livesInTheMunicipality: every citizen's address is in one of the municipality's towns, with
// the town's postal code, a street name and a house number.
func livesInTheMunicipality(t *testing.T, name string, pool *pgxpool.Pool) {
	t.Helper()
	ok := map[string]string{}
	for _, tw := range towns {
		ok[tw.PostalCode] = tw.City
	}
	rows, _ := pool.Query(context.Background(), `SELECT address, postal_code, city FROM citizens`)
	var addr, pc, city string
	n := 0
	if _, err := pgx.ForEachRow(rows, []any{&addr, &pc, &city}, func() error {
		n++
		if ok[pc] != city || !addressRE.MatchString(addr) {
			t.Errorf("%s: address %q, %s %s is not a street address in %s", name, addr, pc, city, municipality)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Errorf("%s: no citizens", name)
	}
}

var addressRE = regexp.MustCompile(`^\p{Lu}[\p{L} ]+ [0-9]{1,3}[A-C]?(, (st|[1-3])\. (th|tv|mf)\.)?$`)

// ownPreparation: every citizen on a rehabiliteringsteam's agenda has a forberedende del of
// their own: no two citizens share the text, and no forsørgelseshistorik is a placeholder (a
// case not yet prepared may leave it out).
func ownPreparation(t *testing.T, name string, pool *pgxpool.Pool) {
	t.Helper()
	var citizens, texts, empty int
	if err := pool.QueryRow(context.Background(), `
		SELECT count(DISTINCT citizen_id), count(DISTINCT preparation),
		       count(*) FILTER (WHERE preparation->>'benefits' = '–')
		FROM meeting_cases WHERE preparation <> '{}'`).Scan(&citizens, &texts, &empty); err != nil {
		t.Fatal(err)
	}
	if citizens == 0 || texts != citizens || empty != 0 {
		t.Errorf("%s: %d citizens with a forberedende del, %d distinct texts, %d with a placeholder benefit history; want one text per citizen",
			name, citizens, texts, empty)
	}
}
