package static

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

var hashedCSS = regexp.MustCompile(`^/static/css/dkfds\.min\.[0-9a-f]{10}\.css$`)

func TestPathFingerprints(t *testing.T) {
	p := Path("css/dkfds.min.css")
	if !hashedCSS.MatchString(p) {
		t.Fatalf("Path(css/dkfds.min.css) = %q, want /static/css/dkfds.min.<10 hex>.css", p)
	}
	if Path("/css/dkfds.min.css") != p {
		t.Errorf("leading slash changes result: %q", Path("/css/dkfds.min.css"))
	}
	for _, n := range []string{"css/helhed.css", "js/htmx.min.js", "js/sse.min.js", "img/all-svg-icons.svg"} {
		if got := Path(n); got == Prefix+n || !strings.HasPrefix(got, Prefix) {
			t.Errorf("Path(%q) = %q, want fingerprinted", n, got)
		}
	}
	if got := Path("nope/missing.css"); got != "/static/nope/missing.css" {
		t.Errorf("unknown name: got %q", got)
	}
}

func get(t *testing.T, url string, hdr ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, req)
	return rec.Result()
}

func TestHandlerFingerprinted(t *testing.T) {
	tests := []struct{ name, ctype string }{
		{"css/dkfds.min.css", "text/css; charset=utf-8"},
		{"css/helhed.css", "text/css; charset=utf-8"},
		{"js/htmx.min.js", "text/javascript; charset=utf-8"},
		{"js/sse.min.js", "text/javascript; charset=utf-8"},
		{"fonts/IBMPlexSans-Regular.woff2", "font/woff2"},
		{"img/all-svg-icons.svg", "image/svg+xml"},
	}
	for _, tc := range tests {
		res := get(t, Path(tc.name))
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tc.name, res.StatusCode)
			continue
		}
		if got := res.Header.Get("Content-Type"); got != tc.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tc.name, got, tc.ctype)
		}
		if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", tc.name, got)
		}
		body, _ := io.ReadAll(res.Body)
		if len(body) == 0 {
			t.Errorf("%s: empty body", tc.name)
		}
	}
}

func TestHandlerPlainAndUnknown(t *testing.T) {
	res := get(t, "/static/css/helhed.css")
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "public, max-age=3600" {
		t.Errorf("plain name: status %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	// Mounted behind http.StripPrefix the path has no /static/ prefix.
	res = get(t, "/css/helhed.css")
	if res.StatusCode != 200 {
		t.Errorf("stripped path: status %d", res.StatusCode)
	}
	// Stale hash: served, but not cached long.
	res = get(t, "/static/css/helhed.0123456789.css")
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "public, max-age=3600" {
		t.Errorf("stale hash: status %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	for _, u := range []string{"/static/nope.css", "/static/css/", "/static/", "/static/../static.go", "/static/css/nope.0123456789.css"} {
		if res := get(t, u); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", u, res.StatusCode)
		}
	}
	req := httptest.NewRequest(http.MethodPost, Path("css/helhed.css"), nil)
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", rec.Code)
	}
}

func TestHandlerGzipAndETag(t *testing.T) {
	u := Path("css/dkfds.min.css")
	res := get(t, u, "Accept-Encoding", "gzip, br")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("no gzip: %v", res.Header)
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	gz, _ := io.ReadAll(zr)
	plain, _ := io.ReadAll(get(t, u).Body)
	if !bytes.Equal(gz, plain) || len(plain) < 1000 {
		t.Errorf("gzip body differs from plain body (%d vs %d bytes)", len(gz), len(plain))
	}
	etag := res.Header.Get("ETag")
	if res := get(t, u, "Accept-Encoding", "gzip", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d", res.StatusCode)
	}
	if acceptsGzip("gzip;q=0") || acceptsGzip("br") || !acceptsGzip("deflate, gzip;q=0.5") {
		t.Error("acceptsGzip")
	}
}

// Every url() in the served CSS must point at a fingerprinted asset that the
// handler serves; no relative url() may be left.
func TestCSSURLsResolve(t *testing.T) {
	re := regexp.MustCompile(`url\(([^)]*)\)`)
	for _, name := range []string{"css/dkfds.min.css", "css/helhed.css"} {
		body, _ := io.ReadAll(get(t, Path(name)).Body)
		n := 0
		for _, m := range re.FindAllSubmatch(body, -1) {
			ref := strings.Trim(string(m[1]), `'"`)
			if strings.HasPrefix(ref, "data:") {
				continue
			}
			n++
			if !strings.HasPrefix(ref, "/static/") {
				t.Errorf("%s: url(%s) not rewritten", name, ref)
				continue
			}
			res := get(t, ref)
			if res.StatusCode != 200 || res.Header.Get("Cache-Control") != cacheImmutable {
				t.Errorf("%s: url(%s): status %d, Cache-Control %q", name, ref, res.StatusCode, res.Header.Get("Cache-Control"))
			}
		}
		if name == "css/dkfds.min.css" && n < 100 {
			t.Errorf("%s: only %d url()s", name, n)
		}
	}
	if !bytes.Contains(byName["css/dkfds.min.css"].body, []byte(Path("fonts/IBMPlexSans-Regular.woff2"))) {
		t.Error("dkfds CSS does not reference the fingerprinted Regular font")
	}
}

func TestRewriteCSSURLs(t *testing.T) {
	in := `a{background:url(../img/a.svg)}b{src:url("../fonts/f.woff2") format("woff2")}c{x:url(data:image/png;base64,AA==)}d{x:url(/abs.png)}e{x:url(../img/missing.svg)}f{x:url('../img/a.svg#frag')}`
	out := rewriteCSSURLs("css/x.css", []byte(in), func(p string) (string, bool) {
		switch p {
		case "img/a.svg":
			return "/static/img/a.h.svg", true
		case "fonts/f.woff2":
			return "/static/fonts/f.h.woff2", true
		}
		return "", false
	})
	want := `a{background:url(/static/img/a.h.svg)}b{src:url(/static/fonts/f.h.woff2) format("woff2")}c{x:url(data:image/png;base64,AA==)}d{x:url(/abs.png)}e{x:url(../img/missing.svg)}f{x:url(/static/img/a.h.svg#frag)}`
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// /favicon.ico, which browsers fetch unasked, is the embedded icon, cacheable for an hour.
func TestFileFavicon(t *testing.T) {
	h := File("img/favicon.ico")
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, "/favicon.ico", nil))
		res := rec.Result()
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/x-icon" ||
			res.Header.Get("Cache-Control") != "public, max-age=3600" {
			t.Errorf("%s /favicon.ico: status %d, Content-Type %q, Cache-Control %q", method, res.StatusCode,
				res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
		}
		body, _ := io.ReadAll(res.Body)
		if method == http.MethodGet && !bytes.HasPrefix(body, []byte{0, 0, 1, 0}) {
			t.Errorf("/favicon.ico is not an icon: % x", body[:min(len(body), 8)])
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/favicon.ico", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /favicon.ico: status %d", rec.Code)
	}
	defer func() {
		if recover() == nil {
			t.Error("File of an unknown asset did not panic")
		}
	}()
	File("img/nope.ico")
}
