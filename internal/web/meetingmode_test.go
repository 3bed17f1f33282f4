package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/web"
)

// Attendance and the citizen's comments to the indstilling are written by the chair and the
// minute-taker only: the case's own caseworker and a team member may read the case page but
// not record them. A member outside the room cannot be ticked, and the comments wait for an
// indstilling to comment on.
func TestMeetingMinutesByChairAndMinuteTaker(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newTeamFixture(t, app)
	f.setupTeam(t)
	mid := f.planMeeting(t, time.Now().Add(24*time.Hour).Truncate(time.Minute))
	f.consentForTeam(t)
	ctx := context.Background()
	mc, err := app.Store.AddMeetingCase(ctx, store.Who{UserID: f.cw.ID}, mid, f.a, "Fleksjob?")
	if err != nil {
		t.Fatal(err)
	}
	casePath := "/moeder/" + strconv.FormatInt(mid, 10) + "/sager/" + strconv.FormatInt(mc, 10)
	id := func(u store.User) string { return strconv.FormatInt(u.ID, 10) }
	present := url.Values{"citizen_attended": {"true"}, "members": {id(f.minutes), id(f.nurse)}}

	for _, name := range []string{"cw", "nurse"} {
		c := app.Login(t, name)
		if p := c.Get(casePath); p.Status != http.StatusOK || p.Has("form[action$='/fremmoede']") || p.Has("form[action$='/bemaerkninger']") {
			t.Fatalf("%s: case page %d, attendance form %t; want the page without the forms", name, p.Status, p.Has("form[action$='/fremmoede']"))
		}
		if p := c.Post(casePath+"/fremmoede", present); p.Status != http.StatusForbidden {
			t.Errorf("%s recorded attendance: %d; want 403", name, p.Status)
		}
		if p := c.Post(casePath+"/bemaerkninger", url.Values{"citizen_comments": {"Enig"}}); p.Status != http.StatusForbidden {
			t.Errorf("%s recorded comments: %d; want 403", name, p.Status)
		}
	}

	minutes := app.Login(t, "minutes")
	// Someone with no seat in the room is refused beside the field, with the ticks kept.
	p := minutes.Post(casePath+"/fremmoede", url.Values{"citizen_attended": {"true"}, "members": {id(f.minutes), id(f.other)}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#members-error"), "mødets deltagere") || !p.Has("#citizen_attended[checked]") {
		t.Fatalf("a member outside the room: %d %q", p.Status, p.Text("#members-error"))
	}
	p = minutes.Post(casePath+"/fremmoede", present)
	if p.Status != http.StatusOK || !strings.Contains(p.Text("main"), "Borgeren: til stede · Bisidder: ikke til stede · Teamet: 2 af 3") {
		t.Fatalf("record attendance: %d %q", p.Status, p.Text("#fremmoede + dl"))
	}
	if got := p.Text("#fremmoede + dl"); !strings.Contains(got, f.nurse.Name) || strings.Contains(got, f.leader.Name) {
		t.Errorf("members present = %q; want the nurse and not the chair", got)
	}

	// The comments need an indstilling.
	if p := minutes.Get(casePath); p.Has("form[action$='/bemaerkninger']") {
		t.Fatal("the comments form shows before the indstilling")
	}
	if p := minutes.Post(casePath+"/bemaerkninger", url.Values{"citizen_comments": {"Enig"}}); p.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(p.Text("#citizen_comments-error"), "ikke indstillet") {
		t.Fatalf("comments before the indstilling: %d %q", p.Status, p.Text("#citizen_comments-error"))
	}
	version := minutes.Get(casePath).Value("input[name=version]")
	if p := minutes.Post(casePath+"/indstilling", url.Values{"outcome": {"jobafklaringsforloeb"}, "reasons": {"Uafklaret helbred"}, "version": {version}}); p.Status != http.StatusOK {
		t.Fatalf("indstilling: %d", p.Status)
	}
	long := strings.Repeat("x", store.MaxCitizenComments+1)
	if p := minutes.Post(casePath+"/bemaerkninger", url.Values{"citizen_comments": {long}}); p.Status != http.StatusUnprocessableEntity ||
		p.Text("#citizen_comments") != long {
		t.Fatalf("too long comments: %d, kept %t", p.Status, p.Text("#citizen_comments") == long)
	}
	p = minutes.Post(casePath+"/bemaerkninger", url.Values{"citizen_comments": {"Jeg vil gerne starte på deltid"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Text("#bemaerkninger + dl"), "Jeg vil gerne starte på deltid") {
		t.Fatalf("record comments: %d %q", p.Status, p.Text("#bemaerkninger + dl"))
	}
	// The chair records too; the caseworker reads both.
	if p := app.Login(t, "chair").Post(casePath+"/fremmoede", url.Values{"bisidder_attended": {"true"}}); p.Status != http.StatusOK ||
		!strings.Contains(p.Text("#fremmoede + dl"), "Bisidder: til stede") {
		t.Fatalf("chair records attendance: %d %q", p.Status, p.Text("#fremmoede + dl"))
	}
	if p := app.Login(t, "cw").Get(casePath); !strings.Contains(p.Text("#bemaerkninger + dl"), "deltid") || !strings.Contains(p.Text("#fremmoede + dl"), "Bisidder: til stede") {
		t.Fatalf("caseworker's view: %q / %q", p.Text("#fremmoede + dl"), p.Text("#bemaerkninger + dl"))
	}
	for action, want := range map[string]int{store.AuditMeetingAttendance: 2, store.AuditCitizenComments: 1} {
		var n int
		if err := app.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = $1 AND citizen_id = $2`, action, f.a).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%d %s audit rows; want %d", n, action, want)
		}
	}
}

// Meeting mode on the board: the case in focus shows its timer, the forberedende del, the
// sundhedskoordinator's advice and the attendance; "teamet drøfter" hides the case on every
// screen at once (another app instance's stream included) until the chair shows it again.
// Only the chair moves it.
func TestBoardMeetingModeAndDeliberation(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	a := apptest.NewOnPool(t, pool, web.Config{})
	b := apptest.NewOnPool(t, pool, web.Config{})
	f := newTeamFixture(t, a)
	f.setupTeam(t)
	mid := f.planMeeting(t, time.Now().Add(24*time.Hour).Truncate(time.Minute))
	f.consentForTeam(t)
	ctx := context.Background()
	cw := store.Who{UserID: f.cw.ID}
	mc, err := a.Store.AddMeetingCase(ctx, cw, mid, f.a, "Fleksjob?")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Store.SavePreparation(ctx, cw, mid, mc, 1, map[string]string{"education": "Tømrer, 12 år", "health": "Diskusprolaps 2024"}, false); err != nil {
		t.Fatal(err)
	}
	adv, err := a.Store.RequestHealthAdvice(ctx, cw, f.a, a.Units[apptest.Region], "Kan borgeren arbejde stående?")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Store.GiveHealthAdvice(ctx, store.Who{UserID: f.minutes.ID}, f.a, adv, 1, "Skånehensyn: ikke tunge løft"); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.RecordCaseAttendance(ctx, store.Who{UserID: f.minutes.ID}, mid, mc, store.Attendance{Citizen: true, Members: []int64{f.minutes.ID}}); err != nil {
		t.Fatal(err)
	}
	board := "/moeder/" + strconv.FormatInt(mid, 10) + "/skaerm"
	chair := a.Login(t, "chair")
	if p := chair.Post("/moeder/"+strconv.FormatInt(mid, 10)+"/fokus", url.Values{"retning": {"naeste"}}); p.Status != http.StatusOK {
		t.Fatalf("focus: %d", p.Status)
	}
	nurse := b.Login(t, "nurse")
	p := nurse.Get(board)
	focus := p.Text("section[aria-labelledby=board-focus-h]")
	for _, want := range []string{"Anna Andersen", "min afsat", "Startet kl.", "Tømrer, 12 år", "Diskusprolaps 2024",
		"Skånehensyn: ikke tunge løft", "Borgeren: til stede", "Teamet: 1 af 3"} {
		if !strings.Contains(focus, want) {
			t.Errorf("the board's case lacks %q: %.600s", want, focus)
		}
	}
	if v, _ := p.Doc.Find(".board-timer").Attr("data-timer-minutes"); v != "30" {
		t.Errorf("timer minutes = %q; want the slot's 30", v)
	}

	stream := nurse.Stream(board + "/stroem")
	if ev, ok := stream.Next(5 * time.Second); !ok || !strings.Contains(ev.Data, "Tømrer") {
		t.Fatalf("first event: %+v", ev)
	}
	// Only the chair (or the team's unit's leader) deliberates.
	if p := a.Login(t, "minutes").Post("/moeder/"+strconv.FormatInt(mid, 10)+"/droefter", url.Values{"droefter": {"ja"}}); p.Status != http.StatusForbidden {
		t.Fatalf("the minute-taker switched deliberation: %d", p.Status)
	}
	if p := chair.Post("/moeder/"+strconv.FormatInt(mid, 10)+"/droefter", url.Values{"droefter": {"ja"}}); p.Status != http.StatusOK ||
		p.Text("#board-focus-h") != "Teamet drøfter sagen" {
		t.Fatalf("deliberate: %d %q", p.Status, p.Text("#board-focus-h"))
	}
	ev, ok := stream.Next(5 * time.Second)
	if !ok || !strings.Contains(ev.Data, "Teamet drøfter sagen") {
		t.Fatalf("no deliberation on the other instance's stream: %+v", ev)
	}
	for _, hidden := range []string{"Tømrer", "Diskusprolaps", "Skånehensyn", "Fleksjob?", "Borgeren: til stede"} {
		if strings.Contains(ev.Data, hidden) {
			t.Errorf("while the team deliberates the board shows %q", hidden)
		}
	}
	if !strings.Contains(ev.Data, "min afsat") {
		t.Error("the timer went with the case's content")
	}
	chair.Post("/moeder/"+strconv.FormatInt(mid, 10)+"/droefter", url.Values{"droefter": {"nej"}})
	if ev, ok := stream.Next(5 * time.Second); !ok || !strings.Contains(ev.Data, "Tømrer") {
		t.Fatalf("the case did not come back: %+v", ev)
	}
}

// The leader of the unit that runs the team sees its held meetings' figures week by week,
// small cells suppressed; a caseworker does not.
func TestMeetingFiguresForLeaders(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newTeamFixture(t, app)
	f.setupTeam(t)
	mid := f.planMeeting(t, time.Now().Add(24*time.Hour).Truncate(time.Minute))
	ctx := context.Background()
	mc, err := app.Store.AddMeetingCase(ctx, store.Who{UserID: f.cw.ID}, mid, f.a, "Fleksjob?")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.RecordIndstilling(ctx, store.Who{UserID: f.minutes.ID}, mid, mc, 1, helhed.Indstilling{Outcome: "jobafklaringsforloeb", Reasons: "Uafklaret helbred"}); err != nil {
		t.Fatal(err)
	}
	leader := app.Login(t, "chair")
	if p := leader.Get("/moeder?afholdte=true"); !strings.Contains(p.Text("main"), "Ingen afholdte møder endnu") {
		t.Fatalf("before the meeting: %q", p.Text("#moedetal + p + p"))
	}
	// The meeting is held (the form refuses a past date, so the test moves it).
	if _, err := app.Store.Pool().Exec(ctx, `UPDATE meetings SET starts_at = now() - interval '1 hour' WHERE id = $1`, mid); err != nil {
		t.Fatal(err)
	}
	p := leader.Get("/moeder?afholdte=true")
	row := p.Text("#moedetal ~ .table--responsive-scroll tbody tr")
	if !strings.Contains(row, "Uge ") || !strings.Contains(row, "<5") || !strings.Contains(row, "Jobafklaringsforløb: <5") {
		t.Fatalf("leader's figures row = %q", row)
	}
	if p := app.Login(t, "cw").Get("/moeder?afholdte=true"); p.Has("#moedetal") {
		t.Fatal("a caseworker sees the leader's figures")
	}
}
