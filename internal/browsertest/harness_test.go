package browsertest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/browsertest"
)

// recorder is a testing.TB that keeps the errors a Page reports instead of
// failing the test, so the harness itself can be tested. Fatalf records too
// and then ends the goroutine, as t.Fatalf does: call the steps that should
// fail in a goroutine of their own (see fatal).
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// fatal runs steps, which must end with a Fatalf, and returns what it said.
func (r *recorder) fatal(steps func()) string {
	r.mu.Lock()
	n := len(r.errors)
	r.mu.Unlock()
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
	for deadline := time.Now().Add(5 * time.Second); !rec.reported("Content Security Policy") && time.Now().Before(deadline); {
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
	p := browsertest.Open(rec, ts.URL, browsertest.WithStepTimeout(2*time.Second)) // the refusals wait that long
	p.Go("/")

	p.Within("Værge", func() { p.Fill("Navn", "Åse") })
	if a, b := browsertest.Eval[string](p, `document.getElementById("a").value`), browsertest.Eval[string](p, `document.getElementById("b").value`); a != "" || b != "Åse" {
		t.Errorf("Within(Værge) filled Ansøger %q, Værge %q", a, b)
	}
	if msg := rec.fatal(func() { p.Fill("Navn", "Bo") }); !strings.Contains(msg, "2 controls match") {
		t.Errorf("a label used twice without Within: %q; want it refused", msg)
	}
	if msg := rec.fatal(func() { p.Within("Barn", func() { p.Fill("Navn", "Bo") }) }); !strings.Contains(msg, `no group "Barn"`) {
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
