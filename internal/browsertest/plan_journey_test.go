package browsertest_test

import (
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/web"
)

// The caseworker's journey from where TestCaseworkerJourney leaves it — a citizen on a
// benefit — to a plan the citizen takes home: the consent to share health information with
// the health centre, a screening and its result with the rules that fired, a TFA written
// with the health centre and concluded, the plan it opens with two efforts running in
// parallel, a referral to a health offer, a follow-up with scores per goal, and the print
// for the citizen. Every page is checked with axe.
func TestCaseworkerPlanJourney(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	app.Citizen(t, "010190-2345", "Karen", "Testesen", apptest.Jobcenter, cw.ID)
	app.Offer(t, "Rygestopforløb", apptest.Health, []string{"mellem"}, []string{"rygning"})
	today := time.Now()
	p := browsertest.Open(t, app.URL)

	p.Login("cw", apptest.Password)
	p.ClickLink("Karen Testesen")
	p.ExpectText("h1", "Karen Testesen")
	citizen := p.Path()

	// Health information reaches the health centre only under a recorded consent.
	p.Toggle("Registrér samtykke")
	p.Fill("Oplysninger", "Helbredsoplysninger")
	p.Check(apptest.Health, true)
	p.Fill("Formål", "Koordinering af helhedsorienteret indsats og henvisning til sundhedstilbud")
	p.Click("Registrér samtykke")
	p.ExpectText(".alert", "Samtykket er registreret.")
	p.ExpectText("#samtykker table", "Gældende")

	p.ClickLink("Ny screening")
	p.ExpectText("h1", "Ny screening")
	fillScreening(p, mediumRisk)
	p.Click("Beregn og gem screening")
	p.ExpectText(".alert", "Risikogruppe: Mellem")
	p.ExpectText(".screening-result .font-lead", "Mellem risiko")
	for _, rule := range []string{
		"Helbredsudfordringen påvirker arbejde på kort/mellemlang sigt – afgørende for gruppen Mellem",
		"WHO-5 = 40 ≤ 50: nedsat trivsel",
		"2 KRAMS-risici (rygning, motion)",
	} {
		p.ExpectText(".fired-rules", rule)
	}
	p.ExpectText(".screening-result", "Rygestopforløb") // the suggested offer, and why
	p.ExpectText("table.suggestions", "Foreslået fordi: Rygning: ryger dagligt")
	p.ExpectText(".screening-result", "BMI: 23,0 (normalvægt)")
	p.ExpectText(".screening-result", "Selvvurderet helbred Mindre godt")
	p.Screenshot("screening-result")

	p.ClickLink("← Karen Testesen")
	p.ExpectText("#screeninger table", "Mellem risiko")
	p.ExpectText(".citizen-header", "Mellem risiko · Kontanthjælp i 7 mdr.")
	expectChartText(t, p, "main svg")
	p.ClickLink("Start TFA")
	p.Click("Start TFA")
	p.ExpectText("h1", "Tværfaglig funktionsevneanalyse, version 1")
	p.ExpectText("#deltagere .alert", "sundhedsfaglig deltager")
	p.Fill("Fagperson", "Test sund – "+apptest.Health+" (Sundhedsmedarbejder)")
	p.Fill("Profession", "Sygeplejerske")
	p.Click("Tilføj deltager")
	p.ExpectText("#deltagere table", "Sygeplejerske")
	// Each section is saved on its own (another profession may be writing another one).
	p.Within("Fysiske lidelser", func() {
		p.Choose("Relevans for Fysiske lidelser", "Relevant")
		p.Fill("Beskrivelse", "Rygsmerter efter arbejdsskade")
		p.Fill("Betydning for arbejdsevnen", "Kan ikke løfte over 10 kg")
	})
	p.Click("Gem afsnittet Sundhed")
	p.ExpectText(".alert", "Afsnittet Sundhed er gemt.")
	p.Within("Uddannelse", func() {
		p.Fill("Ressourcer", "Faglært lagerarbejder")
	})
	p.Click("Gem afsnittet Beskæftigelse og ressourcer")
	p.ExpectText(".alert", "Afsnittet Beskæftigelse og ressourcer er gemt.")
	p.Fill("Borgerens mål med borgerens egne ord", "Jeg vil have et job på et lager\nSove bedre")
	p.Fill("Samlet konklusion", "Parallelle indsatser: sundhed og virksomhedspraktik")
	p.Click("Gem afsnittet Borgerens mål og konklusion")
	p.ExpectText(".alert", "Afsnittet Borgerens mål og konklusion er gemt.")
	p.Click("Afslut TFA")

	// Concluding opens the plan with the citizen's goals.
	p.WaitURL(citizen + "/plan")
	p.ExpectText("h1", "Indsatsplan for Karen Testesen")
	p.ExpectText(".plan-goals", "Sove bedre")
	addEffort(p, effort{title: "Virksomhedspraktik", area: "Beskæftigelse", unit: apptest.Jobcenter, person: "Kim Jensen",
		start: today, end: today.AddDate(0, 3, 0)})
	addEffort(p, effort{title: "Rygestop og motion", area: "Sundhed", unit: apptest.Health, person: "",
		start: today.AddDate(0, 1, 0), end: today.AddDate(0, 4, 0)})
	expectParallel(t, p, "Virksomhedspraktik", "Rygestop og motion")
	p.ExpectText(".effort-table", "Jobcenter Test, Kim Jensen")

	// A referral to a health offer needs the consent above and the citizen's acceptance.
	p.ClickLink("Tilbage til Karen Testesen")
	p.ClickLink("Henvis til tilbud")
	p.Fill("Tilbud", "Rygestopforløb – "+apptest.Health+" (10 ledige pladser)")
	p.Fill("Besked til udbyderen", "Ryger 20 om dagen og vil gerne stoppe")
	p.Check("Borgeren har accepteret henvisningen", true)
	p.Click("Send henvisning")
	p.ExpectText("h1", "Henvisning til Rygestopforløb")
	p.ExpectText(".font-lead", "Sendt")

	p.ClickLink("Karen Testesen")
	p.ExpectText("[aria-labelledby=henvisninger-h]", "Rygestopforløb")
	p.Screenshot("citizen") // the overview with everything the journey added
	p.ClickLink("Åbn indsatsplan")
	p.Toggle("Registrér opfølgning")
	p.Fill("Dato", today.Format(time.DateOnly))
	p.Fill("Progression: Jeg vil have et job på et lager", "4")
	p.Fill("Progression: Sove bedre", "6")
	p.Fill("Note", "Praktikken er i gang; sover bedre efter motion.")
	p.Click("Gem opfølgning")
	p.ExpectText(".follow-up-table", "Praktikken er i gang")
	p.ExpectText(".follow-up-table tbody tr", "4 6")
	expectChartText(t, p, "main svg")
	p.Screenshot("plan")

	p.ClickLink("Udskriv til borgeren")
	p.ExpectText("h1", "Din indsatsplan, Karen Testesen")
	p.ExpectText("main, body", "010190-XXXX")
	p.ExpectNoText("body", "010190-2345")
	p.ExpectText(".plan-print table", "Virksomhedspraktik")
	p.ExpectText(".plan-print table", "Rygestop og motion")
	p.ExpectText(".plan-print", "Sove bedre")
}

