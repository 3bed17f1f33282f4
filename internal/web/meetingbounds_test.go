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
	"github.com/helhed/helhed/internal/web"
)

// meetingForm is the meeting form as the leader fills it in, for a meeting at at.
func (f teamFixture) meetingForm(c *apptest.Client, at time.Time) url.Values {
	return url.Values{"team": {c.Get("/moeder/ny").Value("#team option[selected]")}, "date": {at.Format(time.DateOnly)},
		"time": {at.Format("15:04")}, "slot_minutes": {"30"}, "location": {"Mødelokale 2"},
		"chair": {strconv.FormatInt(f.leader.ID, 10)}, "minute_taker": {strconv.FormatInt(f.minutes.ID, 10)}}
}

// A meeting is planned from now and at most two years ahead, when planned and when moved: a
// meeting in year 9999 would keep its agenda's citizens open to the team until long after.
func TestMeetingDatesAreBounded(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newTeamFixture(t, app)
	f.setupTeam(t)
	leader := app.Login(t, "chair")
	now := time.Now()
	for _, at := range []time.Time{time.Date(9999, 12, 31, 9, 0, 0, 0, time.Local), now.AddDate(2, 0, 1), now.Add(-time.Hour)} {
		p := leader.Post("/moeder/ny", f.meetingForm(leader, at))
		if p.Status != http.StatusUnprocessableEntity || p.Text("#starts_at-error") == "" || p.Value("#location") != "Mødelokale 2" {
			t.Errorf("meeting at %s: %d %q; want 422 beside the date, the rest kept", at.Format(time.DateOnly), p.Status, p.Text("#starts_at-error"))
		}
	}
	if p := leader.Post("/moeder/ny", f.meetingForm(leader, time.Date(9999, 12, 31, 9, 0, 0, 0, time.Local))); !strings.Contains(p.Text("#starts_at-error"), "2 år") {
		t.Errorf("year 9999: %q; want the two-year bound named", p.Text("#starts_at-error"))
	}
	// Just inside the bound is fine; moving it beyond is not.
	mid := f.planMeeting(t, now.AddDate(2, 0, -1))
	edit := "/moeder/" + strconv.FormatInt(mid, 10) + "/rediger"
	form := f.meetingForm(leader, time.Date(9999, 1, 1, 9, 0, 0, 0, time.Local))
	form.Set("version", leader.Get(edit).Value("input[name=version]"))
	if p := leader.Post(edit, form); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#starts_at-error"), "2 år") {
		t.Fatalf("move to 9999: %d %q; want 422", p.Status, p.Text("#starts_at-error"))
	}
}

// A meeting whose start has passed is history: it cannot be moved, re-dated or re-staffed
// (the minutes name its chair and minute-taker), so the team's window on its agenda's
// citizens (from the case's addition until days after the meeting) cannot be stretched.
// Until it starts, everything may change.
func TestHeldMeetingIsHistory(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newTeamFixture(t, app)
	f.setupTeam(t)
	leader := app.Login(t, "chair")
	mid := f.planMeeting(t, time.Now().Add(48*time.Hour))
	page, edit := "/moeder/"+strconv.FormatInt(mid, 10), "/moeder/"+strconv.FormatInt(mid, 10)+"/rediger"
	// Before it is held the chair may hand over to the minute-taker.
	form := f.meetingForm(leader, time.Now().Add(72*time.Hour))
	form.Set("chair", strconv.FormatInt(f.minutes.ID, 10))
	form.Set("version", leader.Get(edit).Value("input[name=version]"))
	if p := leader.Post(edit, form); p.Status != http.StatusOK || p.URL.Path != page {
		t.Fatalf("edit an upcoming meeting: %d %s %q", p.Status, p.URL.Path, p.Text(".form-error-message"))
	}
	// The meeting starts.
	ctx := context.Background()
	if _, err := app.Pool.Exec(ctx, `UPDATE meetings SET starts_at = now() - interval '1 hour' WHERE id = $1`, mid); err != nil {
		t.Fatal(err)
	}
	var before string
	if err := app.Pool.QueryRow(ctx, `SELECT concat_ws('/', starts_at, slot_minutes, location, chair_id, minute_taker_id, version) FROM meetings WHERE id = $1`, mid).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if p := leader.Get(page); p.Status != http.StatusOK || p.Has(`a[href="`+edit+`"]`) {
		t.Errorf("a held meeting's page: %d, offers Ret mødet: %v", p.Status, p.Has(`a[href="`+edit+`"]`))
	}
	if p := leader.Get(edit); p.Status != http.StatusConflict || !strings.Contains(p.Text("main"), "holdt") {
		t.Errorf("open the edit form of a held meeting: %d %q; want 409", p.Status, p.Text("main"))
	}
	version := ""
	if err := app.Pool.QueryRow(ctx, `SELECT version::text FROM meetings WHERE id = $1`, mid).Scan(&version); err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string]func(url.Values){
		"move it a week on": func(v url.Values) { v.Set("date", time.Now().AddDate(0, 0, 7).Format(time.DateOnly)) },
		"change the chair":  func(v url.Values) { v.Set("chair", strconv.FormatInt(f.leader.ID, 10)) },
	} {
		form := f.meetingForm(leader, time.Now().AddDate(0, 0, 1))
		form.Set("chair", strconv.FormatInt(f.minutes.ID, 10))
		form.Set("version", version)
		change(form)
		if p := leader.Post(edit, form); p.Status != http.StatusConflict || !strings.Contains(p.Text("main"), "holdt") {
			t.Errorf("%s: %d %q; want 409", name, p.Status, p.Text("main"))
		}
	}
	var after string
	if err := app.Pool.QueryRow(ctx, `SELECT concat_ws('/', starts_at, slot_minutes, location, chair_id, minute_taker_id, version) FROM meetings WHERE id = $1`, mid).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Fatalf("the held meeting changed: %s → %s", before, after)
	}
}

// The meeting form names the field by its label in the error summary and keeps a location
// over the limit as typed.
func TestMeetingFormNamesFieldsInSummary(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newTeamFixture(t, app)
	f.setupTeam(t)
	leader := app.Login(t, "chair")
	form := f.meetingForm(leader, time.Now().AddDate(0, 1, 0))
	long := strings.Repeat("l", 201)
	form.Set("location", long)
	form.Set("slot_minutes", "5")
	form.Set("date", "31-12-2026")
	p := leader.Post("/moeder/ny", form)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("refused meeting: %d; want 422", p.Status)
	}
	summary := p.Text(".error-summary")
	for _, want := range []string{"Tidspunkt: Angiv dato som ÅÅÅÅ-MM-DD", "Minutter pr. sag: Skal være et helt tal fra 10 til 120", "Sted: Højst 200 tegn"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q; want it to contain %q", summary, want)
		}
	}
	if p.Value("#location") != long || p.Value("#starts_at") != "31-12-2026" || p.Text("#location-error") == "" {
		t.Error("the meeting was not kept as typed with the message beside the field")
	}
}
