package pdf

import (
	"bytes"
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/helhed/helhed/internal/testlimit"
)

func TestRenderProducesPDF(t *testing.T) {
	r := Renderer{Timeout: startLimit()}
	if !r.Available() {
		t.Skip("chromium is not installed; the web tests check the Danish fallback message")
	}
	defer r.Close()
	buf, err := r.Render(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf, []byte("%PDF")) {
		t.Fatalf("not a PDF: %q", buf[:min(20, len(buf))])
	}
}

func TestMissingBrowser(t *testing.T) {
	r := Renderer{ExecPath: "/nonexistent/chromium"}
	if r.Available() {
		t.Fatal("a missing binary reported available")
	}
	if _, err := r.Render(context.Background(), "<p>x</p>"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v; want ErrUnavailable", err)
	}
}

// startLimit is DefaultTimeout scaled for the machine's load: a document's limit includes
// starting the browser, which took over 30 s on a loaded 2-core machine (CI, with other work
// beside it) and failed TestBrowserIsSharedAndRestarted though nothing was wrong.
func startLimit() time.Duration { return testlimit.Scale(DefaultTimeout) }

// chromium returns a renderer for the tests that need a browser, or skips. Its documents'
// limit is startLimit.
func chromium(t *testing.T) *Renderer {
	t.Helper()
	r := &Renderer{Timeout: startLimit()}
	if !r.Available() {
		t.Skip("chromium is not installed")
	}
	t.Cleanup(r.Close)
	return r
}

const doc = `<!DOCTYPE html><html lang="da"><body><h1>Mit mål: et job</h1></body></html>`

// browserPID is the shared browser's process id.
func browserPID(t *testing.T, r *Renderer) int {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.browser == nil {
		t.Fatal("no shared browser")
	}
	return chromedp.FromContext(r.browser).Browser.Process().Pid
}

// Documents share one browser process; one that dies is replaced at the next document.
func TestBrowserIsSharedAndRestarted(t *testing.T) {
	r := chromium(t)
	for range 2 {
		if _, err := r.Render(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
	}
	pid := browserPID(t, r)
	r.mu.Lock()
	b := r.browser
	r.mu.Unlock()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-b.Done() // the browser's context ends with its process
	buf, err := r.Render(context.Background(), doc)
	if err != nil || !bytes.HasPrefix(buf, []byte("%PDF")) {
		t.Fatalf("after the browser died: %v", err)
	}
	if again := browserPID(t, r); again == pid {
		t.Fatalf("still browser %d", pid)
	}
}

// Close ends the browser process (and waits for it); later documents are refused.
func TestCloseEndsTheBrowser(t *testing.T) {
	r := chromium(t)
	if _, err := r.Render(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	pid := browserPID(t, r)
	r.Close()
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("browser %d after Close: %v; want it gone", pid, err)
	}
	if _, err := r.Render(context.Background(), doc); !errors.Is(err, ErrClosed) {
		t.Fatalf("render after Close: %v; want ErrClosed", err)
	}
	r.Close() // twice is fine
}

// Beyond the tabs and the queue a document is refused at once; one that waits its whole
// timeout for a tab is refused too. Both are ErrBusy (the page says "Prøv igen om lidt").
func TestBusyBeyondTabsAndQueue(t *testing.T) {
	r := chromium(t)
	r.Tabs, r.Queue, r.Timeout = 1, 1, 50*time.Millisecond
	r.init()
	r.tabs <- struct{}{} // the one tab is printing
	r.admitted <- struct{}{}
	if _, err := r.Render(context.Background(), doc); !errors.Is(err, ErrBusy) {
		t.Fatalf("waiting for a tab past the timeout: %v; want ErrBusy", err)
	}
	r.admitted <- struct{}{} // and one document waits for it: the queue is full
	if _, err := r.Render(context.Background(), doc); !errors.Is(err, ErrBusy) {
		t.Fatalf("beyond the queue: %v; want ErrBusy", err)
	}
	<-r.admitted
	<-r.admitted
	<-r.tabs
	r.Timeout = startLimit() // time enough to start the browser
	if _, err := r.Render(context.Background(), doc); err != nil {
		t.Fatalf("with the tab free again: %v", err)
	}
}
