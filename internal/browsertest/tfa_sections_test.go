package browsertest_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// Two professions write the TFA at once, in two browsers, every page checked with axe: the
// health centre's `sundhed`, invited to the TFA under the citizen's health consent, writes the
// health section while the caseworker writes the employment section — both opened the TFA
// before either saved — and both sections are saved, each with its writer.
func TestTwoProfessionsWriteTheTFAAtOnce(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	ctx := context.Background()
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	nurse := app.User(t, "sundhed", access.RoleHealth, apptest.Health)
	cid := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	w := store.Who{UserID: cw.ID, RequestID: "test"}
	if err := app.Store.CreateConsents(ctx, w, store.NewConsent{CitizenID: cid, Information: store.ConsentHealth,
		UnitIDs: []int64{app.Units[apptest.Health]}, Purpose: "TFA", GivenOn: app.Store.Now()}); err != nil {
		t.Fatal(err)
	}
	aid, _, err := app.Store.StartAssessment(ctx, w, cid, "Sagsbehandler")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.AddParticipant(ctx, w, cid, aid, nurse.ID, "Fysioterapeut"); err != nil {
		t.Fatal(err)
	}
	tfa := "/borgere/" + strconv.FormatInt(cid, 10) + "/tfa/" + strconv.FormatInt(aid, 10)

	c := browsertest.Open(t, app.URL)
	c.Login("cw", apptest.Password)
	h := browsertest.Open(t, app.URL)
	h.Login("sundhed", apptest.Password)
	if status := c.Go(tfa); status != http.StatusOK {
		t.Fatalf("the caseworker opens the TFA: HTTP %d", status)
	}
	if status := h.Go(tfa); status != http.StatusOK {
		t.Fatalf("sundhed opens the TFA: HTTP %d; want 200", status)
	}
	// Both type before either saves.
	h.Within("Sundhed", func() {
		h.Within("Livsstil", func() { h.Fill("Beskrivelse", "Ryger 20 om dagen") })
	})
	c.Within("Beskæftigelse og ressourcer", func() {
		c.Within("Uddannelse", func() { c.Fill("Ressourcer", "Faglært lagerarbejder") })
	})
	if status := h.Click("Gem afsnittet Sundhed"); status != http.StatusOK {
		t.Fatalf("sundhed saves the health section: HTTP %d", status)
	}
	h.ExpectText(".alert", "Afsnittet Sundhed er gemt.")
	if status := c.Click("Gem afsnittet Beskæftigelse og ressourcer"); status != http.StatusOK {
		t.Fatalf("the caseworker saves the employment section meanwhile: HTTP %d; want no conflict", status)
	}
	c.ExpectText(".alert", "Afsnittet Beskæftigelse og ressourcer er gemt.")
	// Both are saved, each with its writer; the health professional writes no employment.
	c.ExpectText("#afsnit-sundhed .tfa-section-writer", "Test sundhed")
	c.ExpectText("#afsnit-beskaeftigelse .tfa-section-writer", "Test cw")
	c.Within("Sundhed", func() {
		c.Within("Livsstil", func() {
			if got := c.Value("Beskrivelse"); got != "Ryger 20 om dagen" {
				t.Errorf("the caseworker's page holds %q in the health section; want sundhed's text", got)
			}
		})
	})
	h.Go(tfa)
	h.ExpectText("#afsnit-beskaeftigelse", "Faglært lagerarbejder")
	h.ExpectText("#afsnit-beskaeftigelse .tfa-section-writer", "Test cw")
	h.Within("Sundhed", func() {
		h.Within("Livsstil", func() {
			if got := h.Value("Beskrivelse"); got != "Ryger 20 om dagen" {
				t.Errorf("the health section holds %q after both saves", got)
			}
		})
	})
	h.Screenshot("tfa-sections")
}
