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
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// Attendance, status reports and the afslutningsnotat are written by the referral's provider
// unit only: the health centre records them; the caseworker who referred, the region's
// health staff and the social administration are refused. The caseworker reads them, and
// from the threshold (setting no_show_warning, 3) repeated no-shows show a warning on the
// citizen page and the caseload.
func TestOnlyTheProviderReportsBack(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	ctx := context.Background()
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	nurse := app.User(t, "sundhed", access.RoleHealth, apptest.Health)
	app.User(t, "region", access.RoleHealth, apptest.Region)
	app.User(t, "social", access.RoleSocial, apptest.Social)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	w := store.Who{UserID: cw.ID, RequestID: "test"}
	if err := app.Store.CreateConsents(ctx, w, store.NewConsent{CitizenID: id, Information: store.ConsentHealth,
		UnitIDs: []int64{app.Units[apptest.Health], app.Units[apptest.Region]}, Purpose: "Henvisning", GivenOn: app.Store.Now()}); err != nil {
		t.Fatal(err)
	}
	offer := app.Offer(t, "Livsstilsforløb", apptest.Health, []string{"hoej"}, []string{"motion"})
	rid, err := app.Store.CreateReferral(ctx, w, store.NewReferral{CitizenID: id, OfferID: offer, FromUnitID: app.Units[apptest.Jobcenter], CitizenAccepted: true})
	if err != nil {
		t.Fatal(err)
	}
	nw := store.Who{UserID: nurse.ID, RequestID: "test"}
	if _, err := app.Store.TransitionReferral(ctx, nw, id, rid, 1, helhed.ReferralAccepted, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Store.TransitionReferral(ctx, nw, id, rid, 2, helhed.ReferralStarted, ""); err != nil {
		t.Fatal(err)
	}
	ref := "/borgere/" + strconv.FormatInt(id, 10) + "/henvisninger/" + strconv.FormatInt(rid, 10)
	today := app.Store.Now().In(time.UTC)
	day := func(back int) string { return today.AddDate(0, 0, -back).Format(time.DateOnly) }
	mark := func(back int, m string) url.Values {
		return url.Values{"period": {"gang"}, "held_on": {day(back)}, "attendance": {m}, "attendance_note": {"Ringede ikke"}}
	}

	h, c := app.Login(t, "sundhed"), app.Login(t, "cw")
	if p := h.Get(ref); !p.Has("#tilbagemelding form") {
		t.Fatal("the provider is offered no attendance form")
	}
	if p := c.Get(ref); p.Has("#tilbagemelding form") {
		t.Fatal("the caseworker is offered the provider's forms")
	}
	for _, tc := range []struct {
		who  *apptest.Client
		name string
		want int
	}{
		{c, "the referring caseworker", http.StatusForbidden},
		{app.Login(t, "region"), "the region's health staff", http.StatusNotFound},
		{app.Login(t, "social"), "the social administration", http.StatusNotFound},
	} {
		if p := tc.who.Post(ref+"/fremmoede", mark(1, "udeblevet")); p.Status != tc.want {
			t.Errorf("%s records attendance: %d; want %d", tc.name, p.Status, tc.want)
		}
		if p := tc.who.Post(ref+"/tilbagemelding", url.Values{"kind": {"status"}, "text": {"Skrevet af en anden"}}); p.Status != tc.want {
			t.Errorf("%s writes a status report: %d; want %d", tc.name, p.Status, tc.want)
		}
	}
	var n int
	if err := app.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM referral_attendance) + (SELECT count(*) FROM referral_reports)`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("refused reports were written: %d (%v)", n, err)
	}

	// The provider records two no-shows: no warning yet.
	for _, back := range []int{14, 7} {
		if p := h.Post(ref+"/fremmoede", mark(back, "udeblevet")); p.Status != http.StatusOK {
			t.Fatalf("the provider records attendance: %d %s", p.Status, p.Text(".form-error-message"))
		}
	}
	base := "/borgere/" + strconv.FormatInt(id, 10)
	if p := c.Get(base); p.Has(".no-show-warning") {
		t.Fatal("a warning below the threshold")
	}
	// The third makes it repeated: the caseworker is warned on the citizen page, the
	// caseload and the referral.
	if p := h.Post(ref+"/fremmoede", mark(3, "udeblevet")); p.Status != http.StatusOK {
		t.Fatalf("third no-show: %d", p.Status)
	}
	if p := c.Get(base); !strings.Contains(p.Text(".no-show-warning"), "Udeblevet 3 gange") {
		t.Fatalf("no warning on the citizen page: %q", p.Text(".no-show-warning"))
	}
	if p := c.Get("/borgere"); !strings.Contains(p.Text(".no-show-warning"), "Gentagne udeblivelser") {
		t.Fatal("no warning on the caseload")
	}
	if p := c.Get(ref); !p.Has(".attendance-table") || !strings.Contains(p.Text(".no-show-warning"), "udeblevet 3 gange") {
		t.Fatal("the caseworker does not see the attendance and the warning on the referral")
	}
	// Reports: a status report now, the afslutningsnotat once.
	if p := h.Post(ref+"/tilbagemelding", url.Values{"kind": {"status"}, "text": {"Deltager, men træt"}}); p.Status != http.StatusOK {
		t.Fatalf("status report: %d", p.Status)
	}
	if _, err := app.Store.TransitionReferral(ctx, nw, id, rid, 3, helhed.ReferralCompleted, ""); err != nil {
		t.Fatal(err)
	}
	if p := h.Post(ref+"/fremmoede", mark(1, "moedt")); p.Status != http.StatusConflict {
		t.Fatalf("attendance on a completed referral: %d; want 409", p.Status)
	}
	if p := h.Post(ref+"/tilbagemelding", url.Values{"kind": {"afslutning"}, "text": {"Forløbet er gennemført"}}); p.Status != http.StatusOK {
		t.Fatalf("afslutningsnotat: %d", p.Status)
	}
	if p := h.Post(ref+"/tilbagemelding", url.Values{"kind": {"afslutning"}, "text": {"Igen"}}); p.Status != http.StatusConflict {
		t.Fatalf("a second afslutningsnotat: %d; want 409", p.Status)
	}
	p := c.Get(ref)
	if !strings.Contains(p.Text("#tilbagemelding"), "Deltager, men træt") || !strings.Contains(p.Text("#tilbagemelding"), "Forløbet er gennemført") {
		t.Fatal("the caseworker does not read the provider's reports")
	}
	if p.Has(".no-show-warning") {
		t.Fatal("a completed referral still warns")
	}
	if app.AuditCount(t, "referral.attendance", id) != 3 || app.AuditCount(t, "referral.report", id) != 2 {
		t.Fatal("attendance and reports are not audited")
	}
}
