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

func createOffer(t *testing.T, app *apptest.App, name, unit string, capacity int) int64 {
	t.Helper()
	id, err := app.Store.CreateOffer(context.Background(), store.Who{RequestID: "test"}, store.OfferInput{
		Name: name, Description: "Et forløb", Opgavetype: "ot06", ProviderUnitID: app.Units[unit],
		TargetRisk: []string{"mellem"}, KRAMS: []string{"motion"}, Capacity: capacity})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// transition presses the button for state to on a referral page, with the version the page
// carries, as a browser would.
func transition(t *testing.T, c *apptest.Client, page *apptest.Page, to, reason string) *apptest.Page {
	t.Helper()
	form := page.Doc.Find(`form:has(input[name=to][value="` + to + `"])`)
	if form.Length() != 1 {
		t.Fatalf("no %q button on %s (status %d): %s", to, page.URL.Path, page.Status, page.Text("main"))
	}
	action, _ := form.Attr("action")
	version, _ := form.Find("input[name=version]").Attr("value")
	return c.Post(action, url.Values{"to": {to}, "version": {version}, "reason": {reason}})
}

func referralState(t *testing.T, p *apptest.Page) string {
	t.Helper()
	return p.Text(".font-lead strong")
}

// The closed loop: a caseworker refers, the health centre sees it in its inbox, marks it
// received, accepts, starts and completes it, and the caseworker sees every state without
// phoning. Without the citizen's consent the referral cannot be sent at all.
func TestReferralLoop(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	nurse := app.User(t, "sund", access.RoleHealth, apptest.Health)
	app.User(t, "sund2", access.RoleHealth, apptest.Social) // health-role user in another unit
	cid := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	offer := createOffer(t, app, "Livsstilsforløb", apptest.Health, 12)
	citizenPath := "/borgere/" + strconv.FormatInt(cid, 10)
	caseworker, provider := app.Login(t, "cw"), app.Login(t, "sund")

	// The health centre cannot see the citizen before a referral exists.
	if p := provider.Get(citizenPath); p.Status != http.StatusNotFound {
		t.Fatalf("provider sees an unreferred citizen: %d", p.Status)
	}

	// From a suggested offer: the form comes prefilled and says a consent is needed.
	p := caseworker.Get(citizenPath + "/henvisninger/ny?tilbud=" + strconv.FormatInt(offer, 10))
	if got, _ := p.Doc.Find("#offer option[selected]").Attr("value"); got != strconv.FormatInt(offer, 10) {
		t.Fatalf("suggested offer not preselected: %q", got)
	}
	if !strings.Contains(p.Text(".alert"), "samtykke") {
		t.Fatalf("the form does not say that a consent is needed: %q", p.Text(".alert"))
	}
	form := url.Values{"offer": {strconv.FormatInt(offer, 10)}, "note": {"Ønsker at komme i gang med motion"}, "citizen_accepted": {"true"}}
	p = caseworker.Post(citizenPath+"/henvisninger/ny", form)
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#offer-error"), "samtykke") {
		t.Fatalf("referral without consent: %d %q; want 422 with the consent explained beside the offer", p.Status, p.Text("#offer-error"))
	}
	if p.Value("#offer option[selected]") != strconv.FormatInt(offer, 10) || p.Text("#note") != "Ønsker at komme i gang med motion" {
		t.Fatal("the refused form lost what was typed")
	}
	if n := app.AuditCount(t, store.AuditReferralCreate, cid); n != 0 {
		t.Fatalf("a refused referral was saved (%d audit rows)", n)
	}
	// The caseworker records the citizen's consent on the citizen page (the consents feature).
	p = caseworker.Post(citizenPath+"/samtykker", url.Values{"c_information": {"helbred"},
		"c_units": {strconv.FormatInt(app.Units[apptest.Health], 10)}, "c_purpose": {"Henvisning til livsstilsforløb"}})
	if p.Status != http.StatusOK {
		t.Fatalf("record consent: %d %q", p.Status, p.Text(".form-error-message"))
	}
	form.Del("citizen_accepted")
	p = caseworker.Post(citizenPath+"/henvisninger/ny", form)
	if p.Status != http.StatusUnprocessableEntity || p.Text("#citizen_accepted-error") == "" {
		t.Fatalf("referral without the citizen's acceptance: %d", p.Status)
	}
	form.Set("citizen_accepted", "true")
	p = caseworker.Post(citizenPath+"/henvisninger/ny", form)
	if p.Status != http.StatusOK || referralState(t, p) != "Sendt" {
		t.Fatalf("send: %d at %s, state %q", p.Status, p.URL.Path, referralState(t, p))
	}
	referralPath := p.URL.Path

	// The provider's navigation counts it; the inbox lists it under Nye.
	inbox := provider.Get("/indbakke")
	if got := inbox.Text(`a[href="/indbakke"] .nav-badge`); !strings.HasPrefix(got, "1") {
		t.Fatalf("inbox badge %q; want 1", got)
	}
	if !strings.Contains(inbox.Text("table tbody"), "Ole Hansen") || !strings.Contains(inbox.Text("table tbody"), "Test cw") {
		t.Fatalf("inbox does not list the referral: %q", inbox.Text("main"))
	}
	// A provider in another unit sees nothing of it.
	other := app.Login(t, "sund2")
	if p := other.Get(referralPath); p.Status != http.StatusNotFound {
		t.Fatalf("another unit opens the referral: %d", p.Status)
	}
	if strings.Contains(other.Get("/indbakke").Text("main"), "Ole Hansen") {
		t.Fatal("another unit's inbox lists the referral")
	}

	// The provider opens it and sees the note (consent covers the unit), then marks it received.
	p = provider.Get(referralPath)
	if referralState(t, p) != "Sendt" || !strings.Contains(p.Text(".referral-note"), "motion") {
		t.Fatalf("provider opens: state %q, note %q", referralState(t, p), p.Text(".referral-note"))
	}
	if p = transition(t, provider, p, "modtaget", ""); referralState(t, p) != "Modtaget" {
		t.Fatalf("mark received: %d, state %q", p.Status, referralState(t, p))
	}
	if n := app.AuditCount(t, store.AuditReferralTransition, cid); n != 1 {
		t.Fatalf("receipt audited %d times", n)
	}
	if got := caseworker.Get("/katalog").Text(`a[href="/henvisninger"] .nav-badge`); !strings.HasPrefix(got, "1") {
		t.Fatalf("caseworker's badge %q; want 1 (received)", got)
	}
	mine := caseworker.Get("/henvisninger")
	if !strings.Contains(mine.Text("table tbody .state-new"), "Modtaget") {
		t.Fatalf("caseworker's list does not mark the new state: %q", mine.Text("table tbody"))
	}
	if caseworker.Get("/henvisninger").Has(".nav-badge") {
		t.Fatal("the badge stays after the caseworker has seen the change")
	}

	// The caseworker cannot act for the provider; the provider cannot cancel.
	if p := caseworker.Post(referralPath+"/status", url.Values{"to": {"accepteret"}, "version": {"2"}}); p.Status != http.StatusForbidden {
		t.Fatalf("caseworker accepts: %d; want 403", p.Status)
	}
	if p := provider.Get(referralPath); p.Has(`input[name=to][value=annulleret]`) {
		t.Fatal("the provider is offered the caseworker's cancel button")
	}

	// The provider can open the citizen page now, and sees the referral there.
	if p := provider.Get(citizenPath); p.Status != http.StatusOK || !strings.Contains(p.Text("#henvisninger-h + [role=region] table"), "Livsstilsforløb") {
		t.Fatalf("provider on the citizen page: %d", p.Status)
	}

	for _, step := range []struct{ to, want string }{
		{"accepteret", "Accepteret"}, {"startet", "Startet"}, {"afsluttet", "Afsluttet"},
	} {
		p = transition(t, provider, provider.Get(referralPath), step.to, "")
		if p.Status != http.StatusOK || referralState(t, p) != step.want {
			t.Fatalf("→ %s: %d, state %q", step.to, p.Status, referralState(t, p))
		}
		if got := referralState(t, caseworker.Get(referralPath)); got != step.want {
			t.Fatalf("caseworker sees %q after %s", got, step.to)
		}
		if !strings.Contains(caseworker.Get(citizenPath).Text("#henvisninger-h + [role=region] table"), step.want) {
			t.Fatalf("citizen page does not show %s", step.want)
		}
	}
	history := caseworker.Get(referralPath).Doc.Find("#historik-h + [role=region] tbody tr")
	if history.Length() != 5 || !strings.Contains(history.Last().Text(), "Test sund") {
		t.Fatalf("history has %d rows (want 5, each with who): %q", history.Length(), history.Text())
	}

	// An illegal move changes nothing: 409 with the reason in Danish.
	p = provider.Post(referralPath+"/status", url.Values{"to": {"sendt"}, "version": {"5"}})
	if p.Status != http.StatusConflict || !strings.Contains(p.Text(".alert-error"), "kan ikke gå fra afsluttet til sendt") {
		t.Fatalf("afsluttet → sendt: %d %q", p.Status, p.Text(".alert-error"))
	}
	if referralState(t, p) != "Afsluttet" {
		t.Fatal("the illegal move changed the state")
	}

	// A referral id under another citizen's URL is not found.
	other2 := app.Citizen(t, "030486-1234", "Mette", "Olsen", apptest.Jobcenter, cw.ID)
	wrong := strings.Replace(referralPath, citizenPath, "/borgere/"+strconv.FormatInt(other2, 10), 1)
	if p := caseworker.Get(wrong); p.Status != http.StatusNotFound {
		t.Fatalf("referral under the wrong citizen: %d; want 404", p.Status)
	}
	if p := caseworker.Post(wrong+"/status", url.Values{"to": {"annulleret"}, "version": {"5"}}); p.Status != http.StatusNotFound {
		t.Fatalf("transition under the wrong citizen: %d; want 404", p.Status)
	}
	_ = nurse
}

