package browsertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

//go:embed dom.js
var domJS string

// rawJS is an argument of js that is an expression, not a value.
type rawJS string

// js returns the expression that calls method of dom.js with args, each
// JSON-encoded (so any text is safely quoted) unless it is a rawJS.
func js(method string, args ...any) string { return jsOn("("+domJS+")", method, args...) }

// jsOn is js on the dom.js object recv (e.g. one narrowed by within).
func jsOn(recv, method string, args ...any) string {
	parts := make([]string, len(args))
	for i, a := range args {
		if r, ok := a.(rawJS); ok {
			parts[i] = string(r)
			continue
		}
		b, err := json.Marshal(a)
		if err != nil {
			panic(err)
		}
		parts[i] = string(b)
	}
	return recv + "." + method + "(" + strings.Join(parts, ", ") + ")"
}

// quote is s as a JavaScript string literal.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Eval evaluates a JavaScript expression in the page and decodes its value
// into T (see chromedp.Evaluate); a promise is awaited. It fails the test on
// an exception. It is the escape hatch for checks the helpers do not cover.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	v, err := eval[T](p, expr, chromedp.EvalAwaitPromise)
	if err != nil {
		p.fatalf("evaluate %s: %v", abbrev(expr), err)
	}
	return v
}

func eval[T any](p *Page, expr string, opts ...chromedp.EvaluateOption) (T, error) {
	ctx, cancel, limit := p.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil && errors.Is(err, context.DeadlineExceeded) {
		err = errors.New(stepErr(err, limit))
	}
	return v, err
}

// abbrev shortens an expression for a message; dom.js calls read "dom.method(…)".
func abbrev(s string) string {
	s = strings.ReplaceAll(s, "("+domJS+")", "dom")
	if r := []rune(s); len(r) > 120 {
		return string(r[:120]) + "…"
	}
	return s
}

// poll evaluates cond until it is true or the step's time is up; it reports
// whether cond became true, and how long it waited in words (for a message).
// It waits in small steps rather than sleeping a fixed time, so a test is as
// fast as the page.
func (p *Page) poll(cond string) (bool, string) {
	limit, desc := p.stepLimit()
	return p.pollFor(limit, cond), desc
}

// pollFor is poll with its own time limit, already scaled for the machine.
func (p *Page) pollFor(limit time.Duration, cond string) bool {
	deadline := time.Now().Add(limit)
	for {
		if ok, err := eval[bool](p, cond); err == nil && ok {
			return true
		}
		if time.Now().After(deadline) || p.ctx.Err() != nil {
			return false
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-p.ctx.Done():
		}
	}
}

// find waits until the dom.js lookup method(text...) matches exactly one
// element (inside the Within groups, if any) and returns a selector for it.
// kind names it in messages ("control", "button", "link", "summary").
func (p *Page) find(kind, method string, args ...any) chromedp.JSPath {
	p.t.Helper()
	expr := p.lookup(method, args...)
	if ok, waited := p.poll(expr + ".length > 0"); !ok {
		p.checkScope()
		avail, _ := eval[[]string](p, p.lookup("available", kind))
		where := "the page has"
		if len(p.scope) > 0 {
			where = "the group has"
		}
		p.fatalf("no %s %s%s on the page after %s; %s: %q", kind, quoteAll(args), p.inScope(), waited, where, avail)
	}
	if n := Eval[int](p, expr+".length"); n > 1 {
		p.fatalf("%d %ss match %s%s; a user could not tell them apart either (narrow with Within)", n, kind, quoteAll(args), p.inScope())
	}
	return chromedp.JSPath(expr)
}

func quoteAll(args []any) string {
	s := make([]string, len(args))
	for i, a := range args {
		s[i] = fmt.Sprintf("%q", a)
	}
	return strings.Join(s, " / ")
}

// el is the expression of the first element a selector of find selects.
func el(sel chromedp.JSPath) string { return "(" + string(sel) + ")[0]" }

// Go opens path (e.g. "/borgere") and returns the HTTP status. The page is
// checked with axe.
func (p *Page) Go(path string) int {
	p.t.Helper()
	// Page.navigate without chromedp.Navigate's own wait: navigate waits.
	open := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		res, err := cdp.Call(ctx, t, page.Navigate, page.NavigateParams{URL: p.base + path})
		if err == nil && res.ErrorText != "" {
			err = errors.New(res.ErrorText)
		}
		return err
	})
	return p.navigate("open "+path, open)
}

// navigate runs an action that loads a page (a click on a link or a submit
// button, a key press), waits for the page and checks it. It returns the
// HTTP status of the new document.
func (p *Page) navigate(what string, action chromedp.Action[chromedp.Void]) int {
	p.t.Helper()
	ctx, cancel, limit := p.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, action)
	if err != nil {
		p.fatalf("%s: no page loaded: %s", what, stepErr(err, limit))
	}
	if resp != nil { // nil: the same document (a link to #fragment)
		p.status = int(resp.Status)
	}
	p.landed(what)
	return p.status
}

