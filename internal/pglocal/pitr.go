package pglocal

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"time"
)

// Point-in-time recovery with PostgreSQL's own tools: the server copies every finished WAL
// segment into an archive directory (ArchiveSettings), a base backup is taken now and then
// (BaseBackup), and a lost or damaged database is rebuilt from the latest base backup by
// replaying the archive up to a chosen moment (Restore). docs/deployment.md has the drill.

// ArchiveSettings are the Options.Settings that make a cluster archive its WAL into dir (made
// ready with PrepareDir). A segment is archived when full or, on a quiet server, after a
// minute, so at most a minute of commits is not yet in the archive.
func ArchiveSettings(dir string) map[string]string {
	return map[string]string{
		"archive_mode": "on",
		// Never overwrite a segment already archived: a second cluster archiving into the same
		// directory by mistake must fail loudly, not destroy the first one's history.
		"archive_command": "test ! -f " + shellJoin([]string{dir}) + "/%f && cp %p " + shellJoin([]string{dir}) + "/%f",
		"archive_timeout": "60",
	}
}

// PrepareDir creates dir (and missing parents) for the server's own files — a WAL archive, a
// base backup — and hands it to the server user when we run as root.
func PrepareDir(dir string) error {
	r, err := newRunner()
	if err != nil {
		return err
	}
	created, err := mkdirAllTracked(dir, 0o700)
	if err != nil {
		return err
	}
	if err := r.chown(dir, false); err != nil {
		return err
	}
	return r.ensureTraversable(dir, created)
}

// BaseBackup copies the running cluster into dir (missing or empty) with pg_basebackup,
// including the WAL that makes the copy consistent.
func (c *Cluster) BaseBackup(ctx context.Context, dir string) error {
	if err := PrepareDir(dir); err != nil {
		return err
	}
	if _, err := c.r.run(ctx, filepath.Join(c.binDir, "pg_basebackup"), "-D", dir, "-h", "127.0.0.1",
		"-p", fmt.Sprint(c.port), "-U", superuser, "-X", "stream", "-c", "fast"); err != nil {
		return fmt.Errorf("pglocal: base backup: %w", err)
	}
	return nil
}

// RecoveryTarget is the moment a restore stops replaying: a restore point made with
// pg_create_restore_point (Name), or a time (Time). The zero target replays all archived WAL.
type RecoveryTarget struct {
	Name string
	Time time.Time
}

// Restore builds a new cluster in opts.DataDir (missing or empty) from the base backup in
// backupDir, replays the WAL archived in archiveDir up to target, and promotes it: the
// database as it was at that moment, accepting writes. The base backup is copied, not used in
// place, so the same backup serves the next drill.
func Restore(ctx context.Context, backupDir, archiveDir string, target RecoveryTarget, opts Options) (*Cluster, error) {
	settings := map[string]string{
		"restore_command":        "cp " + shellJoin([]string{archiveDir}) + "/%f %p",
		"recovery_target_action": "promote",
	}
	switch {
	case target.Name != "":
		settings["recovery_target_name"] = target.Name
	case !target.Time.IsZero():
		settings["recovery_target_time"] = target.Time.UTC().Format("2006-01-02 15:04:05.999999Z")
	}
	opts.Settings = maps.Clone(opts.Settings)
	if opts.Settings == nil {
		opts.Settings = map[string]string{}
	}
	maps.Copy(opts.Settings, settings)
	// A restored cluster must not archive into the archive it restores from.
	opts.Settings["archive_mode"] = "off"
	c, err := start(ctx, opts, func(c *Cluster, ctx context.Context) error {
		if _, err := c.r.run(ctx, "cp", "-a", backupDir+"/.", c.dataDir); err != nil {
			return fmt.Errorf("pglocal: copy base backup: %w", err)
		}
		signal := filepath.Join(c.dataDir, "recovery.signal")
		if err := os.WriteFile(signal, nil, 0o600); err != nil {
			return err
		}
		return c.r.chown(signal, false)
	})
	if err != nil {
		return nil, err
	}
	for {
		in, err := c.InRecovery(ctx)
		if err == nil && !in {
			return c, nil
		}
		select {
		case <-ctx.Done():
			_ = c.Stop()
			return nil, fmt.Errorf("pglocal: restore: still replaying WAL: %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
