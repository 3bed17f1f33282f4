package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/password"
	"github.com/helhed/helhed/internal/seed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/migrations"
)

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var d dbFlags
	d.register(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDatabase(ctx, d, newLogger(stderr, getenv), stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	switch fs.Arg(0) {
	case "up", "":
		return migrations.Up(ctx, db.ownerURL)
	case "down":
		n := 1
		if fs.Arg(1) != "" {
			if n, err = strconv.Atoi(fs.Arg(1)); err != nil {
				return fmt.Errorf("migrate down: %q is not a number", fs.Arg(1))
			}
		}
		return migrations.Down(ctx, db.ownerURL, n)
	case "version":
		v, dirty, err := migrations.Version(ctx, db.ownerURL)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "version %d", v)
		if dirty {
			fmt.Fprint(stdout, " (dirty)")
		}
		fmt.Fprintln(stdout)
		return nil
	}
	return fmt.Errorf("migrate: unknown subcommand %q (up, down [N], version)", fs.Arg(0))
}

func cmdSeed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var d dbFlags
	d.register(fs, getenv)
	demo := fs.Bool("demo", false, "create demo units, one user per role and fictitious citizens")
	scale := fs.Bool("scale", false, "create a municipality-scale data set for load tests (100 000 citizens by default)")
	citizens := fs.Int("citizens", 0, "number of fictitious citizens (default 300 for --demo, 100 000 for --scale)")
	staff := fs.Int("staff", 500, "--scale: number of staff users")
	benchPassword := fs.String("password", getenv("HELHED_BENCH_PASSWORD"), "--scale: the password of every scale user (env HELHED_BENCH_PASSWORD)")
	seedNo := fs.Uint64("seed", 1, "random seed: the same seed gives the same data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *demo == *scale {
		return fmt.Errorf("seed: say what to create: --demo or --scale")
	}
	db, err := openDatabase(ctx, d, newLogger(stderr, getenv), stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrations.Up(ctx, db.ownerURL); err != nil {
		return err
	}
	// Seeding in bulk drops and rebuilds indexes and refreshes views: the owner's work.
	pool, err := pgxpool.New(ctx, db.ownerURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if has, err := seed.HasData(ctx, pool); err != nil {
		return err
	} else if has {
		return fmt.Errorf("seed: the database already has users; seed an empty database")
	}
	start := time.Now()
	if *scale {
		rep, err := seed.Scale(ctx, pool, seed.ScaleOptions{Citizens: *citizens, Staff: *staff, Password: *benchPassword, Seed: *seedNo, Today: time.Now()})
		if err != nil {
			return err
		}
		c := rep.Cases
		fmt.Fprintf(stdout, "Skaladata oprettet på %s: %d enheder, %d medarbejdere, %d borgere, %d screeninger, %d auditrækker.\n",
			time.Since(start).Round(time.Millisecond), rep.Units, rep.Staff, rep.Citizens, rep.Screenings, rep.AuditRows)
		fmt.Fprintf(stdout, "Sager: %d tilbud, %d henvisninger (%d hændelser), %d TFA'er, %d planer med %d delmål, %d indsatser, %d opfølgninger (%d scorer), %d møder i rehabiliteringsteamet med %d sager.\n",
			c.Offers, c.Referrals, c.ReferralEvents, c.Assessments, c.Plans, c.Goals, c.Efforts, c.FollowUps, c.Scores, rep.Meetings, rep.MeetingCases)
		for _, k := range seed.ScaleSteps {
			fmt.Fprintf(stdout, "  %-20s %s\n", k, rep.Took[k].Round(time.Millisecond))
		}
		return nil
	}
	if *citizens == 0 {
		*citizens = 300
	}
	logins, err := seed.Demo(ctx, pool, seed.Options{Citizens: *citizens, Seed: *seedNo, Today: time.Now()})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Demodata oprettet på %s: %d borgere.\n", time.Since(start).Round(time.Millisecond), *citizens)
	if db.embedded {
		if err := writeLogins(d.dataDir+"/demo-logins.txt", logins); err != nil {
			return err
		}
	}
	for _, l := range logins {
		fmt.Fprintf(stdout, "  %-14s %-20s %s\n", l.Username, l.Password, l.RoleLabel)
	}
	return nil
}

func cmdUser(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("user: add, disable or reset-totp")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var d dbFlags
	d.register(fs, getenv)
	username := fs.String("username", "", "login name")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "role code: sagsbehandler, sundhedsmedarbejder, socialmedarbejder, rehabteam, leder, admin")
	unit := fs.String("unit", "", "unit name")
	pw := fs.String("password", "", "initial password, changed by the user at the first login (empty: generate one and print it)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *username == "" {
		return fmt.Errorf("user %s: --username is required", sub)
	}
	st, closeStore, err := openStore(ctx, d, getenv, stderr, true)
	if err != nil {
		return err
	}
	defer closeStore()
	cli := store.Who{RequestID: "cli"}

	switch sub {
	case "add":
		if *name == "" || *role == "" || *unit == "" {
			return fmt.Errorf("user add: --name, --role and --unit are required")
		}
		units, err := st.ListUnits(ctx)
		if err != nil {
			return err
		}
		var unitID int64
		for _, u := range units {
			if strings.EqualFold(u.Name, *unit) {
				unitID = u.ID
			}
		}
		if unitID == 0 {
			return fmt.Errorf("user add: no unit named %q", *unit)
		}
		plain := *pw
		if plain == "" {
			plain = rand.Text()
		}
		// The web forms' policy; the operator knows this password, so the user must choose
		// their own at the first login.
		if err := password.Check(plain, *username); err != nil {
			return fmt.Errorf("user add: %w", err)
		}
		hash, err := password.Hash(plain, password.Default)
		if err != nil {
			return err
		}
		id, err := st.CreateUser(ctx, cli, store.NewUser{Username: strings.ToLower(*username), Name: *name, UnitID: unitID, Role: *role,
			PasswordHash: hash, MustChangePassword: true})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Bruger %s oprettet (id %d).", *username, id)
		if *pw == "" {
			fmt.Fprintf(stdout, " Adgangskode: %s", plain)
		}
		fmt.Fprintln(stdout)
		return nil
	case "disable":
		u, err := st.UserByUsername(ctx, strings.ToLower(*username))
		if err != nil {
			return err
		}
		// Sessions would die on their next request anyway (loadUser compares
		// sessions_valid_after); deleting them removes them from the database too.
		if err := st.SetUserDisabled(ctx, cli, u.ID, true); err != nil {
			return err
		}
		if err := web.New(st, newLogger(stderr, getenv), web.Config{}).EndUserSessions(ctx, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Bruger %s er deaktiveret; alle sessioner er ugyldige.\n", *username)
		return nil
	case "reset-totp":
		// Recovery of a lost phone: the user logs in with the password alone and enrols anew.
		u, err := st.UserByUsername(ctx, strings.ToLower(*username))
		if err != nil {
			return err
		}
		if err := st.ResetTOTP(ctx, cli, u.ID); err != nil {
			return err
		}
		if err := web.New(st, newLogger(stderr, getenv), web.Config{}).EndUserSessions(ctx, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Totrinsbekræftelsen for %s er nulstillet; alle sessioner er ugyldige. Brugeren slår den til igen under Skift adgangskode → Totrinsbekræftelse.\n", *username)
		return nil
	}
	return fmt.Errorf("user: unknown subcommand %q (add, disable, reset-totp)", sub)
}
