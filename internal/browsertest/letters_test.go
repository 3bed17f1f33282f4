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
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// The case record, as the caseworker keeps it through the pages: a journal note, a lægeattest
// filed on the case, a partshøring on the case the team has given its indstilling on and the
// partshøring letter sent from it — in the outbox, as a document and as a journal note — the
// citizen's reply, the afgørelse and the afgørelse letter. Every page is checked with axe as
// it loads.
func TestCaseRecordJourney(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	ctx := context.Background()
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	member := app.User(t, "member", access.RoleRehabTeam, apptest.Region)
	a := app.Citizen(t, "020385-1233", "Søren Ærø", "Østergård", apptest.Jobcenter, cw.ID)
	w := store.Who{UserID: cw.ID, RequestID: "test"}
	team, err := app.Store.CreateTeam(ctx, w, "Rehabiliteringsteam Test", app.Units[apptest.Jobcenter])
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SetTeamMember(ctx, w, team, member.ID, "sundhedskoordinator"); err != nil {
		t.Fatal(err)
	}
	mid, err := app.Store.CreateMeeting(ctx, w, store.MeetingInput{TeamID: team, StartsAt: time.Now().Add(24 * time.Hour).Truncate(time.Hour),
		SlotMinutes: 30, ChairID: member.ID, MinuteTakerID: member.ID})
	if err != nil {
		t.Fatal(err)
	}
	mcid, err := app.Store.AddMeetingCase(ctx, w, mid, a, "Fleksjob?")
	if err != nil {
		t.Fatal(err)
	}
	postTeamRecords(t, app, a, cw, member) // a fleksjob indstilling needs them (lov nr. 1750)
	if err := app.Store.RecordIndstilling(ctx, store.Who{UserID: member.ID}, mid, mcid, 1,
		helhed.Indstilling{Outcome: "fleksjob", Reasons: "Arbejdsevnen er varigt nedsat"}); err != nil {
		t.Fatal(err)
	}
	overview := paths.Citizen(a)
	casePath := paths.MeetingCase(mid, mcid)

	p := browsertest.Open(t, app.URL)
	p.Login("cw", apptest.Password)

	// A journal note from the citizen page.
	p.Go(overview)
	p.ClickLink("Skriv notat")
	p.Fill("Notattype", "Samtale")
	p.Fill("Notat", "Søren fortæller, at han har fået en ny lægeattest.")
	p.Click("Gem notat")
	p.ExpectText(".alert", "Notatet er gemt.")
	p.ExpectText("ol.timeline", "Søren fortæller, at han har fået en ny lægeattest.")

	// The lægeattest, filed on the case.
	p.Go(overview)
	p.ClickLink("Tilføj dokument")
	p.Fill("Titel", "Lægeattest fra egen læge")
	p.Fill("Dokumenttype", "Lægeattest")
	p.Attach("Fil", "testdata/laegeattest.pdf")
	p.Click("Gem dokument")
	p.ExpectText(".alert", "Dokumentet er gemt.")
	p.ExpectText("main table", "Lægeattest fra egen læge")

	// The partshøring on the case with the team's indstilling, and its letter.
	p.Go(casePath)
	p.ClickLink("Registrér partshøring")
	p.Fill("Borgeren høres om", "Lægeattest fra egen læge om arbejdsevnen")
	p.Click("Registrér partshøring")
	p.ExpectText(".alert-success", "Partshøringen er registreret")
	p.ClickLink("Send partshøringsbrev")
	p.ExpectText("h1", "Partshøring")
	if got := p.Value("De oplysninger, vi lægger vægt på"); got != "Lægeattest fra egen læge om arbejdsevnen" {
		t.Errorf("the letter's basis: %q; want the partshøring's", got)
	}
	p.Fill("Overskrift", "Partshøring før afgørelse om fleksjob")
	p.Click("Send brevet")
	p.WaitURL(paths.Letters(a))
	p.ExpectText(".alert-success", "Brevet er gemt på sagen med et journalnotat")
	p.ExpectText("main table", "Partshøring før afgørelse om fleksjob")
	p.ExpectText("main table", "Lagt i udbakken – afventer afsendelse via Digital Post")
	p.ExpectNoText("main table", "Afsendt")
	p.Screenshot("letters-outbox")
	p.ClickLink("← Tilbage til Søren Ærø Østergård")
	p.ExpectText("#breve", "Breve til borgeren (1)")
	p.ExpectText("#breve", "1 af brevene afventer afsendelse i udbakken")
	p.ExpectText("#dokumenter", "Partshøring før afgørelse om fleksjob")
	p.Go(paths.Journal(a))
	p.ExpectText("ol.timeline", "Brev til borgeren lagt i udbakken til Digital Post: Partshøring før afgørelse om fleksjob")

	// The citizen's reply, the afgørelse and its letter.
	p.Go(casePath)
	p.ClickLink("Registrér svar")
	p.Choose("Resultat", "Borgeren har svaret")
	p.Fill("Svar modtaget den", form.Today(time.Now()).Format(time.DateOnly))
	p.Fill("Resumé af borgerens svar", "Søren er enig i vurderingen.")
	p.Click("Gem")
	p.ExpectText("main", "Svar modtaget")
	p.ClickLink("Træf afgørelse")
	p.Choose("Afgørelse", "Fleksjob")
	p.Fill("Begrundelse", "LAB § 116: arbejdsevnen er varigt og væsentligt nedsat.")
	p.Click("Registrér afgørelse")
	p.ExpectText(".alert-success", "Afgørelsen er registreret")
	p.ClickLink("Send afgørelsesbrev")
	p.ExpectText("h1", "Afgørelse")
	if got := p.Value("Klagevejledning"); got == "" {
		t.Error("the afgørelse letter has no klagevejledning")
	}
	p.ExpectText("main", "Afgørelsen følger indstillingen")
	p.Click("Send brevet")
	p.WaitURL(paths.Letters(a))
	p.ExpectText(".result-count", "2 breve")
	p.ExpectText("main table", "Afgørelse om fleksjob")
	p.ExpectNoText("main table", "Afsendt")
	p.Go(paths.Journal(a))
	p.ExpectText("ol.timeline", "Afgørelse om fleksjob")

	// The letters are in the outbox the integration reads.
	out, err := app.Store.Outbox(ctx, store.Who{RequestID: "test"}, 10)
	if err != nil || len(out) != 2 || out[0].CitizenID != a {
		t.Fatalf("outbox %+v (%v)", out, err)
	}
}
