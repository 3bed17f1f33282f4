package pglocal

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// StartStandby starts a streaming hot standby of primary in opts.DataDir. When the directory
// is missing or empty, pg_basebackup copies the primary into it and writes the standby's
// connection to the primary (-R: standby.signal and primary_conninfo); otherwise the standby
// already there is started again. The standby is read-only and follows the primary's WAL
// until Promote. The primary needs nothing beyond initdb's defaults (wal_level replica,
// replication connections from 127.0.0.1 trusted). For synchronous replication, start the
// primary with Settings synchronous_standby_names "*" and synchronous_commit "on": then a
// commit is acknowledged only once the standby has the WAL.
func StartStandby(ctx context.Context, primary *Cluster, opts Options) (*Cluster, error) {
	return start(ctx, opts, func(c *Cluster, ctx context.Context) error {
		c.log.Info("pg_basebackup: copying the primary for a standby", "primary port", primary.Port())
		_, err := c.r.run(ctx, filepath.Join(c.binDir, "pg_basebackup"),
			"-D", c.dataDir, "-h", "127.0.0.1", "-p", strconv.Itoa(primary.Port()), "-U", superuser,
			"-X", "stream", "-c", "fast", "-R", "--no-sync")
		if err != nil {
			return fmt.Errorf("pglocal: pg_basebackup: %w", err)
		}
		return nil
	})
}

// InRecovery reports whether the server is a standby (still replaying WAL).
func (c *Cluster) InRecovery(ctx context.Context) (bool, error) {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return false, err
	}
	defer conn.Close(context.Background())
	var in bool
	err = conn.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&in)
	return in, err
}

// Promote turns a standby into a primary that accepts writes (pg_ctl promote) and waits until
// it does.
func (c *Cluster) Promote(ctx context.Context) error {
	if _, err := c.r.run(ctx, filepath.Join(c.binDir, "pg_ctl"), "promote", "-D", c.dataDir, "-w", "-t", "60", "-s"); err != nil {
		return fmt.Errorf("pglocal: promote: %w", err)
	}
	for {
		in, err := c.InRecovery(ctx)
		if err == nil && !in {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pglocal: promote: still in recovery: %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Kill ends the server the way a crash would: SIGKILL to the postmaster, no shutdown
// checkpoint, clients cut off mid-transaction. Its backends notice and exit. Stop still
// cleans up afterwards. For failover tests.
func (c *Cluster) Kill() error {
	pm, err := runningPostmaster(c.dataDir)
	if err != nil || pm.pid == 0 {
		return err
	}
	if err := syscall.Kill(pm.pid, syscall.SIGKILL); err != nil {
		return fmt.Errorf("pglocal: kill postmaster %d: %w", pm.pid, err)
	}
	return nil
}
