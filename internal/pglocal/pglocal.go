// Package pglocal runs a private PostgreSQL cluster from the server
// binaries installed on the machine, so `helhed serve` works without a
// DATABASE_URL and tests get a real database without Docker.
//
// Behaviour worth knowing:
//
//   - As root, initdb/pg_ctl run as the "postgres" system user (PostgreSQL
//     refuses to run as root). The data and socket directories are chowned
//     to it, and every parent of the data directory must be searchable by
//     it: parents we create get o+x, others produce an error naming the
//     directory. Note that os.MkdirTemp and t.TempDir create 0700 dirs.
//   - The server listens on 127.0.0.1 only; the unix socket goes to a short
//     temporary directory because socket paths are limited to ~107 bytes.
//   - If the data directory's server is already running (e.g. left behind
//     by a crashed run), Start adopts it: it connects to the port recorded
//     in postmaster.pid and the returned Cluster's Stop will stop it. A
//     stale postmaster.pid is left to postgres to clean up.
//   - A watchdog process stops the server (and, for Ephemeral clusters,
//     removes the directory) if this process dies without calling Stop,
//     e.g. when a test panics or go test's -timeout fires.
package pglocal

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Options configure a cluster.
type Options struct {
	// DataDir is the cluster directory; it is created with initdb when
	// missing or empty. It may be empty only for Ephemeral clusters, which
	// then get a fresh directory under os.TempDir().
	DataDir string
	// Port is the TCP port on 127.0.0.1; 0 picks a free one. A persistent
	// cluster remembers its port in DataDir/helhed.port and reuses it when
	// free, so its URL stays stable across restarts.
	Port int
	// Ephemeral is for tests: fsync, synchronous_commit and
	// full_page_writes are off, max_connections is 200, initdb skips fsync,
	// and Stop removes DataDir.
	Ephemeral bool
	// Logger receives progress and pg_ctl output; may be nil.
	Logger *slog.Logger
	// Settings are extra postgresql.conf settings (e.g. "max_connections"),
	// applied on every start and overriding the Ephemeral defaults.
	Settings map[string]string
}

// superuser is the role initdb creates (-U); trust auth means no password.
const superuser = "postgres"

// readyTimeout bounds how long Start waits for the server to accept
// connections; a healthy cluster is ready within a second or two.
const readyTimeout = 30 * time.Second

// Cluster is a running PostgreSQL server owned by this process. It is safe
// for concurrent use.
type Cluster struct {
	opts    Options
	binDir  string
	dataDir string
	sockDir string // removed by Stop; empty if not ours
	port    int
	r       *runner
	log     *slog.Logger
	wd      *watchdog
	// freshDir is set when DataDir was missing or empty, i.e. everything
	// in it is ours.
	freshDir bool

	mu      sync.Mutex
	stopped bool
	stopErr error
}

// Start initialises (if needed) and starts the cluster described by opts and
// waits until it accepts connections. On failure the error includes the
// tail of the server log.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	return start(ctx, opts, (*Cluster).initdb)
}

// start is Start with the way a missing or empty data directory is filled: initdb for a new
// cluster, pg_basebackup for a standby.
func start(ctx context.Context, opts Options, create func(*Cluster, context.Context) error) (*Cluster, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	binDir, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	r, err := newRunner()
	if err != nil {
		return nil, err
	}
	if opts.DataDir == "" {
		if !opts.Ephemeral {
			return nil, errors.New("pglocal: Options.DataDir is required for a persistent cluster")
		}
		if opts.DataDir, err = os.MkdirTemp("", "helhed-pg-"); err != nil {
			return nil, err
		}
	}
	dataDir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, err
	}
	c := &Cluster{opts: opts, binDir: binDir, dataDir: dataDir, r: r, log: log.With("datadir", dataDir)}

	if err := c.prepare(ctx, create); err != nil {
		if c.freshDir { // never delete a directory we did not create
			c.discardEphemeral()
		}
		return nil, err
	}
	pm, err := runningPostmaster(dataDir)
	if err != nil {
		return nil, err
	}
	if pm.pid != 0 {
		return c.adopt(ctx, pm)
	}

	// From here on a failure must not leave a server or directories behind.
	if err := c.start(ctx); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

