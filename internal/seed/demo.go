package seed

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/password"
)

// Login is a demo account with its generated password.
type Login struct {
	Username  string
	Password  string // plain text: shown once, stored only as an argon2id hash
	Role      string // roles.code
	RoleLabel string // roles.label, for printing
	Unit      string // unit name
}

// ErrNotEmpty is returned by Demo when the database already has users: the
// demo data is for a fresh database, never to be mixed into real data.
var ErrNotEmpty = errors.New("seed: database already has users")

// demoUnit is one organisational unit of the demo.
type demoUnit struct{ name, kind string }

// The units of the demo, as Faxe Kommune and its partners might name them.
const (
	unitJobcenter = "Jobcenter Faxe"
	unitSundhed   = "Sundhedscenter Faxe"
	unitSocial    = "Socialforvaltningen Faxe"
	unitRegion    = "Region Sjælland – sundhedskoordinator"
	unitIT        = "IT og Digitalisering"
)

var demoUnits = []demoUnit{
	{unitJobcenter, "jobcenter"},
	{"Jobcenter Faxe – Team Sygedagpenge", "jobcenter"},
	{unitSundhed, "sundhedscenter"},
	{unitSocial, "socialforvaltning"},
	{unitRegion, "region"},
	{"UU Faxe", "uddannelse"},
	{unitIT, "administration"},
}

// unitKinds lists the unit_kind codes the demo units use, for checkCodes.
func unitKinds() []string {
	var kinds []string
	seen := map[string]bool{}
	for _, u := range demoUnits {
		if !seen[u.kind] {
			seen[u.kind] = true
			kinds = append(kinds, u.kind)
		}
	}
	return kinds
}

// demoUser is one demo account. share is its weight when citizens are
// spread over the jobcenter's caseworkers (0 = not a caseworker).
type demoUser struct {
	username, name, role, unit string
	share                      int
}

// demoCaseworker is the account the demo is shown with.
const demoCaseworker = "sagsbehandler"

// demoUsers has one readable account per role, then six more caseworkers.
// The shares put 40 of the default 300 citizens on "sagsbehandler" — the
// caseload the product aims for, against the ~80 caseworkers carry today —
// and more or fewer on the colleagues, so the leader sees uneven caseloads.
var demoUsers = []demoUser{
	{demoCaseworker, "Mette Lund", "sagsbehandler", unitJobcenter, 40},
	{"sundhed", "Karina Dahl", "sundhedsmedarbejder", unitSundhed, 0},
	{"social", "Jesper Skov", "socialmedarbejder", unitSocial, 0},
	{"rehab", "Hanne Kjær", "rehabteam", unitRegion, 0},
	{"leder", "Torben Vestergaard", "leder", unitJobcenter, 0},
	{"admin", "Allan Nissen", "admin", unitIT, 0},
	{"camilla.holm", "Camilla Holm", "sagsbehandler", unitJobcenter, 62},
	{"rasmus.lauridsen", "Rasmus Lauridsen", "sagsbehandler", unitJobcenter, 55},
	{"stine.frandsen", "Stine Frandsen", "sagsbehandler", unitJobcenter, 48},
	{"kasper.oestergaard", "Kasper Østergaard", "sagsbehandler", unitJobcenter, 42},
	{"birgitte.noergaard", "Birgitte Nørgaard", "sagsbehandler", unitJobcenter, 30},
	{"ole.jeppesen", "Ole Jeppesen", "sagsbehandler", unitJobcenter, 23},
}

