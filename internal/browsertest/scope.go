package browsertest

import (
	"encoding/json"
	"strings"
	"time"
)

// Within runs steps with every lookup by label or text (Fill, Value, Check,
// Choose, Click, ClickLink, Toggle, FieldError …) narrowed to the group named
// group: a fieldset by its legend, or a section, region or group by its
// accessible name. That is how a user tells apart fields with the same label
// — the eight "Beskrivelse" fields of a TFA, one per health track — and how a
// screen reader announces them ("Beskrivelse, Fysiske lidelser, gruppe"):
//
//	p.Within("Fysiske lidelser", func() {
//		p.Choose("Relevans for Fysiske lidelser", "Relevant")
//		p.Fill("Beskrivelse", "Rygsmerter")
//	})
//
// Calls nest: an inner Within searches inside the outer group. A group name
// that matches no group, or more than one, fails the test.
func (p *Page) Within(group string, steps func()) {
	p.t.Helper()
	outer := p.scope
	p.scope = append(outer[:len(outer):len(outer)], group)
	defer func() { p.scope = outer }()
	steps()
}

// Briefly runs steps with the step limit d (scaled for the machine like every
// limit) instead of the page's. It is for a test that a step is refused: a
// lookup that must find nothing waits its whole limit first.
func (p *Page) Briefly(d time.Duration, steps func()) {
	p.t.Helper()
	outer := p.opts.stepTimeout
	p.opts.stepTimeout = d
	defer func() { p.opts.stepTimeout = outer }()
	steps()
}

// lookup returns the expression that calls method of dom.js, narrowed to the
// current Within groups.
func (p *Page) lookup(method string, args ...any) string { return jsOn(p.dom(), method, args...) }

// dom is the expression of dom.js narrowed to the current Within groups.
func (p *Page) dom() string {
	if len(p.scope) == 0 {
		return "(" + domJS + ")"
	}
	b, _ := json.Marshal(p.scope)
	return "(" + domJS + ").within(" + string(b) + ")"
}

// checkScope fails the test with a clear message when a Within group is
// missing or ambiguous (the lookup inside it would otherwise just say
// "not found").
func (p *Page) checkScope() {
	p.t.Helper()
	if len(p.scope) == 0 {
		return
	}
	counts := Eval[[]int](p, p.dom()+".counts")
	for i, n := range counts {
		switch {
		case n == 0:
			p.fatalf("no group %q on the page (a fieldset legend, or a section or group of that name)", strings.Join(p.scope[:i+1], " › "))
		case n > 1:
			p.fatalf("%d groups are named %q; a user could not tell them apart either", n, strings.Join(p.scope[:i+1], " › "))
		}
	}
}

// inScope names the current Within groups for messages: ` in "A › B"`.
func (p *Page) inScope() string {
	if len(p.scope) == 0 {
		return ""
	}
	return ` in "` + strings.Join(p.scope, " › ") + `"`
}
