package web_test

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
)

// The request log names the user behind each request: the logging middleware runs before the
// session is read, so the user loaded later must still reach its line. Anonymous requests log
// user_id=0.
func TestRequestLogCarriesUserID(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	c := app.Client(t)
	c.Get("/login")
	c.Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}})
	c.Get("/katalog")
	id := strconv.FormatInt(cw.ID, 10)
	for _, tc := range []struct{ method, path, user string }{
		{"GET", "/login", "0"},
		{"POST", "/login", id}, // the login itself is the user's
		{"GET", "/katalog", id},
	} {
		line := logLine(t, app.Logs(), tc.method, tc.path)
		if !strings.Contains(line, " user_id="+tc.user+" ") && !strings.HasSuffix(line, " user_id="+tc.user) {
			t.Errorf("%s %s logged %q; want user_id=%s", tc.method, tc.path, line, tc.user)
		}
	}
}

// logLine returns the first request log line of method and path.
func logLine(t *testing.T, logs, method, path string) string {
	t.Helper()
	re := regexp.MustCompile(`(?m)^.*msg=request method=` + method + ` path=` + regexp.QuoteMeta(path) + ` .*$`)
	line := re.FindString(logs)
	if line == "" {
		t.Fatalf("no request log line for %s %s in:\n%s", method, path, logs)
	}
	return line
}
