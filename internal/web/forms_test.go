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
	"github.com/helhed/helhed/internal/web"
)

// A refused benefit period comes back with what was typed, the message beside the field and
// an error summary naming the field by its label; nothing is saved.
func TestBenefitFormNamesFieldsInSummary(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	cid := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	path := "/borgere/" + strconv.FormatInt(cid, 10) + "/ydelser"
	count := func() int {
		var n int
		if err := app.Pool.QueryRow(context.Background(), `SELECT count(*) FROM benefit_periods WHERE citizen_id = $1`, cid).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"no start", url.Values{"benefit": {"kontanthjaelp"}, "start": {""}}, "start", "Startdato: Skal udfyldes"},
		{"bad start", url.Values{"benefit": {"kontanthjaelp"}, "start": {"1. maj"}}, "start", "Startdato: Datoen skal have formen ÅÅÅÅ-MM-DD"},
		{"no benefit", url.Values{"start": {"2025-01-01"}}, "benefit", "Ydelse: Vælg en af mulighederne"},
		{"end before start", url.Values{"benefit": {"kontanthjaelp"}, "start": {"2025-01-01"}, "end": {"2024-12-31"}, "exit": {"job"}},
			"end", "Slutdato: Slutdatoen ligger før startdatoen"},
		{"exit without end", url.Values{"benefit": {"kontanthjaelp"}, "start": {"2025-01-01"}, "exit": {"job"}},
			"exit", "Afgangsårsag: Afgangsårsag kræver en slutdato"},
		{"end without exit", url.Values{"benefit": {"kontanthjaelp"}, "start": {"2025-01-01"}, "end": {"2025-02-01"}},
			"exit", "Afgangsårsag: Vælg en afgangsårsag, når forløbet er slut"},
	} {
		p := c.Post(path, tc.form)
		if p.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d; want 422", tc.name, p.Status)
			continue
		}
		if got := p.Text(".error-summary"); !strings.Contains(got, tc.want) {
			t.Errorf("%s: summary %q; want it to contain %q", tc.name, got, tc.want)
		}
		if p.Text("#"+tc.field+"-error") == "" {
			t.Errorf("%s: no message beside %s", tc.name, tc.field)
		}
		if got := p.Value("#start"); got != tc.form.Get("start") {
			t.Errorf("%s: start came back as %q; want %q", tc.name, got, tc.form.Get("start"))
		}
	}
	if n := count() - before; n != 0 {
		t.Fatalf("%d benefit periods saved from refused forms", n)
	}
	if p := c.Post(path, url.Values{"benefit": {"kontanthjaelp"}, "start": {"2025-01-01"}, "end": {"2025-02-01"}, "exit": {"job"}}); p.Status != http.StatusOK || p.Has(".error-summary") {
		t.Fatalf("a valid benefit period: %d %q", p.Status, p.Text(".error-summary"))
	}
}

// A refused consent names the field by its label in the error summary, keeps a purpose over
// the limit as typed and keeps the ticked units.
func TestConsentFormNamesFieldsInSummary(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	cid := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	path := "/borgere/" + strconv.FormatInt(cid, 10) + "/samtykker"
	unit := strconv.FormatInt(app.Units[apptest.Health], 10)
	long := strings.Repeat("å", 501)
	p := c.Post(path, url.Values{"c_information": {"helbred"}, "c_units": {unit}, "c_purpose": {long}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("purpose over the limit: %d; want 422", p.Status)
	}
	if got := p.Text(".error-summary"); !strings.Contains(got, "Formål: Højst 500 tegn") {
		t.Errorf("summary %q; want it to name Formål", got)
	}
	if p.Value("#c_purpose") != long {
		t.Error("the purpose over the limit was not kept as typed")
	}
	if !p.Has(`input[name=c_units][value="` + unit + `"][checked]`) {
		t.Error("the ticked unit was not kept")
	}
	p = c.Post(path, url.Values{"c_information": {"helbred"}, "c_purpose": {"Koordinering"}, "c_given": {"2025-13-01"}})
	summary := p.Text(".error-summary")
	for _, want := range []string{"Må videregives til: Vælg mindst én enhed", "Givet den: Datoen skal have formen ÅÅÅÅ-MM-DD"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q; want it to contain %q", summary, want)
		}
	}
}

