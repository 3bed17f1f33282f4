package browsertest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// postTeamRecords gives citizen a the samlet beskrivelse and the sundhedskoordinator's advice
// through the store, for journeys about something else that record a fleksjob indstilling.
func postTeamRecords(t *testing.T, app *apptest.App, a int64, cw, coordinator store.User) {
	t.Helper()
	ctx := context.Background()
	if _, err := app.Store.SaveDescription(ctx, store.Who{UserID: cw.ID}, a, 0, helhed.Preparation{"health": "Kroniske rygsmerter"}); err != nil {
		t.Fatal(err)
	}
	id, err := app.Store.RequestHealthAdvice(ctx, store.Who{UserID: cw.ID}, a, app.Units[apptest.Region], "Hvilke skånehensyn?")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.GiveHealthAdvice(ctx, store.Who{UserID: coordinator.ID}, a, id, 1, "Ingen tunge løft"); err != nil {
		t.Fatal(err)
	}
}

// The post-team journey (lov nr. 1750): the team's fleksjob indstilling is refused while the
// case lacks the records; the caseworker writes the samlet beskrivelse from its pre-filled
// draft and asks the region; the sundhedskoordinator answers in a second browser; then the
// indstilling and the caseworker's fleksjob afgørelse are recorded. Every page is checked with
// axe as it loads.
func TestPostTeamRecordsBeforeFleksjobDecision(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	ctx := context.Background()
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	member := app.User(t, "member", access.RoleRehabTeam, apptest.Region)
	anna := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	w := store.Who{UserID: cw.ID, RequestID: "test"}
	// Sygedagpenge before the kontanthjælp apptest.Citizen gives her (seven months ago): one
	// forsørgelsesydelse at a time.
	sdpEnd := time.Date(2025, 9, 30, 0, 0, 0, 0, time.UTC)
	if _, err := app.Store.AddBenefitPeriod(ctx, w, store.BenefitPeriod{CitizenID: anna, BenefitCode: "sygedagpenge",
		StartDate: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), EndDate: &sdpEnd}); err != nil {
		t.Fatal(err)
	}
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
	mcid, err := app.Store.AddMeetingCase(ctx, w, mid, anna, "Fleksjob?")
	if err != nil {
		t.Fatal(err)
	}
	casePath := paths.MeetingCase(mid, mcid)
	// The citizen lets health information reach the region's sundhedskoordinator.
	if err := app.Store.CreateConsents(ctx, w, store.NewConsent{CitizenID: anna, Information: store.ConsentHealth,
		UnitIDs: []int64{app.Units[apptest.Region]}, Purpose: "Sundhedsfaglig rådgivning", GivenOn: app.Store.Now()}); err != nil {
		t.Fatal(err)
	}

	coord := browsertest.Open(t, app.URL)
	coord.Login("member", apptest.Password)
	coord.Go(casePath)
	coord.ExpectText(".post-team", "Sagen mangler")
	coord.Choose("Indstilling", "Fleksjob")
	coord.Fill("Begrundelse", "Arbejdsevnen er varigt og væsentligt nedsat.")
	coord.Click("Gem indstilling")
	coord.ExpectText("#outcome-error", "Sagen mangler: samlet beskrivelse af borgerens forudsætninger og sundhedsfaglig rådgivning")

	p := browsertest.Open(t, app.URL)
	p.Login("cw", apptest.Password)
	p.Go(paths.Citizen(anna))
	p.ExpectText("#forudsaetninger", "Der er ikke skrevet en samlet beskrivelse")
	p.ClickLink("Skriv samlet beskrivelse")
	p.ExpectText(".alert-info", "Udkastet er udfyldt")
	if got := p.Value("Forsørgelseshistorik"); !strings.Contains(got, "Sygedagpenge: 1. marts 2025–") {
		t.Errorf("the pre-filled benefit history: %q", got)
	}
	p.Fill("Helbredsforhold og dokumentation", "Diskusprolaps, opereret 2025; kan ikke løfte.")
	p.Fill("Borgerens ønsker og mål", "Vil gerne arbejde nogle timer om ugen.")
	p.Click("Gem beskrivelsen")
	p.ExpectText(".alert-success", "samlede beskrivelse")
	p.ExpectText("#forudsaetninger", "Diskusprolaps, opereret 2025")
	p.ClickLink("Anmod om sundhedsfaglig rådgivning")
	p.Fill("Spørgsmål til sundhedskoordinatoren", "Hvor mange timer om ugen kan borgeren arbejde, og med hvilke skånehensyn?")
	p.Click("Send anmodningen")
	p.ExpectText("#forudsaetninger", "Afventer sundhedskoordinatorens rådgivning")

	coord.Go(paths.Citizen(anna))
	coord.ClickLink("Giv rådgivning")
	coord.ExpectText("main", "Hvor mange timer om ugen")
	coord.ExpectText("main", "Diskusprolaps, opereret 2025") // under the citizen's health consent to the region
	coord.Fill("Sundhedsfaglig rådgivning", "12 timer om ugen med pauser; ingen tunge løft.")
	coord.Click("Gem rådgivningen")
	coord.ExpectText(".alert-success", "rådgivning er gemt")
	coord.Go(casePath)
	coord.ExpectNoText("main", "Sagen mangler")
	coord.Choose("Indstilling", "Fleksjob")
	coord.Fill("Begrundelse", "Arbejdsevnen er varigt og væsentligt nedsat.")
	coord.Click("Gem indstilling")
	coord.ExpectText(".alert-success", "Indstillingen er gemt")

	p.Go(casePath)
	p.ClickLink("Træf afgørelse")
	p.ExpectNoText("main", "Sagen mangler")
	p.Choose("Afgørelse", "Fleksjob")
	p.Fill("Begrundelse", "LAB § 116: arbejdsevnen er varigt og væsentligt nedsat; sundhedskoordinatoren anbefaler 12 timer.")
	p.Fill("Begrundelse for at undlade partshøring", "Afgørelsen giver borgeren fuldt medhold.")
	p.Click("Registrér afgørelse")
	p.ExpectText(".alert-success", "Afgørelsen er registreret")
	p.Go(paths.Citizen(anna))
	p.ExpectText("#forudsaetninger", "12 timer om ugen med pauser")
}
