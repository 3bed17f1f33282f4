package browsertest_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/testlimit"
)

// recorder is a testing.TB that keeps the errors a Page reports instead of
// failing the test, so the harness itself can be tested. Inside fatal, which
// runs steps that should fail in a goroutine of their own, Fatalf records and
// then ends that goroutine, as t.Fatalf does. Anywhere else a Fatalf is a step
// that failed where the test expects it to succeed, and it fails the test with
// the real t.Fatalf.
type recorder struct {
	testing.TB
	mu        sync.Mutex
	errors    []string
	expecting bool // fatal is running: a Fatalf is expected, on fatal's goroutine
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.mu.Lock()
	expected := r.expecting
	r.mu.Unlock()
	if !expected {
		// On the test's goroutine. runtime.Goexit here would end the test
		// function without marking it failed, and testing then panics with
		// "test executed panic(nil) or runtime.Goexit", which stops the whole
		// test binary: every other test of the package with it.
		r.TB.Helper()
		r.TB.Fatalf(format, args...)
	}
	r.Errorf(format, args...)
	runtime.Goexit()
}

// fatal runs steps, which must end with a Fatalf, and returns what it said.
func (r *recorder) fatal(steps func()) string {
	r.mu.Lock()
	n := len(r.errors)
	r.expecting = true
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.expecting = false
		r.mu.Unlock()
	}()
	done := make(chan bool)
	go func() {
		defer close(done)
		steps()
		done <- true // reached only if steps did not call Fatalf
	}()
	if <-done {
		return ""
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errors) == n {
		return ""
	}
	return r.errors[len(r.errors)-1]
}

func (r *recorder) reported(s string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.errors {
		if strings.Contains(e, s) {
			return true
		}
	}
	return false
}

