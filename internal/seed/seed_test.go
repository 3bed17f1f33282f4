package seed

import (
	"context"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/password"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/migrations"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m, migrations.Up)) }

// testToday is a fixed reference date so the tests do not drift with the calendar.
var testToday = time.Date(2026, time.March, 15, 0, 0, 0, 0, time.UTC)

// storedCitizen is a citizen row as the checks need it.
type storedCitizen struct {
	ID         int64   `db:"id"`
	CPR        string  `db:"cpr"`
	FirstName  string  `db:"first_name"`
	LastName   string  `db:"last_name"`
	Phone      string  `db:"phone"`
	Visitation *string `db:"visitation_code"`
	Caseworker *string `db:"caseworker"`
}

// storedPeriod is a benefit period row.
type storedPeriod struct {
	CitizenID int64      `db:"citizen_id"`
	Benefit   string     `db:"benefit_code"`
	Start     time.Time  `db:"start_date"`
	End       *time.Time `db:"end_date"`
	Exit      *string    `db:"exit_code"`
}

func loadCitizens(t *testing.T, pool *pgxpool.Pool) ([]storedCitizen, map[int64][]storedPeriod) {
	t.Helper()
	ctx := context.Background()
	rows, _ := pool.Query(ctx, `
		SELECT c.id, c.cpr, c.first_name, c.last_name, c.phone, c.visitation_code, u.username AS caseworker
		FROM citizens c LEFT JOIN users u ON u.id = c.caseworker_id ORDER BY c.id`)
	cs, err := pgx.CollectRows(rows, pgx.RowToStructByName[storedCitizen])
	if err != nil {
		t.Fatal(err)
	}
	rows, _ = pool.Query(ctx, `
		SELECT citizen_id, benefit_code, start_date, end_date, exit_code
		FROM benefit_periods ORDER BY citizen_id, start_date`)
	ps, err := pgx.CollectRows(rows, pgx.RowToStructByName[storedPeriod])
	if err != nil {
		t.Fatal(err)
	}
	byCitizen := map[int64][]storedPeriod{}
	for _, p := range ps {
		byCitizen[p.CitizenID] = append(byCitizen[p.CitizenID], p)
	}
	return cs, byCitizen
}

var phoneRE = regexp.MustCompile(`^[2-9][0-9] [0-9]{2} [0-9]{2} [0-9]{2}$`)

// visitationOK says which visitation codes fit a running benefit.
func visitationOK(benefit string, code *string) bool {
	c := ""
	if code != nil {
		c = *code
	}
	switch benefit {
	case sygedagpenge:
		return c == "sdp_kategori_1" || c == "sdp_kategori_2"
	case uddannelseshjaelp:
		return c == "aabenlyst_uddannelsesparat" || c == "uddannelsesparat" || c == "aktivitetsparat"
	case kontanthjaelp, integrationsydelse:
		return c == "jobparat" || c == "aktivitetsparat"
	case dagpenge:
		return c == "jobparat"
	}
	return c == ""
}

