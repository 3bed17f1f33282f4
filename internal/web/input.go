package web

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxPage is the highest page number a list accepts (?side=). At 50 rows a page it reaches
// 50 million rows, beyond any list Helhed keeps; a larger number is a typo or a probe, and
// one near the int64 limit made the row offset overflow (a 500 from PostgreSQL).
const MaxPage = 1_000_000

// pageParam is the query parameter of every paginated list.
const pageParam = "side"

// versionField is the optimistic-lock version every edit form carries back. Versions are
// PostgreSQL integers: a larger number cannot even be sent to the database (it failed with 500).
const versionField = "version"

// maxFormMemory bounds a multipart form held in memory. Outside uploadRoutes a multipart
// form is only ever a few text fields.
const maxFormMemory = 1 << 20

// uploadRoutes are the POST routes whose form carries a file (routes.go). Their multipart body
// is not parsed here: the handler reads it as a stream, the text fields before the file with
// the same checks as below (readUpload), so a 20 MB file never sits in memory or in a
// temporary file. Everywhere else an uploaded file is refused.
var uploadRoutes = []string{"/borgere/{id}/dokumenter", "/mit/breve"}

// streamingUpload reports whether r is a multipart POST to one of uploadRoutes: its body is
// its handler's to read.
func streamingUpload(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "multipart/form-data" {
		return false
	}
	for _, p := range uploadRoutes {
		if matchesRoute(p, r.URL.Path) {
			return true
		}
	}
	return false
}

// matchesRoute reports whether path matches a route pattern whose {params} are single
// non-empty segments.
func matchesRoute(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i, p := range ps {
		if strings.HasPrefix(p, "{") {
			if xs[i] == "" {
				return false
			}
		} else if p != xs[i] {
			return false
		}
	}
	return true
}

// errBadInput is why a request was refused; the message goes to the log, never a value.
type errBadInput string

func (e errBadInput) Error() string { return string(e) }

// validateInput refuses, with the Danish 400 page and before any handler runs, a request whose
// path, query string or form holds text the application cannot store or does not understand:
// invalid UTF-8 or a NUL byte in any name or value (PostgreSQL refuses both, which surfaced as
// 500s), a malformed query or form encoding, an uploaded file, a page number that is not
// 1…MaxPage, or a version that is not 0…2³¹−1. Those two fields mean the same on every route,
// so they are checked here once; every other field is the handler's form to validate. It parses the form once (r.ParseForm / ParseMultipartForm); handlers read the
// parsed values as before — except on uploadRoutes, whose multipart body its handler reads as a
// stream with the same checks. The log line says what was wrong, never the value.
func (s *Server) validateInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkInput(r); err != nil {
			s.log.Info("bad input refused", "method", r.Method, "path", safePath(r.URL.Path), "request_id", requestID(r), "reason", err.Error())
			s.renderError(w, r, http.StatusBadRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkInput is validateInput's test of one request.
func checkInput(r *http.Request) error {
	if !cleanText(r.URL.Path) {
		return errBadInput("path: invalid UTF-8 or NUL")
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if streamingUpload(r) {
		err = r.ParseForm() // the query string only: the body is the handler's
	} else if ct == "multipart/form-data" {
		err = r.ParseMultipartForm(maxFormMemory)
		if err == nil && len(r.MultipartForm.File) > 0 {
			return errBadInput("form: file upload")
		}
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return errBadInput("form: body too large")
		}
		return errBadInput("form or query: malformed encoding")
	}
	// r.Form holds the query string and the posted form together.
	for k, vs := range r.Form {
		if !cleanText(k) {
			return errBadInput("field name: invalid UTF-8 or NUL")
		}
		for _, v := range vs {
			if !cleanText(v) {
				return errBadInput("field value: invalid UTF-8 or NUL") // the name is the client's: not logged
			}
		}
	}
	for _, v := range r.Form[pageParam] {
		if _, ok := parsePage(v); !ok {
			return errBadInput("page number out of range")
		}
	}
	for _, v := range r.Form[versionField] {
		if v == "" {
			continue // a form without a version is the handler's to reject, beside the form
		}
		if n, err := strconv.ParseInt(v, 10, 32); err != nil || n < 0 || strings.TrimLeft(v, "0123456789") != "" {
			return errBadInput("version out of range")
		}
	}
	return nil
}

// cleanText reports whether s can be stored as PostgreSQL text: valid UTF-8 without NUL.
func cleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// parsePage reads a page number: "" is the first page; otherwise 1…MaxPage in plain digits.
func parsePage(v string) (int, bool) {
	if v == "" {
		return 1, true
	}
	if len(v) > len(strconv.Itoa(MaxPage)) || strings.TrimLeft(v, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > MaxPage {
		return 0, false
	}
	return n, true
}

// safePath is the request path for a log line: a path that is not clean text is not logged.
func safePath(p string) string {
	if !cleanText(p) {
		return "(ugyldig sti)"
	}
	return p
}