// landed runs the checks every new page gets: axe, and the console.
func (p *Page) landed(what string) {
	p.t.Helper()
	p.t.Logf("%s → %s", what, p.where())
	if checked, err := eval[bool](p, `typeof axe !== 'undefined'`); err != nil || !checked {
		p.CheckA11y()
	}
	p.reportConsole()
}

// Status is the HTTP status of the current page.
func (p *Page) Status() int { return p.status }

// Path is the current path with query, e.g. "/borgere/17".
func (p *Page) Path() string {
	p.t.Helper()
	return Eval[string](p, `location.pathname + location.search`)
}

// WaitURL waits until the path starts with prefix and returns the path.
func (p *Page) WaitURL(prefix string) string {
	p.t.Helper()
	b, _ := json.Marshal(prefix)
	if ok, waited := p.poll(`(location.pathname + location.search).startsWith(` + string(b) + `)`); !ok {
		p.fatalf("the address did not become %s… within %s", prefix, waited)
	}
	return p.Path()
}

// Login logs in through the login form and fails the test if it does not
// succeed.
func (p *Page) Login(username, password string) {
	p.t.Helper()
	p.Go("/login")
	p.Fill("Brugernavn", username)
	p.Fill("Adgangskode", password)
	p.Click("Log ind")
	if strings.HasPrefix(p.Path(), "/login") {
		p.fatalf("login as %s failed: %q", username, p.Text(".alert"))
	}
}

// Click clicks the button whose visible text (or aria-label) is text, waits
// for the page it loads, checks it, and returns its HTTP status. For a
// button that changes the page in place (htmx), use ClickInPlace.
func (p *Page) Click(text string) int {
	p.t.Helper()
	sel := p.find("button", "buttons", text)
	return p.navigate(fmt.Sprintf("click %q", text), chromedp.Click(sel))
}

// ClickInPlace clicks the button text without waiting for a new page; wait
// for its effect with ExpectText, then call CheckA11y.
func (p *Page) ClickInPlace(text string) {
	p.t.Helper()
	sel := p.find("button", "buttons", text)
	p.run(fmt.Sprintf("click %q", text), chromedp.Click(sel))
}

// ClickLink follows the link whose visible text (or aria-label) is text,
// and returns the HTTP status of the page it loads.
func (p *Page) ClickLink(text string) int {
	p.t.Helper()
	sel := p.find("link", "links", text)
	return p.navigate(fmt.Sprintf("follow %q", text), chromedp.Click(sel))
}

// ClickAnchor follows the in-page link (href="#…") whose visible text (or aria-label) is
// text: the page scrolls to its target, and nothing loads.
func (p *Page) ClickAnchor(text string) {
	p.t.Helper()
	sel := p.find("link", "links", text)
	p.run(fmt.Sprintf("follow %q in the page", text), chromedp.Click(sel))
}

// Toggle opens or closes the <details> whose <summary> is text, and checks
// the content it reveals with axe.
func (p *Page) Toggle(summary string) {
	p.t.Helper()
	sel := p.find("summary", "summaries", summary)
	was := Eval[bool](p, el(sel)+`.parentElement.open`)
	p.run(fmt.Sprintf("toggle %q", summary), chromedp.Click(sel))
	if ok, waited := p.poll(el(sel) + `.parentElement.open === ` + fmt.Sprint(!was)); !ok {
		p.fatalf("details %q did not toggle within %s", summary, waited)
	}
	p.CheckA11y()
}

// Text returns the visible text (innerText, spaces collapsed) of the first
// element matching the CSS selector sel, or "" if there is none.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	b, _ := json.Marshal(sel)
	return Eval[string](p, `((e) => e ? e.innerText.replace(/\s+/g, " ").trim() : "")(document.querySelector(`+string(b)+`))`)
}

// ExpectText waits until the first element matching the CSS selector sel
// shows text (as a substring); it fails the test with what it shows instead.
func (p *Page) ExpectText(sel, text string) {
	p.t.Helper()
	if ok, waited := p.poll(showsText(sel, text)); !ok {
		p.fatalf("%s does not show %q after %s; it shows %q", sel, text, waited, abbrevText(p.Text(sel)))
	}
}

// showsText is the condition that the first element matching sel shows text.
func showsText(sel, text string) string {
	return `((e) => !!e && e.innerText.replace(/\s+/g, " ").includes(` + quote(text) + `))(document.querySelector(` + quote(sel) + `))`
}

// ExpectNoText fails the test if the first element matching sel shows text
// now; it does not wait.
func (p *Page) ExpectNoText(sel, text string) {
	p.t.Helper()
	if strings.Contains(p.Text(sel), text) {
		p.fatalf("%s shows %q, which it must not", sel, text)
	}
}

func abbrevText(s string) string {
	if r := []rune(s); len(r) > 400 {
		return string(r[:400]) + "…"
	}
	return s
}
