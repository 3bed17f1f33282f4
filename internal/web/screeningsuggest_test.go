package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// A citizen who does not drink and has a WHO-5 of 20 is offered the mental-health course
// first, never the alcohol conversation, and the page says why (issue 15: the alcohol offer
// used to come first because it targets every risk group and sorts first by name).
func TestScreeningSuggestsMentalHealthFirstToANonDrinker(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.Offer(t, "Den korte rådgivende samtale om alkohol", apptest.Health, []string{"hoej", "mellem", "lav"}, []string{"alkohol"})
	if _, err := app.Store.CreateOffer(context.Background(), store.Who{RequestID: "test"}, store.OfferInput{
		Name: "Forløb for borgere med lettere angst, stress og depression", Opgavetype: "ot04", ProviderUnitID: app.Units[apptest.Jobcenter],
		TargetRisk: []string{"hoej", "mellem"}, KRAMS: []string{"soevn"}, Focus: []string{helhed.FocusMental}, Capacity: 12}); err != nil {
		t.Fatal(err)
	}
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	form := screeningAnswers()
	form.Set("drinks_week", "0")
	form.Set("drinks_day", "0")
	form.Set("active_minutes", "45")
	for i, v := range []string{"1", "1", "1", "1", "1"} { // 5 × 4 = WHO-5 20
		form.Set("who5_"+strconv.Itoa(i+1), v)
	}
	p := c.Post("/borgere/"+strconv.FormatInt(id, 10)+"/screeninger/ny", form)
	if !strings.Contains(p.URL.Path, "/screeninger/") {
		t.Fatalf("create screening: %d: %s", p.Status, p.Text(".error-summary"))
	}
	rows := p.Doc.Find("table.suggestions tbody tr")
	if rows.Length() == 0 {
		t.Fatal("no suggestions")
	}
	first := rows.First().Text()
	if !strings.Contains(first, "lettere angst") {
		t.Errorf("first suggestion %q; want the mental-health course", strings.TrimSpace(first))
	}
	if !strings.Contains(first, "Foreslået fordi: WHO-5 = 20 (≤ 28)") {
		t.Errorf("first suggestion %q does not explain the ranking", strings.TrimSpace(first))
	}
	if strings.Contains(p.Text("table.suggestions"), "alkohol") {
		t.Error("the alcohol conversation is suggested to a citizen who does not drink")
	}
}

// At WHO-5 ≤ 28 the result page prompts the caseworker to encourage the citizen to see their
// own doctor; the button records it (who and when, audited) and the page then says so. Above
// the cut-off there is no prompt.
func TestScreeningPromptsGPAndRecordsIt(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	base := "/borgere/" + strconv.FormatInt(id, 10)
	p := c.Post(base+"/screeninger/ny", screeningAnswers()) // WHO-5 24
	if !strings.Contains(p.URL.Path, "/screeninger/") {
		t.Fatalf("create screening: %d: %s", p.Status, p.Text(".error-summary"))
	}
	prompt := p.Text(".gp-prompt")
	if !strings.Contains(prompt, "Opfordr borgeren til at gå til egen læge") || !strings.Contains(prompt, "WHO-5 = 24 er på eller under 28") {
		t.Fatalf("prompt %q", prompt)
	}
	action, _ := p.Doc.Find(".gp-prompt form").Attr("action")
	if action != p.URL.Path+"/egen-laege" {
		t.Fatalf("record form posts to %q", action)
	}
	p = c.Post(action, url.Values{})
	if got := p.Text(".gp-prompt"); !strings.Contains(got, "Borgeren er opfordret til at gå til egen læge") || !strings.Contains(got, "af Test cw") {
		t.Errorf("after recording the page says %q", got)
	}
	if p.Has(".gp-prompt form") {
		t.Error("the record button is still offered after recording")
	}
	if n := app.AuditCount(t, "screening.gp_encouraged", id); n != 1 {
		t.Errorf("recorded %d audit rows; want 1", n)
	}
	// Above the cut-off: no prompt.
	form := screeningAnswers()
	form.Set("who5_1", "4")
	form.Set("who5_2", "4") // WHO-5 = 4 × 13 = 52
	if p = c.Post(base+"/screeninger/ny", form); p.Has(".gp-prompt") {
		t.Errorf("prompt shown at WHO-5 %s", p.Text(".fired-rules"))
	}
}
