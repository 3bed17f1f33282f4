package pglocal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// reachableTempDir returns a fresh directory the postgres user can traverse
// when tests run as root. t.TempDir is 0700 and root-owned, so a cluster
// inside it would be unreachable for the server user.
func reachableTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pglocal-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o711); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func startCluster(t *testing.T, opts Options) *Cluster {
	t.Helper()
	if testing.Verbose() {
		opts.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := Start(ctx, opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { c.Stop() })
	return c
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func TestEphemeralCluster(t *testing.T) {
	t.Parallel()
	c := startCluster(t, Options{Ephemeral: true})
	dir, sock := c.DataDir(), c.sockDir

	conn := connect(t, c.URL("postgres"))
	var one int
	if err := conn.QueryRow(context.Background(), "select 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("select 1 = %d, %v", one, err)
	}
	var fsync, maxConns string
	conn.QueryRow(context.Background(), "show fsync").Scan(&fsync)
	conn.QueryRow(context.Background(), "show max_connections").Scan(&maxConns)
	if fsync != "off" || maxConns != "200" {
		t.Errorf("ephemeral settings: fsync=%s max_connections=%s, want off/200", fsync, maxConns)
	}
	conn.Close(context.Background())

	if err := c.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := c.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	for _, p := range []string{dir, sock} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still exists after Stop (err=%v)", p, err)
		}
	}
}

func TestPersistentRestartKeepsData(t *testing.T) {
	t.Parallel()
	// Nested, not-yet-existing parents exercise the "created by us" path.
	dir := filepath.Join(reachableTempDir(t), "project", ".data", "pg")
	opts := Options{DataDir: dir, Settings: map[string]string{"application_name": "it's quoted"}}
	ctx := context.Background()

	c := startCluster(t, opts)
	port := c.Port()
	conn := connect(t, c.URL("postgres"))
	if _, err := conn.Exec(ctx, "create table kept (v text); insert into kept values ('hej')"); err != nil {
		t.Fatal(err)
	}
	var app string
	conn.QueryRow(ctx, "show application_name").Scan(&app)
	if app != "it's quoted" {
		t.Errorf("application_name = %q", app)
	}
	conn.Close(ctx)
	if err := c.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err != nil {
		t.Fatalf("persistent data dir gone after Stop: %v", err)
	}

	c2 := startCluster(t, opts)
	if c2.Port() != port {
		t.Errorf("restart port = %d, want remembered %d", c2.Port(), port)
	}
	var v string
	if err := connect(t, c2.URL("postgres")).QueryRow(ctx, "select v from kept").Scan(&v); err != nil || v != "hej" {
		t.Fatalf("after restart: v=%q err=%v", v, err)
	}

	// Start while it is running adopts the running server.
	c3 := startCluster(t, opts)
	if c3.Port() != port {
		t.Errorf("adopted port = %d, want %d", c3.Port(), port)
	}
	if err := c3.Stop(); err != nil {
		t.Fatalf("Stop adopted: %v", err)
	}
	if pm, _ := runningPostmaster(dir); pm.pid != 0 {
		t.Errorf("server still running (pid %d) after Stop", pm.pid)
	}

	// The remembered port is taken by someone else: pick another one.
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", fmt.Sprint(port)))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	c4 := startCluster(t, opts)
	if c4.Port() == port {
		t.Errorf("restarted on the taken port %d", port)
	}
	if err := connect(t, c4.URL("postgres")).QueryRow(ctx, "select v from kept").Scan(&v); err != nil {
		t.Fatalf("on new port: %v", err)
	}
}

// TestStalePidFile covers a postmaster.pid left by a crash: with a dead pid
// postgres cleans it up itself; with a pid reused by an unrelated live
// process (here: ourselves) Start must remove it, or postgres would refuse.
func TestStalePidFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(reachableTempDir(t), "pg")
	opts := Options{DataDir: dir}
	if err := startCluster(t, opts).Stop(); err != nil {
		t.Fatal(err)
	}
	r, err := newRunner()
	if err != nil {
		t.Fatal(err)
	}
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	for name, pid := range map[string]int{"dead": dead.Process.Pid, "reused": os.Getpid()} {
		content := fmt.Sprintf("%d\n%s\n0\n5432\n/tmp\n127.0.0.1\n", pid, dir)
		path := filepath.Join(dir, pidFile)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := r.chown(path, false); err != nil { // as postgres would have written it
			t.Fatal(err)
		}
		c := startCluster(t, opts)
		if c.Port() == 5432 {
			t.Errorf("%s pid: adopted a server that is not running", name)
		}
		if err := c.Stop(); err != nil {
			t.Fatalf("%s pid: Stop: %v", name, err)
		}
	}
}

