package browsertest_test

import (
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// Borgerens egen vurdering in a browser (axe on every page): the caseworker opens the form,
// sends it without an answer (the error is beside the question), chooses the citizen's answer
// and sees it in the list.
func TestSelfRatingJourney(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "010180-1234", "Anna", "Andersen", apptest.Jobcenter, cw.ID)

	p := browsertest.Open(t, app.URL)
	p.Login("cw", apptest.Password)
	p.Go(paths.SelfRating(id))
	p.ExpectText("h1", "Borgerens egen vurdering")
	p.ExpectText("main", "Borgeren har ikke svaret endnu.")
	p.Click("Gem borgerens svar")
	p.ExpectText(".form-error-message", "Vælg en af mulighederne")
	p.Choose(helhed.SelfRatingQuestion, "Noget bedre")
	p.Click("Gem borgerens svar")
	p.ExpectText(".alert", "Borgerens svar er gemt.")
	p.ExpectText(".self-rating", "Noget bedre")
}
