package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testlimit"
	"github.com/helhed/helhed/internal/web"
)

// The law closes ressourceforløb to new cases and brings a new benefit: the administrator
// adds the successor and retires ressourceforløb as of yesterday, in the browser. The
// caseworker's benefit form then offers the new benefit and no longer ressourceforløb,
// while the citizen's earlier ressourceforløb still shows its label; a label the
// administrator changes shows on the next page view (the trigger's NOTIFY empties every
// instance's cache).
func TestAdminMaintainsReferenceData(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	citizen := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	ctx := context.Background()
	now := helhed.DanishToday(time.Now()) // the app's day: the Danish date, also just after its midnight
	end := now.AddDate(0, -8, 0)
	if _, err := app.Store.AddBenefitPeriod(ctx, store.Who{RequestID: "test"}, store.BenefitPeriod{CitizenID: citizen,
		BenefitCode: "ressourceforloeb", StartDate: now.AddDate(-3, 0, 0), EndDate: &end}); err != nil {
		t.Fatal(err)
	}
	citizenPath := "/borgere/" + strconv.FormatInt(citizen, 10)
	caseworker := app.Login(t, "cw")
	offered := func() []string {
		t.Helper()
		p := caseworker.Get(citizenPath)
		if p.Status != http.StatusOK {
			t.Fatalf("citizen page: %d", p.Status)
		}
		// The benefits in force: an ended one is offered too, for periods of the past, but
		// marked with its dates.
		return p.Doc.Find("select#benefit option").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return !strings.Contains(s.Text(), "(tidligere") && !strings.Contains(s.Text(), "(gælder fra")
		}).Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("value", "") })
	}
	if !slices.Contains(offered(), "ressourceforloeb") {
		t.Fatal("before the change the benefit form does not offer ressourceforløb")
	}

	adm := app.Login(t, "admin").NoRedirects()
	p := adm.Get("/admin/referencedata")
	if p.Status != http.StatusOK || p.Text("h1") != "Referencedata" {
		t.Fatalf("kinds page: %d %q", p.Status, p.Text("h1"))
	}
	row := p.Doc.Find(`tr:has(a[href="/admin/referencedata/benefit_type"])`).Text()
	if !strings.Contains(row, "Ydelsestyper") || !strings.Contains(row, "9") {
		t.Fatalf("benefit types row: %q", row)
	}
	if nav := p.Doc.Find(`nav[aria-label=Hovedmenu] a[href="/admin/referencedata"]`); nav.Length() == 0 {
		t.Error("the administrator's navigation has no Referencedata item")
	}
	kindPath := "/admin/referencedata/benefit_type"
	p = adm.Get(kindPath)
	if p.Status != http.StatusOK || p.Value("input#valid_from") != now.Format(time.DateOnly) {
		t.Fatalf("kind page: %d, valid_from default %q", p.Status, p.Value("input#valid_from"))
	}

	// Bad input: a Danish message beside each field, everything typed kept.
	bad := url.Values{"code": {"ny kode"}, "label": {""}, "description": {"Hovedloven 2027"}, "sort_order": {"ti"},
		"valid_from": {"2026-13-01"}, "valid_to": {""}}
	p = adm.Post(kindPath, bad)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad value: %d; want 422", p.Status)
	}
	for _, field := range []string{"code", "label", "sort_order", "valid_from"} {
		if p.Doc.Find("#"+field).Closest(".form-group").Find(".form-error-message").Length() == 0 {
			t.Errorf("no error beside %s", field)
		}
	}
	if p.Value("input#code") != "ny kode" || p.Value("input#sort_order") != "ti" || p.Text("textarea#description") != "Hovedloven 2027" ||
		p.Value("input#valid_from") != "2026-13-01" {
		t.Errorf("typed values not kept: code %q sort %q description %q from %q", p.Value("input#code"), p.Value("input#sort_order"),
			p.Text("textarea#description"), p.Value("input#valid_from"))
	}
	p = adm.Post(kindPath, url.Values{"code": {"kontanthjaelp"}, "label": {"Igen"}, "valid_from": {"2026-01-01"}})
	if msg := p.Doc.Find("#code").Closest(".form-group").Find(".form-error-message").Text(); p.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(msg, "findes allerede") {
		t.Errorf("duplicate code: %d %q", p.Status, msg)
	}

	// The successor, and ressourceforløb ended as of yesterday.
	p = adm.Post(kindPath, url.Values{"code": {"ny_forsoergelse"}, "label": {"Ny forsørgelsesydelse"}, "description": {"Hovedloven"},
		"sort_order": {"100"}, "valid_from": {now.Format(time.DateOnly)}})
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != kindPath {
		t.Fatalf("add: %d %s", p.Status, p.Header.Get("Location"))
	}
	valuePath := kindPath + "/ressourceforloeb"
	v0 := refVersion(t, app, "benefit_type", "ressourceforloeb")
	if p = adm.Get(valuePath); p.Status != http.StatusOK || p.Value(`form[action$="/afslut"] input[name=version]`) != strconv.Itoa(v0) {
		t.Fatalf("value page: %d, version %q; want %d", p.Status, p.Value(`form[action$="/afslut"] input[name=version]`), v0)
	}
	yesterday := now.AddDate(0, 0, -1).Format(time.DateOnly)
	p = adm.Post(valuePath+"/afslut", url.Values{"last_day": {yesterday}, "version": {strconv.Itoa(v0)}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("retire: %d", p.Status)
	}
	p = adm.Get(kindPath)
	if msg := p.Text(".alert-success"); !strings.Contains(msg, "Ressourceforløb gælder til og med") {
		t.Errorf("flash after retiring: %q", msg)
	}
	states := map[string]string{}
	p.Doc.Find("table.ref-values tbody tr").Each(func(_ int, s *goquery.Selection) {
		states[strings.TrimSpace(s.Find("th").Text())] = strings.TrimSpace(s.Find("td").Eq(6).Text())
	})
	if !strings.HasPrefix(states["ressourceforloeb"], "Udløbet") || states["ny_forsoergelse"] != "I kraft" || states["kontanthjaelp"] != "I kraft" {
		t.Errorf("states on the kind page: %q", states)
	}

	// A second administrator's save on the version before the retirement is a conflict: 409,
	// what they typed kept, the value as saved now shown, the new version in the form.
	p = adm.Post(valuePath, url.Values{"label": {"Ressourceforløb (gammel)"}, "sort_order": {"60"}, "valid_from": {"2013-01-01"},
		"version": {strconv.Itoa(v0)}})
	if p.Status != http.StatusConflict {
		t.Fatalf("stale edit: %d; want 409", p.Status)
	}
	if p.Value("input#label") != "Ressourceforløb (gammel)" || p.Value(`form:not([action$="/afslut"]) input[name=version]`) != strconv.Itoa(v0+1) {
		t.Errorf("conflict form: label %q version %q", p.Value("input#label"), p.Value(`form:not([action$="/afslut"]) input[name=version]`))
	}
	if saved := p.Text("#version dl"); !strings.Contains(saved, "Ressourceforløb") || !strings.Contains(saved, "Udløbet") {
		t.Errorf("conflict page does not show the value as saved now: %q", saved)
	}

	// The caseworker's benefit form follows (the cache is dropped by the trigger's NOTIFY,
	// which arrives a moment after the commit).
	testlimit.Eventually(t, 2*time.Second, "the benefit form without ressourceforløb and with ny_forsoergelse", func() bool {
		opts := offered()
		return !slices.Contains(opts, "ressourceforloeb") && slices.Contains(opts, "ny_forsoergelse")
	})
	p = caseworker.Get(citizenPath)
	if !strings.Contains(p.Doc.Find("th[scope=row]").Text(), "Ressourceforløb") {
		t.Error("the citizen's earlier ressourceforløb no longer shows its label")
	}
	p = caseworker.Post(citizenPath+"/ydelser", url.Values{"benefit": {"ressourceforloeb"}, "start": {now.Format(time.DateOnly)}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Errorf("a new ressourceforløb from today: %d; want 422", p.Status)
	}

	// A new label shows on the next page view.
	kh, _ := app.Store.RefValueByCode(ctx, "benefit_type", "kontanthjaelp")
	p = adm.Post(kindPath+"/kontanthjaelp", url.Values{"label": {"Kontanthjælp (ny lov)"}, "sort_order": {"10"},
		"valid_from": {"1900-01-01"}, "source": {kh.Source}, "description": {kh.Description}, "version": {strconv.Itoa(kh.Version)}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("edit label: %d", p.Status)
	}
	testlimit.Eventually(t, 2*time.Second, "the citizen page showing the new label", func() bool {
		return strings.Contains(caseworker.Get(citizenPath).Doc.Find("th[scope=row]").Text(), "Kontanthjælp (ny lov)")
	})

	if n, m := app.AuditCount(t, store.AuditRefDataCreate, 0), app.AuditCount(t, store.AuditRefDataChange, 0); n != 1 || m != 2 {
		t.Errorf("audit rows: %d created, %d changed; want 1 and 2", n, m)
	}
}

// Reference data is the administrator's alone: a caseworker is refused (403) on every page
// and form, the attempt is audited, and nothing changes.
func TestReferenceDataRefusedToCaseworker(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	c := app.Login(t, "cw")
	before := app.AuditCount(t, store.AuditForbidden, 0)
	version := refVersion(t, app, "benefit_type", "kontanthjaelp")
	for _, path := range []string{"/admin/referencedata", "/admin/referencedata/benefit_type", "/admin/referencedata/benefit_type/kontanthjaelp"} {
		if p := c.Get(path); p.Status != http.StatusForbidden {
			t.Errorf("GET %s as caseworker: %d; want 403", path, p.Status)
		}
	}
	p := c.Post("/admin/referencedata/benefit_type/kontanthjaelp/afslut", url.Values{"last_day": {"2020-01-01"}, "version": {strconv.Itoa(version)}})
	if p.Status != http.StatusForbidden {
		t.Errorf("retire as caseworker: %d; want 403", p.Status)
	}
	if got := app.AuditCount(t, store.AuditForbidden, 0) - before; got != 4 {
		t.Errorf("%d refusals audited; want 4", got)
	}
	var detail string
	if err := app.Pool.QueryRow(context.Background(), `SELECT detail FROM audit_events WHERE action = $1 ORDER BY id LIMIT 1`,
		store.AuditForbidden).Scan(&detail); err != nil || detail != "admin.reference /admin/referencedata" {
		t.Errorf("audit detail %q (%v)", detail, err)
	}
	v, err := app.Store.RefValueByCode(context.Background(), "benefit_type", "kontanthjaelp")
	if err != nil || v.ValidTo != nil || v.Version != version {
		t.Errorf("kontanthjælp after the caseworker's attempt: %+v (%v)", v, err)
	}
}

// refVersion is a reference value's version as stored now (migrations update values too).
func refVersion(t *testing.T, app *apptest.App, kind, code string) int {
	t.Helper()
	v, err := app.Store.RefValueByCode(context.Background(), kind, code)
	if err != nil {
		t.Fatal(err)
	}
	return v.Version
}

// submitted is what a browser sends for the form matching sel when its user changes nothing:
// inputs with their values, checked boxes, each select's selected option (else its first),
// textareas.
func submitted(p *apptest.Page, sel string) url.Values {
	out := url.Values{}
	form := p.Doc.Find(sel)
	form.Find("input[name], textarea[name], select[name]").Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", "")
		switch {
		case s.Is("textarea"):
			out.Add(name, s.Text())
		case s.Is("select"):
			o := s.Find("option[selected]")
			if o.Length() == 0 {
				o = s.Find("option").First()
			}
			out.Add(name, o.AttrOr("value", ""))
		case s.AttrOr("type", "") == "checkbox" || s.AttrOr("type", "") == "radio":
			if _, on := s.Attr("checked"); on {
				out.Add(name, s.AttrOr("value", "on"))
			}
		default:
			out.Add(name, s.AttrOr("value", ""))
		}
	})
	return out
}

