package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// From the plan, a planned effort is sent as a referral with one click and one form: the
// effort is linked (no second effort is typed), shows the referral, and its status follows
// the referral — the effort form no longer offers to set it.
func TestReferralFromThePlanIsTheEffort(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	ctx := context.Background()
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	w := store.Who{UserID: cw.ID, RequestID: "test"}
	offer, err := app.Store.CreateOffer(ctx, w, store.OfferInput{Name: "IPS", Opgavetype: "ot08", ProviderUnitID: app.Units[apptest.Jobcenter], Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.CreatePlan(ctx, w, id, app.Store.Now(), 3); err != nil {
		t.Fatal(err)
	}
	eid, err := app.Store.SaveEffort(ctx, w, id, 1, 0, store.EffortInput{Title: "Job med støtte", Area: "beskaeftigelse", Status: "planlagt",
		ResponsibleUnitID: app.Units[apptest.Jobcenter], StartDate: app.Store.Now()})
	if err != nil {
		t.Fatal(err)
	}
	c := app.Login(t, "cw")
	base := "/borgere/" + strconv.FormatInt(id, 10)
	p := c.Get(base + "/plan")
	link, ok := p.Doc.Find(`a:contains("Henvis: Job med støtte")`).Attr("href")
	if !ok {
		t.Fatal("the plan offers no referral of the planned effort")
	}
	p = c.Get(link)
	if p.Value("input[name=effort]") != strconv.FormatInt(eid, 10) {
		t.Fatalf("the referral form does not carry the effort (%q)", link)
	}
	p = c.Post(base+"/henvisninger/ny", url.Values{"offer": {strconv.FormatInt(offer, 10)}, "effort": {p.Value("input[name=effort]")}})
	if p.Status != http.StatusOK || !strings.Contains(p.URL.Path, "/henvisninger/") {
		t.Fatalf("refer from the plan: %d %s", p.Status, p.URL.Path)
	}
	p = c.Get(base + "/plan")
	if n := p.Doc.Find(".effort-table tbody tr").Length(); n != 1 {
		t.Fatalf("%d efforts in the plan after referring the planned one; want 1", n)
	}
	if row := p.Text(".effort-table tbody tr"); !strings.Contains(row, "Henvist") || !strings.Contains(row, "Se henvisningen") {
		t.Fatalf("the effort does not show its referral: %q", row)
	}
	if p := c.Get(base + "/plan/indsatser/" + strconv.FormatInt(eid, 10)); p.Has("select[name=status]") || !p.Has(".effort-referred") {
		t.Fatal("the effort form still offers to set a referred effort's status")
	}
}

// A referral sent from the catalogue before the citizen had a plan is in the plan the moment
// the caseworker makes one: an effort linked to it, with its status, and the plan's first
// version says so. A state change of the referral then moves it on the plan page.
func TestReferralBeforeThePlanIsInTheNewPlan(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	ctx := context.Background()
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	w := store.Who{UserID: cw.ID, RequestID: "test"}
	offer, err := app.Store.CreateOffer(ctx, w, store.OfferInput{Name: "IPS", Opgavetype: "ot08", ProviderUnitID: app.Units[apptest.Jobcenter], Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	c := app.Login(t, "cw")
	base := "/borgere/" + strconv.FormatInt(id, 10)
	p := c.Post(base+"/henvisninger/ny", url.Values{"offer": {strconv.FormatInt(offer, 10)}})
	if p.Status != http.StatusOK || !strings.Contains(p.URL.Path, "/henvisninger/") {
		t.Fatalf("refer from the catalogue without a plan: %d %s", p.Status, p.URL.Path)
	}
	rid, err := strconv.ParseInt(p.URL.Path[strings.LastIndex(p.URL.Path, "/")+1:], 10, 64)
	if err != nil {
		t.Fatalf("referral page %s: %v", p.URL.Path, err)
	}
	if p := c.Post(base+"/plan/ny", url.Values{}); p.Status != http.StatusOK {
		t.Fatalf("create the plan: %d", p.Status)
	}
	p = c.Get(base + "/plan")
	if row := p.Text(".effort-table tbody tr"); p.Doc.Find(".effort-table tbody tr").Length() != 1 ||
		!strings.Contains(row, "IPS") || !strings.Contains(row, "Henvist") || !strings.Contains(row, "Se henvisningen") {
		t.Fatalf("the plan made after the referral: %q; want the referral's effort, henvist, linked", row)
	}
	if !strings.Contains(p.Body, "Henvisninger fra før planen er lagt i planen: IPS") {
		t.Error("the plan's first version does not say the referral was pulled in")
	}
	for v, to := range []string{"accepteret", "startet"} {
		if p := c.Post(base+"/henvisninger/"+strconv.FormatInt(rid, 10)+"/status",
			url.Values{"to": {to}, "version": {strconv.Itoa(v + 1)}}); p.Status != http.StatusOK {
			t.Fatalf("move the referral to %s: %d", to, p.Status)
		}
	}
	if row := c.Get(base + "/plan").Text(".effort-table tbody tr"); !strings.Contains(row, "I gang") {
		t.Fatalf("the started referral's effort: %q; want i gang", row)
	}
}