// The plan's goals and follow-up forms name the field by its label in the error summary and
// keep text over the limit as typed.
func TestPlanFormsNameFieldsInSummary(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	base := "/borgere/" + strconv.FormatInt(id, 10) + "/plan"
	c.Post(base+"/ny", nil)

	version := c.Get(base + "/maal").Value("input[name=version]")
	long := strings.Repeat("å", 501)
	p := c.Post(base+"/maal", url.Values{"version": {version}, "citizen_goal": {"Et job"}, "goal_text_0": {long}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a sub-goal over 500 characters: %d; want 422", p.Status)
	}
	if got := p.Text(".error-summary"); !strings.Contains(got, "Delmål 1: Højst 500 tegn") {
		t.Errorf("goals summary %q; want it to name Delmål 1", got)
	}
	if p.Value("#goal_text_0") != long || p.Text("#goal_text_0-error") == "" {
		t.Error("the sub-goal over the limit was not kept with its message beside it")
	}
	p = c.Post(base+"/maal", url.Values{"version": {version}, "citizen_goal": {strings.Repeat("x", 20001)}})
	if got := p.Text(".error-summary"); p.Status != http.StatusUnprocessableEntity || !strings.Contains(got, "Borgerens mål med egne ord: Højst 20000 tegn") {
		t.Errorf("citizen goal over the limit: %d, summary %q", p.Status, got)
	}
	if p := c.Post(base+"/maal", url.Values{"version": {version}, "citizen_goal": {"Et job"}, "goal_text_0": {"Sove bedre"}}); p.Status != http.StatusOK {
		t.Fatalf("save goals: %d", p.Status)
	}

	p = c.Get(base)
	goal, _ := p.Doc.Find("input[name^=score_]").First().Attr("name")
	if goal == "" {
		t.Fatal("no score field per goal")
	}
	note := strings.Repeat("n", 2001)
	p = c.Post(base+"/opfoelgning", url.Values{"held_on": {""}, goal: {"11"}, "note": {note}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("refused follow-up: %d; want 422", p.Status)
	}
	summary := p.Text(".error-summary")
	for _, want := range []string{"Dato: Skal udfyldes", "Progression: Sove bedre: Skal være et helt tal fra 1 til 10", "Note: Højst 2000 tegn"} {
		if !strings.Contains(summary, want) {
			t.Errorf("follow-up summary %q; want it to contain %q", summary, want)
		}
	}
	if p.Text("#note") != note || p.Value("#"+goal) != "11" {
		t.Error("the follow-up was not kept as typed")
	}
}

// The effort form names the field by its label in the error summary and keeps text over the
// limit as typed.
func TestEffortFormNamesFieldsInSummary(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	base := "/borgere/" + strconv.FormatInt(id, 10) + "/plan"
	c.Post(base+"/ny", nil)
	version := c.Get(base + "/indsatser/ny").Value("input[name=version]")
	person := strings.Repeat("p", 201)
	effort := url.Values{"version": {version}, "title": {""}, "area": {"beskaeftigelse"}, "status": {"planlagt"},
		"unit": {strconv.FormatInt(app.Units[apptest.Jobcenter], 10)}, "person": {person}, "start": {"2026-02-30"}}
	p := c.Post(base+"/indsatser/ny", effort)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("refused effort: %d; want 422", p.Status)
	}
	summary := p.Text(".error-summary")
	for _, want := range []string{"Indsats: Skal udfyldes", "Ansvarlig person: Højst 200 tegn", "Startdato: Datoen skal have formen ÅÅÅÅ-MM-DD"} {
		if !strings.Contains(summary, want) {
			t.Errorf("effort summary %q; want it to contain %q", summary, want)
		}
	}
	if p.Value("#person") != person || p.Value("#start") != "2026-02-30" || p.Text("#person-error") == "" {
		t.Error("the effort was not kept as typed with the message beside the field")
	}
}

// The citizen form names the field by its label in the error summary and keeps text over the
// limit as typed, on create and on edit.
func TestCitizenFormNamesFieldsInSummary(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	long := strings.Repeat("å", 201)
	f := citizenForm("")
	f.Set("address", long)
	f.Set("first_name", "")
	p := c.Post("/borgere/ny", f)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("refused citizen: %d; want 422", p.Status)
	}
	summary := p.Text(".error-summary")
	for _, want := range []string{"CPR-nummer: Skal udfyldes", "Fornavn(e): Skal udfyldes", "Adresse: Højst 200 tegn"} {
		if !strings.Contains(summary, want) {
			t.Errorf("create summary %q; want it to contain %q", summary, want)
		}
	}
	if p.Value("#address") != long || p.Text("#address-error") == "" {
		t.Error("the address over the limit was not kept with its message beside it")
	}

	edit := "/borgere/" + strconv.FormatInt(id, 10) + "/rediger"
	f = citizenForm("")
	f.Set("version", c.Get(edit).Value("input[name=version]"))
	f.Set("city", strings.Repeat("b", 101))
	f.Set("caseworker", "999999")
	p = c.Post(edit, f)
	summary = p.Text(".error-summary")
	for _, want := range []string{"By: Højst 100 tegn", "Koordinerende sagsbehandler: Vælg en af mulighederne"} {
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(summary, want) {
			t.Errorf("edit: %d, summary %q; want it to contain %q", p.Status, summary, want)
		}
	}
}

