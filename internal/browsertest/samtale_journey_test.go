package browsertest_test

import (
	"context"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/web"
)

// The caseworker's day with the kontaktforløb: the task list says a required samtale is due;
// the caseworker books it, sees it in the week view, holds it and records the outcome (a
// journal note), and the task is gone from the list. Every page is checked with axe.
func TestSamtaleJourney(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	a := app.Citizen(t, "010190-2345", "Karen", "Testesen", apptest.Jobcenter, cw.ID)
	ctx := context.Background()
	// Kontanthjælp since 50 days ago: the first of four samtaler was due on day 46.
	today := form.Today(time.Now())
	if _, err := app.Pool.Exec(ctx, `INSERT INTO benefit_periods (citizen_id, benefit_code, start_date) VALUES ($1, 'kontanthjaelp', $2)`,
		a, today.AddDate(0, 0, -50)); err != nil {
		t.Fatal(err)
	}
	p := browsertest.Open(t, app.URL)
	p.Login("cw", apptest.Password)

	p.Go("/opgaver")
	p.ExpectText("#opgaver", "Lovpligtig samtale i kontaktforløbet")
	p.ExpectText("#opgaver", "Overskredet")
	p.ClickLink("Karen Testesen")
	p.ExpectText("#samtaler", "Næste samtale er overskredet")

	p.ClickLink("Book samtale")
	p.ExpectText("h1", "Book samtale med Karen Testesen")
	tomorrow := today.AddDate(0, 0, 1)
	p.Fill("Dato", tomorrow.Format(time.DateOnly))
	p.Fill("Klokkeslæt", "10:00")
	p.Fill("Varighed i minutter", "0")
	p.Click("Gem samtale")
	p.ExpectFieldError("Varighed i minutter", "Skal være et helt tal fra 1")
	p.Fill("Varighed i minutter", "45")
	p.Fill("Sted", "Mødelokale 2")
	p.Click("Gem samtale")
	p.ExpectText(".alert", "Samtalen er booket.")
	samtale := p.Path()

	p.Go("/kalender?uge=" + helhed.ISOWeek(tomorrow))
	p.ExpectText("main table", "Karen Testesen")
	p.ExpectText("main table", "Mødelokale 2")
	p.ExpectText("main table", "Booket")

	// The samtale's time comes: it began five minutes ago.
	if _, err := app.Pool.Exec(ctx, `UPDATE samtaler SET starts_at = now() - interval '5 minutes', ends_at = now() + interval '40 minutes'
		WHERE citizen_id = $1`, a); err != nil {
		t.Fatal(err)
	}
	p.Go(samtale)
	p.Choose("Hvad skete der?", "Samtalen er holdt")
	p.Fill("Udfald (journalnotat)", "Jobsamtale: Karen søger lagerjob og starter i praktik i januar.")
	p.Click("Gem udfald")
	p.ExpectText(".alert", "Udfaldet er gemt og skrevet i journalen.")
	p.ExpectText("main dl", "Afholdt")
	p.ClickLink("Se udfaldet i journalen")
	p.ExpectText("main", "Karen søger lagerjob")

	p.Go("/kalender")
	p.ExpectText("main table", "Afholdt")
	p.Go("/opgaver")
	p.ExpectNoText("main", "Lovpligtig samtale i kontaktforløbet")
	p.ExpectText("main", "Du har ingen åbne opgaver.")
}
