package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// writePostTeamRecords gives citizen a both post-team records through the store: the
// caseworker's samlet beskrivelse, and advice asked of the region and given by coordinator (a
// user of the region). A fleksjob or førtidspension indstilling needs them (lov nr. 1750).
func writePostTeamRecords(t *testing.T, app *apptest.App, a int64, cw, coordinator store.User) {
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

// A fleksjob indstilling and a fleksjob afgørelse are refused without the samlet beskrivelse
// and the sundhedskoordinator's rådgivning, with a Danish message naming what is missing and a
// link to write it; the caseworker writes the description (pre-filled, locked on its version)
// and asks (a meeting's forberedende del starts from the description); only the region's
// coordinator answers; then both are accepted.
func TestFleksjobRefusedWithoutPostTeamRecords(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cwUser := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	memberUser := app.User(t, "member", access.RoleRehabTeam, apptest.Region)
	app.User(t, "nurse", access.RoleHealth, apptest.Health)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cwUser.ID)
	ctx := context.Background()
	w := store.Who{UserID: cwUser.ID}
	// Sygedagpenge before the kontanthjælp apptest.Citizen gives her: one forsørgelsesydelse at a time.
	sdpEnd := time.Date(2025, 9, 30, 0, 0, 0, 0, time.UTC)
	if _, err := app.Store.AddBenefitPeriod(ctx, w, store.BenefitPeriod{CitizenID: a, BenefitCode: "sygedagpenge",
		StartDate: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), EndDate: &sdpEnd}); err != nil {
		t.Fatal(err)
	}
	team, err := app.Store.CreateTeam(ctx, w, "Rehabiliteringsteam Test", app.Units[apptest.Jobcenter])
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SetTeamMember(ctx, w, team, memberUser.ID, "sundhedskoordinator"); err != nil {
		t.Fatal(err)
	}
	mid, err := app.Store.CreateMeeting(ctx, w, store.MeetingInput{TeamID: team, StartsAt: time.Now().Add(24 * time.Hour), SlotMinutes: 30,
		ChairID: memberUser.ID, MinuteTakerID: memberUser.ID})
	if err != nil {
		t.Fatal(err)
	}
	mcid, err := app.Store.AddMeetingCase(ctx, w, mid, a, "Fleksjob?")
	if err != nil {
		t.Fatal(err)
	}
	// The citizen lets health information reach the region (the minute-taker may then change a
	// recorded indstilling, whose reasons are health data).
	if err := app.Store.CreateConsents(ctx, w, store.NewConsent{CitizenID: a, Information: store.ConsentHealth,
		UnitIDs: []int64{app.Units[apptest.Region]}, Purpose: "Sundhedsfaglig rådgivning", GivenOn: app.Store.Now()}); err != nil {
		t.Fatal(err)
	}
	cw, member, nurse := app.Login(t, "cw"), app.Login(t, "member"), app.Login(t, "nurse")
	casePath := paths.MeetingCase(mid, mcid)
	today := form.Today(time.Now()).Format(time.DateOnly)

	// The minute-taker's fleksjob indstilling: refused beside the field, with both named.
	p := member.Get(casePath)
	if p.Status != http.StatusOK || !strings.Contains(p.Text(".post-team"), "Samlet beskrivelse af borgerens forudsætninger") {
		t.Fatalf("case page for the minute-taker: %d, notice %q", p.Status, p.Text(".post-team"))
	}
	p = member.Post(paths.Indstilling(mid, mcid), url.Values{"outcome": {"fleksjob"}, "reasons": {"Arbejdsevnen er varigt nedsat"}, "version": {"1"}})
	if msg := p.Text("#outcome-error"); p.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(msg, "En indstilling om fleksjob kræver en samlet beskrivelse af borgerens forudsætninger") ||
		!strings.Contains(msg, "Sagen mangler: samlet beskrivelse af borgerens forudsætninger og sundhedsfaglig rådgivning fra regionens sundhedskoordinator") ||
		p.Text("#reasons") != "Arbejdsevnen er varigt nedsat" {
		t.Fatalf("a fleksjob indstilling without the records: %d %q", p.Status, msg)
	}
	// Jobafklaring needs neither.
	if p := member.Post(paths.Indstilling(mid, mcid), url.Values{"outcome": {"jobafklaringsforloeb"}, "reasons": {"Afklaring"}, "version": {"1"}}); p.Status != http.StatusOK ||
		!strings.Contains(p.Text(".alert-success"), "Indstillingen er gemt") {
		t.Fatalf("a jobafklaring indstilling: %d %q", p.Status, p.Text("main"))
	}

	// The caseworker's fleksjob afgørelse: the form links to both records; refused with the message.
	p = cw.Get(paths.Decision(mid, mcid))
	if p.Status != http.StatusOK || !p.Has(`.post-team a[href="`+paths.Description(a)+`"]`) || !p.Has(`.post-team a[href="`+paths.AdviceNew(a)+`"]`) {
		t.Fatalf("decision form: %d, notice %q; want links to both records", p.Status, p.Text(".post-team"))
	}
	decide := url.Values{"outcome": {"fleksjob"}, "decided_on": {today}, "reasons": {"LAB § 116: arbejdsevnen er varigt og væsentligt nedsat"},
		"departure_reasons": {strings.Repeat("Lægeattesten viser varigt nedsat arbejdsevne. ", 2)}, "revurdering_on": {today},
		"hearing_omitted_reason": {"Afgørelsen giver borgeren fuldt medhold"}, "current": {"0"}}
	p = cw.Post(paths.Decision(mid, mcid), decide)
	if msg := p.Text("#outcome-error"); p.Status != http.StatusUnprocessableEntity || !strings.Contains(msg, "En afgørelse om fleksjob kræver") ||
		!strings.Contains(msg, "Sagen mangler:") {
		t.Fatalf("a fleksjob decision without the records: %d %q", p.Status, msg)
	}

	// The samlet beskrivelse: pre-filled from the benefit history, saved, locked on its version.
	p = cw.Get(paths.Description(a))
	if p.Status != http.StatusOK || !strings.Contains(p.Text("#benefits"), "Sygedagpenge: 1. marts 2025–") || p.Value(`input[name="version"]`) != "0" {
		t.Fatalf("description form: %d, benefits %q", p.Status, p.Text("#benefits"))
	}
	desc := url.Values{"version": {"0"}, "benefits": {p.Text("#benefits")}, "health": {"Diskusprolaps, opereret 2025"}}
	if p := cw.Post(paths.Description(a), desc); p.Status != http.StatusOK || !strings.Contains(p.Text("#forudsaetninger"), "Diskusprolaps, opereret 2025") {
		t.Fatalf("saving the description: %d %q", p.Status, p.Text("#forudsaetninger"))
	}
	// A meeting is voluntary; if one is held, its forberedende del starts from the description.
	if p := cw.Get(paths.Preparation(mid, mcid)); p.Status != http.StatusOK || !strings.Contains(p.Text(".alert-info"), "samlede beskrivelse") ||
		p.Text("#health") != "Diskusprolaps, opereret 2025" {
		t.Fatalf("the forberedende del: %d %q, health %q", p.Status, p.Text(".alert-info"), p.Text("#health"))
	}
	desc.Set("health", "Fra en anden fane")
	if p := cw.Post(paths.Description(a), desc); p.Status != http.StatusConflict || !strings.Contains(p.Text(".error-summary"), "ændret af en anden") ||
		p.Text("#health") != "Fra en anden fane" {
		t.Fatalf("a stale description: %d %q", p.Status, p.Text(".error-summary"))
	}
	if p := nurse.Get(paths.Description(a)); p.Status != http.StatusNotFound && p.Status != http.StatusForbidden {
		t.Fatalf("the health centre opens the description form: %d", p.Status)
	}

	// The request for advice, and the answer: the region's member only.
	if p := cw.Post(paths.AdviceNew(a), url.Values{"unit": {strconv.FormatInt(app.Units[apptest.Region], 10)}, "question": {"Kan borgeren arbejde 12 timer?"}}); p.Status != http.StatusOK ||
		!strings.Contains(p.Text("#forudsaetninger"), "Afventer sundhedskoordinatorens rådgivning") {
		t.Fatalf("asking for advice: %d %q", p.Status, p.Text("main"))
	}
	var raid int64
	if err := app.Pool.QueryRow(ctx, `SELECT id FROM health_advice WHERE citizen_id = $1`, a).Scan(&raid); err != nil {
		t.Fatal(err)
	}
	advice := url.Values{"advice": {"Ja, 12 timer med pauser; ingen tunge løft."}, "version": {"1"}}
	for _, c := range []*apptest.Client{cw, nurse} {
		if p := c.Post(paths.Advice(a, raid), advice); p.Status != http.StatusForbidden && p.Status != http.StatusNotFound {
			t.Fatalf("answering as someone else than the coordinator: %d", p.Status)
		}
	}
	p = member.Get(paths.Advice(a, raid))
	if p.Status != http.StatusOK || !strings.Contains(p.Text("main"), "Kan borgeren arbejde 12 timer?") {
		t.Fatalf("the coordinator's form: %d", p.Status)
	}
	if p := member.Post(paths.Advice(a, raid), advice); p.Status != http.StatusOK || !strings.Contains(p.Text(".alert-success"), "rådgivning er gemt") {
		t.Fatalf("the coordinator answers: %d %q", p.Status, p.Text("main"))
	}
	if p := member.Post(paths.Advice(a, raid), advice); p.Status != http.StatusConflict || p.Text("#advice") != advice.Get("advice") {
		t.Fatalf("a stale answer: %d", p.Status)
	}
	if p := cw.Get(paths.Citizen(a)); !strings.Contains(p.Text("#forudsaetninger"), "Ja, 12 timer med pauser") {
		t.Fatalf("the citizen page lacks the advice: %q", p.Text("#forudsaetninger"))
	}

	// Now both exist: the fleksjob indstilling and the afgørelse are accepted.
	if p := cw.Get(paths.Decision(mid, mcid)); p.Has(".post-team") {
		t.Fatalf("the notice still shows: %q", p.Text(".post-team"))
	}
	if p := cw.Post(paths.Decision(mid, mcid), decide); p.Status != http.StatusOK || !strings.Contains(p.Text(".alert-success"), "Afgørelsen er registreret") {
		t.Fatalf("a fleksjob decision with the records: %d %q", p.Status, p.Text("#outcome-error"))
	}
	if p := member.Post(paths.Indstilling(mid, mcid), url.Values{"outcome": {"fleksjob"}, "reasons": {"Varigt nedsat"}, "version": {"2"}}); p.Status != http.StatusOK ||
		!strings.Contains(p.Text(".alert-success"), "Indstillingen er gemt") {
		t.Fatalf("a fleksjob indstilling with the records: %d %q", p.Status, p.Text("#outcome-error"))
	}
}