// Without a consent covering the provider unit, the note (possibly health information) is
// withheld from the provider, even though they may work the referral.
func TestReferralNoteNeedsConsent(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	cid := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	offer := createOffer(t, app, "Rygestop", apptest.Health, 10)
	ctx := context.Background()
	if _, err := app.Pool.Exec(ctx, `
		INSERT INTO consents (citizen_id, information, recipient_unit_id, purpose, given_on, recorded_by)
		VALUES ($1, 'helbred', $2, 'Henvisning til rygestop', current_date, $3)`, cid, app.Units[apptest.Health], cw.ID); err != nil {
		t.Fatal(err)
	}
	rid, err := app.Store.CreateReferral(ctx, store.Who{UserID: cw.ID}, store.NewReferral{CitizenID: cid, OfferID: offer,
		FromUnitID: app.Units[apptest.Jobcenter], Note: "KOL og ryger 20 om dagen", CitizenAccepted: true})
	if err != nil {
		t.Fatal(err)
	}
	// The citizen withdraws the consent: it takes effect at once.
	if _, err := app.Pool.Exec(ctx, `UPDATE consents SET withdrawn_at = now() WHERE citizen_id = $1`, cid); err != nil {
		t.Fatal(err)
	}
	path := "/borgere/" + strconv.FormatInt(cid, 10) + "/henvisninger/" + strconv.FormatInt(rid, 10)
	p := app.Login(t, "sund").Get(path)
	if p.Status != http.StatusOK || strings.Contains(p.Body, "KOL") || !strings.Contains(p.Text("main"), "samtykke") {
		t.Fatalf("provider without consent: %d, note shown: %v", p.Status, strings.Contains(p.Body, "KOL"))
	}
	if p := app.Login(t, "cw").Get(path); !strings.Contains(p.Text(".referral-note"), "KOL") {
		t.Fatal("the referring caseworker does not see their own note")
	}
}

