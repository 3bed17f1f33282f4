package pdf

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

func TestRenderProducesPDF(t *testing.T) {
	var r Renderer
	if !r.Available() {
		t.Skip("chromium is not installed; the web tests check the Danish fallback message")
	}
	buf, err := r.Render(context.Background(), `<!DOCTYPE html><html lang="da"><body><h1>Mit mål: et job</h1></body></html>`)
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
