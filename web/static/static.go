// Package static embeds Helhed's front-end assets (DKFDS CSS, fonts and icons,
// htmx and its SSE extension, and our own helhed.css) and serves them with
// fingerprinted (content-hashed) names.
//
// # Names
//
// Assets are addressed by their path inside this directory, e.g.
// "css/dkfds.min.css". Path returns the URL to put in HTML:
//
//	static.Path("css/dkfds.min.css") // "/static/css/dkfds.min.3f2a9c1b7e.css"
//
// The hash is the first 10 hex digits of the SHA-256 of the served content,
// computed once at package init.
//
// # url() in CSS
//
// Embedded CSS references fonts and images with relative url()s (DKFDS uses
// "../fonts/…" and "../img/…"). At init every relative url() in every embedded
// .css file that resolves to an embedded file is rewritten to that file's
// absolute fingerprinted URL, and the CSS is hashed after the rewrite. So every
// asset, fonts and icons included, is served with an immutable cache header,
// and a changed font changes the hash of the CSS that uses it.
// url()s that are absolute, data: or unknown are left alone.
//
// # Serving
//
// Handler serves, under Prefix:
//   - fingerprinted names: Cache-Control "public, max-age=31536000, immutable";
//   - plain names (and fingerprinted names whose hash is stale, e.g. an old
//     page during a deploy): Cache-Control "public, max-age=3600";
//   - anything else: 404.
//
// File serves one asset at an address of its own: the router sends /favicon.ico (Helhed's
// own icon, img/favicon.ico) through it.
//
// Text assets are pre-compressed with gzip at init and sent gzipped to
// clients that accept it (Vary: Accept-Encoding).
//
// To re-vendor the third-party files run web/static/vendor.sh; see
// licenses/README.md for what came from which npm package.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Prefix is the URL path under which Handler must be mounted.
const Prefix = "/static/"

//go:embed css js fonts img licenses
var files embed.FS

const (
	hashLen        = 10
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheShort     = "public, max-age=3600"
)

type asset struct {
	name        string // e.g. "css/dkfds.min.css"
	hashed      string // e.g. "css/dkfds.min.3f2a9c1b7e.css"
	hash        string
	contentType string
	body        []byte
	gz          []byte // nil when not worth compressing
}

var (
	byName   map[string]*asset // plain name -> asset
	byHashed map[string]*asset // fingerprinted name -> asset
)

func init() {
	a, err := load(files)
	if err != nil {
		panic("static: " + err.Error())
	}
	byName = a
	byHashed = make(map[string]*asset, len(a))
	for _, as := range a {
		byHashed[as.hashed] = as
	}
}

