package browsertest_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/web"
)

// warningOpen is true while the session warning is open.
const warningOpen = `document.getElementById("session-warning").open`

// sessionExpiry is the latest idle deadline the session store holds.
func sessionExpiry(t *testing.T, app *apptest.App) time.Time {
	t.Helper()
	var at time.Time
	if err := app.Pool.QueryRow(context.Background(), `SELECT max(expiry) FROM sessions`).Scan(&at); err != nil {
		t.Fatal(err)
	}
	return at
}

// Before the session's idle timeout ends it, a dialog says when, and "Forbliv logget ind"
// keeps the session (WCAG 2.2.1): the focus moves into the dialog and comes back to the field
// being typed in, the server moves the session's deadline on, and nothing typed is lost.
// Left alone the warning comes again, and when the time is up it says so, with a way back in.
// The idle timeout here is 24 seconds, so the warning comes after about 11 and leaves as long
// to answer it; the axe checks of the open dialog are made on the second warning, which is
// not answered, so that a slow axe run on a loaded machine cannot outlast the session.
func TestSessionWarningBeforeIdleTimeout(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{SessionIdle: 24 * time.Second})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	p := browsertest.Open(t, app.URL)
	p.Login("cw", apptest.Password)
	p.Go("/borgere")
	page := p.Live()
	if open := browsertest.Eval[bool](p, warningOpen); open {
		t.Fatal("the warning is open as the page loads")
	}
	before := sessionExpiry(t, app)
	p.Fill("Søg på navn eller CPR-nummer", "Ole")

	p.WaitFor("the warning before the idle timeout", warningOpen)
	p.ExpectText("#session-warning", "Du bliver snart logget af")
	if end := p.Text("#session-warning [data-session-state=renew] [data-session-end]"); !regexp.MustCompile(`^\d\d[.:]\d\d$`).MatchString(end) {
		t.Errorf("the warning gives the time of logging off as %q", end)
	}
	p.ExpectFocus("Forbliv logget ind")
	p.Press(browsertest.Enter)
	p.WaitFor("the warning to close", "!"+warningOpen)
	if f := p.Focused(); f.Tag != "input" {
		t.Errorf("after the warning the focus is on %s; want it back in the search field", f)
	}
	if after := sessionExpiry(t, app); !after.After(before.Add(5 * time.Second)) {
		t.Errorf("the session's deadline did not move on: %v, then %v", before, after)
	}

	p.WaitFor("the warning to come again", warningOpen)
	p.ExpectFocus("Forbliv logget ind")
	p.CheckA11y()
	p.WaitFor("the warning to say the session has ended", `!document.querySelector('#session-warning [data-session-state="expired"]').hidden`)
	p.ExpectText("#session-warning", "Du er logget af")
	if href := browsertest.Eval[string](p, `document.querySelector("#session-warning [data-session-login]").getAttribute("href")`); href != "/login?next=%2Fborgere" {
		t.Errorf("the way back in is %q", href)
	}
	p.ExpectFocus("Log ind igen")
	p.CheckA11y()
	page.ExpectSameDocument()
	if got := p.Value("Søg på navn eller CPR-nummer"); got != "Ole" {
		t.Errorf("the search field holds %q after the warnings; want what was typed", got)
	}
	p.CheckConsole()
}