// Health staff keep their own unit's offers only: editing a jobcenter offer is refused with
// 403 and the attempt is in the audit log; nothing changes.
func TestHealthCannotEditJobcenterOffer(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	ips := createOffer(t, app, "IPS", apptest.Jobcenter, 20)
	own := createOffer(t, app, "Livsstilsforløb", apptest.Health, 12)
	c := app.Login(t, "sund")
	path := "/katalog/" + strconv.FormatInt(ips, 10) + "/rediger"
	before := app.AuditCount(t, store.AuditForbidden, 0)
	if p := c.Get(path); p.Status != http.StatusForbidden {
		t.Fatalf("GET edit of a jobcenter offer: %d; want 403", p.Status)
	}
	form := url.Values{"name": {"Overtaget"}, "opgavetype": {"ot08"}, "capacity": {"99"}, "version": {"1"}}
	if p := c.Post(path, form); p.Status != http.StatusForbidden || !strings.Contains(p.Text("main"), "registreret") {
		t.Fatalf("POST edit of a jobcenter offer: %d; want 403", p.Status)
	}
	if after := app.AuditCount(t, store.AuditForbidden, 0); after != before+2 {
		t.Fatalf("refused attempts audited: %d; want 2", after-before)
	}
	o, _ := app.Store.OfferByID(context.Background(), ips)
	if o.Name != "IPS" || o.Capacity != 20 || o.Version != 1 {
		t.Fatalf("the refused edit changed the offer: %+v", o)
	}
	// Caseworkers read the catalogue but edit nothing, not even their own unit's offers.
	if p := app.Login(t, "cw").Get(path); p.Status != http.StatusForbidden {
		t.Fatalf("caseworker edits: %d; want 403", p.Status)
	}
	// The health centre edits its own offer, and the provider in the form is ignored.
	ownPath := "/katalog/" + strconv.FormatInt(own, 10) + "/rediger"
	form = url.Values{"name": {"Livsstilsforløb for voksne"}, "opgavetype": {"ot06"}, "capacity": {"14"}, "version": {"1"},
		"unit": {strconv.FormatInt(app.Units[apptest.Jobcenter], 10)}, "krams": {"kost", "motion"}, "starts": {"01.09.2026\n2026-10-05"}}
	p := c.Post(ownPath, form)
	if p.Status != http.StatusOK || p.Text("h1") != "Livsstilsforløb for voksne" {
		t.Fatalf("own edit: %d %q %q", p.Status, p.Text("h1"), p.Text(".form-error-message"))
	}
	o, _ = app.Store.OfferByID(context.Background(), own)
	if o.ProviderUnitID != app.Units[apptest.Health] || o.Capacity != 14 || len(o.StartDates) != 2 || len(o.KRAMS) != 2 {
		t.Fatalf("after own edit: %+v", o)
	}
	if n := app.AuditCount(t, store.AuditOfferUpdate, 0); n != 1 {
		t.Fatalf("offer.update audited %d times", n)
	}
}

