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
