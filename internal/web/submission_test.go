package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// browserForm returns what a browser would submit from the page's form posting to action:
// hidden and typed fields with their values, checked boxes, each select's chosen option and
// textareas, then set on top.
func browserForm(t *testing.T, p *apptest.Page, action string, set url.Values) url.Values {
	t.Helper()
	form := p.Doc.Find(`form[method=post][action="` + action + `"]`)
	if form.Length() != 1 {
		t.Fatalf("%s: %d forms posting to %s", p.URL.Path, form.Length(), action)
	}
	v := url.Values{}
	form.Find("input[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		value, _ := s.Attr("value")
		switch typ, _ := s.Attr("type"); typ {
		case "checkbox", "radio":
			if _, ok := s.Attr("checked"); ok {
				v.Add(name, value)
			}
		case "submit", "button":
		default:
			v.Add(name, value)
		}
	})
	form.Find("select[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		opt := s.Find("option[selected]")
		if opt.Length() == 0 {
			opt = s.Find("option")
		}
		value, _ := opt.First().Attr("value")
		v.Set(name, value)
	})
	form.Find("textarea[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		v.Set(name, s.Text())
	})
	for k, vs := range set {
		v[k] = vs
	}
	return v
}

// submissionWorld is a caseworker's citizen with a plan, a jobcenter offer (no consent needed
// to refer to it) and a team with a member, for the create forms.
type submissionWorld struct {
	app            *apptest.App
	a              int64
	offer, meeting string
	base           string
}

func newSubmissionWorld(t *testing.T) submissionWorld {
	t.Helper()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	leader := app.User(t, "leder", access.RoleManager, apptest.Jobcenter)
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	ctx := context.Background()
	who := store.Who{UserID: cw.ID, RequestID: "test"}
	offer := app.Offer(t, "IPS", apptest.Jobcenter, []string{"mellem"}, []string{"motion"})
	if err := app.Store.CreatePlan(ctx, who, a, app.Store.Now(), 3); err != nil {
		t.Fatal(err)
	}
	team, err := app.Store.CreateTeam(ctx, who, "Rehabiliteringsteam Test", app.Units[apptest.Jobcenter])
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SetTeamMember(ctx, who, team, leader.ID, "beskaeftigelse"); err != nil {
		t.Fatal(err)
	}
	mid, err := app.Store.CreateMeeting(ctx, who, store.MeetingInput{TeamID: team, StartsAt: app.Store.Now().Add(48 * time.Hour), SlotMinutes: 30})
	if err != nil {
		t.Fatal(err)
	}
	return submissionWorld{app: app, a: a, offer: strconv.FormatInt(offer, 10), meeting: strconv.FormatInt(mid, 10),
		base: "/borgere/" + strconv.FormatInt(a, 10)}
}