// Two editors of one offer: the second save gets 409 with a Danish message and keeps what
// they typed.
func TestOfferEditConflictKeepsInput(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	app.User(t, "sund2", access.RoleHealth, apptest.Health)
	id := createOffer(t, app, "Motion", apptest.Health, 10)
	path := "/katalog/" + strconv.FormatInt(id, 10) + "/rediger"
	a, b := app.Login(t, "sund"), app.Login(t, "sund2")
	pa, pb := a.Get(path), b.Get(path)
	form := func(p *apptest.Page, capacity string) url.Values {
		return url.Values{"name": {p.Value("#name")}, "opgavetype": {"ot06"}, "capacity": {capacity}, "version": {p.Value("input[name=version]")}}
	}
	if p := a.Post(path, form(pa, "11")); p.Status != http.StatusOK {
		t.Fatalf("first save: %d %q", p.Status, p.Text(".form-error-message"))
	}
	p := b.Post(path, form(pb, "17"))
	if p.Status != http.StatusConflict || p.Value("#capacity") != "17" || !strings.Contains(p.Body, "ændret af en anden") {
		t.Fatalf("second save: %d, capacity kept %q", p.Status, p.Value("#capacity"))
	}
	if o, _ := app.Store.OfferByID(context.Background(), id); o.Capacity != 11 {
		t.Fatalf("capacity %d; the first save must stand", o.Capacity)
	}
	// Saving the conflict page again overwrites deliberately.
	if p := b.Post(path, form(p, "17")); p.Status != http.StatusOK {
		t.Fatalf("deliberate overwrite: %d", p.Status)
	}
}