// Demo seeds a fresh database, in one transaction: the demo units, the demo
// catalogue of offers (Offers), one account per role plus six more
// caseworkers in Jobcenter Faxe, and
// opts.Citizens citizens (default 300) with benefit periods, spread over
// those caseworkers. It returns the accounts with their plain passwords,
// which exist nowhere else; the caller decides where to show or keep them.
// On a database that already has users it returns ErrNotEmpty.
func Demo(ctx context.Context, pool *pgxpool.Pool, opts Options) ([]Login, error) {
	n := opts.Citizens
	if n <= 0 {
		n = defaultCitizens
	}
	// Hash before opening the transaction: argon2id at OWASP cost is ~40 ms
	// a user, and a transaction should not idle while the CPU works.
	logins, hashes, err := demoLogins()
	if err != nil {
		return nil, err
	}
	law, err := benefitLaw(ctx, pool)
	if err != nil {
		return nil, err
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var has bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users)`).Scan(&has); err != nil {
			return fmt.Errorf("seed: check for users: %w", err)
		}
		if has {
			return ErrNotEmpty
		}
		if err := checkCodes(ctx, tx, opts.today(), law.RefSet); err != nil {
			return err
		}
		unitIDs := map[string]int64{}
		providers := map[string]int64{} // unit kind → the first unit of that kind provides its offers
		for _, u := range demoUnits {
			var id int64
			if err := tx.QueryRow(ctx, `INSERT INTO units (name, kind) VALUES ($1, $2) RETURNING id`,
				u.name, u.kind).Scan(&id); err != nil {
				return fmt.Errorf("seed: insert unit %q: %w", u.name, err)
			}
			unitIDs[u.name] = id
			if _, ok := providers[u.kind]; !ok {
				providers[u.kind] = id
			}
		}
		if err := Offers(ctx, tx, providers, opts.today()); err != nil {
			return err
		}
		if err := Initiatives(ctx, tx, opts.today()); err != nil {
			return err
		}
		labels, err := roleLabels(ctx, tx)
		if err != nil {
			return err
		}
		var caseworkers []int64
		var shares []int
		for i, u := range demoUsers {
			var id int64
			if err := tx.QueryRow(ctx, `
				INSERT INTO users (username, name, email, unit_id, role, password_hash)
				VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
				u.username, u.name, u.username+"@faxe.example", unitIDs[u.unit], u.role, hashes[i],
			).Scan(&id); err != nil {
				return fmt.Errorf("seed: insert user %q: %w", u.username, err)
			}
			logins[i].RoleLabel = labels[u.role]
			if u.share > 0 {
				caseworkers = append(caseworkers, id)
				shares = append(shares, u.share)
			}
		}
		g := newGenerator(opts.Seed, streamDemo, opts.today(), nil, law)
		return insertCitizens(ctx, tx, g, unitIDs[unitJobcenter], quotas(g.r, caseworkers, shares, n))
	})
	if err != nil {
		return nil, err
	}
	if err := DemoCases(ctx, pool, opts.today()); err != nil {
		return nil, err
	}
	return logins, nil
}

// demoLogins makes a fresh random password for every demo user and hashes
// them in parallel, one goroutine per user: 12 argon2id hashes would take
// half a second one after the other.
func demoLogins() ([]Login, []string, error) {
	logins := make([]Login, len(demoUsers))
	hashes := make([]string, len(demoUsers))
	errs := make([]error, len(demoUsers))
	var wg sync.WaitGroup
	for i, u := range demoUsers {
		logins[i] = Login{Username: u.username, Password: newPassword(), Role: u.role, Unit: u.unit}
		wg.Go(func() {
			hashes[i], errs[i] = password.Hash(logins[i].Password, password.Default)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, fmt.Errorf("seed: hash demo password: %w", err)
	}
	return logins, hashes, nil
}

// newPassword returns 16 random base32 characters (80 bits from
// crypto/rand, never from the seed: a known seed must not reveal the
// passwords), lower case in groups of four so it can be read out and typed.
func newPassword() string {
	s := strings.ToLower(rand.Text()[:16])
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}

// roleLabels reads the roles' display labels, which administrators may have
// edited, for the printed login list.
func roleLabels(ctx context.Context, tx pgx.Tx) (map[string]string, error) {
	rows, _ := tx.Query(ctx, `SELECT code, label FROM roles`)
	labels := map[string]string{}
	var code, label string
	if _, err := pgx.ForEachRow(rows, []any{&code, &label}, func() error {
		labels[code] = label
		return nil
	}); err != nil {
		return nil, fmt.Errorf("seed: read roles: %w", err)
	}
	return labels, nil
}