// load reads every file in fsys, fingerprints it and rewrites url()s in CSS.
// Non-CSS files are hashed first so CSS can refer to their hashed names.
func load(fsys fs.FS) (map[string]*asset, error) {
	out := make(map[string]*asset)
	var css []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		out[p] = &asset{name: p, body: b, contentType: contentType(p)}
		if path.Ext(p) == ".css" {
			css = append(css, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, as := range out {
		if path.Ext(as.name) != ".css" {
			fingerprint(as)
		}
	}
	sort.Strings(css)
	for _, p := range css {
		as := out[p]
		as.body = rewriteCSSURLs(p, as.body, func(target string) (string, bool) {
			t, ok := out[target]
			if !ok || t.hashed == "" {
				return "", false
			}
			return Prefix + t.hashed, true
		})
		fingerprint(as)
	}
	return out, nil
}

func fingerprint(as *asset) {
	sum := sha256.Sum256(as.body)
	as.hash = hex.EncodeToString(sum[:])[:hashLen]
	as.hashed = hashedName(as.name, as.hash)
	if compressible(as.contentType) && len(as.body) > 512 {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(as.body)
		_ = zw.Close()
		if buf.Len() < len(as.body) {
			as.gz = buf.Bytes()
		}
	}
}

// hashedName inserts hash before the last extension: "a/b.min.css" ->
// "a/b.min.<hash>.css".
func hashedName(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// url( optional-quote target optional-quote )
var cssURL = regexp.MustCompile(`url\(\s*(['"]?)([^'")\s]+)(['"]?)\s*\)`)

// rewriteCSSURLs rewrites relative url()s in the CSS file cssPath using
// resolve, which maps an embedded file name to its URL.
func rewriteCSSURLs(cssPath string, body []byte, resolve func(string) (string, bool)) []byte {
	dir := path.Dir(cssPath)
	return cssURL.ReplaceAllFunc(body, func(m []byte) []byte {
		sub := cssURL.FindSubmatch(m)
		ref := string(sub[2])
		if ref == "" || strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "#") ||
			strings.Contains(ref, ":") {
			return m // absolute, fragment-only, data:, http:, …
		}
		target, suffix := ref, ""
		if i := strings.IndexAny(target, "?#"); i >= 0 {
			target, suffix = target[:i], target[i:]
		}
		target = path.Join(dir, target)
		u, ok := resolve(target)
		if !ok {
			return m
		}
		return []byte("url(" + u + suffix + ")")
	})
}

var types = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".woff2": "font/woff2",
	".woff":  "font/woff",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/plain; charset=utf-8",
	".json":  "application/json",
	".ico":   "image/x-icon",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := types[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.HasPrefix(ct, "image/svg") ||
		strings.HasPrefix(ct, "application/json")
}

// Path returns the URL of the fingerprinted asset name (a path relative to
// this directory, e.g. "css/helhed.css"). For an unknown name it returns the
// unhashed URL Prefix+name, which Handler answers with 404.
func Path(name string) string {
	name = strings.TrimPrefix(name, "/")
	if as, ok := byName[name]; ok {
		return Prefix + as.hashed
	}
	return Prefix + name
}

// Names returns the plain names of all embedded assets, sorted.
func Names() []string {
	out := make([]string, 0, len(byName))
	for n := range byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Handler serves the embedded assets. Mount it at Prefix ("/static/"); it
// accepts request paths with or without that prefix, so both
// mux.Handle("/static/", static.Handler()) and a chi r.Handle("/static/*", …)
// or http.StripPrefix work.
func Handler() http.Handler {
	return http.HandlerFunc(serve)
}

func serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "Metoden er ikke tilladt", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, Prefix)
	name = strings.TrimPrefix(name, "/")

	as, cache := lookup(name)
	if as == nil {
		http.NotFound(w, r)
		return
	}
	write(w, r, as, cache)
}

// File serves the embedded asset name (a plain name, e.g. "img/favicon.ico") at an address of
// its own outside Prefix: /favicon.ico, which browsers fetch without being told. It is sent
// as Handler sends a plain name, cacheable for an hour. It panics if there is no such asset.
func File(name string) http.Handler {
	as, ok := byName[name]
	if !ok {
		panic("static: no asset " + name)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "Metoden er ikke tilladt", http.StatusMethodNotAllowed)
			return
		}
		write(w, r, as, cacheShort)
	})
}

// write sends an asset with its headers, gzipped to a client that accepts it.
func write(w http.ResponseWriter, r *http.Request, as *asset, cache string) {
	h := w.Header()
	h.Set("Content-Type", as.contentType)
	h.Set("Cache-Control", cache)
	h.Set("X-Content-Type-Options", "nosniff")
	body, etag := as.body, `"`+as.hash+`"`
	if as.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = as.gz, `"`+as.hash+`-gz"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// lookup finds the asset for a request name and the Cache-Control to use.
func lookup(name string) (*asset, string) {
	if as, ok := byHashed[name]; ok {
		return as, cacheImmutable
	}
	if as, ok := byName[name]; ok {
		return as, cacheShort
	}
	// A fingerprinted name with a stale hash (a page rendered by an older
	// build): serve the current content, but do not let it be cached long.
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	if i := strings.LastIndexByte(base, '.'); i >= 0 && isHex(base[i+1:], hashLen) {
		if as, ok := byName[base[:i]+ext]; ok {
			return as, cacheShort
		}
	}
	return nil, ""
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		if params == "q=0" || params == "q=0.0" || params == "q=0.00" || params == "q=0.000" {
			return false
		}
		return true
	}
	return false
}
