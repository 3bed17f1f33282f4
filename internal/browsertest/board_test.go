package browsertest_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// liveLimit is how long a board may take to follow a change in these tests. The app
// promises a second (internal/web's TestBoardUpdatesAcrossInstances measures that on the
// event stream); a browser in a parallel suite on a small CI machine gets headroom.
const liveLimit = 3 * time.Second

// The rehabiliteringsteam's shared screen, open in two browsers at once: the chair moves
// the case on the screen with the board's own buttons, and a member's screen follows
// without reloading; the minute-taker records the team's indstilling on the case page, and
// it appears on the member's screen, again without a reload. Every state of the boards is
// checked with axe (the board has its own large-type layout).
func TestRehabTeamBoard(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newBoardFixture(t, app)

	watcher := browsertest.Open(t, app.URL)
	watcher.Login("nurse", apptest.Password)
	watcher.Go(f.board)
	watcher.ExpectText("#board-focus-h", "Ingen sag på skærmen")
	watcher.ExpectNoText("body", "Næste sag") // only the chair moves the screen
	screen := watcher.Live()

	chair := browsertest.Open(t, app.URL)
	chair.Login("chair", apptest.Password)
	chair.Go(f.board)

	chair.ClickInPlace("Næste sag ›")
	screen.Expect("#board-focus-h", "Anna Andersen", liveLimit)
	screen.Expect(".board-current", "Anna Andersen", liveLimit)
	screen.Expect(".board-picture", "Smerteskole", liveLimit) // the plan, and under consent the screenings
	screen.Expect(".board-picture", "Mellem risiko", liveLimit)
	expectChartText(t, watcher, ".board-picture svg")
	chair.ExpectText("#board-focus-h", "Anna Andersen")

	chair.ClickInPlace("Vis Bent Berg på skærmen")
	screen.Expect("#board-focus-h", "Bent Berg", liveLimit)
	chair.ExpectText("#board-focus-h", "Bent Berg")

	chair.ClickInPlace("‹ Forrige sag")
	screen.Expect("#board-focus-h", "Anna Andersen", liveLimit)
	chair.ExpectText("#board-focus-h", "Anna Andersen")
	chair.CheckA11y()

	minutes := browsertest.Open(t, app.URL)
	minutes.Login("minutes", apptest.Password)
	minutes.Go(f.agenda)
	minutes.ClickLink("Anna Andersen")
	minutes.ExpectText("h1", "Anna Andersen")
	minutes.Choose("Indstilling", "Jobafklaringsforløb")
	minutes.Fill("Begrundelse", "Helbredet er uafklaret; afklaring sammen med praktik.")
	minutes.Click("Gem indstilling")
	minutes.ExpectText("#indstilling + .prep-sections", "Jobafklaringsforløb")

	screen.Expect(".board-indstilling", "Teamets indstilling: Jobafklaringsforløb", liveLimit)
	screen.Expect(".board-indstilling", "Helbredet er uafklaret", liveLimit)
	screen.Expect(".board-agenda", "Indstillet: Jobafklaringsforløb", liveLimit)
	watcher.Screenshot("board")
}

// The shared screen shows what the whole room may see, not what the person logged in on the
// room's PC may see: the chair holds the case and sees everything on their own pages, but the
// region's member has no consent, so the board shows no health section. With "borger til
// stede" the other case on the agenda shows by time and number only.
func TestBoardShowsWhatTheRoomMaySee(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newBoardFixtureConsenting(t, app, apptest.Health) // not the region

	chair := browsertest.Open(t, app.URL)
	chair.Login("chair", apptest.Password)
	chair.Go(f.agenda)
	chair.ClickLink("Anna Andersen")
	chair.ClickLink("Fælles overblik")
	chair.ExpectText("main", "Smerteskole") // on the chair's own screen, the whole case
	chair.ExpectText("main", "Mellem risiko")

	chair.Go(f.board)
	chair.ClickInPlace("Næste sag ›")
	chair.ExpectText("#board-focus-h", "Anna Andersen")
	chair.ExpectText(".board-picture", "Virksomhedspraktik i Netto") // case data shows
	chair.ExpectText(".board-picture", "Helbredsoplysninger vises kun med borgerens samtykke")
	chair.ExpectNoText(".board-picture", "Smerteskole")
	chair.ExpectNoText(".board-picture", "Mellem risiko")
	chair.ExpectNoText(".board-picture", "WHO-5")
	chair.ExpectText(".board-agenda", "Bent Berg")

	chair.ClickInPlace("Borger til stede")
	chair.ExpectText(".board-head", "Borgeren er til stede")
	chair.ExpectNoText(".board-agenda", "Bent Berg")
	chair.ExpectText(".board-agenda", "Sag 2")
	chair.ExpectText(".board-agenda", "Anna Andersen") // the case in focus keeps its name
	chair.CheckA11y()

	chair.ClickInPlace("Vis alle navne")
	chair.ExpectText(".board-agenda", "Bent Berg")
}

