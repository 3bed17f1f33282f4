package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/helhed/helhed/internal/store"
)

// auditRetentionFlag registers -audit-retention, shared by serve and retention run.
func auditRetentionFlag(fs *flag.FlagSet, getenv func(string) string) *time.Duration {
	return fs.Duration("audit-retention", envDuration(getenv, "AUDIT_RETENTION", 183*24*time.Hour),
		"delete audit rows older than this (env AUDIT_RETENTION; default 6 months)")
}

// cmdRetention runs the retention jobs once: `helhed retention run`. The server runs them
// hourly; this is for cron, or for an administrator who has just changed the period.
func cmdRetention(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "run" {
		return fmt.Errorf("retention: unknown subcommand (run)")
	}
	fs := flag.NewFlagSet("retention run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var d dbFlags
	d.register(fs, getenv)
	auditRetention := auditRetentionFlag(fs, getenv)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, closeStore, err := openStore(ctx, d, getenv, stderr, false)
	if err != nil {
		return err
	}
	defer closeStore()
	res, err := st.RunRetention(ctx, *auditRetention)
	fmt.Fprintf(stdout, "Opbevaring: %d afsluttede sager slettet, %d auditrækker slettet\n", len(res.Cases), res.AuditRows)
	return err
}

// housekeeping runs the retention jobs at start and hourly: old login failures no longer
// count, closed cases past their retention period are deleted, and audit rows past theirs
// are deleted (Datatilsynet: logs are kept for a set period, then deleted automatically).
// The log line has counts only: no ids, no personal data.
func housekeeping(ctx context.Context, st *store.Store, log *slog.Logger, auditRetention time.Duration) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		res, err := st.RunRetention(ctx, auditRetention)
		if err != nil && ctx.Err() == nil {
			log.Error("retention", "err", err)
		}
		if len(res.Cases) > 0 || res.AuditRows > 0 {
			log.Info("retention", "cases_deleted", len(res.Cases), "audit_rows_deleted", res.AuditRows)
		}
		// The audit chain's head, in a log kept outside the database: `helhed audit verify
		// -head` later shows whether rows after it were cut off.
		if head, err := st.AuditHead(ctx); err == nil {
			log.Info("audit chain", "head", head.String())
		} else if ctx.Err() == nil {
			log.Error("audit chain", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
