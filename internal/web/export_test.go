package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
)

// The indsigt page (GDPR art. 15) is read by the citizen: Danish labels and values, not
// column names, reference codes, ids or audit codes. The JSON download keeps the raw names.
func TestIndsigtPageIsReadable(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Åse", "Ærø", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	citizen := "/borgere/" + strconv.FormatInt(id, 10)
	// Before the running kontanthjælp app.Citizen records (one forsørgelsesydelse at a time).
	if p := c.Post(citizen+"/ydelser", url.Values{"benefit": {"kontanthjaelp"}, "start": {"2025-03-01"}, "end": {"2025-10-31"},
		"exit": {"job"}}); p.Status != http.StatusOK {
		t.Fatalf("add benefit: %d %s", p.Status, p.Text(".form-error-message"))
	}
	c.Get(citizen)

	p := c.Get(citizen + "/indsigt")
	if p.Status != http.StatusOK {
		t.Fatalf("indsigt: %d", p.Status)
	}
	main := p.Text("main")
	for _, want := range []string{"Indsigt: alle oplysninger om Åse Ærø", "Fornavn", "Åse", "Ydelse", "Kontanthjælp", "Startdato",
		"1. marts 2025", "Sagen set", "Sagen oprettet"} {
		if !strings.Contains(main, want) {
			t.Errorf("the indsigt page lacks %q", want)
		}
	}
	for _, raw := range []string{"first_name", "caseworker_id", "benefit_code", "kontanthjaelp", "citizen.view", "citizen.create",
		"_kind", "2025-03-01", "true", "false"} {
		if strings.Contains(main, raw) {
			t.Errorf("the indsigt page shows the raw %q", raw)
		}
	}
	j := c.Get(citizen + "/indsigt.json")
	if !strings.Contains(j.Body, `"first_name": "Åse"`) || !strings.Contains(j.Body, `"benefit_code": "kontanthjaelp"`) {
		t.Errorf("the JSON export lost its raw names: %.300s", j.Body)
	}
}
