package browsertest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/browsertest"
)

// recorder is a testing.TB that keeps the errors a Page reports instead of
// failing the test, so the harness itself can be tested.
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
