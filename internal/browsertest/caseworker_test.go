package browsertest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/web"
)

// The caseworker's day, as far as it is built: the caseload, creating a
// citizen (a bad CPR number is explained beside the field and nothing typed
// is lost), the citizen overview with the masked CPR number, a deliberate
// reveal of the full number, a new benefit period, and a journal note found
// again on the timeline by the Danish search.
func TestCaseworkerJourney(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.Citizen(t, "020385-1233", "Ole", "Eksisterende", apptest.Jobcenter, cw.ID)
	p := browsertest.Open(t, app.URL)

	p.Login("cw", apptest.Password)
	p.WaitURL("/borgere")
	p.ExpectText("h1", "Mine borgere")
	p.ExpectText("main table", "Ole Eksisterende")
	p.ExpectText("main table", "020385-XXXX")
	p.ExpectNoText("body", "020385-1233")
	p.Screenshot("caseload")

	p.ClickLink("Opret borger")
	p.ExpectText("h1", "Opret borger")
	typed := map[string]string{"Fornavn(e)": "Karen", "Efternavn": "Testesen", "Adresse": "Algade 12", "Postnummer": "4640", "By": "Faxe"}
	p.Fill("CPR-nummer", "311399-1234")
	for _, label := range []string{"Fornavn(e)", "Efternavn", "Adresse", "Postnummer", "By"} {
		p.Fill(label, typed[label])
	}
	if status := p.Click("Opret borger"); status != http.StatusUnprocessableEntity {
		t.Errorf("bad CPR: HTTP %d; want 422", status)
	}
	p.ExpectFieldError("CPR-nummer", "CPR-nummerets dato findes ikke")
	p.ExpectText(".error-summary", "CPR-nummerets dato findes ikke")
	if got := p.Value("CPR-nummer"); got != "311399-1234" {
		t.Errorf("CPR-nummer after the error = %q; want what was typed", got)
	}
	for label, want := range typed {
		if got := p.Value(label); got != want {
			t.Errorf("%s after the error = %q; want %q kept", label, got, want)
		}
	}

	p.Fill("CPR-nummer", "010190-2345")
	p.Click("Opret borger")
	overview := p.WaitURL("/borgere/")
	p.ExpectText("h1", "Karen Testesen")
	p.ExpectText(".alert", "Borgeren er oprettet.")
	p.ExpectText(".citizen-header", "010190-XXXX")
	p.ExpectNoText("body", "010190-2345")

	p.ClickLink("Mine borgere")
	p.ExpectText("main table", "Karen Testesen")
	p.ExpectText("main table", "Ole Eksisterende")
	p.ClickLink("Karen Testesen")
	if got := p.Path(); got != overview {
		t.Errorf("the caseload links to %s; the new citizen is %s", got, overview)
	}

	p.Click("Vis fuldt CPR-nummer")
	p.ExpectText(".citizen-header", "010190-2345")
	if strings.Contains(p.Path(), "2345") {
		t.Errorf("the full CPR number is in the address: %s", p.Path())
	}

	p.Toggle("Tilføj ydelsesforløb")
	p.Fill("Ydelse", "Sygedagpenge")
	p.Fill("Startdato", time.Now().AddDate(0, -2, 0).Format(time.DateOnly))
	p.Click("Gem ydelsesforløb")
	p.WaitURL(overview)
	p.ExpectText(".alert", "Ydelsesforløbet er gemt.")
	p.ExpectText("#ydelser-h + [role=region] table", "Sygedagpenge")
	p.ExpectNoText("body", "010190-2345") // masked again after the reveal

	// The journal: a note written from the citizen page lands on the timeline, and the
	// Danish search finds it by another form of the word. Every page is checked with axe.
	p.ClickLink("Skriv notat")
	p.ExpectText("h1", "Skriv notat")
	p.Fill("Notattype", "Samtale")
	p.Fill("Notat", "Første samtale: Karen vil gerne i praktik i en butik.")
	p.Click("Gem notat")
	p.WaitURL(overview + "/journal")
	p.ExpectText(".alert", "Notatet er gemt.")
	p.ExpectText("ol.timeline", "Første samtale: Karen vil gerne i praktik i en butik.")
	p.ExpectText("ol.timeline", "Skrevet af Test cw")
	p.Fill("Søg i notaternes tekst", "samtaler")
	p.Click("Søg")
	p.ExpectText(".result-count", "1 notat")
	p.ExpectText("ol.timeline", "Karen vil gerne i praktik")
}
