// Package seed fills a database with deterministic, fictitious demo and
// scale data: units, demo users with generated passwords, and citizens with
// benefit periods. Every CPR number comes from helhed.FictitiousCPR, so no
// row can describe a real person, and the same seed yields the same data.
package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// Options control how much data is made and from which seed.
type Options struct {
	// Citizens is the number of citizens Demo creates; 0 means 300.
	Citizens int
	// Seed seeds the PRNG: the same seed (and Today) gives the same data.
	Seed uint64
	// Today is the reference date: ages are 18–66 on it and benefit
	// periods run up to it. The zero value means the current date.
	Today time.Time
}

// defaultCitizens is the size of the demo caseload when Options.Citizens is 0.
const defaultCitizens = 300

// today returns the reference date as a calendar date.
func (o Options) today() time.Time {
	if o.Today.IsZero() {
		return dateOnly(time.Now())
	}
	return dateOnly(o.Today)
}

// HasData reports whether the database already has users, so `make run`
// seeds only on the first start.
func HasData(ctx context.Context, pool *pgxpool.Pool) (bool, error) {
	var has bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users)`).Scan(&has); err != nil {
		return false, fmt.Errorf("seed: check for users: %w", err)
	}
	return has, nil
}

// Citizens bulk-inserts n more citizens, with their benefit periods, into
// unitID, with caseworkers drawn from caseworkerIDs (unequal shares, so the
// caseloads differ; none if caseworkerIDs is empty). opts.Citizens is
// ignored. It is meant for scale tests: everything goes in one transaction
// with two COPYs, so 100 000 citizens take seconds rather than minutes.
//
// The same seed on the same database state gives the same citizens; CPR
// numbers already in the database are skipped, so it can be run repeatedly.
func Citizens(ctx context.Context, pool *pgxpool.Pool, unitID int64, caseworkerIDs []int64, n int, opts Options) error {
	if n <= 0 {
		return nil
	}
	law, err := benefitLaw(ctx, pool)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := checkCodes(ctx, tx, opts.today(), law.RefSet); err != nil {
			return err
		}
		existing, err := existingCPRs(ctx, tx)
		if err != nil {
			return err
		}
		g := newGenerator(opts.Seed, streamScale, opts.today(), existing, law)
		// Shares between 1 and 3 of a unit each: a team where some carry
		// three times the caseload of others is what a leader's overview
		// should be able to show.
		weights := make([]int, len(caseworkerIDs))
		for i := range weights {
			weights[i] = 10 + g.r.IntN(21)
		}
		return insertCitizens(ctx, tx, g, unitID, quotas(g.r, caseworkerIDs, weights, n))
	})
}

// insertCitizens generates len(assign) citizens, the i-th with caseworker
// assign[i] (0 = none), and
// writes them and their benefit periods with COPY.
//
// citizens.id is GENERATED ALWAYS, yet COPY FROM writes the ids it is given
// (the PostgreSQL manual: COPY behaves like INSERT … OVERRIDING SYSTEM
// VALUE). So the ids are drawn from the identity's own sequence first, which
// keeps the sequence ahead of them and lets the benefit periods reference
// their citizen without reading anything back.
func insertCitizens(ctx context.Context, tx pgx.Tx, g *generator, unitID int64, assign []int64) error {
	n := len(assign)
	rows, _ := tx.Query(ctx,
		`SELECT nextval(pg_get_serial_sequence('citizens', 'id')) FROM generate_series(1, $1)`, n)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("seed: allocate citizen ids: %w", err)
	}
	if len(ids) != n {
		return fmt.Errorf("seed: allocated %d citizen ids, want %d", len(ids), n)
	}

	// Generation is streamed into the COPY (pgx runs the source in its own
	// goroutine), so Go builds rows while PostgreSQL updates indexes. The
	// periods are kept for the second COPY: ~2.5 per citizen, small.
	periods := make([]periodRow, 0, n*5/2)
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		c := g.next()
		c.id, c.caseworkerID = ids[i], assign[i]
		i++
		for _, p := range c.periods {
			periods = append(periods, periodRow{citizenID: c.id, period: p})
		}
		return []any{c.id, string(c.cpr), c.firstName, c.lastName, c.address, c.postalCode, c.city,
			c.phone, c.email, unitID, nullID(c.caseworkerID), nullText(c.visitation)}, nil
	})
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"citizens"}, []string{"id", "cpr", "first_name",
		"last_name", "address", "postal_code", "city", "phone", "email", "unit_id", "caseworker_id",
		"visitation_code"}, src); err != nil {
		return fmt.Errorf("seed: copy citizens: %w", err)
	}

	j := 0
	psrc := pgx.CopyFromFunc(func() ([]any, error) {
		if j == len(periods) {
			return nil, nil
		}
		p := periods[j]
		j++
		var end any
		if !p.end.IsZero() {
			end = p.end
		}
		return []any{p.citizenID, p.benefit, p.start, end, nullText(p.exit)}, nil
	})
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"benefit_periods"},
		[]string{"citizen_id", "benefit_code", "start_date", "end_date", "exit_code"}, psrc); err != nil {
		return fmt.Errorf("seed: copy benefit periods: %w", err)
	}
	return nil
}

// periodRow is a benefit period waiting for the second COPY.
type periodRow struct {
	citizenID int64
	period
}

// existingCPRs loads the CPR numbers already stored, so generated ones can
// avoid them instead of failing the COPY on the unique index.
func existingCPRs(ctx context.Context, tx pgx.Tx) (map[helhed.CPR]struct{}, error) {
	rows, _ := tx.Query(ctx, `SELECT cpr FROM citizens`)
	seen := map[helhed.CPR]struct{}{}
	var cpr string
	_, err := pgx.ForEachRow(rows, []any{&cpr}, func() error {
		seen[helhed.CPR(cpr)] = struct{}{}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("seed: read existing CPR numbers: %w", err)
	}
	return seen, nil
}

// errMissingCode marks a reference code the generator uses that the
// database does not have (or not in force on the reference date).
var errMissingCode = errors.New("seed: reference code missing")

// checkCodes verifies that every code the generator writes exists in
// ref_values and is in force on today. The foreign keys to ref_values
// (migration 0017) refuse an unknown code too, but not one that has ended,
// and Scale adds them back only after the whole load: this fails at once,
// naming the code.
func checkCodes(ctx context.Context, tx pgx.Tx, today time.Time, law store.RefSet) error {
	if err := checkBenefitLaw(law, today); err != nil {
		return err
	}
	want := map[string][]string{
		"exit_reason":         exitCodes,
		"visitation_category": visitationCodes,
		"unit_kind":           unitKinds(),
	}
	for kind, codes := range want {
		if err := requireCodes(ctx, tx, kind, codes, today); err != nil {
			return err
		}
	}
	return nil
}

// checkBenefitLaw verifies the benefit types the generator draws against the
// reference data: each exists, and each is in force on today or has a
// successor that is (uddannelseshjælp: kontanthjælp), so the latest periods
// can be made lawfully. A benefit an administrator ends without a successor
// stops seeding at once, naming it.
func checkBenefitLaw(law store.RefSet, today time.Time) error {
	for _, b := range benefitMix.items {
		if !law.Has(b) {
			return fmt.Errorf("%w: benefit_type %s does not exist", errMissingCode, b)
		}
		now := b
		if s, ok := successors[b]; ok && !law.ValidOn(b, today) {
			now = s
		}
		if !law.ValidOn(now, today) {
			return fmt.Errorf("%w: benefit_type %s is not in force on %s", errMissingCode, now, today.Format(time.DateOnly))
		}
	}
	return nil
}

// seedLaw is the law the generated benefit periods obey: the benefit types with their dates
// (lawful) and the benefit rules over a history (helhed.BenefitLaw, migration 0024).
type seedLaw struct {
	store.RefSet
	rules helhed.BenefitLaw
}

// benefitLaw loads the benefit types with their dates and the benefit rules, which the
// generated periods obey.
func benefitLaw(ctx context.Context, pool *pgxpool.Pool) (seedLaw, error) {
	st := store.New(pool)
	vs, err := st.RefValues(ctx, "benefit_type")
	if err != nil {
		return seedLaw{}, fmt.Errorf("seed: %w", err)
	}
	rules, err := st.BenefitLaw(ctx)
	if err != nil {
		return seedLaw{}, fmt.Errorf("seed: %w", err)
	}
	return seedLaw{RefSet: vs, rules: rules}, nil
}

// nullID maps 0 to SQL NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullText maps "" to SQL NULL.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
