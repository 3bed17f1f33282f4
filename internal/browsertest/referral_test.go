package browsertest_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// The referral loop in a browser, every page checked with axe: the caseworker finds an
// offer in the catalogue and refers from it (the form explains a missing acceptance beside
// the checkbox); the health centre edits its offer (a bad capacity is explained), may not
// edit the jobcenter's, works the referral from its inbox (a rejection needs a reason) —
// accepted, started, completed — and the caseworker sees where it stands.
func TestReferralJourney(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	cid := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	jobOffer := app.Offer(t, "Jobrettet mentor", apptest.Jobcenter, []string{"mellem"}, nil)
	ctx := context.Background()
	if _, err := app.Store.CreateOffer(ctx, store.Who{}, store.OfferInput{Name: "Rygestopforløb", Description: "Rygestop i grupper",
		Opgavetype: "ot06", ProviderUnitID: app.Units[apptest.Health], TargetRisk: []string{"mellem", "lav"},
		KRAMS: []string{"rygning"}, Capacity: 15}); err != nil {
		t.Fatal(err)
	}
	if err := app.Store.CreateConsents(ctx, store.Who{UserID: cw.ID}, store.NewConsent{CitizenID: cid, Information: store.ConsentHealth,
		UnitIDs: []int64{app.Units[apptest.Health]}, Purpose: "Rygestop", GivenOn: app.Store.Now()}); err != nil {
		t.Fatal(err)
	}

	p := browsertest.Open(t, app.URL)
	p.Login("cw", apptest.Password)
	p.Go("/katalog?borger=" + strconv.FormatInt(cid, 10))
	p.Fill("KRAMS-faktor", "Rygning")
	p.Click("Vis tilbud")
	p.ExpectText("main table", "Rygestopforløb")
	p.ExpectText("main table", "15 af 15")
	p.ClickLink("Henvis til Rygestopforløb")
	p.ExpectText("h1", "Henvis Ole Hansen til et tilbud")
	p.ExpectText(".alert", "samtykke")
	p.Fill("Besked til udbyderen", "Ryger 20 om dagen")
	if status := p.Click("Send henvisning"); status != http.StatusUnprocessableEntity {
		t.Errorf("without the citizen's acceptance: HTTP %d; want 422", status)
	}
	p.ExpectFieldError("Borgeren har accepteret henvisningen", "accepteret")
	if got := p.Value("Besked til udbyderen"); got != "Ryger 20 om dagen" {
		t.Errorf("note after the error = %q; want it kept", got)
	}
	p.Check("Borgeren har accepteret henvisningen", true)
	p.Click("Send henvisning")
	p.ExpectText(".font-lead", "Sendt")

	q := browsertest.Open(t, app.URL)
	q.Login("sund", apptest.Password)
	q.WaitURL("/indbakke")
	q.ExpectText("h1", "Indbakke")
	q.ExpectText(".nav-badge", "1")
	q.ExpectText("main table", "Ole Hansen")
	q.Screenshot("inbox")
	q.Go("/katalog")
	q.ClickLink("Rygestopforløb")
	q.ClickLink("Ret tilbuddet")
	q.Fill("Kapacitet (pladser)", "nul")
	if status := q.Click("Gem tilbud"); status != http.StatusUnprocessableEntity {
		t.Errorf("bad capacity: HTTP %d; want 422", status)
	}
	q.ExpectFieldError("Kapacitet (pladser)", "Skal være et helt tal fra 1 til 1000")
	q.Fill("Kapacitet (pladser)", "12")
	q.Click("Gem tilbud")
	q.ExpectText(".alert", "Tilbuddet er gemt.")

	// The jobcenter's offer is not the health centre's to change: no edit link, and the
	// edit page itself is refused.
	q.Go("/katalog")
	q.ClickLink("Jobrettet mentor")
	q.ExpectText("h1", "Jobrettet mentor")
	q.ExpectNoText("main", "Ret tilbuddet")
	if status := q.Go("/katalog/" + strconv.FormatInt(jobOffer, 10) + "/rediger"); status != http.StatusForbidden {
		t.Errorf("the health centre opened the jobcenter's offer for editing: HTTP %d; want 403", status)
	}
	q.ExpectText("h1", "Du har ikke adgang")

	q.Go("/indbakke")
	q.ClickLink("Ole Hansen")
	q.ExpectText(".font-lead", "Sendt") // opening it changes nothing
	q.Click("Markér som modtaget")
	q.ExpectText(".font-lead", "Modtaget")
	q.ExpectText(".referral-note", "Ryger 20 om dagen")
	if status := q.Click("Afvis"); status != http.StatusUnprocessableEntity {
		t.Errorf("reject without a reason: HTTP %d; want 422", status)
	}
	q.ExpectFieldError("Begrundelse for Afvis", "Begrundelse er påkrævet")
	q.Click("Acceptér")
	q.ExpectText(".font-lead", "Accepteret")
	p.Go("/henvisninger")
	p.ExpectText("main table", "Accepteret")

	q.Click("Markér som startet")
	q.ExpectText(".font-lead", "Startet")
	q.Click("Afslut forløbet")
	q.ExpectText(".font-lead", "Afsluttet")
	q.ExpectText("[aria-labelledby=historik-h] table", "Startet → Afsluttet")
	q.ExpectNoText("main", "Afslut forløbet") // nothing more to do
	q.Go("/indbakke")
	q.ExpectNoText("main", "Ole Hansen") // done: out of the inbox's default view

	p.Go("/henvisninger")
	p.ExpectText("main table", "Afsluttet")
}
