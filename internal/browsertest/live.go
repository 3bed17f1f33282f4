package browsertest

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/helhed/helhed/internal/testlimit"
)

// Live watches one document of a tab for updates made in place — by htmx,
// by server-sent events — and tells them apart from a reload: a reload would
// also show the new text, but it is not what the page promises.
type Live struct {
	p     *Page
	token string
}

var liveTokens atomic.Int64

// Live marks the document the tab shows now (a property on window, which a
// reload or a navigation loses) and returns a watcher for it.
func (p *Page) Live() *Live {
	p.t.Helper()
	l := &Live{p: p, token: fmt.Sprintf("helhed-live-%d", liveTokens.Add(1))}
	Eval[bool](p, `(window.__helhedLive = `+quote(l.token)+`) !== ""`)
	return l
}

// Expect waits up to limit (scaled for the machine, see testlimit) for the
// first element matching the CSS selector sel to show text, and returns how
// long that took. It fails the test if the
// text does not come in time or if the tab loaded another document meanwhile
// (the update was not in place). The updated page is checked with axe.
func (l *Live) Expect(sel, text string, limit time.Duration) time.Duration {
	p := l.p
	p.t.Helper()
	scaled, desc := testlimit.Describe(limit)
	start := time.Now()
	ok := p.pollFor(scaled, showsText(sel, text))
	took := time.Since(start)
	l.ExpectSameDocument()
	if !ok {
		p.fatalf("%s did not show %q within %s; it shows %q", sel, text, desc, abbrevText(p.Text(sel)))
	}
	p.t.Logf("%s showed %q in place after %v", sel, text, took.Round(time.Millisecond))
	p.CheckA11y()
	return took
}

// ExpectSameDocument fails the test if the tab has loaded another document
// since Live marked it.
func (l *Live) ExpectSameDocument() {
	l.p.t.Helper()
	if !Eval[bool](l.p, `window.__helhedLive === `+quote(l.token)) {
		l.p.fatalf("the page was reloaded or left; it was to change in place")
	}
}

// WaitFor waits until the JavaScript expression cond is true (polling, up to
// a step's time) and fails the test, saying what was awaited, if it does not
// become true. It is for conditions the Expect helpers do not cover, such as
// a live connection being open.
func (p *Page) WaitFor(what, cond string) {
	p.t.Helper()
	if ok, waited := p.poll(cond); !ok {
		p.fatalf("waited %s in vain for %s (%s)", waited, what, abbrev(cond))
	}
}
