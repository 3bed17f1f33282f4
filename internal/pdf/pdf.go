// Package pdf renders an HTML document to PDF with the machine's Chromium, through the
// DevTools protocol (chromedp). The document is handed over as a string, so the browser
// makes no request back to the app: no session cookie to pass, nothing to fetch.
//
// One browser process serves every document, started at the first request and started again
// if it dies; each document gets its own tab in its own browser context (an incognito-like
// profile that is thrown away with the tab), so nothing is shared between citizens. A few
// tabs print at once, a bounded number of requests wait for a tab, and the rest are told to
// come back (ErrBusy): twenty people printing at once cost one browser and a few tabs, not
// twenty browsers.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ErrUnavailable means there is no Chromium on the server.
var ErrUnavailable = errors.New("pdf: chromium is not installed")

// ErrBusy means every tab is printing and the queue is full, or the document waited its
// whole timeout for a tab: the caller should ask the user to try again shortly.
var ErrBusy = errors.New("pdf: too many documents are being printed")

// ErrClosed means the renderer has been closed (the server is shutting down).
var ErrClosed = errors.New("pdf: renderer closed")

// Defaults of Renderer's bounds.
const (
	DefaultTabs    = 2
	DefaultQueue   = 8
	DefaultTimeout = 30 * time.Second
)

// Renderer prints HTML to PDF. The zero value looks for chromium on PATH and in /usr/bin,
// and uses the default bounds. A Renderer must not be copied after first use; Close it when
// the server stops.
type Renderer struct {
	// ExecPath is the browser binary; "" finds chromium, chromium-browser or
	// google-chrome. A path that does not exist makes the renderer unavailable.
	ExecPath string
	// Tabs is how many documents print at once (default DefaultTabs). Each tab is a
	// renderer process of its own beside the browser's.
	Tabs int
	// Queue is how many more documents may wait for a tab (0: DefaultQueue; negative: none);
	// beyond that Render returns ErrBusy at once.
	Queue int
	// Timeout bounds one document, its wait for a tab included (default DefaultTimeout).
	Timeout time.Duration

	initOnce sync.Once
	tabs     chan struct{} // a token per tab printing
	admitted chan struct{} // a token per document printing or waiting

	mu      sync.Mutex
	browser context.Context // the shared browser's chromedp context; nil before start, after death or Close
	stop    func()          // ends the shared browser and waits for its process
	closed  bool
}

// path returns the browser to run, or "".
func (r *Renderer) path() string {
	if r.ExecPath != "" {
		if _, err := os.Stat(r.ExecPath); err != nil {
			return ""
		}
		return r.ExecPath
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	return ""
}

// Available reports whether a browser is installed, so pages can offer the PDF link or say
// why not.
func (r *Renderer) Available() bool { return r.path() != "" }

func (r *Renderer) init() {
	r.initOnce.Do(func() {
		tabs, queue := r.Tabs, r.Queue
		if tabs <= 0 {
			tabs = DefaultTabs
		}
		if queue < 0 {
			queue = 0
		} else if queue == 0 {
			queue = DefaultQueue
		}
		r.tabs = make(chan struct{}, tabs)
		r.admitted = make(chan struct{}, tabs+queue)
	})
}

// Render prints the HTML document on A4 with its own print styles and returns the PDF. It
// returns ErrUnavailable without a browser, ErrBusy when too many documents are being
// printed (at once or within the timeout), and ErrClosed after Close.
func (r *Renderer) Render(ctx context.Context, html string) ([]byte, error) {
	bin := r.path()
	if bin == "" {
		return nil, ErrUnavailable
	}
	r.init()
	select {
	case r.admitted <- struct{}{}:
		defer func() { <-r.admitted }()
	default:
		return nil, ErrBusy
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	select {
	case r.tabs <- struct{}{}:
		defer func() { <-r.tabs }()
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, ErrBusy
		}
		return nil, ctx.Err()
	}
	// A browser that dies under a document (killed for memory, crashed) is started again
	// once for it.
	for attempt := 0; ; attempt++ {
		b, err := r.browserFor(ctx, bin)
		if err != nil {
			return nil, err
		}
		buf, err := print(ctx, b, html)
		if err == nil || b.Err() == nil || attempt == 1 || ctx.Err() != nil {
			if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, fmt.Errorf("%w: %w", ErrBusy, err)
			}
			return buf, err
		}
		r.forget(b)
	}
}

// print prints html in a new tab of browser b, in a browser context of its own, and closes
// the tab. ctx (the request's, with the document's timeout) ends the tab early.
func print(ctx context.Context, b context.Context, html string) ([]byte, error) {
	tab, closeTab := chromedp.NewContext(b, chromedp.WithNewBrowserContext())
	defer closeTab()
	stop := context.AfterFunc(ctx, closeTab)
	defer stop()
	err := chromedp.Do(tab,
		chromedp.Navigate("about:blank"),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
			if err != nil {
				return err
			}
			_, err = chromedp.Call(ctx, page.SetDocumentContent, page.SetDocumentContentParams{
				FrameID: tree.FrameTree.Frame.ID, HTML: html})
			return err
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("pdf: load document: %w", err)
	}
	buf, err := chromedp.Run(tab, chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFPreferCSSPageSize(),
		chromedp.PDFOutlineAndTagged(), // a tagged PDF reads in order with a screen reader
	))
	if err != nil {
		return nil, fmt.Errorf("pdf: print: %w", err)
	}
	return buf, nil
}

// browserFor returns the shared browser, starting it when there is none or the last one has
// died (its context ends when the process goes). A start that outlasts ctx is abandoned.
func (r *Renderer) browserFor(ctx context.Context, bin string) (context.Context, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, ErrClosed
	}
	if r.browser != nil && r.browser.Err() == nil {
		return r.browser, nil
	}
	if r.stop != nil {
		r.stop() // reap the dead browser and its profile directory
		r.browser, r.stop = nil, nil
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		// Printing fixed documents needs no spare renderer waiting for the next tab.
		chromedp.Flag("disable-features", "SpareRendererForSitePerProcess"),
	)
	b, cancelBrowser := chromedp.NewContext(alloc)
	stop := func() {
		_ = chromedp.Cancel(b) // closes the browser and waits for its process
		cancelBrowser()
		cancelAlloc()
	}
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(b) }() // starts the process
	select {
	case err := <-started:
		if err != nil {
			stop()
			return nil, fmt.Errorf("pdf: start chromium: %w", err)
		}
	case <-ctx.Done():
		stop()
		<-started
		return nil, fmt.Errorf("pdf: start chromium: %w", ctx.Err())
	}
	r.browser, r.stop = b, stop
	return b, nil
}

// forget drops browser b if it is still the shared one, so the next document starts anew.
func (r *Renderer) forget(b context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.browser == b && r.stop != nil {
		r.stop()
		r.browser, r.stop = nil, nil
	}
}

// Close ends the shared browser and waits for its process to exit; later Renders return
// ErrClosed. Documents being printed fail. Close is safe to call more than once.
func (r *Renderer) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	if r.stop != nil {
		r.stop()
		r.browser, r.stop = nil, nil
	}
}