// The catalogue filters by KRAMS factor and shows free seats.
func TestCatalogueList(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	createOffer(t, app, "Motion", apptest.Health, 10)
	if _, err := app.Store.CreateOffer(context.Background(), store.Who{}, store.OfferInput{Name: "Rygestop", Opgavetype: "ot06",
		ProviderUnitID: app.Units[apptest.Health], KRAMS: []string{"rygning"}, Capacity: 15}); err != nil {
		t.Fatal(err)
	}
	c := app.Login(t, "cw")
	p := c.Get("/katalog?krams=rygning")
	rows := p.Doc.Find("table tbody tr")
	if p.Status != http.StatusOK || rows.Length() != 1 || !strings.Contains(rows.Text(), "Rygestop") || !strings.Contains(rows.Text(), "15 af 15") {
		t.Fatalf("filtered catalogue: %d, %d rows: %q", p.Status, rows.Length(), rows.Text())
	}
	if c.Get("/katalog").Doc.Find("table tbody tr").Length() != 2 {
		t.Fatal("unfiltered catalogue does not list both offers")
	}
	if p := c.Get("/katalog/ny"); p.Status != http.StatusForbidden {
		t.Fatalf("caseworker opens the create form: %d; want 403", p.Status)
	}
}

// Opening a referral (a GET) changes nothing: not its state, not its version, not its
// history. The provider marks it received with the button (a POST), or simply answers it:
// accepting straight from sendt is allowed.
func TestOpeningReferralChangesNothing(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	cid := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	offer := createOffer(t, app, "Rygestop", apptest.Health, 10)
	ctx := context.Background()
	who := store.Who{UserID: cw.ID}
	if err := app.Store.CreateConsents(ctx, who, store.NewConsent{CitizenID: cid, Information: store.ConsentHealth,
		UnitIDs: []int64{app.Units[apptest.Health]}, Purpose: "Henvisning til rygestop", GivenOn: app.Store.Now()}); err != nil {
		t.Fatal(err)
	}
	refer := func() string {
		rid, err := app.Store.CreateReferral(ctx, who, store.NewReferral{CitizenID: cid, OfferID: offer,
			FromUnitID: app.Units[apptest.Jobcenter], CitizenAccepted: true})
		if err != nil {
			t.Fatal(err)
		}
		return "/borgere/" + strconv.FormatInt(cid, 10) + "/henvisninger/" + strconv.FormatInt(rid, 10)
	}
	row := func(path string) (state string, version, events int) {
		t.Helper()
		rid := path[strings.LastIndex(path, "/")+1:]
		if err := app.Pool.QueryRow(ctx, `SELECT state, version, (SELECT count(*) FROM referral_events WHERE referral_id = r.id)
			FROM referrals r WHERE id = $1`, rid).Scan(&state, &version, &events); err != nil {
			t.Fatal(err)
		}
		return state, version, events
	}
	provider := app.Login(t, "sund")
	path := refer()
	for range 2 {
		if p := provider.Get(path); p.Status != http.StatusOK || referralState(t, p) != "Sendt" {
			t.Fatalf("provider opens: %d, state %q; want Sendt", p.Status, referralState(t, p))
		}
	}
	if state, version, events := row(path); state != "sendt" || version != 1 || events != 1 {
		t.Fatalf("after two GETs: state %s, version %d, %d events; want sendt, 1, 1", state, version, events)
	}
	if n := app.AuditCount(t, store.AuditReferralTransition, cid); n != 0 {
		t.Fatalf("a GET was audited as %d transitions", n)
	}
	// Receipt is an explicit POST: the button on the page.
	p := transition(t, provider, provider.Get(path), "modtaget", "")
	if p.Status != http.StatusOK || referralState(t, p) != "Modtaget" {
		t.Fatalf("mark received: %d, state %q", p.Status, referralState(t, p))
	}
	if state, version, events := row(path); state != "modtaget" || version != 2 || events != 2 {
		t.Fatalf("after the button: state %s, version %d, %d events; want modtaget, 2, 2", state, version, events)
	}
	// Or the provider answers at once, without marking it received first.
	path = refer()
	if p := transition(t, provider, provider.Get(path), "accepteret", ""); referralState(t, p) != "Accepteret" {
		t.Fatalf("accept straight from sendt: %d, state %q", p.Status, referralState(t, p))
	}
}
