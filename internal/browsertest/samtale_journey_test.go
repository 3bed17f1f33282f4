package browsertest_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// The caseworker's day with the kontaktforløb: the task list says a required samtale is due;
// the caseworker books it, sees it in the week view, holds it and records the outcome (a
// journal note), and the task is gone from the list; makes the calendar feed for Outlook; and
// hands the case over to a colleague, who finds the handover on their task list and the note
// in the journal. Every page is checked with axe.
func TestSamtaleJourney(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "kollega", access.RoleCaseworker, apptest.Jobcenter)
	gone := app.User(t, "gone", access.RoleCaseworker, apptest.Jobcenter)
	a := app.Citizen(t, "010190-2345", "Karen", "Testesen", apptest.Jobcenter, cw.ID)
	ctx := context.Background()
	// Kontanthjælp since 50 days ago: the first of four samtaler was due on day 46.
	today := form.Today(time.Now())
	if _, err := app.Pool.Exec(ctx, `INSERT INTO benefit_periods (citizen_id, benefit_code, start_date) VALUES ($1, 'kontanthjaelp', $2)`,
		a, today.AddDate(0, 0, -50)); err != nil {
		t.Fatal(err)
	}
	// The server's background job generates the tasks (web.Server.GenerateTasks): its run.
	if _, err := app.Store.SyncAllTasks(ctx, store.DefaultTaskRules()); err != nil {
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

	// The samtaler in Outlook: the feed's address is made on the account page, shown once.
	p.Go("/kalender")
	p.ClickLink("Se dine samtaler i Outlook")
	p.ExpectText("main", "Du har ikke noget kalenderfeed.")
	p.Click("Lav kalenderfeed")
	p.ExpectText(".alert", "Dit nye kalenderfeed")

	// The case goes to a colleague with a handover note: first to a disabled user (refused
	// beside the field), then to the colleague, whose task list has the handover.
	p.Go("/borgere/" + strconv.FormatInt(a, 10))
	p.ClickLink("Overdrag sagen")
	p.ExpectText("h1", "Overdrag sagen om Karen Testesen")
	p.Fill("Til sagsbehandler", "Test gone (Jobcenter Test)")
	p.Fill("Overdragelsesnotat", "Karen starter i praktik i januar; ring til hende i uge 2.")
	if _, err := app.Pool.Exec(ctx, `UPDATE users SET disabled_at = now() WHERE id = $1`, gone.ID); err != nil {
		t.Fatal(err)
	}
	p.Click("Overdrag sagen")
	p.ExpectFieldError("Til sagsbehandler", "deaktiveret")
	p.Fill("Til sagsbehandler", "Test kollega (Jobcenter Test)")
	p.Click("Overdrag sagen")
	p.ExpectText(".alert", "er overdraget")
	k := browsertest.Open(t, app.URL)
	k.Login("kollega", apptest.Password)
	k.Go("/opgaver")
	k.ExpectText("#opgaver", "Sagen er overdraget til dig")
	k.ClickLink("Karen Testesen")
	k.ClickLink("Åbn journalen")
	k.ExpectText("main", "ring til hende i uge 2")
}
