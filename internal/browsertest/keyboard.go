package browsertest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/helhed/helhed/internal/testlimit"
)

// Keys for Press and PressNav.
const (
	Tab   = kb.Tab
	Enter = kb.Enter
	Space = " "
)

// keys is an action that presses each rune of s on the focused element, the
// way the operating system reports a key: rawKeyDown, char (for printable
// keys and Enter), keyUp. chromedp.KeyEvent sends "keyDown" instead, which
// Chrome does not treat as a real key: when a keydown's default action moves
// focus (Enter on a link to #field), Chrome suppresses the following char
// for a real key but not for "keyDown", so the char would then submit the
// field's form — something no user can do.
func keys(s string, modifiers ...kb.Modifier) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, r := range s {
			for _, k := range kb.Encode(r) {
				if k.Type == input.DispatchKeyEventTypeKeyDown {
					k.Type = input.DispatchKeyEventTypeRawKeyDown
				}
				for _, m := range modifiers {
					k.Modifiers |= int64(m)
				}
				if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, *k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Focus describes the focused element (document.activeElement).
type Focus struct {
	Tag  string // "input", "a", "button", … ("body" when nothing has focus)
	Type string // the type attribute
	ID   string
	Name string // roughly the accessible name: label, aria-label or text
	// Indicator is the focus ring the element draws, e.g. "3px solid
	// rgb(69, 69, 69)"; empty means no visible focus indicator.
	Indicator string
	InView    bool   // the element is inside the viewport
	HTML      string // the start of its outerHTML, for messages
}

func (f Focus) String() string {
	return fmt.Sprintf("<%s> %q", f.Tag, f.Name)
}

// Press presses keys on the focused element, e.g. p.Press(browsertest.Tab).
// Use PressNav when the key loads a page.
func (p *Page) Press(k string) {
	p.t.Helper()
	p.run(fmt.Sprintf("press %q", k), keys(k))
}

// PressAltShift presses Alt+Shift+k on the focused element (a page's keyboard shortcut,
// e.g. the board's section keys).
func (p *Page) PressAltShift(k string) {
	p.t.Helper()
	p.run(fmt.Sprintf("press Alt+Shift+%s", k), keys(k, kb.ModifierAlt, kb.ModifierShift))
}

// PressNav presses keys that load a page (Enter on a link or in a form,
// Space on a submit button), waits for the page, checks it with axe, and
// returns its HTTP status.
func (p *Page) PressNav(k string) int {
	p.t.Helper()
	return p.navigate(fmt.Sprintf("press %q on %s", k, p.Focused()), keys(k))
}

// Type types text into the focused element, key by key.
func (p *Page) Type(text string) {
	p.t.Helper()
	p.run(fmt.Sprintf("type %q", text), keys(text))
}

// Focused describes the element that has focus now.
func (p *Page) Focused() Focus {
	p.t.Helper()
	return Eval[Focus](p, js("focused"))
}

// Tab presses Tab and returns the element that got focus.
func (p *Page) Tab() Focus {
	p.t.Helper()
	p.Press(Tab)
	return p.Focused()
}

// ShiftTab presses Shift+Tab (focus goes back) and returns the element that
// got focus.
func (p *Page) ShiftTab() Focus {
	p.t.Helper()
	p.run("press Shift+Tab", keys(Tab, kb.ModifierShift))
	return p.Focused()
}

// ExpectFocus waits briefly until the element named name has focus and shows
// a visible focus indicator inside the viewport (a skip link slides in, so
// this waits rather than looks once); it fails the test otherwise.
func (p *Page) ExpectFocus(name string) Focus {
	p.t.Helper()
	f, ok := p.settle(func(f Focus) bool { return f.Name == name })
	if f.Name != name {
		p.fatalf("focus is on %s (%s); want %q", f, f.HTML, name)
	}
	if !ok {
		p.t.Errorf("focus on %s: no visible focus indicator in the viewport (indicator %q, in view %v): %s", f, f.Indicator, f.InView, f.HTML)
	}
	return f
}

// settle polls the focus for up to three seconds (scaled for the machine)
// until match(f) holds and f is visibly focused; it returns the last focus and
// whether all of it held.
func (p *Page) settle(match func(Focus) bool) (Focus, bool) {
	p.t.Helper()
	deadline := time.Now().Add(testlimit.Scale(3 * time.Second))
	for {
		f := p.Focused()
		if match(f) && f.Indicator != "" && f.InView {
			return f, true
		}
		if time.Now().After(deadline) || p.ctx.Err() != nil {
			return f, false
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-p.ctx.Done():
		}
	}
}

// TabTo presses Tab until the element named name has focus, at most max
// times, and returns it. Every element on the way must show a visible focus
// indicator (WCAG 2.4.7); the test fails if name is not reached.
func (p *Page) TabTo(name string, max int) Focus {
	p.t.Helper()
	var path []string
	for range max {
		p.Press(Tab)
		f, ok := p.settle(func(Focus) bool { return true })
		if !ok {
			p.t.Errorf("focus on %s: no visible focus indicator in the viewport (indicator %q, in view %v): %s", f, f.Indicator, f.InView, f.HTML)
		}
		if f.Name == name {
			return f
		}
		path = append(path, f.String())
	}
	p.fatalf("%q not reached with %d Tab presses; focus went: %s", name, max, strings.Join(path, " → "))
	return Focus{}
}
