package browsertest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/oidcauth"
	"github.com/helhed/helhed/internal/oidctest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// The citizen's own Helhed on a phone (390×844), axe on every page: the citizen logs in with
// MitID through the municipality's broker (a real OpenID provider in the test process, its
// login page typed into like the broker's), reads their plan, answers WHO-5 before their
// samtale (a missing answer is shown beside its question), withdraws a consent and logs out,
// at the broker too. Nothing on any page is cut off at that width.
func TestCitizenJourneyOnAPhone(t *testing.T) {
	t.Parallel()
	broker := oidctest.New(t)
	pool, _ := testdb.New(t)
	app := apptest.NewOnPoolAt(t, pool, func(base string) web.Config {
		broker.AddClient("helhed-mitid", "hemmelig", []string{base + paths.SelfMitIDReturn}, []string{base + paths.SelfSignIn})
		return web.Config{CitizenOIDC: &web.CitizenOIDC{Config: oidcauth.Config{Issuer: broker.Issuer, ClientID: "helhed-mitid",
			ClientSecret: "hemmelig", RedirectURL: base + paths.SelfMitIDReturn, PostLogoutRedirectURL: base + paths.SelfSignIn,
			Scopes: []string{"ssn"}, UserInfo: true}}}
	})
	// As the Signaturgruppen broker gives them: the level in the ID token, the CPR number at
	// the UserInfo endpoint.
	broker.SetUser("anna", oidctest.User{Subject: "mitid-anna", Claims: map[string]any{"loa": "https://data.gov.dk/concept/core/nsis/Substantial"},
		UserinfoClaims: map[string]any{"dk.cpr": "0203851233"}})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	ctx := context.Background()
	w := store.Who{UserID: cw.ID, RequestID: "test"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(app.Store.CreatePlan(ctx, w, id, app.Store.Now(), 3))
	must(app.Store.SavePlanGoals(ctx, w, id, 1, "Jeg vil arbejde i en børnehave", []store.GoalInput{{Text: "Sove bedre om natten"}}))
	_, err := app.Store.SaveEffort(ctx, w, id, 2, 0, store.EffortInput{Title: "Praktik i børnehaven Solsikken", Area: "beskaeftigelse",
		Status: "planlagt", ResponsibleUnitID: app.Units[apptest.Jobcenter], StartDate: app.Store.Now()})
	must(err)
	_, err = app.Store.BookSamtale(ctx, w, id, store.SamtaleInput{StartsAt: app.Store.Now().Add(48 * time.Hour),
		EndsAt: app.Store.Now().Add(49 * time.Hour), Form: "fysisk", Place: "Jobcentret"})
	must(err)
	must(app.Store.CreateConsents(ctx, w, store.NewConsent{CitizenID: id, Information: store.ConsentHealth,
		UnitIDs: []int64{app.Units[apptest.Health]}, Purpose: "Forløb i sundhedscentret", GivenOn: app.Store.Now()}))

	p := browsertest.Open(t, app.URL)
	p.SetViewport(390, 844)
	noCutOff := func(where string) {
		t.Helper()
		if cut := p.CutOff(); len(cut) > 0 {
			t.Errorf("%s at 390 px: cut off: %s", where, strings.Join(cut, "; "))
		}
	}
	p.Go(paths.SelfSignIn)
	p.ExpectText("h1", "Mit Helhed")
	noCutOff("the sign-in")
	p.ClickLink("Log ind med MitID")
	p.ExpectText("h1", "Test-IdP")
	p.Fill("Brugernavn", "anna")
	if status := p.Click("Fortsæt"); status != http.StatusOK {
		t.Fatalf("after the broker: HTTP %d at %s", status, p.Path())
	}
	p.WaitURL(paths.SelfHome)
	if got := p.Path(); got != paths.SelfHome {
		t.Fatalf("after MitID login: %s", got)
	}
	p.ExpectText("h1", "Min plan")
	p.ExpectText("main", "Jeg vil arbejde i en børnehave")
	p.ExpectText("main", "Sove bedre om natten")
	p.ExpectText("main", "Praktik i børnehaven Solsikken")
	noCutOff("the plan")

	p.ClickLink("Svar på 5 spørgsmål om din trivsel før samtalen")
	p.ExpectText("h1", "Din trivsel før samtalen")
	noCutOff("the WHO-5 form")
	for i, item := range helhed.WHO5Items {
		if i == 4 {
			break // the last one is left out: its message shows beside it
		}
		p.Choose("… "+item, "Det meste af tiden")
	}
	p.Click("Send mine svar")
	p.ExpectText(".form-error-message", "Vælg det svar, der passer bedst")
	if got := p.Chosen("… " + helhed.WHO5Items[0]); got != "Det meste af tiden" {
		t.Errorf("the answers given were not kept: %q", got)
	}
	p.Choose("… "+helhed.WHO5Items[4], "Lidt mere end halvdelen af tiden")
	p.Click("Send mine svar")
	p.ExpectText(".alert", "Dine svar er sendt")
	p.ExpectText("main", "Du har svaret på spørgsmålene om din trivsel.")
	noCutOff("the samtaler")

	p.Go(paths.SelfConsents)
	p.ExpectText("h1", "Mine samtykker")
	p.ExpectText("main", "Helbredsoplysninger til "+apptest.Health)
	noCutOff("the consents")
	p.Click("Træk samtykket tilbage: Helbredsoplysninger til " + apptest.Health)
	p.ExpectText(".alert", "Samtykket er trukket tilbage")
	p.ExpectText("main", "Trukket tilbage")

	var withdrawn bool
	if err := app.Pool.QueryRow(ctx, `SELECT withdrawn_by_citizen FROM consents WHERE citizen_id = $1`, id).Scan(&withdrawn); err != nil || !withdrawn {
		t.Errorf("the consent is not withdrawn by the citizen: %v %v", withdrawn, err)
	}
	var who5 int
	if err := app.Pool.QueryRow(ctx, `SELECT who5 FROM who5_self_reports WHERE citizen_id = $1`, id).Scan(&who5); err != nil || who5 != 4*(4*4+3) {
		t.Errorf("the self-reported WHO-5: %d %v; want %d", who5, err, 4*(4*4+3))
	}
	p.Go(paths.SelfLookups)
	p.ExpectText("h1", "Hvem har set mine oplysninger")
	noCutOff("the look-ups")
	p.Go(paths.SelfLetters)
	noCutOff("the letters")
	p.Click("Log ud")
	p.WaitURL(paths.SelfSignIn)
	p.ExpectText(".alert", "Du er logget ud af Mit Helhed")
	if got := broker.TerminatedSessions(); len(got) != 1 || got[0] != "mitid-anna" {
		t.Errorf("the broker's session was not ended: %v", got)
	}
}

// The development sign-in (the embedded demo) on a phone, axe on its page: the demo's
// citizen signs in with a typed CPR number, through the same seam, and lands on their plan.
func TestCitizenDevSignInOnAPhone(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{CitizenDevSignIn: true})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	p := browsertest.Open(t, app.URL)
	p.SetViewport(390, 844)
	p.Go(paths.SelfSignIn)
	p.ExpectText("h2", "Log ind til demo")
	if cut := p.CutOff(); len(cut) > 0 {
		t.Errorf("the development sign-in at 390 px: cut off: %s", strings.Join(cut, "; "))
	}
	p.Fill("CPR-nummer", "0203851233")
	p.Click("Log ind")
	if got := p.Path(); got != paths.SelfHome {
		t.Fatalf("after the development sign-in: %s", got)
	}
	p.ExpectText("h1", "Min plan")
}
