package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/pglocal"
	"github.com/helhed/helhed/internal/testlimit"
)

// TestMain lets the test binary double as the helhed binary: the crash test starts itself
// with HELHED_AS_APP=1 to get an app process it can kill -9.
func TestMain(m *testing.M) {
	if os.Getenv("HELHED_AS_APP") == "1" {
		if err := run(context.Background(), os.Args[len(os.Args)-5:], os.Getenv, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Kill the app and PostgreSQL with SIGKILL at random moments while a client creates citizens;
// after each restart every acknowledged creation must be there, and no use case may be half
// written (a citizen without its audit row, or the reverse).
func TestCrashDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	if _, err := pglocal.FindBinaries(); err != nil {
		t.Fatal(err)
	}
	// Not t.TempDir: its parent is private to us, and as root the server runs as postgres.
	dir, err := os.MkdirTemp("", "helhed-crash-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(dir, "data")
	r := rand.New(rand.NewPCG(1, 2))
	var acked []string
	const loops = 4
	for loop := range loops {
		port := 20000 + r.IntN(20000)
		addr := "127.0.0.1:" + strconv.Itoa(port)
		cmd := exec.Command(os.Args[0], "-test.run=^$", "serve", "--addr", addr, "--data-dir", dataDir)
		// One user writes as fast as it can: far more citizens than the per-user limit allows.
		cmd.Env = append(os.Environ(), "HELHED_AS_APP=1", "DATABASE_URL=", "CPR_CHECK_LIMIT=1000000")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		base := "http://" + addr
		if err := waitHealthy(base, 60*time.Second, exited); err != nil {
			_ = cmd.Process.Kill()
			t.Fatalf("loop %d: %v", loop, err)
		}
		c := login(t, base, dataDir)

		// Write until the crash; remember only what the server acknowledged (303).
		var mu sync.Mutex
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("Crash%dx%d", loop, i)
				cpr := fmt.Sprintf("%02d%02d%02d-%04d", 1+i%28, 1+loop, 80+i%19, 1000+i) // fictitious, unique per loop
				resp, err := c.PostForm(base+"/borgere/ny", url.Values{"cpr": {cpr}, "first_name": {name}, "last_name": {"Test"}})
				if err != nil {
					continue
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusSeeOther {
					mu.Lock()
					acked = append(acked, name)
					mu.Unlock()
				}
			}
		}()
		time.Sleep(time.Duration(300+r.IntN(1200)) * time.Millisecond)
		pgPid := postmasterPID(t, filepath.Join(dataDir, "pg"))
		_ = syscall.Kill(pgPid, syscall.SIGKILL)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		close(stop)
		<-done
		<-exited
		time.Sleep(500 * time.Millisecond) // let orphaned backends notice the postmaster is gone
	}
	if len(acked) < loops {
		t.Fatalf("only %d writes were acknowledged over %d loops: the test did not exercise anything", len(acked), loops)
	}

	// Restart the database alone and check.
	ctx := context.Background()
	cl, err := pglocal.Start(ctx, pglocal.Options{DataDir: filepath.Join(dataDir, "pg")})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Stop()
	conn, err := pgx.Connect(ctx, cl.URL("helhed"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, name := range acked {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM citizens WHERE first_name = $1`, name).Scan(&n); err != nil || n != 1 {
			t.Errorf("acknowledged citizen %s: %d rows (%v)", name, n, err)
		}
	}
	var orphans int
	if err := conn.QueryRow(ctx, `
		SELECT count(*) FROM citizens c WHERE c.first_name LIKE 'Crash%'
		AND (SELECT count(*) FROM audit_events a WHERE a.citizen_id = c.id AND a.action = 'citizen.create') <> 1`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans != 0 {
		t.Fatalf("%d citizens without exactly one creation audit row: a use case was half written", orphans)
	}
	t.Logf("%d acknowledged writes over %d kill -9 loops all present; no half-written use case", len(acked), loops)
}

func waitHealthy(base string, timeout time.Duration, exited <-chan error) error {
	timeout = testlimit.Scale(timeout) // a loaded machine starts the app slower
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("the app exited before it was healthy: %v", err)
		default:
		}
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("server at %s not healthy after %s", base, timeout)
}

// login logs in as the demo caseworker, whose generated password the app wrote to the data
// folder on first start.
func login(t *testing.T, base, dataDir string) *http.Client {
	t.Helper()
	f, err := os.Open(filepath.Join(dataDir, "demo-logins.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pw string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fs := strings.Fields(sc.Text()); len(fs) >= 2 && fs[0] == "sagsbehandler" {
			pw = fs[1]
		}
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/login", url.Values{"username": {"sagsbehandler"}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	return c
}

func postmasterPID(t *testing.T, pgDir string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(pgDir, "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}