// The catalogue's offer form names the field by its label in the error summary and keeps text
// over the limit as typed.
func TestOfferFormNamesFieldsInSummary(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	h := app.Login(t, "sund")
	contact := strings.Repeat("k", 301)
	p := h.Post("/katalog/ny", url.Values{"name": {""}, "opgavetype": {"ot06"}, "capacity": {"0"}, "contact": {contact},
		"risk": {"mellem", "ukendt"}, "starts": {"1. maj"}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("refused offer: %d; want 422", p.Status)
	}
	summary := p.Text(".error-summary")
	for _, want := range []string{"Navn: Skal udfyldes", "Risikogrupper: Vælg en af mulighederne",
		"Kapacitet (pladser): Skal være et helt tal fra 1 til 1000", "Startdatoer: Datoerne skal have formen DD.MM.ÅÅÅÅ", "Kontakt: Højst 300 tegn"} {
		if !strings.Contains(summary, want) {
			t.Errorf("offer summary %q; want it to contain %q", summary, want)
		}
	}
	if p.Value("#contact") != contact || p.Text("#contact-error") == "" || !p.Has(`input[name=risk][value=mellem][checked]`) {
		t.Error("the offer was not kept as typed with the message beside the field")
	}
	if p := h.Post("/katalog/ny", url.Values{"name": {"Gåhold"}, "opgavetype": {"ot06"}, "capacity": {"12"}, "starts": {"01.09.2026"}}); p.Status != http.StatusOK || p.Has(".error-summary") {
		t.Fatalf("a valid offer: %d %q", p.Status, p.Text(".error-summary"))
	}
}

// The administrator's user and unit forms name the field by its label in the error summary
// and keep text over the limit as typed.
func TestAdminFormsNameFieldsInSummary(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	c := app.Login(t, "admin")
	name := strings.Repeat("n", 101)
	p := c.Post("/admin/brugere/ny", url.Values{"username": {"ny.bruger"}, "name": {name}, "email": {"ny@faxe.dk"},
		"unit": {strconv.FormatInt(app.Units[apptest.Jobcenter], 10)}, "role": {""}, "password": {"elleve-tegn"}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("refused user: %d; want 422", p.Status)
	}
	summary := p.Text(".error-summary")
	for _, want := range []string{"Navn: Højst 100 tegn", "Rolle: Vælg en af mulighederne", "Adgangskode: "} {
		if !strings.Contains(summary, want) {
			t.Errorf("user summary %q; want it to contain %q", summary, want)
		}
	}
	if p.Value("#name") != name || p.Text("#name-error") == "" {
		t.Error("the name over the limit was not kept with its message beside it")
	}
	if strings.Contains(p.Body, "elleve-tegn") {
		t.Error("the password is echoed back")
	}

	unit := strings.Repeat("u", 101)
	p = c.Post("/admin/enheder", url.Values{"name": {unit}, "kind": {""}})
	summary = p.Text(".error-summary")
	for _, want := range []string{"Navn: Højst 100 tegn", "Type: Vælg en af mulighederne"} {
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(summary, want) {
			t.Errorf("unit: %d, summary %q; want it to contain %q", p.Status, summary, want)
		}
	}
	if p.Value("#name") != unit {
		t.Error("the unit name over the limit was not kept")
	}
}