// boardFixture is a team of the jobcenter with a meeting tomorrow and two cases on its
// agenda: "chair" (the jobcenter's leader) chairs, "minutes" (the region's
// sundhedskoordinator) takes the minutes, "nurse" (health centre) is a member. The first
// case has what the board shows of a case (see caseOnScreen).
type boardFixture struct {
	board, agenda string // the meeting's shared screen and agenda
	meeting       int64
	cases         []int64 // the agenda's cases, in order
	cw, minutes   store.User
}

func newBoardFixture(t *testing.T, app *apptest.App) boardFixture {
	t.Helper()
	return newBoardFixtureConsenting(t, app, apptest.Health, apptest.Region)
}

// newBoardFixtureConsenting is newBoardFixture with the first case's health consent given to
// the named units only: the shared screen shows health data only when every unit with a
// seat on the team holds one.
func newBoardFixtureConsenting(t *testing.T, app *apptest.App, consentUnits ...string) boardFixture {
	t.Helper()
	ctx := context.Background()
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	chair := app.User(t, "chair", access.RoleManager, apptest.Jobcenter)
	minutes := app.User(t, "minutes", access.RoleRehabTeam, apptest.Region)
	nurse := app.User(t, "nurse", access.RoleHealth, apptest.Health)
	anna := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	bent := app.Citizen(t, "150292-4321", "Bent", "Berg", apptest.Jobcenter, cw.ID)

	lead := store.Who{UserID: chair.ID, RequestID: "test"}
	team, err := app.Store.CreateTeam(ctx, lead, "Rehabiliteringsteam Test", app.Units[apptest.Jobcenter])
	if err != nil {
		t.Fatal(err)
	}
	for u, area := range map[int64]string{chair.ID: "beskaeftigelse", minutes.ID: "sundhedskoordinator", nurse.ID: "sundhed"} {
		if err := app.Store.SetTeamMember(ctx, lead, team, u, area); err != nil {
			t.Fatal(err)
		}
	}
	mid, err := app.Store.CreateMeeting(ctx, lead, store.MeetingInput{TeamID: team, StartsAt: time.Now().Add(24 * time.Hour).Truncate(time.Hour),
		SlotMinutes: 30, Location: "Mødelokale 2", ChairID: chair.ID, MinuteTakerID: minutes.ID})
	if err != nil {
		t.Fatal(err)
	}
	caseOnScreen(t, app, cw, anna, consentUnits...)
	var cases []int64
	for _, c := range []int64{anna, bent} {
		mc, err := app.Store.AddMeetingCase(ctx, store.Who{UserID: cw.ID, RequestID: "test"}, mid, c, "Er jobafklaringsforløb det rette?")
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, mc)
	}
	agenda := "/moeder/" + strconv.FormatInt(mid, 10)
	return boardFixture{board: agenda + "/skaerm", agenda: agenda, meeting: mid, cases: cases, cw: cw, minutes: minutes}
}

// caseOnScreen gives a citizen what the board shows of a case in focus: two screenings (a
// WHO-5 trend), a plan with two efforts, and a consent that lets the named units see the
// health information.
func caseOnScreen(t *testing.T, app *apptest.App, cw store.User, citizen int64, consentUnits ...string) {
	t.Helper()
	ctx := context.Background()
	who := store.Who{UserID: cw.ID, RequestID: "test"}
	now := time.Now()
	var units []int64
	for _, u := range consentUnits {
		units = append(units, app.Units[u])
	}
	if err := app.Store.CreateConsents(ctx, who, store.NewConsent{CitizenID: citizen, Information: store.ConsentHealth,
		UnitIDs: units, Purpose: "Rehabiliteringsteamets behandling", GivenOn: now}); err != nil {
		t.Fatal(err)
	}
	for i, who5 := range [][5]int{{1, 1, 2, 1, 1}, {3, 2, 2, 3, 2}} {
		a := helhed.ScreeningAnswers{Diet: "god", Smoking: helhed.SmokingDaily, DrinksPerWeek: 2, MaxDrinksOneDay: 2, ActiveMinutesPerDay: 15,
			Sleep: helhed.SleepOften, WHO5: who5, SelfHealth: "nogenlunde", WorkImpact: helhed.ImpactShortMedium}
		on := now.AddDate(0, 3*i-6, 0)
		if _, err := app.Store.CreateScreening(ctx, who, citizen, on, a, store.Conditions{Pain: true}, helhed.Score(a, helhed.DefaultRuleSet())); err != nil {
			t.Fatal(err)
		}
	}
	if err := app.Store.CreatePlan(ctx, who, citizen, now, 3); err != nil {
		t.Fatal(err)
	}
	end := now.AddDate(0, 4, 0)
	for _, e := range []store.EffortInput{
		{Title: "Virksomhedspraktik i Netto", Area: "beskaeftigelse", Status: "i_gang", ResponsibleUnitID: app.Units[apptest.Jobcenter],
			StartDate: now.AddDate(0, -1, 0), EndDate: &end},
		{Title: "Smerteskole", Area: "sundhed", Status: "planlagt", ResponsibleUnitID: app.Units[apptest.Health], StartDate: now},
	} {
		v, _, err := app.Store.PlanForOverview(ctx, citizen)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.Store.SaveEffort(ctx, who, citizen, v.Version, 0, e); err != nil {
			t.Fatal(err)
		}
	}
}
