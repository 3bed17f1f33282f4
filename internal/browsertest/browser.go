// Package browsertest drives Helhed in a real headless Chromium: the users'
// journeys (log in, the caseload, create a citizen …), keyboard-only use, use
// without JavaScript, and an axe-core WCAG 2.1 AA check of every page a
// journey visits.
//
// A test starts the app with apptest.New and opens a Page on it:
//
//	app := apptest.New(t, web.Config{})
//	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
//	p := browsertest.Open(t, app.URL)
//	p.Login("cw", apptest.Password)
//	p.ClickLink("Opret borger")
//	p.Fill("CPR-nummer", "010190-2345")
//	p.Click("Opret borger")
//	p.ExpectText("h1", "Karen Testesen")
//
// Pages are found by what a user sees, never by CSS paths: a field by its
// <label>, a button or link by its text, and where a form repeats a label, by
// its group too (Within). Every page a Page lands on is checked with axe-core;
// a serious or critical violation fails the test. Uncaught JavaScript
// exceptions and Content-Security-Policy violations fail it too.
//
// Several users at once are several Pages, each logged in as its own user.
// Live watches one of them for a change another one causes, made in place
// (server-sent events, htmx) and not by a reload:
//
//	screen := watcher.Live()
//	chair.ClickInPlace("Næste sag ›")
//	screen.Expect("#board-focus-h", "Anna Andersen", 3*time.Second)
//
// Nothing waits a fixed time: every step polls for its condition until the
// step's time limit (WithStepTimeout). There is no limit on a whole test: a
// long journey on a slow or loaded machine takes longer, and only a step that
// gets no answer fails, naming the step. Every limit is scaled for the
// machine by internal/testlimit (HELHED_TEST_SLOWDOWN times the load per
// CPU); go test -timeout is the outer bound.
//
// All tests of the package share one browser; each test gets its own tab in
// its own browser context (cookies, storage), so tests may run in parallel.
// Without Chromium the tests skip, unless the environment variable CI is set:
// then they fail, so CI cannot go green without running them.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/helhed/helhed/internal/testlimit"
)

// Viewport is the size of every tab (and so of the screenshots).
const (
	ViewportWidth  = 1280
	ViewportHeight = 900
)

// DefaultStepTimeout is the time limit of one step (a wait for an element, a
// page load, an axe run) on an idle machine; testlimit.Scale lengthens it on a
// slow or loaded one. A step that fails says what it was waiting for.
const DefaultStepTimeout = 15 * time.Second

// startTimeout is how long the shared browser may take to start on an idle
// machine (scaled like a step).
const startTimeout = 30 * time.Second

// chromiumCandidates are tried in order; HELHED_CHROMIUM overrides them.
var chromiumCandidates = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}

// FindChromium returns the path of a Chromium or Chrome binary: the
// environment variable HELHED_CHROMIUM if set, else the first of
// /usr/bin/chromium, and chromium, chromium-browser, google-chrome on PATH.
func FindChromium() (string, error) {
	if p := os.Getenv("HELHED_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("HELHED_CHROMIUM=%s is not a browser binary: %w", p, err)
		}
		return path, nil
	}
	for _, c := range chromiumCandidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Chromium found (tried %s on PATH; set HELHED_CHROMIUM to a Chrome/Chromium binary)",
		strings.Join(chromiumCandidates, ", "))
}

// shared is the one browser of the test binary, started by the first test
// that needs it and stopped by Shutdown.
var shared struct {
	once    sync.Once
	ctx     context.Context // the browser's first tab; new tabs are made from it
	cancel  func()          // stops the browser
	dir     string          // its user-data-dir
	missing error           // no Chromium on this machine
	err     error           // Chromium did not start
}

// allocatorOptions are the flags of the shared browser: quiet, no network
// traffic of its own, no sandbox (CI containers run as root) and a fixed
// window size.
func allocatorOptions(path, dir string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(ViewportWidth, ViewportHeight),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		// Tabs of parallel tests are in the background; keep their timers
		// (axe uses setTimeout) and rendering at full speed.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
	}
}

