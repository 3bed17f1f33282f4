package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// tfaSectionFixture is a citizen with a TFA draft and a health-centre nurse invited to it;
// consent says whether the citizen has given the health centre a current health consent.
type tfaSectionFixture struct {
	app        *apptest.App
	cw, nurse  *apptest.Client
	citizen    int64
	tfa        string // the TFA's path
	assessment int64
}

func newTFASectionFixture(t *testing.T, consent bool) tfaSectionFixture {
	t.Helper()
	app := apptest.New(t, web.Config{})
	ctx := context.Background()
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	nurse := app.User(t, "sundhed", access.RoleHealth, apptest.Health)
	app.User(t, "uninvited", access.RoleHealth, apptest.Health)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	w := store.Who{UserID: cw.ID, RequestID: "test"}
	if consent {
		if err := app.Store.CreateConsents(ctx, w, store.NewConsent{CitizenID: id, Information: store.ConsentHealth,
			UnitIDs: []int64{app.Units[apptest.Health]}, Purpose: "TFA", GivenOn: app.Store.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	aid, _, err := app.Store.StartAssessment(ctx, w, id, "Sagsbehandler")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.AddParticipant(ctx, w, id, aid, nurse.ID, "Fysioterapeut"); err != nil {
		t.Fatal(err)
	}
	return tfaSectionFixture{app: app, cw: app.Login(t, "cw"), nurse: app.Login(t, "sundhed"), citizen: id, assessment: aid,
		tfa: "/borgere/" + strconv.FormatInt(id, 10) + "/tfa/" + strconv.FormatInt(aid, 10)}
}

// sectionVersion is the version a section's form carries on page p.
func sectionVersion(p *apptest.Page, sec string) string {
	return p.Value("#afsnit-" + sec + " input[name=section_version]")
}

// Health staff invited to the TFA write the health section — and only that: the employment
// section, the goals and conclusion, concluding and the conference are refused (403), and the
// page shows them no form for them. Without a current health consent they write nothing and
// see no health data; a health professional who is not invited does not see the citizen.
func TestHealthWritesOwnTFASectionOnly(t *testing.T) {
	t.Parallel()
	f := newTFASectionFixture(t, true)
	if href, _ := f.nurse.Get("/indbakke").Doc.Find("#tfa-invitationer a").Attr("href"); href != f.tfa {
		t.Fatalf("the invitation in sundhed's inbox links to %q; want %s", href, f.tfa)
	}
	p := f.nurse.Get(f.tfa)
	if p.Status != http.StatusOK {
		t.Fatalf("invited health staff open the TFA: %d; want 200 (was 403 before sections)", p.Status)
	}
	if !p.Has("#afsnit-sundhed form") {
		t.Fatal("the health section is not a form for the invited health professional")
	}
	for _, sec := range []string{"beskaeftigelse", "social", "samlet"} {
		if p.Has("#afsnit-" + sec + " form") {
			t.Errorf("the %s section is a form for health staff", sec)
		}
	}
	if p.Has("#tfa-form") || p.Has("#konference form") {
		t.Error("health staff are offered to conclude the TFA or record the conference")
	}
	p = f.nurse.Post(f.tfa+"/afsnit/sundhed", url.Values{"section_version": {sectionVersion(p, "sundhed")},
		"t_fysiske_lidelser_rel": {"relevant"}, "t_fysiske_lidelser_desc": {"Nedsat gangdistance"},
		"r_helbred_res": {"Træner to gange om ugen"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Text("#afsnit-sundhed .tfa-section-writer"), "Test sundhed") {
		t.Fatalf("health staff save the health section: %d, writer %q", p.Status, p.Text("#afsnit-sundhed .tfa-section-writer"))
	}
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{f.tfa + "/afsnit/beskaeftigelse", url.Values{"section_version": {"0"}, "r_uddannelse_res": {"Skrevet af sundhed"}}},
		{f.tfa + "/afsnit/samlet", url.Values{"section_version": {"0"}, "conclusion": {"Skrevet af sundhed"}}},
		{f.tfa + "/afsnit/social", url.Values{"section_version": {"0"}, "r_bolig_oekonomi_res": {"Skrevet af sundhed"}}},
		{f.tfa + "/afslut", url.Values{"version": {"2"}}},
		{f.tfa + "/konference", url.Values{"held_on": {"2026-01-01"}, "citizen_present": {"ja"}}},
		{f.tfa, tfaForm("2", "gem")},
	} {
		if p := f.nurse.Post(tc.path, tc.form); p.Status != http.StatusForbidden {
			t.Errorf("health staff POST %s: %d; want 403", tc.path, p.Status)
		}
	}
	var resources, conclusion string
	if err := f.app.Pool.QueryRow(context.Background(), `SELECT resources::text, conclusion FROM assessments WHERE id = $1`,
		f.assessment).Scan(&resources, &conclusion); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(resources, "Skrevet af sundhed") || conclusion != "" {
		t.Fatalf("a refused section was written: %s / %q", resources, conclusion)
	}
	if !strings.Contains(resources, "Træner to gange om ugen") {
		t.Fatal("the health section's Helbred element was not saved")
	}
	// The case holder sees who wrote the health section.
	if p := f.cw.Get(f.tfa); !strings.Contains(p.Text("#afsnit-sundhed .tfa-section-writer"), "Test sundhed") ||
		!strings.Contains(p.Body, "Nedsat gangdistance") {
		t.Fatal("the case holder does not see the health section and its writer")
	}
	if p := f.app.Login(t, "uninvited").Get(f.tfa); p.Status != http.StatusNotFound {
		t.Errorf("health staff who are not invited open the TFA: %d; want 404", p.Status)
	}
}

func TestHealthWithoutConsentWritesNoTFASection(t *testing.T) {
	t.Parallel()
	f := newTFASectionFixture(t, false)
	p := f.nurse.Get(f.tfa)
	if p.Status != http.StatusOK || p.Has("#afsnit-sundhed form") {
		t.Fatalf("without consent: %d, health form shown %v; want the TFA without a health form", p.Status, p.Has("#afsnit-sundhed form"))
	}
	if p := f.nurse.Post(f.tfa+"/afsnit/sundhed", url.Values{"section_version": {"0"}, "t_fysiske_lidelser_desc": {"x"}}); p.Status != http.StatusForbidden {
		t.Fatalf("without consent, saving the health section: %d; want 403", p.Status)
	}
}

// Two professions write two sections at once — both loaded the page before either saved —
// and both are saved. Two saves of the same section from the same loaded version conflict:
// the second gets the conflict page with the saved section and its own text, nothing is
// overwritten, and saving from the conflict page then does overwrite, deliberately.
func TestTFASectionsSaveAtOnceButTheSameSectionConflicts(t *testing.T) {
	t.Parallel()
	f := newTFASectionFixture(t, true)
	cwPage, nursePage := f.cw.Get(f.tfa), f.nurse.Get(f.tfa)
	p := f.cw.Post(f.tfa+"/afsnit/beskaeftigelse", url.Values{"section_version": {sectionVersion(cwPage, "beskaeftigelse")},
		"r_uddannelse_res": {"Faglært lagerarbejder"}})
	if p.Status != http.StatusOK {
		t.Fatalf("caseworker saves the employment section: %d", p.Status)
	}
	p = f.nurse.Post(f.tfa+"/afsnit/sundhed", url.Values{"section_version": {sectionVersion(nursePage, "sundhed")},
		"t_livsstil_rel": {"relevant"}, "t_livsstil_desc": {"Ryger"}})
	if p.Status != http.StatusOK {
		t.Fatalf("health saves the health section while the caseworker wrote another: %d; want no conflict", p.Status)
	}
	if !strings.Contains(p.Body, "Faglært lagerarbejder") && !strings.Contains(f.cw.Get(f.tfa).Body, "Faglært lagerarbejder") {
		t.Fatal("the caseworker's section was lost")
	}
	// The caseworker, from the page loaded before the nurse saved, writes the health section.
	p = f.cw.Post(f.tfa+"/afsnit/sundhed", url.Values{"section_version": {sectionVersion(cwPage, "sundhed")},
		"t_livsstil_rel": {"relevant"}, "t_livsstil_desc": {"Ikke-ryger"}})
	if p.Status != http.StatusConflict || !strings.Contains(p.Text("h1"), "ændret af en anden") {
		t.Fatalf("stale save of the same section: %d %q; want the conflict page", p.Status, p.Text("h1"))
	}
	if !strings.Contains(p.Text(".conflict-saved"), "Ryger") || p.Text(".conflict-yours #t_livsstil_desc") != "Ikke-ryger" {
		t.Fatal("the conflict page lacks the saved section or the caseworker's own text")
	}
	var tracks string
	if err := f.app.Pool.QueryRow(context.Background(), `SELECT tracks::text FROM assessments WHERE id = $1`, f.assessment).Scan(&tracks); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(tracks, "Ikke-ryger") {
		t.Fatal("the stale save overwrote the health section")
	}
	p = f.cw.Post(f.tfa+"/afsnit/sundhed", url.Values{"section_version": {p.Value(".conflict-yours input[name=section_version]")},
		"t_livsstil_rel": {"relevant"}, "t_livsstil_desc": {"Ikke-ryger"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Ikke-ryger") || !strings.Contains(p.Body, "Faglært lagerarbejder") {
		t.Fatalf("saving from the conflict page: %d", p.Status)
	}
}

// Only the case holder concludes, and a TFA conference (date, who attended, the citizen
// present) is recorded and shown.
func TestCaseHolderConcludesAndRecordsTheConference(t *testing.T) {
	t.Parallel()
	f := newTFASectionFixture(t, true)
	p := f.cw.Post(f.tfa+"/afsnit/samlet", url.Values{"section_version": {"0"},
		"citizen_goals": {"Et job på et lager"}, "conclusion": {"Parallelle indsatser"}})
	if p.Status != http.StatusOK {
		t.Fatalf("save goals and conclusion: %d", p.Status)
	}
	var nurseID int64
	if err := f.app.Pool.QueryRow(context.Background(), `SELECT id FROM users WHERE username = 'sundhed'`).Scan(&nurseID); err != nil {
		t.Fatal(err)
	}
	p = f.cw.Post(f.tfa+"/konference", url.Values{"held_on": {f.app.Store.Now().Format("2006-01-02")}, "citizen_present": {"ja"},
		"conference_attendees": {strconv.FormatInt(nurseID, 10)}})
	if p.Status != http.StatusOK || !strings.Contains(p.Text("#konference table"), "Test sundhed") || !strings.Contains(p.Text("#konference table"), "Ja") {
		t.Fatalf("record the conference: %d %q", p.Status, p.Text("#konference"))
	}
	if p := f.cw.Post(f.tfa+"/konference", url.Values{"held_on": {"2026-01-01"}, "citizen_present": {"nej"},
		"conference_attendees": {"999999"}}); p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a conference attendee who is not a participant: %d; want 422", p.Status)
	}
	p = f.cw.Post(f.tfa+"/afslut", url.Values{"version": {p.Value("#tfa-form input[name=version]")}})
	if p.Status != http.StatusOK || !strings.HasSuffix(p.URL.Path, "/plan") {
		t.Fatalf("conclude: %d at %s", p.Status, p.URL.Path)
	}
	if f.app.AuditCount(t, "assessment.conference", f.citizen) != 1 || f.app.AuditCount(t, "assessment.section", f.citizen) != 1 {
		t.Fatal("the conference or the section save is not audited")
	}
}