func TestDemo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.New(t)
	opts := Options{Citizens: 50, Seed: 42, Today: testToday}

	if has, err := HasData(ctx, pool); err != nil || has {
		t.Fatalf("HasData on a fresh database = %v, %v; want false", has, err)
	}
	logins, err := Demo(ctx, pool, opts)
	if err != nil {
		t.Fatal(err)
	}
	if has, err := HasData(ctx, pool); err != nil || !has {
		t.Fatalf("HasData after Demo = %v, %v; want true", has, err)
	}
	if _, err := Demo(ctx, pool, opts); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("second Demo: err = %v, want ErrNotEmpty", err)
	}

	for _, role := range []string{"sagsbehandler", "sundhedsmedarbejder", "socialmedarbejder", "rehabteam", "leder", "admin"} {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE role = $1`, role).Scan(&n); err != nil || n == 0 {
			t.Errorf("users with role %s: %d, %v", role, n, err)
		}
	}
	var units int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM units`).Scan(&units); err != nil || units != len(demoUnits) {
		t.Errorf("units: %d, %v; want %d", units, err, len(demoUnits))
	}

	cs, periods := loadCitizens(t, pool)
	if len(cs) != 50 {
		t.Fatalf("%d citizens, want 50", len(cs))
	}
	caseload := map[string]int{}
	for _, c := range cs {
		if c.Caseworker == nil {
			t.Errorf("citizen %d has no caseworker", c.ID)
			continue
		}
		caseload[*c.Caseworker]++
	}
	// 40/300 of the citizens, by exact quota.
	if got, want := caseload[demoCaseworker], 50*40/300; got < want || got > want+1 {
		t.Errorf("demo caseworker has %d citizens, want %d or %d (caseloads %v)", got, want, want+1, caseload)
	}

	window := testToday.AddDate(-5, 0, 0)
	for _, c := range cs {
		cpr, err := helhed.ParseCPR(c.CPR)
		if err != nil {
			t.Errorf("citizen %d: CPR %s: %v", c.ID, c.CPR, err)
			continue
		}
		if helhed.IsModulus11(cpr) {
			t.Errorf("citizen %d: CPR %s passes modulus 11, could be real", c.ID, cpr.Formatted())
		}
		if a := cpr.Age(testToday); a < 18 || a > 66 {
			t.Errorf("citizen %d: age %d", c.ID, a)
		}
		first := strings.Fields(c.FirstName)[0]
		if cpr.Female() != slices.Contains(femaleFirstNames, first) {
			t.Errorf("citizen %d: first name %q does not match the CPR's sex (female=%v)", c.ID, c.FirstName, cpr.Female())
		}
		if !phoneRE.MatchString(c.Phone) {
			t.Errorf("citizen %d: phone %q", c.ID, c.Phone)
		}
		ps := periods[c.ID]
		if len(ps) == 0 || len(ps) > 4 {
			t.Errorf("citizen %d has %d benefit periods, want 1–4", c.ID, len(ps))
			continue
		}
		for i, p := range ps {
			if p.Start.Before(window) || p.Start.After(testToday) {
				t.Errorf("citizen %d: period starts %s, outside the last five years", c.ID, p.Start.Format(time.DateOnly))
			}
			if p.End == nil {
				if i != len(ps)-1 {
					t.Errorf("citizen %d: running period %d is not the latest", c.ID, i)
				}
				continue
			}
			if p.Exit == nil {
				t.Errorf("citizen %d: period ending %s has no exit code", c.ID, p.End.Format(time.DateOnly))
			}
			if i+1 < len(ps) && !p.End.Before(ps[i+1].Start) {
				t.Errorf("citizen %d: period ending %s overlaps the next starting %s", c.ID,
					p.End.Format(time.DateOnly), ps[i+1].Start.Format(time.DateOnly))
			}
		}
		if last := ps[len(ps)-1]; last.End == nil && !visitationOK(last.Benefit, c.Visitation) {
			t.Errorf("citizen %d: visitation %v does not fit running benefit %s", c.ID, c.Visitation, last.Benefit)
		}
	}

	// Every code written exists in the reference data.
	var dead int
	if err := pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM benefit_periods b WHERE NOT EXISTS
		           (SELECT 1 FROM ref_values r WHERE r.kind = 'benefit_type' AND r.code = b.benefit_code))
		     + (SELECT count(*) FROM benefit_periods b WHERE b.exit_code IS NOT NULL AND NOT EXISTS
		           (SELECT 1 FROM ref_values r WHERE r.kind = 'exit_reason' AND r.code = b.exit_code))
		     + (SELECT count(*) FROM citizens c WHERE c.visitation_code IS NOT NULL AND NOT EXISTS
		           (SELECT 1 FROM ref_values r WHERE r.kind = 'visitation_category' AND r.code = c.visitation_code))`,
	).Scan(&dead); err != nil || dead != 0 {
		t.Errorf("rows with codes missing from ref_values: %d, %v", dead, err)
	}

	// Same seed on another fresh database: the same citizens, in the same order.
	pool2, _ := testdb.New(t)
	if _, err := Demo(ctx, pool2, opts); err != nil {
		t.Fatal(err)
	}
	cs2, _ := loadCitizens(t, pool2)
	if !slices.Equal(cprs(cs), cprs(cs2)) {
		t.Errorf("same seed gave different CPR lists:\n%v\n%v", cprs(cs), cprs(cs2))
	}
	if fp1, fp2 := fingerprint(t, pool), fingerprint(t, pool2); fp1 != fp2 {
		t.Errorf("same seed gave different data")
	}

	t.Run("passwords", func(t *testing.T) {
		if len(logins) != len(demoUsers) {
			t.Fatalf("%d logins, want %d", len(logins), len(demoUsers))
		}
		seen := map[string]bool{}
		for _, l := range logins {
			if l.RoleLabel == "" || l.Unit == "" || len(l.Password) < 16 || seen[l.Password] {
				t.Errorf("login %+v: missing label/unit, short or repeated password", l)
			}
			seen[l.Password] = true
			var hash, role string
			if err := pool.QueryRow(ctx, `SELECT password_hash, role FROM users WHERE username = $1`,
				l.Username).Scan(&hash, &role); err != nil {
				t.Fatalf("user %s: %v", l.Username, err)
			}
			if role != l.Role {
				t.Errorf("user %s: role %s, login says %s", l.Username, role, l.Role)
			}
			if ok, err := password.Verify(l.Password, hash); err != nil || !ok {
				t.Errorf("user %s: password does not verify (%v, %v)", l.Username, ok, err)
			}
		}
	})
}

func cprs(cs []storedCitizen) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.CPR
	}
	return out
}

// fingerprint digests everything the seed generated except ids and
// timestamps, to compare two runs.
func fingerprint(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var fp string
	err := pool.QueryRow(context.Background(), `
		SELECT md5(string_agg(concat_ws('|', c.cpr, c.first_name, c.last_name, c.address, c.postal_code,
		           c.city, c.phone, c.email, u.username, c.visitation_code,
		           (SELECT string_agg(concat_ws(',', b.benefit_code, b.start_date, b.end_date, b.exit_code), ';'
		                              ORDER BY b.start_date)
		            FROM benefit_periods b WHERE b.citizen_id = c.id)), E'\n' ORDER BY c.cpr))
		FROM citizens c LEFT JOIN users u ON u.id = c.caseworker_id`).Scan(&fp)
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

func TestDemoRefusesMissingCode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.New(t)
	// An administrator retires a code the generator uses: seeding must stop, not write it.
	if _, err := pool.Exec(ctx, `UPDATE ref_values SET valid_to = '2025-12-31'
		WHERE kind = 'benefit_type' AND code = 'dagpenge'`); err != nil {
		t.Fatal(err)
	}
	if _, err := Demo(ctx, pool, Options{Citizens: 5, Today: testToday}); !errors.Is(err, errMissingCode) {
		t.Fatalf("Demo with a retired code: err = %v, want errMissingCode", err)
	}
	if has, _ := HasData(ctx, pool); has {
		t.Error("a failed Demo left users behind")
	}
}