// A value that ends is not offered for new records, but a record that has it keeps it: an
// edit form offers the record's own value (marked as no longer in force) and accepts it back,
// so saving a citizen, an offer, an effort or an initiative never drops what has since ended
// (silently, or by refusing the save until a new value is chosen).
func TestEditFormsKeepRetiredValues(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "health", access.RoleHealth, apptest.Health)
	ctx := context.Background()
	who := store.Who{RequestID: "test"}
	cpr, _ := helhed.ParseCPR("020385-1233")
	citizen, err := app.Store.CreateCitizen(ctx, who, app.Units[apptest.Jobcenter], store.CitizenInput{CPR: cpr, FirstName: "Kai",
		LastName: "Kategori", CaseworkerID: cw.ID, VisitationCode: "sdp_kategori_3"}) // ended 31.12.2024
	if err != nil {
		t.Fatal(err)
	}
	offer, err := app.Store.CreateOffer(ctx, who, store.OfferInput{Name: "Familieforløb", Opgavetype: "ot10", ProviderUnitID: app.Units[apptest.Health],
		TargetBenefits: []string{"kontanthjaelp", "ressourceforloeb"}, LegalBasis: "bl_32", Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	yesterday := time.Now().AddDate(0, 0, -1)
	for _, v := range []struct{ kind, code string }{{"benefit_type", "ressourceforloeb"}, {"legal_basis", "bl_32"}} {
		if err := app.Store.RetireRefValue(ctx, who, v.kind, v.code, refVersion(t, app, v.kind, v.code), yesterday); err != nil {
			t.Fatal(err)
		}
	}

	c := app.Login(t, "cw")
	editPath := "/borgere/" + strconv.FormatInt(citizen, 10) + "/rediger"
	p := c.Get(editPath)
	if got := p.Text("select#visitation option[selected]"); !strings.Contains(got, "Sygedagpenge kategori 3") || !strings.Contains(got, "udløbet") {
		t.Errorf("the citizen's own ended category in the edit form: %q", got)
	}
	if p = c.Post(editPath, submitted(p, `form[action="`+editPath+`"]`)); p.Status != http.StatusOK || p.URL.Path == editPath {
		t.Fatalf("saving the citizen unchanged: %d at %s: %s", p.Status, p.URL.Path, p.Text(".form-error-message"))
	}
	if got, _ := app.Store.CitizenByID(ctx, citizen); got.VisitationCode == nil || *got.VisitationCode != "sdp_kategori_3" {
		t.Errorf("saving the citizen unchanged dropped the visitation category: %v", got.VisitationCode)
	}
	// It is the record's own value, not an offer to everyone.
	if p := c.Get("/borgere/ny"); p.Has(`select#visitation option[value="sdp_kategori_3"]`) {
		t.Error("the new-citizen form offers an ended category")
	}
	form := citizenForm("030486-1234")
	form.Set("visitation", "sdp_kategori_3")
	if p := c.Post("/borgere/ny", form); p.Status != http.StatusUnprocessableEntity {
		t.Errorf("a new citizen in an ended category: %d; want 422", p.Status)
	}

	h := app.Login(t, "health")
	offerEdit := "/katalog/" + strconv.FormatInt(offer, 10) + "/rediger"
	p = h.Get(offerEdit)
	if !p.Has(`input[name=benefits][value=ressourceforloeb][checked]`) || !p.Has(`select#legal_basis option[value=bl_32][selected]`) {
		t.Fatal("the offer's own ended benefit group and legal basis are not in its edit form")
	}
	if p = h.Post(offerEdit, submitted(p, `form[action="`+offerEdit+`"]`)); p.URL.Path == offerEdit {
		t.Fatalf("saving the offer unchanged: %d: %s", p.Status, p.Text(".form-error-message"))
	}
	o, err := app.Store.OfferByID(ctx, offer)
	if err != nil || !slices.Contains(o.TargetBenefits, "ressourceforloeb") || o.LegalBasis == nil || *o.LegalBasis != "bl_32" {
		t.Errorf("saving the offer unchanged dropped its ended values: %v %v (%v)", o.TargetBenefits, o.LegalBasis, err)
	}
	if p := h.Get("/katalog/ny"); p.Has(`input[name=benefits][value=ressourceforloeb]`) || p.Has(`option[value=bl_32]`) {
		t.Error("the new-offer form offers ended values")
	}

	// An effort in the plan and an initiative of the strategy, whose area and theme end.
	if err := app.Store.CreatePlan(ctx, store.Who{UserID: cw.ID}, citizen, time.Now(), 3); err != nil {
		t.Fatal(err)
	}
	eid, err := app.Store.SaveEffort(ctx, store.Who{UserID: cw.ID}, citizen, 1, 0, store.EffortInput{Title: "Studiestart", Area: "uddannelse",
		Status: "planlagt", ResponsibleUnitID: app.Units[apptest.Jobcenter], StartDate: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	app.User(t, "leader", access.RoleManager, apptest.Jobcenter)
	initiative, err := app.Store.CreateInitiative(ctx, who, store.InitiativeInput{Theme: "unge", Title: "Hashgrupper", Status: "fremdrift",
		CountsFrom: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct{ kind, code string }{{"effort_area", "uddannelse"}, {"initiative_theme", "unge"}} {
		if err := app.Store.RetireRefValue(ctx, who, v.kind, v.code, refVersion(t, app, v.kind, v.code), yesterday); err != nil {
			t.Fatal(err)
		}
	}
	effortPath := "/borgere/" + strconv.FormatInt(citizen, 10) + "/plan/indsatser/" + strconv.FormatInt(eid, 10)
	if p = c.Get(effortPath); p.Status != http.StatusOK {
		t.Fatalf("effort form: %d", p.Status)
	}
	if p = c.Post(effortPath, submitted(p, `form[action="`+effortPath+`"]`)); p.URL.Path == effortPath {
		t.Errorf("saving the effort unchanged: %d: %s", p.Status, p.Text(".form-error-message"))
	}
	l := app.Login(t, "leader")
	initiativePath := "/ledelse/strategi/" + strconv.FormatInt(initiative, 10) + "/rediger"
	if p = l.Get(initiativePath); p.Status != http.StatusOK {
		t.Fatalf("initiative form: %d", p.Status)
	}
	if p = l.Post(initiativePath, submitted(p, `form[action="`+initiativePath+`"]`)); p.URL.Path == initiativePath {
		t.Errorf("saving the initiative unchanged: %d: %s", p.Status, p.Text(".form-error-message"))
	}
	if in, _, err := app.Store.InitiativeByID(ctx, initiative); err != nil || in.Theme != "unge" {
		t.Errorf("the initiative's theme after saving it unchanged: %q (%v)", in.Theme, err)
	}
}