// effort is an indsats as typed into the plan's effort form.
type effort struct {
	title, area, unit, person string
	start, end                time.Time
}

// addEffort adds e to the plan through the effort form and checks it is listed.
func addEffort(p *browsertest.Page, e effort) {
	p.ClickLink("Tilføj indsats")
	p.Fill("Indsats", e.title)
	p.Fill("Område", e.area)
	p.Fill("Status", "Planlagt")
	p.Fill("Ansvarlig enhed", e.unit)
	if e.person != "" {
		p.Fill("Ansvarlig person", e.person)
	}
	p.Fill("Startdato", e.start.Format(time.DateOnly))
	p.Fill("Slutdato", e.end.Format(time.DateOnly))
	p.Click("Gem indsats")
	p.ExpectText(".effort-table", e.title)
}

// expectParallel checks that the plan's timeline draws the efforts a and b as bars in
// different rows whose spans overlap: running in parallel, as the timeline promises to show.
func expectParallel(t *testing.T, p *browsertest.Page, a, b string) {
	t.Helper()
	bars := browsertest.Eval[map[string]struct{ Left, Right, Top float64 }](p, `Object.fromEntries(
		[...document.querySelectorAll("#indsatser svg.timeline-svg rect")].map((r, i) => {
			const label = document.querySelectorAll("#indsatser svg.timeline-svg .timeline-label")[i].textContent;
			const b = r.getBoundingClientRect();
			return [label, {left: b.left, right: b.right, top: b.top}];
		}))`)
	ba, oka := bars[a]
	bb, okb := bars[b]
	switch {
	case !oka || !okb:
		t.Fatalf("the timeline lacks a bar for %q or %q: %v", a, b, bars)
	case ba.Top == bb.Top:
		t.Errorf("the bars of %q and %q share a row", a, b)
	case ba.Right <= bb.Left || bb.Right <= ba.Left:
		t.Errorf("the bars of %q (%v–%v) and %q (%v–%v) do not overlap in time", a, ba.Left, ba.Right, b, bb.Left, bb.Right)
	}
}
