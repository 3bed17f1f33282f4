package web_test

import (
	"compress/flate"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// Pages reach a browser compressed with what it accepts, and decompress
// with the standard library to the very page an uncompressed request gets; a page shrinks
// as much as it did with the standard library's level 1 (compress.go). A client that
// accepts no compression gets the page as it is.
func TestResponsesAreCompressed(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	cit := app.Citizen(t, "030486-1234", "Komprimeret", "Borger", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")

	get := func(path, accept string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, app.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Setting the header ourselves turns off the transport's own decompression.
		req.Header.Set("Accept-Encoding", accept)
		resp, err := c.HTTP().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}

	page := paths.Citizen(cit)
	resp, plain := get(page, "identity")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("uncompressed page: status %d, Content-Encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	if !strings.Contains(string(plain), "Komprimeret Borger") {
		t.Fatal("the uncompressed page is not the citizen's page")
	}
	for _, tc := range []struct {
		accept, encoding string
		open             func(io.Reader) (io.Reader, error)
	}{
		{"gzip, deflate, br", "gzip", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
		{"deflate", "deflate", func(r io.Reader) (io.Reader, error) { return flate.NewReader(r), nil }},
	} {
		for _, path := range []string{page, "/borgere"} {
			resp, body := get(path, tc.accept)
			if got := resp.Header.Get("Content-Encoding"); got != tc.encoding {
				t.Fatalf("%s with Accept-Encoding %q: Content-Encoding %q, want %q", path, tc.accept, got, tc.encoding)
			}
			r, err := tc.open(strings.NewReader(string(body)))
			if err != nil {
				t.Fatalf("%s (%s): %v", path, tc.encoding, err)
			}
			out, err := io.ReadAll(r)
			if err != nil {
				t.Fatalf("%s (%s) does not decompress: %v", path, tc.encoding, err)
			}
			if path != page {
				continue
			}
			// The page carries a fresh nonce and request id each time; the rest is the same.
			if len(out) < len(plain)-100 || len(out) > len(plain)+100 || !strings.Contains(string(out), "Komprimeret Borger") {
				t.Errorf("%s (%s) decompresses to %d bytes, not the %d-byte page", path, tc.encoding, len(out), len(plain))
			}
			if ratio := float64(len(out)) / float64(len(body)); ratio < 3 {
				t.Errorf("%s (%s): %d bytes compressed to %d, only %.1f×", path, tc.encoding, len(out), len(body), ratio)
			}
		}
	}
}
