// Package pdf renders an HTML document to PDF with the machine's Chromium, through the
// DevTools protocol (chromedp). The document is handed over as a string, so the browser
// makes no request back to the app: no session cookie to pass, nothing to fetch.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ErrUnavailable means there is no Chromium on the server.
var ErrUnavailable = errors.New("pdf: chromium is not installed")

// Renderer prints HTML to PDF. The zero value looks for chromium on PATH and in
// /usr/bin.
type Renderer struct {
	// ExecPath is the browser binary; "" finds chromium, chromium-browser or
	// google-chrome. A path that does not exist makes the renderer unavailable.
	ExecPath string
	// Timeout bounds one rendering (default 30 s).
	Timeout time.Duration
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

// Render prints the HTML document on A4 with its own print styles and returns the PDF. It
// starts a fresh headless browser with a throwaway profile each time: plans are printed a
// few times a day, and a private browser per document shares nothing between citizens.
func (r *Renderer) Render(ctx context.Context, html string) ([]byte, error) {
	bin := r.path()
	if bin == "" {
		return nil, ErrUnavailable
	}
	timeout := r.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "helhed-pdf-")
	if err != nil {
		return nil, fmt.Errorf("pdf: profile dir: %w", err)
	}
	defer os.RemoveAll(dir)

	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
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
		chromedp.UserDataDir(dir),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()

	err = chromedp.Do(bctx,
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
	buf, err := chromedp.Run(bctx, chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFPreferCSSPageSize(),
		chromedp.PDFOutlineAndTagged(), // a tagged PDF reads in order with a screen reader
	))
	if err != nil {
		return nil, fmt.Errorf("pdf: print: %w", err)
	}
	return buf, nil
}
