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
	"github.com/helhed/helhed/internal/store"
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
	now := time.Now()
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
		return p.Doc.Find("select#benefit option").Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("value", "") })
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
	if p = adm.Get(valuePath); p.Status != http.StatusOK || p.Value(`form[action$="/afslut"] input[name=version]`) != "1" {
		t.Fatalf("value page: %d, version %q", p.Status, p.Value(`form[action$="/afslut"] input[name=version]`))
	}
	yesterday := now.AddDate(0, 0, -1).Format(time.DateOnly)
	p = adm.Post(valuePath+"/afslut", url.Values{"last_day": {yesterday}, "version": {"1"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("retire: %d", p.Status)
	}
	p = adm.Get(kindPath)
	if msg := p.Text(".alert-success"); !strings.Contains(msg, "Ressourceforløb gælder til og med") {
		t.Errorf("flash after retiring: %q", msg)
	}
	states := map[string]string{}
	p.Doc.Find("table.ref-values tbody tr").Each(func(_ int, s *goquery.Selection) {
		states[strings.TrimSpace(s.Find("th").Text())] = strings.TrimSpace(s.Find("td").Eq(5).Text())
	})
	if !strings.HasPrefix(states["ressourceforloeb"], "Udløbet") || states["ny_forsoergelse"] != "I kraft" || states["kontanthjaelp"] != "I kraft" {
		t.Errorf("states on the kind page: %q", states)
	}

	// A second administrator's save on the version before the retirement is a conflict: 409,
	// what they typed kept, the value as saved now shown, the new version in the form.
	p = adm.Post(valuePath, url.Values{"label": {"Ressourceforløb (gammel)"}, "sort_order": {"60"}, "valid_from": {"1900-01-01"}, "version": {"1"}})
	if p.Status != http.StatusConflict {
		t.Fatalf("stale edit: %d; want 409", p.Status)
	}
	if p.Value("input#label") != "Ressourceforløb (gammel)" || p.Value(`form:not([action$="/afslut"]) input[name=version]`) != "2" {
		t.Errorf("conflict form: label %q version %q", p.Value("input#label"), p.Value(`form:not([action$="/afslut"]) input[name=version]`))
	}
	if saved := p.Text("#version dl"); !strings.Contains(saved, "Ressourceforløb") || !strings.Contains(saved, "Udløbet") {
		t.Errorf("conflict page does not show the value as saved now: %q", saved)
	}

	// The caseworker's benefit form follows (the cache is dropped by the trigger's NOTIFY,
	// which arrives a moment after the commit).
	deadline := time.Now().Add(2 * time.Second)
	for opts := offered(); slices.Contains(opts, "ressourceforloeb") || !slices.Contains(opts, "ny_forsoergelse"); opts = offered() {
		if time.Now().After(deadline) {
			t.Fatalf("the benefit form offers %q 2 s after the change", opts)
		}
		time.Sleep(20 * time.Millisecond)
	}
	p = caseworker.Get(citizenPath)
	if !strings.Contains(p.Doc.Find("th[scope=row]").Text(), "Ressourceforløb") {
		t.Error("the citizen's earlier ressourceforløb no longer shows its label")
	}
	p = caseworker.Post(citizenPath+"/ydelser", url.Values{"benefit": {"ressourceforloeb"}, "start": {now.Format(time.DateOnly)}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Errorf("a new ressourceforløb from today: %d; want 422", p.Status)
	}

	// A new label shows on the next page view.
	p = adm.Post(kindPath+"/kontanthjaelp", url.Values{"label": {"Kontanthjælp (ny lov)"}, "sort_order": {"10"},
		"valid_from": {"1900-01-01"}, "version": {"1"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("edit label: %d", p.Status)
	}
	for !strings.Contains(caseworker.Get(citizenPath).Doc.Find("th[scope=row]").Text(), "Kontanthjælp (ny lov)") {
		if time.Now().After(deadline.Add(2 * time.Second)) {
			t.Fatal("the citizen page does not show the new label")
		}
		time.Sleep(20 * time.Millisecond)
	}

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
	for _, path := range []string{"/admin/referencedata", "/admin/referencedata/benefit_type", "/admin/referencedata/benefit_type/kontanthjaelp"} {
		if p := c.Get(path); p.Status != http.StatusForbidden {
			t.Errorf("GET %s as caseworker: %d; want 403", path, p.Status)
		}
	}
	p := c.Post("/admin/referencedata/benefit_type/kontanthjaelp/afslut", url.Values{"last_day": {"2020-01-01"}, "version": {"1"}})
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
	if err != nil || v.ValidTo != nil || v.Version != 1 {
		t.Errorf("kontanthjælp after the caseworker's attempt: %+v (%v)", v, err)
	}
}
