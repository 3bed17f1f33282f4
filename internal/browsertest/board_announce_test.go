package browsertest_test

import (
	"testing"

	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/web"
)

// settled is true when htmx has finished putting in the board's new content: until then the
// new forms are not yet htmx's, and a button pressed in that moment (faster than any person)
// would send its form the JavaScript-free way and reload the page.
const settled = `!document.querySelector(".htmx-swapping, .htmx-settling")`

// activeElement describes where the keyboard focus is, for these tests: the focused
// element's id, or its tag and text.
const activeElement = `((a) => !a || a === document.body ? "body" : a.id ? "#" + a.id : a.tagName.toLowerCase() + " " + a.textContent.replace(/\s+/g, " ").trim())(document.activeElement)`

// When the case on the shared screen changes, a screen reader hears which case it is now,
// and the keyboard focus stays where the user can go on from: on the chair's button that
// moved the screen, on a "Vis …" button that the update replaced, or, when that button is
// gone because its case is now on the screen, on the new case's heading — never back at the
// top of the page.
func TestBoardAnnouncesAndKeepsFocus(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newBoardFixture(t, app)

	watcher := browsertest.Open(t, app.URL)
	watcher.Login("nurse", apptest.Password)
	watcher.Go(f.board)
	watcher.WaitFor("the board's live connection", `!!document.querySelector("#board-live[sse-connect]") && typeof htmx !== "undefined"`)
	if got := watcher.Text("#board-announce"); got != "" {
		t.Errorf("the status region says %q before anything changed", got)
	}
	screen := watcher.Live()

	chair := browsertest.Open(t, app.URL)
	chair.Login("chair", apptest.Password)
	chair.Go(f.board)
	inPlace := chair.Live()

	// The chair moves the screen from the keyboard; the button is outside the live part and
	// keeps the focus.
	chair.TabTo("Næste sag ›", 30)
	chair.Press(browsertest.Enter)
	chair.ExpectText("#board-focus-h", "Anna Andersen")
	chair.ExpectText("#board-announce", "Sag 1 af 2: Anna Andersen")
	chair.ExpectFocus("Næste sag ›")
	inPlace.ExpectSameDocument()
	screen.Expect("#board-announce", "Sag 1 af 2: Anna Andersen", liveLimit)
	if got := watcher.Text("#board-announce"); got != "Sag 1 af 2: Anna Andersen" {
		t.Errorf("the watcher's status region says %q; want the case's place and name only", got)
	}

	// Focus on Bent's "Vis" button, inside the live part: a change that keeps the button
	// (the citizen in the room, from the chair's other screen) puts the focus back on it.
	chair.Go(f.board)
	inPlace = chair.Live()
	chair.TabTo("Vis Bent Berg på skærmen", 10)
	second := browsertest.Open(t, app.URL)
	second.Login("chair", apptest.Password)
	second.Go(f.board)
	second.ClickInPlace("Borger til stede")
	chair.ExpectText(".board-head", "Borgeren er til stede")
	chair.WaitFor("the focus back on the replaced button", activeElement+` === "button Vis Sag 2 på skærmen"`)
	second.ClickInPlace("Vis alle navne")
	chair.ExpectText(".board-agenda", "Bent Berg")
	chair.ExpectFocus("Vis Bent Berg på skærmen")

	// Pressing it shows Bent: the button goes, and the focus moves to the new case's heading.
	chair.WaitFor("the update to settle", settled)
	chair.Press(browsertest.Enter)
	chair.ExpectText("#board-focus-h", "Bent Berg")
	chair.WaitFor("the focus on the new case's heading", activeElement+` === "#board-focus-h"`)
	chair.ExpectText("#board-announce", "Sag 2 af 2: Bent Berg")
	screen.Expect("#board-announce", "Sag 2 af 2: Bent Berg", liveLimit)
	inPlace.ExpectSameDocument()
	chair.CheckA11y()
	chair.CheckConsole()
}
