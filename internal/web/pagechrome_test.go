package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/format"
)

// Browsers fetch /favicon.ico by themselves: it is Helhed's icon, for anyone, and every page
// links it. A page that is not the board loads no htmx.
func TestFaviconAndPageScripts(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	ico := app.Client(t).Get("/favicon.ico")
	if ico.Status != http.StatusOK || ico.Header.Get("Content-Type") != "image/x-icon" || !strings.HasPrefix(ico.Body, "\x00\x00\x01\x00") {
		t.Errorf("/favicon.ico: HTTP %d, %s", ico.Status, ico.Header.Get("Content-Type"))
	}
	for _, p := range []*apptest.Page{app.Client(t).Get("/login"), app.Login(t, "cw").Get("/borgere")} {
		if href, _ := p.Doc.Find(`link[rel="icon"]`).Attr("href"); !strings.Contains(href, "favicon") {
			t.Errorf("%s links no icon", p.URL.Path)
		}
		if strings.Contains(p.Body, "htmx") {
			t.Errorf("%s loads htmx, which only the board uses", p.URL.Path)
		}
	}
}

// A page's title names the citizen or the meeting it is about, so tabs, the browser's history
// and a screen reader's first words tell two pages apart: every form names its citizen, and
// two meetings of the same team have titles of their own.
func TestPageTitlesNameCitizenAndMeeting(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	ctx := context.Background()
	who := store.Who{UserID: cw.ID, RequestID: "test"}
	if err := app.Store.CreatePlan(ctx, who, a, app.Store.Now(), 3); err != nil {
		t.Fatal(err)
	}
	leader := app.User(t, "leder", access.RoleManager, apptest.Jobcenter)
	team, err := app.Store.CreateTeam(ctx, who, "Rehabiliteringsteam Test", app.Units[apptest.Jobcenter])
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SetTeamMember(ctx, who, team, leader.ID, "beskaeftigelse"); err != nil {
		t.Fatal(err)
	}
	var meetingIDs []int64
	starts := []time.Time{app.Store.Now().Add(24 * time.Hour).Truncate(time.Hour), app.Store.Now().Add(48 * time.Hour).Truncate(time.Hour)}
	for _, at := range starts {
		mid, err := app.Store.CreateMeeting(ctx, who, store.MeetingInput{TeamID: team, StartsAt: at, SlotMinutes: 30, ChairID: leader.ID, MinuteTakerID: leader.ID})
		if err != nil {
			t.Fatal(err)
		}
		meetingIDs = append(meetingIDs, mid)
	}
	mcid, err := app.Store.AddMeetingCase(ctx, who, meetingIDs[0], a, "Jobafklaring?")
	if err != nil {
		t.Fatal(err)
	}
	citizen := "/borgere/" + strconv.FormatInt(a, 10)
	meeting := func(i int) string { return "/moeder/" + strconv.FormatInt(meetingIDs[i], 10) }
	first := "Rehabiliteringsteam Test, møde " + format.DateTime(starts[0])
	second := "Rehabiliteringsteam Test, møde " + format.DateTime(starts[1])
	c := app.Login(t, "cw")
	for path, want := range map[string]string{
		citizen + "/rediger":           "Ret stamoplysninger – Anna Andersen – Helhed",
		citizen + "/screeninger/ny":    "Ny screening – Anna Andersen – Helhed",
		citizen + "/henvisninger/ny":   "Henvis til tilbud – Anna Andersen – Helhed",
		citizen + "/plan/maal":         "Ret mål – Anna Andersen – Helhed",
		citizen + "/plan/indsatser/ny": "– Anna Andersen – Helhed",
		citizen + "/plan/versioner":    "Versioner af indsatsplanen – Anna Andersen – Helhed",
		citizen + "/indsigt":           "Indsigt – Anna Andersen – Helhed",
		meeting(0):                     first + " – Helhed",
		meeting(1):                     second + " – Helhed",
		meeting(0) + "/skaerm":         "Fælles skærm – " + first + " – Helhed",
		meeting(0) + "/sager/" + strconv.FormatInt(mcid, 10):                   "Anna Andersen – " + first + " – Helhed",
		meeting(0) + "/sager/" + strconv.FormatInt(mcid, 10) + "/forberedelse": "Forberedende del – Anna Andersen – Helhed",
	} {
		expectTitle(t, c.Get(path), want)
	}
	expectTitle(t, app.Login(t, "leder").Get(meeting(0)+"/rediger"), "Ret mødet – "+first+" – Helhed")
}

func expectTitle(t *testing.T, p *apptest.Page, suffix string) {
	t.Helper()
	if got := p.Text("title"); p.Status != http.StatusOK || !strings.HasSuffix(got, suffix) {
		t.Errorf("%s: HTTP %d, title %q; want it to end %q", p.URL.Path, p.Status, got, suffix)
	}
}
