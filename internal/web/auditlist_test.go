package web_test

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// Every list that names citizens — "Mine borgere", the unit's list, search results, the
// referral inbox, the caseworker's referrals, an offer's referrals, a meeting's agenda — is
// one audit row per view with its criterion (filter names and codes, nothing typed) and the
// ids of the citizens the page showed.
func TestListViewsAuditTheCitizensShown(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newTeamFixture(t, app)
	ctx := context.Background()
	b := app.Citizen(t, "030486-1234", "Bo", "Berg", apptest.Jobcenter, f.cw.ID)
	c := app.Citizen(t, "040587-1235", "Cille", "Carlsen", apptest.Jobcenter, 0)
	app.Citizen(t, "050688-1236", "Dan", "Dahl", apptest.Jobcenter2, 0)

	// last returns the newest audit row of action and how many rows the view wrote.
	var seen int64
	last := func(t *testing.T, action string) (detail string, ids []int64, rows int) {
		t.Helper()
		if err := app.Pool.QueryRow(ctx, `
			SELECT detail, coalesce(citizen_ids, '{}'), (SELECT count(*) FROM audit_events WHERE id > $2 AND action NOT LIKE 'login.%')
			FROM audit_events WHERE action = $1 AND id > $2 ORDER BY id DESC LIMIT 1`, action, seen).Scan(&detail, &ids, &rows); err != nil {
			t.Fatalf("no %s row: %v", action, err)
		}
		if err := app.Pool.QueryRow(ctx, `SELECT max(id) FROM audit_events`).Scan(&seen); err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		return detail, ids, rows
	}
	check := func(t *testing.T, what, action string, wantIDs []int64, wantDetail ...string) {
		t.Helper()
		detail, ids, rows := last(t, action)
		slices.Sort(wantIDs)
		if !slices.Equal(ids, wantIDs) || rows != 1 {
			t.Errorf("%s: %d audit rows, citizens %v; want one row with %v", what, rows, ids, wantIDs)
		}
		for _, w := range wantDetail {
			if !strings.Contains(detail, w) {
				t.Errorf("%s: criterion %q does not name %q", what, detail, w)
			}
		}
	}
	// skip starts the count after what happened so far (a login lands on a list).
	skip := func() {
		if err := app.Pool.QueryRow(ctx, `SELECT max(id) FROM audit_events`).Scan(&seen); err != nil {
			t.Fatal(err)
		}
	}

	cw := app.Login(t, "cw")
	skip()
	cw.Get("/borgere")
	check(t, "Mine borgere", store.AuditCaseloadView, []int64{f.a, b}, "mine")
	cw.Get("/borgere?omfang=enhed&sort=newest&side=1")
	check(t, "the unit's list", store.AuditCaseloadView, []int64{f.a, b, c}, "enhed", "sortering=newest")
	cw.Get("/borgere?omfang=enhed&risiko=hoej&visitation=" + url.QueryEscape("<tastet tekst>"))
	detail, _, _ := last(t, store.AuditCaseloadView)
	if !strings.Contains(detail, "risiko=hoej") || strings.Contains(detail, "tastet") {
		t.Errorf("filtered list: criterion %q; want the risk group's code and no typed value", detail)
	}
	cw.Post("/borgere/soeg", url.Values{"q": {"berg"}})
	check(t, "a name search", store.AuditCitizenSearch, []int64{b}, "søgning på navn")
	cw.Post("/borgere/soeg", url.Values{"q": {"0304861234"}})
	check(t, "a CPR search", store.AuditCitizenSearch, []int64{b}, "søgning på CPR-nummer")

	// A referral from the caseworker to the health centre's offer.
	offer := createOffer(t, app, "Motion", apptest.Health, 10)
	w := store.Who{UserID: f.cw.ID, RequestID: "test"}
	if err := app.Store.CreateConsents(ctx, w, store.NewConsent{CitizenID: f.a, Information: "helbred",
		UnitIDs: []int64{app.Units[apptest.Health]}, Purpose: "henvisning", GivenOn: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Store.CreateReferral(ctx, w, store.NewReferral{CitizenID: f.a, OfferID: offer,
		FromUnitID: app.Units[apptest.Jobcenter], CitizenAccepted: true}); err != nil {
		t.Fatal(err)
	}
	nurse := app.Login(t, "nurse")
	skip()
	nurse.Get("/indbakke")
	check(t, "the inbox", store.AuditReferralList, []int64{f.a}, "indbakke", "nye")
	nurse.Get("/katalog/" + strconv.FormatInt(offer, 10))
	check(t, "an offer's referrals", store.AuditReferralList, []int64{f.a}, "tilbud "+strconv.FormatInt(offer, 10))
	skip()
	cw.Get("/henvisninger")
	check(t, "the caseworker's referrals", store.AuditReferralList, []int64{f.a}, "mine henvisninger")

	// A meeting with A on the agenda.
	f.setupTeam(t)
	mid := f.planMeeting(t, time.Now().Add(72*time.Hour).Truncate(time.Minute))
	if p := cw.Post("/borgere/"+strconv.FormatInt(f.a, 10)+"/moeder", url.Values{"meeting": {strconv.FormatInt(mid, 10)},
		"question": {"Er forløbet det rette?"}}); p.Status != 200 {
		t.Fatalf("put A on the agenda: %d", p.Status)
	}
	chair := app.Login(t, "chair")
	skip()
	chair.Get("/moeder/" + strconv.FormatInt(mid, 10))
	check(t, "the agenda", store.AuditMeetingView, []int64{f.a}, "møde "+strconv.FormatInt(mid, 10))
}