// prepare creates and fills (create) the data directory when needed and makes
// it usable by the server user.
func (c *Cluster) prepare(ctx context.Context, create func(*Cluster, context.Context) error) error {
	entries, err := os.ReadDir(c.dataDir)
	var created []string
	needInit := false
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if created, err = mkdirAllTracked(c.dataDir, 0o700); err != nil {
			return err
		}
		needInit = true
	case err != nil:
		return err
	case len(entries) == 0:
		needInit = true
	default:
		if _, err := os.Stat(filepath.Join(c.dataDir, "PG_VERSION")); err != nil {
			return fmt.Errorf("pglocal: %s is neither empty nor a PostgreSQL data directory (no PG_VERSION)", c.dataDir)
		}
	}
	c.freshDir = needInit
	if c.r.asOther && !c.r.ownedByServerUser(c.dataDir) {
		if err := c.r.chown(c.dataDir, !needInit); err != nil {
			return fmt.Errorf("pglocal: hand %s to the %s user: %w", c.dataDir, serverUser, err)
		}
	}
	if err := c.r.ensureTraversable(c.dataDir, created); err != nil {
		return fmt.Errorf("pglocal: %w", err)
	}
	if needInit {
		return create(c, ctx)
	}
	return nil
}

// initdb creates the cluster. C.UTF-8 gives UTF-8 character semantics with
// byte-order sorting and is the same on every machine; systems without that
// locale (older macOS) fall back to plain C, which works with UTF8 too.
func (c *Cluster) initdb(ctx context.Context) error {
	initdb := filepath.Join(c.binDir, "initdb")
	var out string
	var err error
	for _, locale := range []string{"C.UTF-8", "C"} {
		args := []string{"-D", c.dataDir, "-U", superuser, "--auth=trust", "--encoding=UTF8", "--locale=" + locale}
		if c.opts.Ephemeral {
			args = append(args, "--no-sync")
		}
		c.log.Info("initdb: creating PostgreSQL cluster", "locale", locale)
		out, err = c.r.run(ctx, initdb, args...)
		if err == nil || !strings.Contains(out, "invalid locale") {
			break
		}
		// initdb removes what it created on failure; restore the empty,
		// correctly owned directory before retrying.
		if err := os.MkdirAll(c.dataDir, 0o700); err != nil {
			return err
		}
		if err := c.r.chown(c.dataDir, false); err != nil {
			return err
		}
	}
	if err != nil {
		return fmt.Errorf("pglocal: initdb: %w", err)
	}
	c.log.Debug("initdb done", "output", out)
	return nil
}

// adopt takes over a server that is already running in the data directory.
func (c *Cluster) adopt(ctx context.Context, pm postmaster) (*Cluster, error) {
	hint := fmt.Sprintf("stop it with: pg_ctl stop -D %s", c.dataDir)
	if pm.port == 0 {
		return nil, fmt.Errorf("pglocal: a server (pid %d) is already running in %s but its port is unknown; %s", pm.pid, c.dataDir, hint)
	}
	c.log.Warn("PostgreSQL already running in data directory; reusing it", "pid", pm.pid, "port", pm.port)
	c.port = pm.port
	if strings.HasPrefix(filepath.Base(pm.sockDir), sockDirPrefix) {
		c.sockDir = pm.sockDir
	}
	if err := c.waitReady(ctx, 5*time.Second); err != nil {
		return nil, fmt.Errorf("pglocal: a server (pid %d) is already running in %s but does not accept connections on 127.0.0.1:%d (%v); %s",
			pm.pid, c.dataDir, pm.port, err, hint)
	}
	wd, err := startWatchdog(c)
	if err != nil {
		return nil, err
	}
	c.wd = wd
	return c, nil
}

// sockDirPrefix names our socket directories, so an adopted server's one
// can be recognised and cleaned up.
const sockDirPrefix = "helhed-pgs-"

