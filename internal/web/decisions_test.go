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
)

// decisionFixture: citizen A of Jobcenter Test (caseworker "cw") on tomorrow's meeting of the
// jobcenter's team, chaired and minuted by "member" from the region; the team has recommended
// fleksjob.
type decisionFixture struct {
	app          *apptest.App
	cw, member   store.User
	a, mid, mcid int64
	casePath     string
}

func newDecisionFixture(t *testing.T) decisionFixture {
	t.Helper()
	app := apptest.New(t, web.Config{})
	f := decisionFixture{app: app}
	f.cw = app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	f.member = app.User(t, "member", access.RoleRehabTeam, apptest.Region)
	f.a = app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, f.cw.ID)
	ctx := context.Background()
	w := store.Who{UserID: f.cw.ID}
	team, err := app.Store.CreateTeam(ctx, w, "Rehabiliteringsteam Test", app.Units[apptest.Jobcenter])
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SetTeamMember(ctx, w, team, f.member.ID, "sundhedskoordinator"); err != nil {
		t.Fatal(err)
	}
	if f.mid, err = app.Store.CreateMeeting(ctx, w, store.MeetingInput{TeamID: team, StartsAt: time.Now().Add(24 * time.Hour), SlotMinutes: 30,
		ChairID: f.member.ID, MinuteTakerID: f.member.ID}); err != nil {
		t.Fatal(err)
	}
	if f.mcid, err = app.Store.AddMeetingCase(ctx, w, f.mid, f.a, "Fleksjob?"); err != nil {
		t.Fatal(err)
	}
	writePostTeamRecords(t, app, f.a, f.cw, f.member) // a fleksjob indstilling needs them (lov nr. 1750)
	if err := app.Store.RecordIndstilling(ctx, store.Who{UserID: f.member.ID}, f.mid, f.mcid, 1,
		helhed.Indstilling{Outcome: "fleksjob", Reasons: "Arbejdsevnen er varigt nedsat"}); err != nil {
		t.Fatal(err)
	}
	f.casePath = "/moeder/" + strconv.FormatInt(f.mid, 10) + "/sager/" + strconv.FormatInt(f.mcid, 10)
	return f
}

