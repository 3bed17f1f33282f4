package browsertest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/web"
)

// The leader's dashboards in a browser, every page checked with axe (charts, tables, the
// filter form): the leader opens Ledelse, moves between the dashboards, filters by a bad
// month (the error is beside the field), drills down from the caseloads to a caseworker's
// citizens, and writes a strategy initiative that the printed status report shows.
func TestManagementJourney(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "leder", access.RoleManager, apptest.Jobcenter)
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	for i, cpr := range []string{"010180-1234", "020280-1233", "030380-1232", "040480-1231", "050580-1230", "060680-1239"} {
		app.Citizen(t, cpr, "Borger", string(rune('A'+i)), apptest.Jobcenter, cw.ID)
	}
	app.Offer(t, "Rygestopforløb", apptest.Health, []string{"mellem"}, []string{"rygning"})
	if _, err := app.Store.RefreshManagement(context.Background()); err != nil {
		t.Fatal(err)
	}

	p := browsertest.Open(t, app.URL)
	p.Login("leder", apptest.Password)
	p.WaitURL("/ledelse")
	p.ExpectText("h1", "Ledelsesoverblik")
	p.ClickLink("Sagsstammer")
	p.ExpectText("#tabel-sagsbehandlere", "Test cw")
	p.ClickLink("Test cw")
	p.ExpectText(".caseload-narrowed", "Test cws borgere")
	p.Screenshot("management-drilldown")

	for _, page := range []string{"Henvisninger og kapacitet", "Risiko og progression", "Effekt"} {
		p.Go("/ledelse")
		p.ClickLink(page)
		p.ExpectText("h1", page)
	}
	p.Fill("Fra måned", "2025-06")
	p.Fill("Til og med måned", "2025-01")
	if status := p.Click("Vis tal"); status != http.StatusUnprocessableEntity {
		t.Errorf("a period that ends before it begins: HTTP %d; want 422", status)
	}
	p.ExpectFieldError("Fra måned", "før")
	if got := p.Value("Til og med måned"); got != "2025-01" {
		t.Errorf("the period as typed is lost: %q", got)
	}

	p.Go("/ledelse/strategi")
	p.ClickLink("Opret initiativ")
	p.Fill("Tema", "Sundhed og beskæftigelse")
	p.Fill("Initiativ", "Rygestop i jobcentret")
	p.Choose("Status", "Mindre udfordringer")
	p.Fill("Note til status", "Forsinket af ombygning")
	p.Check("Rygestopforløb – Sundhedscenter Test", true)
	p.Click("Gem initiativ")
	p.ExpectText(".alert", "Initiativet er oprettet.")
	p.ExpectText(".font-lead", "Mindre udfordringer")
	p.Go("/ledelse/strategi/rapport")
	p.ExpectText("main", "Rygestop i jobcentret")
	p.ExpectText("main", "er der henvist 0 borgere til Rygestopforløb")
	p.Screenshot("management-report")
}
