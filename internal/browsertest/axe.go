package browsertest

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// axeSource is axe-core (testdata/axe.min.js, MPL-2.0, see
// testdata/LICENSE-axe-core.txt).
//
//go:embed testdata/axe.min.js
var axeSource string

// axeTags are the rule sets run on every page: WCAG 2.0 and 2.1, A and AA.
const axeTags = `['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']`

// axeRun runs axe on the whole document and returns its violations in a
// small shape: rule, impact, help, and for each element its selector, its
// HTML and what to fix.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ` + axeTags + `}, resultTypes: ['violations']})
  .then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.map((t) => Array.isArray(t) ? t.join(' >>> ') : String(t)).join(', '),
      html: n.html.length > 200 ? n.html.slice(0, 200) + '…' : n.html,
      summary: (n.failureSummary || '').replace(/\s+/g, ' ').trim(),
    })),
  })))`

// A11yViolation is one axe rule an element breaks.
type A11yViolation struct {
	ID      string
	Impact  string // minor, moderate, serious, critical
	Help    string
	HelpURL string
	Nodes   []struct {
		Target  string // CSS selector of the element
		HTML    string
		Summary string // what axe says to fix
	}
}

// Blocking reports whether the violation fails the test (serious or
// critical).
func (v A11yViolation) Blocking() bool { return v.Impact == "serious" || v.Impact == "critical" }

// A11y runs axe-core's WCAG 2.1 A/AA rules on the page as it is now and
// returns the violations. Most tests want CheckA11y.
//
// axe is evaluated through DevTools (Runtime.evaluate), which the page's
// Content-Security-Policy does not govern; a <script> tag would be blocked.
// In a WithoutJS tab, scripts are allowed for the duration of the run (axe
// needs timers); the page's own scripts were never run and are not run now.
func (p *Page) A11y() []A11yViolation {
	p.t.Helper()
	if p.opts.noJS {
		p.run("allow scripts for axe", call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}))
		defer p.run("disable scripts again", call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
	}
	if loaded, err := eval[bool](p, `typeof axe !== 'undefined'`); err != nil || !loaded {
		if _, err := eval[chromedp.Void](p, axeSource); err != nil {
			p.fatalf("load axe-core: %v", err)
		}
	}
	vs, err := eval[[]A11yViolation](p, axeRun, chromedp.EvalAwaitPromise)
	if err != nil {
		p.fatalf("run axe-core: %v", err)
	}
	return vs
}

// CheckA11y runs axe on the page as it is now. Serious and critical
// violations fail the test (with the rule, the help text and each element's
// selector); minor and moderate ones are logged. A violation already
// reported on an earlier page of the same test (the same rule on the same
// element, e.g. in the header) is not repeated.
//
// Every page that Go, Click, ClickLink and the key presses load is checked
// already; call CheckA11y after changing a page in place (htmx, a script),
// Toggle does it for <details>.
func (p *Page) CheckA11y() {
	p.t.Helper()
	var blocking, minor []string
	for _, v := range p.A11y() {
		var b strings.Builder
		fmt.Fprintf(&b, "[%s] %s: %s (%s)", v.Impact, v.ID, v.Help, v.HelpURL)
		fresh := false
		for _, n := range v.Nodes {
			key := v.ID + " " + n.Target
			if p.seenA11y[key] {
				continue
			}
			if p.seenA11y == nil {
				p.seenA11y = map[string]bool{}
			}
			p.seenA11y[key] = true
			fresh = true
			fmt.Fprintf(&b, "\n\t\t%s\n\t\t  %s\n\t\t  %s", n.Target, n.HTML, n.Summary)
		}
		if !fresh {
			continue
		}
		if v.Blocking() {
			blocking = append(blocking, b.String())
		} else {
			minor = append(minor, b.String())
		}
	}
	where := p.where()
	if len(minor) > 0 {
		p.t.Logf("axe: %d minor/moderate WCAG 2.1 AA issue(s) on %s:\n\t%s", len(minor), where, strings.Join(minor, "\n\t"))
	}
	if len(blocking) > 0 {
		p.t.Errorf("axe: %d serious/critical WCAG 2.1 AA violation(s) on %s:\n\t%s", len(blocking), where, strings.Join(blocking, "\n\t"))
	}
}