// TestStartFailureShowsLogAndCleansUp uses an explicitly requested port that
// is taken: Start must fail (no silent re-pick), quote the server log and
// leave no ephemeral directory behind.
func TestStartFailureShowsLogAndCleansUp(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dir := filepath.Join(reachableTempDir(t), "pg")
	opts := Options{DataDir: dir, Ephemeral: true, Port: l.Addr().(*net.TCPAddr).Port}
	c, err := Start(context.Background(), opts)
	if err == nil {
		c.Stop()
		t.Fatal("Start succeeded on a taken port")
	}
	t.Logf("Start error (expected):\n%v", err)
	if !strings.Contains(err.Error(), "Address already in use") {
		t.Errorf("error does not quote the server log: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ephemeral dir left behind after failed Start: %v", err)
	}
}

// TestWatchdogCleansUpAfterCrash simulates this process dying: closing the
// watchdog's stdin without "done" is what the kernel does on exit.
func TestWatchdogCleansUpAfterCrash(t *testing.T) {
	t.Parallel()
	c := startCluster(t, Options{Ephemeral: true})
	c.wd.in.Close()
	c.wd.cmd.Wait()
	if _, err := os.Stat(c.DataDir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("data dir survives watchdog: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, c.URL("postgres")); err == nil {
		conn.Close(ctx)
		t.Error("server still accepts connections after watchdog fired")
	}
	c.wd = nil // already reaped; let Cleanup's Stop be a no-op otherwise
}

func TestUnreachableDataDirAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root switches to the postgres user")
	}
	t.Parallel()
	private := filepath.Join(reachableTempDir(t), "private")
	if err := os.Mkdir(private, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Start(context.Background(), Options{DataDir: filepath.Join(private, "pg")})
	if err == nil || !strings.Contains(err.Error(), "chmod o+x "+private) {
		t.Fatalf("want error suggesting chmod o+x %s, got %v", private, err)
	}
}

func TestFindBinariesNotFound(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("PG_BIN", "/nonexistent/pg/bin")
	saved := searchGlobs
	searchGlobs = nil
	t.Cleanup(func() { searchGlobs = saved })

	dir, err := FindBinaries()
	if err == nil {
		t.Fatalf("FindBinaries found %s with an empty search path", dir)
	}
	if !errors.Is(err, ErrNoBinaries) {
		t.Errorf("error does not wrap ErrNoBinaries: %v", err)
	}
	for _, want := range []string{
		"no PostgreSQL server binaries found",
		"$PG_BIN=/nonexistent/pg/bin",
		"apt-get install postgresql",
		"brew install postgresql@15",
		"DATABASE_URL",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if _, err := Start(context.Background(), Options{Ephemeral: true}); !errors.Is(err, ErrNoBinaries) {
		t.Errorf("Start error = %v, want ErrNoBinaries", err)
	}
}

func TestSortByVersionDesc(t *testing.T) {
	got := []string{
		"/usr/lib/postgresql/9.6/bin",
		"/opt/homebrew/opt/postgresql/bin",
		"/usr/lib/postgresql/16/bin",
		"/opt/homebrew/opt/postgresql@15/bin",
		"/usr/lib/postgresql/10/bin",
	}
	sortByVersionDesc(got)
	want := []string{
		"/usr/lib/postgresql/16/bin",
		"/opt/homebrew/opt/postgresql@15/bin",
		"/usr/lib/postgresql/10/bin",
		"/usr/lib/postgresql/9.6/bin",
		"/opt/homebrew/opt/postgresql/bin",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestShellJoin(t *testing.T) {
	if got := shellJoin([]string{"a b", "it's"}); got != `'a b' 'it'\''s'` {
		t.Errorf("shellJoin = %s", got)
	}
}