// The harness must catch what it claims to, on a page served with a CSP
// like the app's (which would block an injected <script>): an unlabelled
// field and an image without alt text (axe), a button without a focus ring,
// an inline script the CSP blocks, and a field found by its label despite the
// "(*skal udfyldes)" marker.
func TestHarnessFindsProblems(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/s.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprint(w, ".no-ring:focus { outline: none; }")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="da"><head><title>Prøve</title>
<link rel="stylesheet" href="/s.css"></head><body><main>
<h1>Prøve %s</h1>
<form method="get" action="/sendt">
<label for="navn">Navn <span>(*skal udfyldes)</span></label><input id="navn" name="navn">
<input id="uden" name="uden">
<img src="/s.css">
<button type="submit" class="no-ring">Send</button>
<script>document.title = "inline scripts must be blocked";</script>
</form></main></body></html>`, r.URL.Query().Get("navn"))
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)

	rec := &recorder{TB: t}
	p := browsertest.Open(rec, ts.URL)
	p.Go("/")
	for _, rule := range []string{"label", "image-alt"} {
		if !rec.reported("] " + rule + ":") {
			t.Errorf("axe did not report %q; reported: %q", rule, rec.errors)
		}
	}
	for deadline := time.Now().Add(testlimit.Scale(5 * time.Second)); !rec.reported("Content Security Policy") && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		p.CheckConsole()
	}
	if !rec.reported("Content Security Policy") {
		t.Errorf("the CSP violation of the inline script was not reported; reported: %q", rec.errors)
	}
	p.Fill("Navn", "Åse Ødegård")
	p.TabTo("Send", 3)
	if !rec.reported(`focus on <button> "Send": no visible focus indicator`) {
		t.Errorf("the button without a focus ring passed; reported: %q", rec.errors)
	}
	p.PressNav(browsertest.Enter)
	p.ExpectText("h1", "Prøve Åse Ødegård")
}

// Within tells apart fields with the same label by their group, and refuses
// to guess without it; Live sees a change made in place and refuses one made
// by loading the page again.
func TestHarnessWithinAndLive(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		status := "Gammel"
		if r.URL.Query().Has("igen") {
			status = "Ny" // what the in-place update shows, by a reload
		}
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="da"><head><title>Prøve</title></head><body><main>
<h1>Prøve</h1><p id="status">%s</p>
<fieldset><legend>Ansøger</legend><label for="a">Navn</label><input id="a"></fieldset>
<fieldset><legend>Værge</legend><label for="b">Navn</label><input id="b"></fieldset>
<button type="button" id="opdater">Opdater</button>
<a href="/?igen">Genindlæs</a>
<script>document.getElementById("opdater").onclick = () => { document.getElementById("status").textContent = "Ny"; };</script>
</main></body></html>`, status)
	}))
	t.Cleanup(ts.Close)
	rec := &recorder{TB: t}
	p := browsertest.Open(rec, ts.URL)
	p.Go("/")

	p.Within("Værge", func() { p.Fill("Navn", "Åse") })
	if a, b := browsertest.Eval[string](p, `document.getElementById("a").value`), browsertest.Eval[string](p, `document.getElementById("b").value`); a != "" || b != "Åse" {
		t.Errorf("Within(Værge) filled Ansøger %q, Værge %q", a, b)
	}
	if msg := rec.fatal(func() { p.Fill("Navn", "Bo") }); !strings.Contains(msg, "2 controls match") {
		t.Errorf("a label used twice without Within: %q; want it refused", msg)
	}
	refusal := func() { p.Briefly(time.Second, func() { p.Within("Barn", func() { p.Fill("Navn", "Bo") }) }) } // waits its whole limit
	if msg := rec.fatal(refusal); !strings.Contains(msg, `no group "Barn"`) {
		t.Errorf("Within a group that is not there: %q", msg)
	}

	live := p.Live()
	p.ClickInPlace("Opdater")
	live.Expect("#status", "Ny", 2*time.Second)
	p.ClickLink("Genindlæs")
	if msg := rec.fatal(func() { live.Expect("#status", "Ny", 2*time.Second) }); !strings.Contains(msg, "reloaded") {
		t.Errorf("text that came by a reload passed as an update in place: %q", msg)
	}
	for _, e := range rec.errors {
		if !strings.Contains(e, "match") && !strings.Contains(e, "no group") && !strings.Contains(e, "reloaded") && !strings.Contains(e, "axe") {
			t.Errorf("unexpected report: %s", e)
		}
	}
}

// harnessChild is set in the environment of the test binary that
// TestHarnessFailsCleanly starts; the child runs the failing journey.
const harnessChild = "HELHED_HARNESS_CHILD"

// A step that fails where the test expects success (a step that runs out of
// time on a loaded machine) fails that test with the step named — it does not
// panic with "test executed panic(nil) or runtime.Goexit", which would take
// the whole package down. The failing test runs in a child test binary, so its
// failure is what this test inspects.
func TestHarnessFailsCleanly(t *testing.T) {
	if os.Getenv(harnessChild) != "" {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!DOCTYPE html><html lang="da"><head><title>Prøve</title></head><body><main><h1>Prøve</h1></main></body></html>`)
		}))
		t.Cleanup(ts.Close)
		rec := &recorder{TB: t}
		p := browsertest.Open(rec, ts.URL)
		p.Go("/")
		p.Briefly(100*time.Millisecond, func() { p.ExpectText("h1", "Noget andet") }) // outside rec.fatal
		t.Log("not reached: the failed step ends the test")
		return
	}
	t.Parallel()
	if _, err := browsertest.FindChromium(); err != nil {
		t.Skipf("no Chromium: %v", err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHarnessFailsCleanly$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), harnessChild+"=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("the child test binary: %v; want exit status 1 (a failed test)\n%s", err, out)
	}
	for _, want := range []string{"--- FAIL: TestHarnessFailsCleanly", `h1 does not show "Noget andet" after`, "at /"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("the child's output lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range []string{"panic", "Goexit", "not reached"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("the child's output has %q:\n%s", bad, out)
		}
	}
}
