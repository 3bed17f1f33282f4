package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/web"
)

// A consent's dates must be plausible and its purpose stated: given today or up to 10 years
// back (never in the future), expiring after it was given and at most 5 years from today, a
// purpose of 1–500 characters after trimming. A refused form is shown again with 422, the
// message beside the field and everything typed kept; nothing is saved.
func TestConsentDatesAndPurposeAreBounded(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	cid := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	path := "/borgere/" + strconv.FormatInt(cid, 10) + "/samtykker"
	today := helhed.DanishToday(time.Now()) // the app's day: the Danish date, also just after its midnight
	day := func(years, days int) string { return today.AddDate(years, 0, days).Format(time.DateOnly) }
	form := func(purpose, given, expires string) url.Values {
		return url.Values{"c_information": {"helbred"}, "c_units": {strconv.FormatInt(app.Units[apptest.Health], 10)},
			"c_purpose": {purpose}, "c_given": {given}, "c_expires": {expires}}
	}
	count := func() int {
		var n int
		if err := app.Pool.QueryRow(context.Background(), `SELECT count(*) FROM consents WHERE citizen_id = $1`, cid).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const purpose = "Koordinering med sundhedscentret"
	for _, tc := range []struct {
		name, purpose, given, expires, field, want string
	}{
		{"given in 1990", purpose, "1990-01-01", "", "c_given", "10 år"},
		{"given 10 years and a day ago", purpose, day(-10, -1), "", "c_given", "10 år"},
		{"given tomorrow", purpose, day(0, 1), "", "c_given", "fremtiden"},
		{"expires in 2999", purpose, "", "2999-12-31", "c_expires", "5 år"},
		{"expires 5 years and a day ahead", purpose, "", day(5, 1), "c_expires", "5 år"},
		{"expires the day it is given", purpose, day(0, -3), day(0, -3), "c_expires", "efter"},
		{"expires before it is given", purpose, day(0, -3), day(0, -4), "c_expires", "efter"},
		{"purpose of blanks", " \t\n ", "", "", "c_purpose", "Skal udfyldes"},
		{"purpose too long", strings.Repeat("å", 501), "", "", "c_purpose", "500"},
	} {
		p := c.Post(path, form(tc.purpose, tc.given, tc.expires))
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#"+tc.field+"-error"), tc.want) {
			t.Errorf("%s: %d, %s error %q; want 422 mentioning %q", tc.name, p.Status, tc.field, p.Text("#"+tc.field+"-error"), tc.want)
			continue
		}
		if got := p.Value("#c_given"); got != tc.given {
			t.Errorf("%s: the given date came back as %q; want %q kept", tc.name, got, tc.given)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("%d consents saved from refused forms", n)
	}
	// The edges themselves are accepted.
	for _, f := range []url.Values{form(purpose, day(-10, 0), day(5, 0)), form(strings.Repeat("å", 500), "", day(0, 1))} {
		if p := c.Post(path, f); p.Status != http.StatusOK || p.Has(".form-error-message") {
			t.Fatalf("a consent inside the bounds: %d %q", p.Status, p.Text(".form-error-message"))
		}
	}
	if n := count(); n != 2 {
		t.Fatalf("%d consents saved; want 2", n)
	}
}