func startBrowser() {
	path, err := FindChromium()
	if err != nil {
		shared.missing = err
		return
	}
	dir, err := os.MkdirTemp("", "helhed-browsertest-")
	if err != nil {
		shared.err = err
		return
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocatorOptions(path, dir)...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	shared.dir = dir
	shared.cancel = func() { cancelCtx(); cancelAlloc() }
	// The first Do starts the browser; its context must have no deadline,
	// or the deadline would end the browser (see chromedp.Run).
	limit, desc := testlimit.Describe(startTimeout)
	start := make(chan error, 1)
	go func() { start <- chromedp.Do(ctx) }()
	select {
	case err = <-start:
	case <-time.After(limit):
		err = fmt.Errorf("no answer within %s", desc)
	}
	if err != nil {
		shared.cancel()
		_ = os.RemoveAll(dir)
		shared.err = fmt.Errorf("start %s: %w", path, err)
		return
	}
	shared.ctx = ctx
}

// browser returns the shared browser's context, starting it on first use.
// Without Chromium it skips t, or fails it when CI is set.
func browser(t testing.TB) context.Context {
	t.Helper()
	shared.once.Do(startBrowser)
	if shared.missing != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("browser tests cannot run: %v. CI must install chromium (apt-get install chromium).", shared.missing)
		}
		t.Skipf("browser tests skipped: %v", shared.missing)
	}
	if shared.err != nil {
		t.Fatalf("browser tests cannot run: %v", shared.err)
	}
	return shared.ctx
}

// Shutdown stops the shared browser and removes its profile directory.
// TestMain calls it after m.Run.
func Shutdown() {
	if shared.cancel != nil {
		shared.cancel()
	}
	if shared.dir != "" {
		_ = os.RemoveAll(shared.dir)
	}
}

// Option changes how Open sets up a tab.
type Option func(*options)

type options struct {
	noJS        bool
	stepTimeout time.Duration
}

// WithoutJS disables JavaScript in the tab (Emulation.setScriptExecutionDisabled),
// as for a user whose browser blocks scripts: forms must work anyway. The
// harness still evaluates its own helpers and axe through DevTools.
func WithoutJS() Option { return func(o *options) { o.noJS = true } }

// WithStepTimeout sets the limit of one step on an idle machine (default
// DefaultStepTimeout); like the default, it is scaled for the machine.
func WithStepTimeout(d time.Duration) Option { return func(o *options) { o.stepTimeout = d } }

// Page is one test's browser tab on the app at base. Its methods fail the
// test (t.Fatal) when a step cannot be done, and report accessibility
// violations, script exceptions and CSP violations with t.Error.
type Page struct {
	t     testing.TB
	base  string
	ctx   context.Context
	opts  options
	shots string   // screenshot directory
	scope []string // the Within groups lookups are narrowed to

	status   int             // HTTP status of the current document (0 if unknown)
	seenA11y map[string]bool // axe findings already reported (rule + element)

	mu      sync.Mutex
	console []string // exceptions and CSP violations not yet reported
}

// Open starts a tab on the app at baseURL (apptest.App.URL). The tab closes
// when the test ends. Open the tab after apptest.New, so that it closes
// before the app's server does.
func Open(t testing.TB, baseURL string, opt ...Option) *Page {
	t.Helper()
	o := options{stepTimeout: DefaultStepTimeout}
	for _, f := range opt {
		f(&o)
	}
	bctx := browser(t)
	// The tab lives until the test ends, however long that takes; each step
	// has its own limit (step).
	tab, cancelTab := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	p := &Page{t: t, base: strings.TrimSuffix(baseURL, "/"), ctx: tab, opts: o}
	t.Cleanup(func() {
		if t.Failed() {
			p.diagnose()
		}
		p.reportConsole()
		cancelTab()
	})

	setup := []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(ViewportWidth, ViewportHeight),
		// Parallel tests' tabs are not the focused window; emulate focus so
		// :focus styles and document.activeElement behave as for a user.
		call(emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}),
	}
	if o.noJS {
		setup = append(setup, call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
	}
	// The first Do on the tab opens it, and the tab's message loop lives on
	// that call's context: a deadline on it would close the tab. So the
	// step's limit is kept here instead.
	limit, desc := p.stepLimit()
	opened := make(chan error, 1)
	go func() { opened <- chromedp.Do(tab, setup...) }()
	select {
	case err := <-opened:
		if err != nil {
			t.Fatalf("browsertest: open a tab: %v", err)
		}
	case <-time.After(limit):
		cancelTab()
		t.Fatalf("browsertest: open a tab: no answer within %s", desc)
	}
	go p.collectConsole()
	return p
}

