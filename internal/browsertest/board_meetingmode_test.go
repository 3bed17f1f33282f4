package browsertest_test

import (
	"context"
	"testing"

	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// Meeting mode on the shared screen, in three browsers: the chair puts a case on the screen
// and a member's screen shows its timer counting the agenda's slot, the forberedende del and
// the sundhedskoordinator's advice; the minute-taker records who is in the room on the case
// page and the screens show it; "Teamet drøfter" hides the case on the member's screen live
// until the chair shows it again. Every state is checked with axe.
func TestBoardMeetingMode(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newBoardFixture(t, app)
	ctx := context.Background()
	anna, err := app.Store.MeetingCaseByID(ctx, f.meeting, f.cases[0])
	if err != nil {
		t.Fatal(err)
	}
	cw := store.Who{UserID: f.cw.ID, RequestID: "test"}
	if err := app.Store.SavePreparation(ctx, cw, f.meeting, anna.ID, anna.Version, helhed.Preparation{
		"education": "Uddannet tømrer, 12 år i faget", "wishes": "Vil tilbage til et håndværk"}, false); err != nil {
		t.Fatal(err)
	}
	adv, err := app.Store.RequestHealthAdvice(ctx, cw, anna.CitizenID, app.Units[apptest.Region], "Kan borgeren arbejde stående?")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.GiveHealthAdvice(ctx, store.Who{UserID: f.minutes.ID, RequestID: "test"}, anna.CitizenID, adv, 1, "Skånehensyn: ingen tunge løft"); err != nil {
		t.Fatal(err)
	}

	watcher := browsertest.Open(t, app.URL)
	watcher.Login("nurse", apptest.Password)
	watcher.Go(f.board)
	screen := watcher.Live()

	chair := browsertest.Open(t, app.URL)
	chair.Login("chair", apptest.Password)
	chair.Go(f.board)
	chair.ClickInPlace("Næste sag ›")
	screen.Expect("#board-focus-h", "Anna Andersen", liveLimit)
	screen.Expect(".board-timer-static", "30 min afsat", liveLimit)
	screen.Expect(".board-timer-count", "min tilbage", liveLimit) // the script counts
	screen.Expect(".board-prep", "Uddannet tømrer, 12 år i faget", liveLimit)
	screen.Expect(".board-prep", "Vil tilbage til et håndværk", liveLimit) // health: the room holds consent
	screen.Expect(".board-advice", "Skånehensyn: ingen tunge løft", liveLimit)

	minutes := browsertest.Open(t, app.URL)
	minutes.Login("minutes", apptest.Password)
	minutes.Go(f.agenda)
	minutes.ClickLink("Anna Andersen")
	minutes.Check("Borgeren er til stede", true)
	minutes.Check("Borgerens bisidder er til stede", true)
	minutes.Click("Gem fremmøde")
	minutes.ExpectText("#fremmoede + dl", "Borgeren: til stede · Bisidder: til stede")
	minutes.CheckA11y()
	screen.Expect(".board-attendance", "Borgeren: til stede · Bisidder: til stede · Teamet: 0 af 3", liveLimit)
	watcher.CheckA11y()

	chair.ClickInPlace("Teamet drøfter")
	screen.Expect("#board-focus-h", "Teamet drøfter sagen", liveLimit)
	watcher.ExpectNoText("section[aria-labelledby=board-focus-h]", "Er jobafklaringsforløb det rette?")
	watcher.ExpectNoText("section[aria-labelledby=board-focus-h]", "Uddannet tømrer")
	watcher.ExpectNoText("section[aria-labelledby=board-focus-h]", "Skånehensyn")
	watcher.ExpectText(".board-timer", "30 min afsat")
	watcher.CheckA11y()

	chair.ClickInPlace("Vis sagen igen")
	screen.Expect("#board-focus-h", "Anna Andersen", liveLimit)
	screen.Expect(".board-prep", "Uddannet tømrer", liveLimit)
	chair.CheckA11y()
	watcher.CheckConsole()
	watcher.Screenshot("board-meeting-mode")
}

// Without JavaScript the timer is a plain sentence: when the case came on the screen and how
// long the agenda gives it.
func TestBoardTimerWithoutJS(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newBoardFixture(t, app)
	chair := browsertest.Open(t, app.URL, browsertest.WithoutJS())
	chair.Login("chair", apptest.Password)
	chair.Go(f.board)
	chair.Click("Næste sag ›")
	chair.ExpectText("#board-focus-h", "Anna Andersen")
	chair.ExpectText(".board-timer", "Startet kl.")
	chair.ExpectText(".board-timer", "30 min afsat")
	chair.Click("Teamet drøfter")
	chair.ExpectText("#board-focus-h", "Teamet drøfter sagen")
	chair.Click("Vis sagen igen")
	chair.ExpectText("#board-focus-h", "Anna Andersen")
}
