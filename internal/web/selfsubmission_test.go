package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// A citizen's form that creates something is stored once however often it is posted, as
// staff forms are: a double click on "Send mine svar" stores one WHO-5 (sequentially and at
// the same moment), the repeat lands where the first went with the citizen area's flash, and
// the claim is the citizen session's own, so another session's token is not the same claim.
// A refused form (a missing answer) is not "sent": corrected, it goes through.
func TestCitizenDoubleSubmitStoresOnce(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{CitizenDevSignIn: true})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	a := newCitizenCase(t, app, cw, "020385-1233", "Anna")
	c := app.SignInCitizen(t, "020385-1233")
	count := func() int {
		t.Helper()
		var n int
		if err := app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM who5_self_reports WHERE citizen_id = $1`, a.id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	form := func() url.Values {
		t.Helper()
		f := browserForm(t, c.Get(paths.SelfWHO5(a.samtale)), paths.SelfWHO5(a.samtale), who5Form(3))
		if f.Get("form_token") == "" {
			t.Fatal("the WHO-5 form carries no one-time token")
		}
		return f
	}

	// Refused, then corrected with the same token.
	f := form()
	half := url.Values{"form_token": f["form_token"], "who5_1": {"3"}}
	if p := c.Post(paths.SelfWHO5(a.samtale), half); p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("half-answered: %d", p.Status)
	}
	status, location := rawPost(app.URL, c.Cookies(), paths.SelfWHO5(a.samtale), f)
	if status != http.StatusSeeOther || count() != 1 {
		t.Fatalf("first submission: %d, %d stored", status, count())
	}
	again := c.Post(paths.SelfWHO5(a.samtale), f)
	if count() != 1 {
		t.Errorf("a double click stored %d WHO-5s; want 1", count())
	}
	if again.URL.Path != location || !strings.Contains(again.Body, "Formularen var allerede sendt") {
		t.Errorf("the repeat: %d %s %q; want where the first went (%s) with the flash", again.Status, again.URL.Path, again.Text("main"), location)
	}

	// Two at the same moment.
	f = form()
	var wg sync.WaitGroup
	both := make([]int, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			both[i], _ = rawPost(app.URL, c.Cookies(), paths.SelfWHO5(a.samtale), f)
		}()
	}
	wg.Wait()
	if count() != 2 || both[0] != http.StatusSeeOther || both[1] != http.StatusSeeOther {
		t.Errorf("two simultaneous submissions: %v, %d stored in all; want both 303 and 2", both, count())
	}

	// The claim belongs to the session: the same token in another session of the citizen is
	// that session's first submission (tokens are random; this only shows the key).
	other := app.SignInCitizen(t, "020385-1233")
	if p := other.NoRedirects().Post(paths.SelfWHO5(a.samtale), f); p.Status != http.StatusSeeOther || count() != 3 {
		t.Errorf("another session with the token: %d, %d stored", p.Status, count())
	}
	var rows int
	if err := app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM self_form_submissions WHERE session ~ '^[0-9a-f]{64}$' AND result_url LIKE '/mit%'`).Scan(&rows); err != nil || rows != 3 {
		t.Errorf("%d claims recorded (%v); want 3", rows, err)
	}
}