// start writes the per-start config and runs pg_ctl start, retrying with
// another port when a port we picked was taken in the meantime.
func (c *Cluster) start(ctx context.Context) error {
	base := os.TempDir()
	if len(base) > 60 { // keep socket path well under the ~107 byte limit
		base = "/tmp"
	}
	var err error
	if c.sockDir, err = os.MkdirTemp(base, sockDirPrefix); err != nil {
		return err
	}
	if err := c.r.chown(c.sockDir, false); err != nil {
		return err
	}
	if c.wd, err = startWatchdog(c); err != nil {
		return err
	}
	rotateLog(c.dataDir)

	pgctl := filepath.Join(c.binDir, "pg_ctl")
	for attempt := 1; ; attempt++ {
		port, picked, err := choosePort(c.opts, c.dataDir)
		if err != nil {
			return err
		}
		c.port = port
		if err := writeConfig(c.dataDir, port, c.sockDir, c.opts); err != nil {
			return fmt.Errorf("pglocal: write config: %w", err)
		}
		if err := c.r.chown(filepath.Join(c.dataDir, confFile), false); err != nil {
			return err
		}
		c.log.Info("starting PostgreSQL", "port", port, "bin", c.binDir)
		logStart := logSize(c.dataDir)
		_, err = c.r.run(ctx, pgctl, "start", "-D", c.dataDir, "-l", filepath.Join(c.dataDir, logFile), "-w", "-t", "30", "-s")
		if err == nil {
			err = c.waitReady(ctx, readyTimeout)
		}
		if err == nil {
			break
		}
		if picked && attempt < 3 && addrInUse(c.dataDir, logStart) {
			c.log.Warn("port taken before the server bound it; retrying", "port", port)
			continue
		}
		return fmt.Errorf("pglocal: start PostgreSQL in %s: %w\n--- tail of %s ---\n%s",
			c.dataDir, err, filepath.Join(c.dataDir, logFile), logTail(c.dataDir, logStart, 20))
	}
	if !c.opts.Ephemeral {
		p := filepath.Join(c.dataDir, portFile)
		if err := os.WriteFile(p, []byte(strconv.Itoa(c.port)+"\n"), 0o600); err != nil {
			return err
		}
		return c.r.chown(p, false)
	}
	return nil
}

// waitReady connects until the server answers a ping or timeout passes.
// pg_ctl -w has usually waited already; this confirms TCP on 127.0.0.1
// works, which is how clients will connect.
func (c *Cluster) waitReady(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, c.URL("postgres"))
		if err == nil {
			err = conn.Ping(ctx)
			conn.Close(context.Background())
			if err == nil {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("server not accepting connections after %s: %w", timeout, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// URL returns a pgx-compatible URL for database dbname as the superuser
// over TCP on 127.0.0.1 (trust auth, so no password; no TLS).
func (c *Cluster) URL(dbname string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(superuser),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + dbname,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Port returns the TCP port the server listens on (127.0.0.1 only).
func (c *Cluster) Port() int { return c.port }

// DataDir returns the absolute cluster directory (useful when Options.DataDir
// was empty and a temporary one was created).
func (c *Cluster) DataDir() string { return c.dataDir }

// Stop shuts the server down (pg_ctl stop -m fast, falling back to
// immediate), removes our socket directory and, for Ephemeral clusters, the
// data directory. It is idempotent: later calls return the first result.
func (c *Cluster) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return c.stopErr
	}
	c.stopped = true

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pgctl := filepath.Join(c.binDir, "pg_ctl")
	var errs []error
	for _, mode := range []string{"fast", "immediate"} {
		_, err := c.r.run(ctx, pgctl, "stop", "-D", c.dataDir, "-m", mode, "-w", "-t", "60", "-s")
		pm, _ := runningPostmaster(c.dataDir)
		if err == nil || pm.pid == 0 {
			errs = nil // stopped, or was not running: both fine
			break
		}
		errs = append(errs, err)
	}
	if c.sockDir != "" {
		errs = append(errs, os.RemoveAll(c.sockDir))
	}
	c.discardEphemeral()
	if c.wd != nil {
		c.wd.release()
	}
	c.stopErr = errors.Join(errs...)
	if c.stopErr == nil {
		c.log.Info("PostgreSQL stopped")
	}
	return c.stopErr
}

// discardEphemeral removes an Ephemeral cluster's directory.
func (c *Cluster) discardEphemeral() {
	if c.opts.Ephemeral {
		if err := os.RemoveAll(c.dataDir); err != nil {
			c.log.Warn("remove ephemeral data directory", "err", err)
		}
	}
}
