package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/pglocal"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/migrations"
)

// dbFlags are the flags every database-using command shares.
type dbFlags struct {
	databaseURL string
	migrateURL  string
	dataDir     string
}

func (d *dbFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	dataDir := getenv("HELHED_DATA_DIR")
	if dataDir == "" {
		dataDir = ".data"
	}
	fs.StringVar(&d.databaseURL, "database-url", getenv("DATABASE_URL"), "PostgreSQL URL (env DATABASE_URL); empty: embedded PostgreSQL")
	fs.StringVar(&d.migrateURL, "migrate-database-url", getenv("MIGRATE_DATABASE_URL"),
		"PostgreSQL URL of the tables' owner for migrations, seeding and backups (env MIGRATE_DATABASE_URL); empty: the -database-url")
	fs.StringVar(&d.dataDir, "data-dir", dataDir, "data folder for the embedded PostgreSQL and demo logins (env HELHED_DATA_DIR)")
}

// database is an open database: its URLs, whether it is the embedded cluster, and how to stop
// it. The application's pool works as store.RuntimeRole whichever URL it connects with
// (store.OpenPool); ownerURL is for what only the tables' owner may do: migrations, seeding
// in bulk, backup and restore.
type database struct {
	url      string
	ownerURL string
	embedded bool
	cluster  *pglocal.Cluster
}

// Close stops the embedded cluster, if we started one.
func (d *database) Close() error {
	if d.cluster != nil {
		return d.cluster.Stop()
	}
	return nil
}

// openDatabase returns DATABASE_URL when set; otherwise it starts (initialising on first run)
// the private cluster in <data-dir>/pg and makes sure the helhed database exists in it.
func openDatabase(ctx context.Context, d dbFlags, log *slog.Logger, stderr io.Writer) (*database, error) {
	if d.databaseURL != "" {
		owner := d.migrateURL
		if owner == "" {
			owner = d.databaseURL
		}
		return &database{url: d.databaseURL, ownerURL: owner}, nil
	}
	dir, err := filepath.Abs(filepath.Join(d.dataDir, "pg"))
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "Ingen DATABASE_URL: starter indbygget PostgreSQL i %s\n", dir)
	c, err := pglocal.Start(ctx, pglocal.Options{DataDir: dir, Logger: log})
	if err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		c.Stop()
		return nil, fmt.Errorf("connect to embedded postgres: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'helhed')`).Scan(&exists); err != nil {
		c.Stop()
		return nil, err
	}
	if !exists {
		if _, err := conn.Exec(ctx, `CREATE DATABASE helhed`); err != nil {
			c.Stop()
			return nil, fmt.Errorf("create database: %w", err)
		}
	}
	// The embedded cluster has one user, the superuser; the pool sets the runtime role.
	return &database{url: c.URL("helhed"), ownerURL: c.URL("helhed"), embedded: true, cluster: c}, nil
}

// openStore opens the database (openDatabase) and a store on it as the application's role,
// after migrating it as the owner when migrate is set; closeStore releases both.
func openStore(ctx context.Context, d dbFlags, getenv func(string) string, stderr io.Writer, migrate bool) (st *store.Store, closeStore func(), err error) {
	db, err := openDatabase(ctx, d, newLogger(stderr, getenv), stderr)
	if err != nil {
		return nil, nil, err
	}
	if migrate {
		if err := migrations.Up(ctx, db.ownerURL); err != nil {
			db.Close()
			return nil, nil, err
		}
	}
	pool, err := store.OpenPool(ctx, db.url)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return store.New(pool), func() { pool.Close(); db.Close() }, nil
}