func (f decisionFixture) decisions(t *testing.T) int {
	t.Helper()
	var n int
	if err := f.app.Pool.QueryRow(context.Background(), `SELECT count(*) FROM decisions WHERE citizen_id = $1`, f.a).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The caseworker's way through the pages: a partshøring (refused beside the fields when
// wrong, with what was typed kept), the decision refused while its deadline runs, the reply,
// a departing decision refused without its own reasons and then recorded; a stale form is a
// conflict that keeps the text. The team's member from the region, who sees the case, neither
// sees the section nor may decide.
func TestDecisionFlow(t *testing.T) {
	t.Parallel()
	f := newDecisionFixture(t)
	cw := f.app.Login(t, "cw")
	member := f.app.Login(t, "member")
	today := form.Today(time.Now()).Format(time.DateOnly)

	p := cw.Get(f.casePath)
	if p.Status != http.StatusOK || !p.Has("#afgoerelse") || !strings.Contains(p.Text("main"), "Træf afgørelse") ||
		!strings.Contains(p.Text("main"), "kommunen har endnu ikke truffet afgørelse") {
		t.Fatalf("case page for the caseworker: %d, no decision section", p.Status)
	}
	if p := member.Get(f.casePath); p.Status != http.StatusOK || p.Has("#afgoerelse") || p.Has("#partshoering") {
		t.Fatalf("case page for the region's member: %d; the decision section shows", p.Status)
	}

	// Without a partshøring the form warns and asks why it is left out.
	p = cw.Get(f.casePath + "/afgoerelse")
	if p.Status != http.StatusOK || !strings.Contains(p.Text(".alert-warning"), "ikke partshørt") || !p.Has("#hearing_omitted_reason") {
		t.Fatalf("decision form without partshøring: %d %q", p.Status, p.Text(".alert-warning"))
	}
	if p.Value("#decided_on") != today || p.Value("input[name=current]") != "0" {
		t.Errorf("decision form defaults: date %q, current %q", p.Value("#decided_on"), p.Value("input[name=current]"))
	}

	// The partshøring form: today and the default deadline filled in; bad input comes back
	// beside the fields with what was typed.
	p = cw.Get(f.casePath + "/partshoering")
	if p.Value("#sent_on") != today || p.Value("#deadline") != form.Today(time.Now()).AddDate(0, 0, 14).Format(time.DateOnly) {
		t.Fatalf("partshøring defaults: %q %q", p.Value("#sent_on"), p.Value("#deadline"))
	}
	p = cw.Post(f.casePath+"/partshoering", url.Values{"subject": {""}, "sent_on": {today}, "deadline": {form.Today(time.Now()).AddDate(0, 0, -1).Format(time.DateOnly)}})
	if p.Status != http.StatusUnprocessableEntity || p.Text("#subject-error") == "" || !strings.Contains(p.Text("#deadline-error"), "efter den dag") ||
		p.Value("#sent_on") != today {
		t.Fatalf("bad partshøring: %d subject %q deadline %q", p.Status, p.Text("#subject-error"), p.Text("#deadline-error"))
	}
	if got := p.Text(".error-summary"); !strings.Contains(got, "Borgeren høres om: Skal udfyldes") {
		t.Errorf("partshøring summary %q; want it to name the field", got)
	}
	deadline := form.Today(time.Now()).AddDate(0, 0, 14)
	p = cw.Post(f.casePath+"/partshoering", url.Values{"subject": {"Lægeattest af 1. december"}, "sent_on": {today}, "deadline": {deadline.Format(time.DateOnly)}})
	if p.Status != http.StatusOK || p.URL.Path != f.casePath || !strings.Contains(p.Text(".alert-success"), "Partshøringen er registreret") ||
		!strings.Contains(p.Text("#partshoering ~ div table"), "Lægeattest af 1. december") {
		t.Fatalf("partshøring: %d %s %q", p.Status, p.URL.Path, p.Text(".alert-success"))
	}
	if n := f.app.AuditCount(t, store.AuditHearingStart, f.a); n != 1 {
		t.Errorf("%d partshøring audit rows; want 1", n)
	}

	// While the deadline runs, the decision is refused beside the partshøring; the text stays.
	reasons := "LAB § 116: arbejdsevnen er varigt og væsentligt nedsat"
	p = cw.Post(f.casePath+"/afgoerelse", url.Values{"outcome": {"fleksjob"}, "decided_on": {today}, "reasons": {reasons}, "current": {"0"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#partshoering-error"), "Partshøringsfristen løber") ||
		p.Text("#reasons") != reasons || f.decisions(t) != 0 {
		t.Fatalf("decision while the deadline runs: %d %q, reasons %q", p.Status, p.Text("#partshoering-error"), p.Text("#reasons"))
	}
	if got := p.Text(".error-summary"); !strings.Contains(got, "Partshøring: Partshøringsfristen løber") {
		t.Errorf("decision summary %q; want it to name the partshøring", got)
	}

	// The reply: its summary is required; the typed date stays.
	var hid int64
	if err := f.app.Pool.QueryRow(context.Background(), `SELECT id FROM hearings WHERE meeting_case_id = $1`, f.mcid).Scan(&hid); err != nil {
		t.Fatal(err)
	}
	hearingPath := f.casePath + "/partshoering/" + strconv.FormatInt(hid, 10)
	p = cw.Post(hearingPath, url.Values{"result": {"svar"}, "response_on": {today}, "response_summary": {""}, "version": {"1"}})
	if p.Status != http.StatusUnprocessableEntity || p.Text("#response_summary-error") == "" || p.Value("#response_on") != today {
		t.Fatalf("reply without summary: %d %q", p.Status, p.Text("#response_summary-error"))
	}
	p = cw.Post(hearingPath, url.Values{"result": {"intet_svar"}, "version": {"1"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#result-error"), "Fristen løber") {
		t.Fatalf("no reply before the deadline: %d %q", p.Status, p.Text("#result-error"))
	}
	p = cw.Post(hearingPath, url.Values{"result": {"svar"}, "response_on": {today}, "response_summary": {"Borgeren ønsker fleksjob"}, "version": {"1"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Text("main"), "Svar modtaget") {
		t.Fatalf("reply: %d", p.Status)
	}
	if p := cw.Post(hearingPath, url.Values{"result": {"svar"}, "response_on": {today}, "response_summary": {"Ændret"}, "version": {"1"}}); p.Status != http.StatusConflict ||
		p.Text("#response_summary") != "Ændret" || !strings.Contains(p.Text("#version-error"), "kan ikke ændres") {
		t.Fatalf("a second reply: %d; want 409 with the text kept beside the reason", p.Status)
	}
	if p := cw.Get(hearingPath); p.URL.Path != f.casePath || !strings.Contains(p.Text(".alert"), "kan ikke ændres") {
		t.Fatalf("the result form of a recorded partshøring: %s %q", p.URL.Path, p.Text(".alert"))
	}

	// Departing from the indstilling needs its own reasons.
	p = cw.Post(f.casePath+"/afgoerelse", url.Values{"outcome": {"ressourceforloeb"}, "decided_on": {today}, "reasons": {reasons},
		"revurdering_on": {today}, "current": {"0"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#departure_reasons-error"), "fraviger") ||
		p.Text("#reasons") != reasons || p.Value("#revurdering_on") != today || p.Value("input[name=outcome][checked]") != "ressourceforloeb" {
		t.Fatalf("departing without reasons: %d %q", p.Status, p.Text("#departure_reasons-error"))
	}
	// The region's member may not decide, whatever they post.
	departure := "Borgerens arbejdsevne kan udvikles; et ressourceforløb er forsøgt for kort tid."
	form := url.Values{"outcome": {"ressourceforloeb"}, "decided_on": {today}, "reasons": {reasons}, "departure_reasons": {departure},
		"revurdering_on": {today}, "current": {"0"}}
	for _, path := range []string{"/afgoerelse", "/partshoering"} {
		if p := member.Post(f.casePath+path, form); p.Status != http.StatusForbidden {
			t.Errorf("the region's member posts %s: %d; want 403", path, p.Status)
		}
		if p := member.Get(f.casePath + path); p.Status != http.StatusForbidden {
			t.Errorf("the region's member opens %s: %d; want 403", path, p.Status)
		}
	}
	if f.decisions(t) != 0 {
		t.Fatal("a decision was recorded by the team's member")
	}
	p = cw.Post(f.casePath+"/afgoerelse", form)
	if p.Status != http.StatusOK || p.URL.Path != f.casePath || !strings.Contains(p.Text("main"), "afgørelsen fraviger indstillingen") ||
		!strings.Contains(p.Text("main"), departure) || !strings.Contains(p.Text("main"), "Ankestyrelsen") {
		t.Fatalf("departing decision: %d %s", p.Status, p.URL.Path)
	}
	if f.decisions(t) != 1 || f.app.AuditCount(t, store.AuditDecision, f.a) != 1 {
		t.Fatalf("%d decisions; want 1, audited", f.decisions(t))
	}
	// A form made before that decision is a conflict; the text is kept and the form now
	// changes the recorded decision.
	form.Set("outcome", "fleksjob")
	form.Del("departure_reasons")
	form.Del("revurdering_on")
	p = cw.Post(f.casePath+"/afgoerelse", form)
	if p.Status != http.StatusConflict || p.Text("#current-error") == "" || p.Text("#reasons") != reasons || p.Value("input[name=current]") == "0" {
		t.Fatalf("a stale decision form: %d %q", p.Status, p.Text("#current-error"))
	}
	p = cw.Post(f.casePath+"/afgoerelse", url.Values{"outcome": {"fleksjob"}, "decided_on": {today}, "reasons": {reasons},
		"current": {p.Value("input[name=current]")}})
	if p.Status != http.StatusOK || !strings.Contains(p.Text("main"), "Tidligere afgørelser i sagen") || f.decisions(t) != 2 {
		t.Fatalf("the new decision after the conflict: %d", p.Status)
	}
}

// The caseload and the citizen page show a partshøring whose deadline has passed without a
// reply, and an indstilling without a decision, as tasks for the caseworker.
func TestCaseloadShowsOverduePartshoering(t *testing.T) {
	t.Parallel()
	f := newDecisionFixture(t)
	cw := f.app.Login(t, "cw")
	row := func() string {
		t.Helper()
		p := cw.Get("/borgere")
		if p.Status != http.StatusOK {
			t.Fatalf("caseload: %d", p.Status)
		}
		return p.Text("main table tbody th")
	}
	if got := row(); !strings.Contains(got, "Afventer afgørelse") || strings.Contains(got, "Partshøringsfrist udløbet") {
		t.Fatalf("caseload row %q; want only the decision task", got)
	}
	// A partshøring sent a month ago whose deadline passed two weeks ago without a reply.
	today := helhed.DanishToday(time.Now())
	if _, err := f.app.Store.StartHearing(context.Background(), store.Who{UserID: f.cw.ID}, f.mid, f.mcid,
		helhed.HearingInput{Subject: "Lægeattest", SentOn: today.AddDate(0, 0, -30), Deadline: today.AddDate(0, 0, -16)}); err != nil {
		t.Fatal(err)
	}
	if got := row(); !strings.Contains(got, "Partshøringsfrist udløbet") || !strings.Contains(got, "Afventer afgørelse") {
		t.Fatalf("caseload row %q; want both tasks", got)
	}
	p := cw.Get("/borgere/" + strconv.FormatInt(f.a, 10))
	if got := p.Text("#rehabiliteringsteam"); !strings.Contains(got, "Partshøringsfrist udløbet") || !strings.Contains(got, "Afventer afgørelse") {
		t.Fatalf("citizen page's rehabiliteringsteam section %q; want both tasks", got)
	}
	// The case page offers the overdue partshøring's reply or "intet svar".
	p = cw.Get(f.casePath)
	if !strings.Contains(p.Text("main"), "Fristen er udløbet uden registreret svar") || !strings.Contains(p.Text("main"), "Registrér svar") {
		t.Fatalf("case page: no overdue partshøring shown")
	}
}

// The partshøring and decision forms carry a one-time token: sent twice (a double click, a
// reload), they record once, and the second lands where the first went instead of being a
// conflict with the decision the first one recorded.
func TestDecisionFormsAreSentOnce(t *testing.T) {
	t.Parallel()
	f := newDecisionFixture(t)
	c := f.app.Login(t, "cw")
	for _, tc := range []struct {
		name, path, count string
		set               url.Values
	}{
		{"afgørelse", f.casePath + "/afgoerelse", `SELECT count(*) FROM decisions WHERE citizen_id = $1`,
			url.Values{"outcome": {"fleksjob"}, "reasons": {"LAB § 116"}, "hearing_omitted_reason": {"Afgørelsen giver borgeren fuldt medhold"}}},
		{"partshøring", f.casePath + "/partshoering", `SELECT count(*) FROM hearings WHERE citizen_id = $1`,
			url.Values{"subject": {"Lægeattest"}}},
	} {
		form := browserForm(t, c.Get(tc.path), tc.path, tc.set)
		if form.Get("form_token") == "" {
			t.Errorf("%s: the form carries no one-time token", tc.name)
		}
		count := func() int {
			var n int
			if err := f.app.Pool.QueryRow(context.Background(), tc.count, f.a).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		first := c.Post(tc.path, form)
		if first.Status != http.StatusOK || first.Has(".form-error-message") || count() != 1 {
			t.Fatalf("%s: first submission %d at %s, %q", tc.name, first.Status, first.URL.Path, first.Text(".form-error-message"))
		}
		second := c.Post(tc.path, form)
		if count() != 1 || second.Status != http.StatusOK || !strings.Contains(second.Text(".alert"), "Formularen var allerede sendt") {
			t.Errorf("%s sent twice: %d rows, %d %q; want one row and the first's page", tc.name, count(), second.Status, second.Text(".alert"))
		}
	}
}

// Hostile text in the partshøring's subject and reply and in every text of the decision comes
// back escaped on the case page, the forms and the citizen's export.
func TestDecisionTextIsEscaped(t *testing.T) {
	t.Parallel()
	for i, payload := range payloads {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			f := newDecisionFixture(t)
			c := f.app.Login(t, "cw")
			today := helhed.DanishToday(time.Now())
			// Sent long ago, so the reply and the decision can follow at once.
			p := c.Post(f.casePath+"/partshoering", url.Values{"subject": {"Emne " + payload},
				"sent_on": {today.AddDate(0, 0, -30).Format(time.DateOnly)}, "deadline": {today.AddDate(0, 0, -16).Format(time.DateOnly)}})
			if p.Status != http.StatusOK || p.Has(".form-error-message") {
				t.Fatalf("partshøring: %d %q", p.Status, p.Text(".form-error-message"))
			}
			var hid int64
			if err := f.app.Pool.QueryRow(context.Background(), `SELECT id FROM hearings WHERE citizen_id = $1`, f.a).Scan(&hid); err != nil {
				t.Fatal(err)
			}
			hearing := f.casePath + "/partshoering/" + strconv.FormatInt(hid, 10)
			if p := c.Post(hearing, url.Values{"result": {"svar"}, "response_on": {today.Format(time.DateOnly)},
				"response_summary": {"Svar " + payload}, "version": {"1"}}); p.Status != http.StatusOK || p.Has(".form-error-message") {
				t.Fatalf("reply: %d %q", p.Status, p.Text(".form-error-message"))
			}
			if p := c.Post(f.casePath+"/afgoerelse", url.Values{"outcome": {"ressourceforloeb"}, "decided_on": {today.Format(time.DateOnly)},
				"reasons": {"Begrundelse " + payload}, "departure_reasons": {"Fravigelse " + payload + strings.Repeat(" og mere", 6)},
				"revurdering_on": {today.Format(time.DateOnly)}, "current": {"0"}}); p.Status != http.StatusOK || p.Has(".form-error-message") {
				t.Fatalf("decision: %d %q", p.Status, p.Text(".form-error-message"))
			}
			for _, path := range []string{f.casePath, f.casePath + "/afgoerelse", hearing, "/borgere/" + strconv.FormatInt(f.a, 10) + "/indsigt"} {
				assertEscaped(t, path, c.Get(path), payload)
			}
		})
	}
}