func (w submissionWorld) count(t *testing.T, q string) int {
	t.Helper()
	var n int
	if err := w.app.Pool.QueryRow(context.Background(), q, w.a).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Every form that creates something can be sent once: the same form posted again (a double
// click, a reload of the POST, the back button) creates nothing more and lands where the
// first submission went, saying so. Each form is read from its page as a browser would send it.
func TestDoubleSubmitCreatesOnce(t *testing.T) {
	t.Parallel()
	w := newSubmissionWorld(t)
	tomorrow := time.Now().AddDate(0, 0, 1)
	for _, tc := range []struct {
		name, user, page, action, count string
		set                             url.Values
	}{
		{"referral", "cw", w.base + "/henvisninger/ny", w.base + "/henvisninger/ny", `SELECT count(*) FROM referrals WHERE citizen_id = $1`,
			url.Values{"offer": {w.offer}, "note": {"Vil gerne i praktik"}, "citizen_accepted": {"true"}}},
		{"benefit period", "cw", w.base, w.base + "/ydelser", `SELECT count(*) FROM benefit_periods WHERE citizen_id = $1`,
			url.Values{"benefit": {"sygedagpenge"}, "start": {time.Now().Format(time.DateOnly)}, "end_running": {"andet"}}},
		{"consent", "cw", w.base, w.base + "/samtykker", `SELECT count(*) FROM consents WHERE citizen_id = $1`,
			url.Values{"c_information": {"helbred"}, "c_units": {strconv.FormatInt(w.app.Units[apptest.Health], 10)}, "c_purpose": {"Koordinering"}}},
		{"screening", "cw", w.base + "/screeninger/ny", w.base + "/screeninger/ny", `SELECT count(*) FROM screenings WHERE citizen_id = $1`,
			screeningAnswers()},
		{"citizen", "cw", "/borgere/ny", "/borgere/ny", `SELECT count(*) FROM citizens WHERE $1 > 0`,
			citizenForm("030486-1234")},
		{"plan effort", "cw", w.base + "/plan/indsatser/ny", w.base + "/plan/indsatser/ny", `SELECT count(*) FROM plan_efforts e JOIN plans p ON p.id = e.plan_id WHERE p.citizen_id = $1`,
			url.Values{"title": {"Virksomhedspraktik"}, "area": {"beskaeftigelse"}}},
		{"journal note", "cw", w.base + "/journal/ny", w.base + "/journal/ny", `SELECT count(*) FROM journal_notes WHERE citizen_id = $1`,
			url.Values{"kind": {"samtale"}, "text": {"Samtale om praktik"}}},
		{"samtale", "cw", w.base + "/samtaler/ny", w.base + "/samtaler/ny", `SELECT count(*) FROM samtaler WHERE citizen_id = $1`,
			url.Values{"date": {tomorrow.Format(time.DateOnly)}, "time": {"11:00"}, "duration": {"30"}, "form": {"fysisk"}}},
		{"follow-up", "cw", w.base + "/plan", w.base + "/plan/opfoelgning", `SELECT count(*) FROM follow_ups f JOIN plans p ON p.id = f.plan_id WHERE p.citizen_id = $1`,
			url.Values{"note": {"Godt i gang"}}},
		{"meeting", "leder", "/moeder/ny", "/moeder/ny", `SELECT count(*) FROM meetings WHERE $1 > 0`,
			url.Values{"date": {tomorrow.Format(time.DateOnly)}, "time": {"09:00"}, "location": {"Mødelokale 1"}}},
		{"case on an agenda", "cw", w.base, w.base + "/moeder", `SELECT count(*) FROM meeting_cases WHERE citizen_id = $1`,
			url.Values{"meeting": {w.meeting}, "question": {"Jobafklaringsforløb?"}}},
		{"offer", "sund", "/katalog/ny", "/katalog/ny", `SELECT count(*) FROM offers WHERE $1 > 0`,
			url.Values{"name": {"Rygestop"}, "opgavetype": {"ot06"}, "capacity": {"10"}}},
		{"team", "leder", "/rehabteams", "/rehabteams", `SELECT count(*) FROM rehab_teams WHERE $1 > 0`,
			url.Values{"name": {"Rehabiliteringsteam Syd"}}},
		{"strategy initiative", "leder", "/ledelse/strategi/ny", "/ledelse/strategi/ny", `SELECT count(*) FROM initiatives WHERE $1 > 0`,
			url.Values{"theme": {"unge"}, "title": {"Hashgrupper"}, "status": {"fremdrift"}, "counts_from": {time.Now().Format(time.DateOnly)}}},
		{"unit", "admin", "/admin/enheder", "/admin/enheder", `SELECT count(*) FROM units WHERE $1 > 0`,
			url.Values{"name": {"Jobcenter Syd"}, "kind": {"jobcenter"}}},
		{"user", "admin", "/admin/brugere/ny", "/admin/brugere/ny", `SELECT count(*) FROM users WHERE $1 > 0`,
			url.Values{"username": {"ny"}, "name": {"Ny Bruger"}, "role": {access.RoleCaseworker}, "password": {"et-langt-kodeord-1"},
				"unit": {strconv.FormatInt(w.app.Units[apptest.Jobcenter], 10)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := w.app.Login(t, tc.user)
			form := browserForm(t, c.Get(tc.page), tc.action, tc.set)
			if form.Get("form_token") == "" {
				t.Errorf("the form carries no one-time token")
			}
			before := w.count(t, tc.count)
			first := c.Post(tc.action, form)
			if first.Status != http.StatusOK || first.Has(".form-error-message") || w.count(t, tc.count) != before+1 {
				t.Fatalf("first submission: %d at %s, %q; want one new row", first.Status, first.URL.Path, first.Text(".form-error-message"))
			}
			second := c.Post(tc.action, form)
			if n := w.count(t, tc.count); n != before+1 {
				t.Errorf("the same form sent twice made %d rows; want 1", n-before)
			}
			if second.Status != http.StatusOK || second.URL.Path != first.URL.Path || !strings.Contains(second.Text(".alert"), "Formularen var allerede sendt") {
				t.Errorf("second submission: %d at %s, alert %q; want the first's page (%s) with a notice", second.Status, second.URL.Path, second.Text(".alert"), first.URL.Path)
			}
		})
	}
}

// A double click sends the form twice at once: still one referral, and both answers lead to it.
func TestConcurrentDoubleSubmitCreatesOnce(t *testing.T) {
	t.Parallel()
	w := newSubmissionWorld(t)
	c := w.app.Login(t, "cw")
	form := browserForm(t, c.Get(w.base+"/henvisninger/ny"), w.base+"/henvisninger/ny", url.Values{"offer": {w.offer}, "citizen_accepted": {"true"}})
	var wg sync.WaitGroup
	status, location := make([]int, 2), make([]string, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status[i], location[i] = rawPost(w.app.URL, c.Cookies(), w.base+"/henvisninger/ny", form)
		}()
	}
	wg.Wait()
	if n := w.count(t, `SELECT count(*) FROM referrals WHERE citizen_id = $1`); n != 1 {
		t.Fatalf("two simultaneous submissions made %d referrals; want 1", n)
	}
	if status[0] != http.StatusSeeOther || status[1] != http.StatusSeeOther || location[0] != location[1] || !strings.Contains(location[0], "/henvisninger/") {
		t.Fatalf("answers %v to %q; want both 303 to the one referral", status, location)
	}
}

// A refused submission (422) is not "sent": corrected, the same form goes through.
func TestRefusedSubmissionCanBeSentAgain(t *testing.T) {
	t.Parallel()
	w := newSubmissionWorld(t)
	c := w.app.Login(t, "cw")
	form := browserForm(t, c.Get(w.base+"/henvisninger/ny"), w.base+"/henvisninger/ny", url.Values{"offer": {"0"}})
	if p := c.Post(w.base+"/henvisninger/ny", form); p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("no offer: %d; want 422", p.Status)
	}
	form = browserForm(t, c.Get(w.base+"/henvisninger/ny"), w.base+"/henvisninger/ny", url.Values{"offer": {w.offer}, "form_token": {form.Get("form_token")}})
	if p := c.Post(w.base+"/henvisninger/ny", form); p.Status != http.StatusOK || !strings.Contains(p.URL.Path, "/henvisninger/") || strings.Contains(p.Text(".alert"), "allerede") {
		t.Fatalf("corrected: %d at %s %q; want the new referral", p.Status, p.URL.Path, p.Text(".alert"))
	}
	if n := w.count(t, `SELECT count(*) FROM referrals WHERE citizen_id = $1`); n != 1 {
		t.Fatalf("%d referrals; want 1", n)
	}
}

// rawPost posts form with cookies and returns the status and Location, without following
// redirects and without failing the test from a goroutine.
func rawPost(base string, cookies []*http.Cookie, path string, form url.Values) (int, string) {
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}
