package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/pdf"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testlimit"
	"github.com/helhed/helhed/internal/web"
)

// Twenty people asking for a plan's PDF at once share one browser: the number of browser
// processes never exceeds one (counted in /proc among this test's child processes, every 10
// ms), every request either gets its PDF or the Danish 503 "Prøv igen om lidt", and the
// browser ends with the server. Before, each request started its own Chromium (four at
// once: ~9 s each and ~3.4 GiB).
//
// Not parallel: the count covers every Chromium this test binary started, so no other
// test may print meanwhile (parallel tests wait while a sequential one runs).
func TestConcurrentPDFsShareOneBrowser(t *testing.T) {
	if !(&pdf.Renderer{}).Available() {
		t.Skip("chromium is not installed; TestPlanPrintAndPDF checks the Danish fallback")
	}
	// The test is about sharing one browser, not about speed: on a loaded machine a document's
	// time limit (browser start and its wait for a tab included) grows with the load, as the
	// other time limits of the tests do, so that at least the first documents are printed.
	app := apptest.New(t, web.Config{PDFTimeout: testlimit.Scale(pdf.DefaultTimeout)})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	if err := app.Store.CreatePlan(context.Background(), store.Who{UserID: cw.ID}, id, app.Store.Now(), 3); err != nil {
		t.Fatal(err)
	}
	cookies := app.Login(t, "cw").Cookies()
	path := app.URL + "/borgere/" + strconv.FormatInt(id, 10) + "/plan/pdf"

	// The sampler watches the browser processes; more than one stops the requests at once,
	// so a regression cannot take the machine's memory with it.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var peak procStats
	stop, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			s := chromiumProcesses(os.Getpid())
			peak = peak.max(s)
			if s.browsers > 1 {
				cancel()
			}
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()

	const n = 20
	type result struct {
		status int
		body   []byte
		err    error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
			for _, c := range cookies {
				req.AddCookie(c)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				results[i].err = err
				return
			}
			defer resp.Body.Close()
			results[i].status = resp.StatusCode
			results[i].body, results[i].err = io.ReadAll(resp.Body)
		}()
	}
	wg.Wait()
	close(stop)
	<-sampled
	t.Logf("peak: %d browser process(es), %d Chromium processes in all, %d MiB (PSS)", peak.browsers, peak.processes, peak.pss>>20)

	if peak.browsers > 1 {
		t.Fatalf("%d browser processes at once; want one shared browser", peak.browsers)
	}
	var ok, busy int
	for i, r := range results {
		switch {
		case r.err != nil:
			t.Errorf("request %d: %v", i, r.err)
		case r.status == http.StatusOK && bytes.HasPrefix(r.body, []byte("%PDF")):
			ok++
		case r.status == http.StatusServiceUnavailable && bytes.Contains(r.body, []byte("Prøv igen om lidt")):
			busy++
		default:
			t.Errorf("request %d: %d %q; want a PDF or 503 with \"Prøv igen om lidt\"", i, r.status, r.body[:min(60, len(r.body))])
		}
	}
	t.Logf("%d PDFs, %d told to try again", ok, busy)
	if ok == 0 {
		t.Fatal("no request got its PDF")
	}
	// Shutting the server down ends the browser (Close waits for its process).
	app.Server.Close()
	if s := chromiumProcesses(os.Getpid()); s.browsers != 0 {
		t.Fatalf("%d browser processes after the server closed", s.browsers)
	}
}

// procStats counts Chromium processes below one process.
type procStats struct {
	browsers  int   // Chromium processes started by the process itself: one per browser
	processes int   // every Chromium process below it (renderers, zygotes, utilities)
	pss       int64 // their proportional memory (shared pages split between them), bytes
}

func (a procStats) max(b procStats) procStats {
	return procStats{max(a.browsers, b.browsers), max(a.processes, b.processes), max(a.pss, b.pss)}
}

// pss reads a process's proportional set size from /proc/<pid>/smaps_rollup, or 0.
func pss(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "Pss:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// chromiumProcesses reads /proc for the Chromium processes descending from pid.
func chromiumProcesses(pid int) procStats {
	type proc struct {
		ppid int
		comm string
	}
	procs := map[int]proc{}
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // gone meanwhile
		}
		s := string(b)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			continue
		}
		p, _ := strconv.Atoi(strings.TrimSpace(s[:open]))
		fields := strings.Fields(s[end+1:]) // state ppid …
		if len(fields) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(fields[1])
		procs[p] = proc{ppid: ppid, comm: s[open+1 : end]}
	}
	below := func(p int) bool {
		for i := 0; i < 64 && p > 1; i++ {
			if p = procs[p].ppid; p == pid {
				return true
			}
		}
		return false
	}
	var st procStats
	for p, pr := range procs {
		if !strings.HasPrefix(pr.comm, "chrom") || !below(p) {
			continue
		}
		st.processes++
		st.pss += pss(p)
		if pr.ppid == pid {
			st.browsers++
		}
	}
	return st
}