// collectConsole keeps the page's uncaught exceptions and CSP violations,
// which are bugs whatever the journey does.
func (p *Page) collectConsole() {
	for m, err := range chromedp.Console(p.ctx) {
		if err != nil {
			return
		}
		if m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
			p.mu.Lock()
			p.console = append(p.console, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
			p.mu.Unlock()
		}
	}
}

// CheckConsole fails the test (t.Error) with the uncaught exceptions and
// Content-Security-Policy violations the browser reported since the last
// check. Pages are checked when they load and when the test ends; messages
// arrive asynchronously, so a late one is reported at the next check.
func (p *Page) CheckConsole() {
	p.t.Helper()
	p.reportConsole()
}

// reportConsole fails the test with the console problems seen so far.
func (p *Page) reportConsole() {
	p.t.Helper()
	p.mu.Lock()
	msgs := p.console
	p.console = nil
	p.mu.Unlock()
	for _, m := range msgs {
		p.t.Errorf("browser console: %s", m)
	}
}

// stepLimit is the time a step that starts now may take — the step timeout
// scaled for the machine — and that limit in words for a message.
func (p *Page) stepLimit() (time.Duration, string) {
	return testlimit.Describe(p.opts.stepTimeout)
}

// step returns a context for one step, and its limit in words.
func (p *Page) step() (context.Context, context.CancelFunc, string) {
	limit, desc := p.stepLimit()
	ctx, cancel := context.WithTimeout(p.ctx, limit)
	return ctx, cancel, desc
}

// stepErr says why a step failed: for a step that ran out of time, that it got
// no answer within its limit.
func stepErr(err error, limit string) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("no answer within the step's limit of %s (%v)", limit, err)
	}
	return err.Error()
}

// run runs a step and fails the test with what on error.
func (p *Page) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel, limit := p.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.fatalf("%s: %s", what, stepErr(err, limit))
	}
}

// call is an action that sends one DevTools command and ignores its result.
func call[P, R any](cmd cdp.Command[P, R], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cmd, params)
		return err
	})
}

// fatalf fails the test, saying where the browser was.
func (p *Page) fatalf(format string, args ...any) {
	p.t.Helper()
	p.t.Fatalf("%s\n\tat %s", fmt.Sprintf(format, args...), p.where())
}

// where is the current path and status, for messages.
func (p *Page) where() string {
	ctx, cancel := context.WithTimeout(p.ctx, testlimit.Scale(5*time.Second))
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search + location.hash`))
	if err != nil {
		return "(location unknown: " + err.Error() + ")"
	}
	return fmt.Sprintf("%s (HTTP %d)", loc, p.status)
}

// diagnose logs what the page showed when the test failed and saves a
// screenshot of it under $TMPDIR/helhed-browsertest/ (CI can keep that
// directory as an artifact). It is not written to HELHED_SCREENSHOTS, which
// is for the documentation.
func (p *Page) diagnose() {
	if p.ctx.Err() != nil {
		p.t.Logf("browsertest: the tab had already ended (%v)", p.ctx.Err())
		return
	}
	ctx, cancel := context.WithTimeout(p.ctx, testlimit.Scale(5*time.Second))
	defer cancel()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('main') || document.body || {innerText: ''}).innerText`))
	if err == nil {
		if r := []rune(text); len(r) > 1500 {
			text = string(r[:1500]) + " …"
		}
		p.t.Logf("browsertest: the page at %s showed:\n%s", p.where(), text)
	}
	name := strings.NewReplacer("/", "-", " ", "_").Replace(p.t.Name())
	if path, err := p.saveScreenshot(filepath.Join(os.TempDir(), "helhed-browsertest"), name); err == nil {
		p.t.Logf("browsertest: screenshot of the failure: %s", path)
	}
}

// moduleRoot finds the directory of go.mod above the working directory, so
// a relative HELHED_SCREENSHOTS means the same from any package.
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}
