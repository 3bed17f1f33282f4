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
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// Withdrawal takes effect at once, everywhere: a health-centre user working a referral sees
// the screening answers, the risk trend, the TFA's health tracks and the referral's note while
// the citizen's consent holds, and on the very next request after the caseworker records the
// withdrawal sees none of them — while still seeing the citizen and the referral itself. A new
// surface with health data (the meeting board, for one) belongs in surfaces.
func TestConsentWithdrawalHidesHealthDataEverywhere(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	ctx := context.Background()
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	offer := app.Offer(t, "Livsstilsforløb", apptest.Health, []string{"hoej"}, []string{"motion"})
	c := app.Login(t, "cw")
	base := "/borgere/" + strconv.FormatInt(id, 10)

	screening := c.Post(base+"/screeninger/ny", screeningAnswers()).URL.Path
	p := c.Post(base+"/samtykker", url.Values{"c_information": {"helbred"}, "c_purpose": {"Henvisning til livsstilsforløb"},
		"c_units": {strconv.FormatInt(app.Units[apptest.Health], 10)}})
	if p.Status != http.StatusOK {
		t.Fatalf("record consent: %d", p.Status)
	}
	p = c.Post(base+"/henvisninger/ny", url.Values{"offer": {strconv.FormatInt(offer, 10)}, "citizen_accepted": {"true"},
		"note": {"KOL, ryger 20 om dagen"}})
	if p.Status != http.StatusOK {
		t.Fatalf("refer: %d %s", p.Status, p.Text(".form-error-message"))
	}
	referral := p.URL.Path
	w := store.Who{UserID: cw.ID, RequestID: "test"}
	aid, _, err := app.Store.StartAssessment(ctx, w, id, "Sagsbehandler")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Store.SaveAssessmentDraft(ctx, w, id, aid, 1, store.AssessmentInput{
		Tracks:       map[string]helhed.TrackAnswer{"fysiske_lidelser": {Relevance: "relevant", Description: "Diskusprolaps L4-L5", WorkImpact: "Kan ikke løfte"}},
		CitizenGoals: "Et job på et lager"}); err != nil {
		t.Fatal(err)
	}
	tfa := base + "/tfa/" + strconv.FormatInt(aid, 10)

	surfaces := []struct {
		name, path string
		shows      func(p *apptest.Page) bool // the health data is on the page
	}{
		{"screening answers", screening, func(p *apptest.Page) bool {
			return strings.Contains(p.Body, "Rygsmerter siden 2023") || strings.Contains(p.Body, "WHO-5 = 24") || p.Has(".screening-result")
		}},
		{"risk group and trend on the citizen page", base, func(p *apptest.Page) bool {
			return p.Has("svg.trend-svg") || p.Has(".risk-badge")
		}},
		{"TFA health tracks", tfa, func(p *apptest.Page) bool {
			return strings.Contains(p.Body, "Diskusprolaps") || strings.Contains(p.Body, "Kan ikke løfte")
		}},
		{"referral note", referral, func(p *apptest.Page) bool { return strings.Contains(p.Body, "KOL, ryger") }},
	}
	h := app.Login(t, "sund")
	for _, s := range surfaces {
		if p := h.Get(s.path); p.Status != http.StatusOK || !s.shows(p) {
			t.Fatalf("with consent, %s: status %d, shown %v; want the health data shown", s.name, p.Status, s.shows(p))
		}
	}

	var cid int64
	if err := app.Pool.QueryRow(ctx, `SELECT id FROM consents WHERE citizen_id = $1`, id).Scan(&cid); err != nil {
		t.Fatal(err)
	}
	if p := c.Post(base+"/samtykker/"+strconv.FormatInt(cid, 10)+"/tilbagekald", nil); p.Status != http.StatusOK {
		t.Fatalf("withdraw: %d", p.Status)
	}
	for _, s := range surfaces {
		p := h.Get(s.path)
		if p.Status != http.StatusOK {
			t.Errorf("after withdrawal, %s: %d; the citizen and the referral stay visible, only the health data goes", s.name, p.Status)
		}
		if s.shows(p) {
			t.Errorf("after withdrawal, %s is still shown on the very next request", s.name)
		}
	}
	// The case-holding unit keeps seeing what it recorded.
	for _, s := range surfaces {
		if p := c.Get(s.path); !s.shows(p) {
			t.Errorf("the caseworker no longer sees %s", s.name)
		}
	}
}
