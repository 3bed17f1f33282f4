package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/helhed/helhed/internal/pglocal"
	"github.com/helhed/helhed/migrations"
)

// pgTool finds a PostgreSQL client program (pg_dump, pg_restore) next to the server binaries
// the embedded cluster uses, or on PATH.
func pgTool(name string) (string, error) {
	if dir, err := pglocal.FindBinaries(); err == nil {
		if p := filepath.Join(dir, name); fileExists(p) {
			return p, nil
		}
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s not found: install the PostgreSQL client programs", name)
	}
	return p, nil
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// cmdBackup writes a consistent snapshot of the database with pg_dump's custom format
// (compressed, restorable table by table).
func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var d dbFlags
	d.register(fs, getenv)
	out := fs.String("out", "", "file to write (pg_dump custom format)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("backup: --out is required")
	}
	dump, err := pgTool("pg_dump")
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, d, newLogger(stderr, getenv), stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	cmd := exec.CommandContext(ctx, dump, "--format=custom", "--no-owner", "--file="+*out, "--dbname="+db.ownerURL)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pg_dump: %w", err)
	}
	fmt.Fprintf(stdout, "Backup skrevet til %s\n", *out)
	return nil
}

// cmdRestore loads a backup into an empty database (a fresh cluster or DATABASE_URL).
func cmdRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var d dbFlags
	d.register(fs, getenv)
	in := fs.String("in", "", "backup file written by helhed backup")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" {
		return fmt.Errorf("restore: --in is required")
	}
	restore, err := pgTool("pg_restore")
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, d, newLogger(stderr, getenv), stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	// The dump grants rights to the runtime role; a fresh cluster must have it first.
	if err := migrations.EnsureRuntimeRole(ctx, db.ownerURL); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, restore, "--no-owner", "--exit-on-error", "--single-transaction", "--dbname="+db.ownerURL, *in)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pg_restore: %w", err)
	}
	fmt.Fprintf(stdout, "Backup %s indlæst\n", *in)
	return nil
}
