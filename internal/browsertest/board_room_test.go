package browsertest_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/pages/meetings"
)

// minChartToBody is the smallest size of the board's chart text, as a share of the board's
// body text, that these tests accept. The board's secondary text (the attendance line, the
// section links, the caseworker's name) is 0.8 of the body text, the smallest it uses for
// anything the room reads; an axis label is secondary text and may be no smaller. (The
// charts themselves draw their labels at the body text's size: see helhed.css.)
const minChartToBody = 0.8

// longEffort is an effort name longer than any chart label column: the board must show it
// whole.
const longEffort = "Virksomhedspraktik med mentorstøtte i Netto, Hjørring (lager og varemodtagelse)"

// Readable across the room, on the meeting room's 1920×1080 screen: the page itself never
// scrolls; every section of the case in focus is reached with the chair's section navigation
// (Alt+Shift+n, the links' own shortcuts) and then stands whole inside the screen, in the
// case's own box, with its link marked; the WHO-5 chart's text is drawn at least
// minChartToBody of the body text; no effort name is cut (no ellipsis, no overflow). Checked
// with axe.
func TestBoardReadableAcrossTheRoom(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newBoardFixture(t, app)
	roomCase(t, app, f)

	chair := browsertest.Open(t, app.URL)
	chair.SetViewport(1920, 1080)
	chair.Login("chair", apptest.Password)
	chair.Go(f.board)
	chair.ClickInPlace("Næste sag ›")
	chair.ExpectText("#board-focus-h", "Anna Andersen")
	chair.ExpectText(".board-prep", "Uddannet tømrer")

	// Every section, jumped to with its key.
	sections := browsertest.Eval[[]string](chair, `[...document.querySelectorAll(".board-secnav a")].map((a) => a.hash.slice(1))`)
	want := []string{meetings.SecPrep, meetings.SecAdvice, meetings.SecPlan, meetings.SecTFA, meetings.SecRisk, meetings.SecReferrals, meetings.SecIndstilling}
	if got, _ := json.Marshal(sections); string(got) != mustJSON(want) {
		t.Fatalf("the section navigation lists %s; want %s", got, mustJSON(want))
	}
	for i, id := range sections {
		chair.PressAltShift(strconv.Itoa(i + 1))
		chair.WaitFor("section "+id+" on the screen", `document.getElementById(`+strconv.Quote(id)+`).matches(":target")`)
		var m struct {
			Top, Bottom, BoxTop, BoxBottom, Height, BoxHeight, ViewHeight, PageHeight, ScrollY float64
			Marked                                                                             bool
		}
		raw := browsertest.Eval[string](chair, `(() => {
			const s = document.getElementById(`+strconv.Quote(id)+`), box = s.closest(".board-sections");
			const r = s.getBoundingClientRect(), b = box.getBoundingClientRect();
			const link = document.querySelector(".board-secnav a[href='#`+id+`']");
			return JSON.stringify({Top: r.top, Bottom: r.bottom, BoxTop: b.top, BoxBottom: b.top + box.clientHeight,
				Height: s.scrollHeight, BoxHeight: box.clientHeight, ViewHeight: innerHeight,
				PageHeight: document.scrollingElement.scrollHeight, ScrollY: scrollY,
				Marked: getComputedStyle(link).backgroundColor === "rgb(0, 0, 0)"});
		})()`)
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatal(err)
		}
		if m.PageHeight > m.ViewHeight || m.ScrollY != 0 {
			t.Errorf("%s: the page scrolls (%.0f px tall, at %.0f) on a %.0f px screen", id, m.PageHeight, m.ScrollY, m.ViewHeight)
		}
		if m.Height > m.BoxHeight || m.Top < m.BoxTop-1 || m.Bottom > m.BoxBottom+1 || m.Bottom > m.ViewHeight {
			t.Errorf("%s does not fit the screen: %.0f–%.0f (%.0f px of content) in a box %.0f–%.0f, screen %.0f px",
				id, m.Top, m.Bottom, m.Height, m.BoxTop, m.BoxBottom, m.ViewHeight)
		}
		if !m.Marked {
			t.Errorf("%s is on the screen, but its link is not marked", id)
		}
		if id == meetings.SecRisk {
			expectChartText(t, chair, ".board-sections svg[role=img]")
			ratio := browsertest.Eval[float64](chair, `(() => {
				const body = parseFloat(getComputedStyle(document.body).fontSize);
				const svgs = [...document.querySelectorAll("#`+id+` svg[role=img]")];
				if (svgs.length === 0) return 0;
				return Math.min(...svgs.flatMap((svg) => {
					const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
					return [...svg.querySelectorAll("text")].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale / body);
				}));
			})()`)
			t.Logf("the WHO-5 chart's smallest text is %.2f of the body text", ratio)
			if ratio < minChartToBody {
				t.Errorf("the WHO-5 chart's smallest text is %.2f of the body text; want at least %.2f", ratio, minChartToBody)
			}
		}
	}

	// Effort names whole: the long one in full, none overflowing its box or ellipsed.
	chair.PressAltShift("3")
	chair.ExpectText("#"+meetings.SecPlan+" .effort-name", "Virksomhedspraktik i Netto")
	names := browsertest.Eval[[]string](chair, `[...document.querySelectorAll("#`+meetings.SecPlan+` .effort-name")].map((e) =>
		e.innerText.trim() + (e.scrollWidth > e.clientWidth ? " [overflows]" : "") + (getComputedStyle(e).textOverflow === "ellipsis" ? " [ellipsis]" : ""))`)
	found := false
	for _, n := range names { // the name and its area: "Smerteskole (Sundhed)"
		if n == longEffort+" (Beskæftigelse)" {
			found = true
		} else if n != "Virksomhedspraktik i Netto (Beskæftigelse)" && n != "Smerteskole (Sundhed)" {
			t.Errorf("effort name shown as %q", n)
		}
	}
	if !found || len(names) != 3 {
		t.Errorf("effort names %q; want the three, the long one whole", names)
	}
	// A live update (the minute-taker corrects the attendance) replaces the case's box; the
	// screen stays on the section it showed.
	anna, err := app.Store.MeetingCaseByID(context.Background(), f.meeting, f.cases[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.RecordCaseAttendance(context.Background(), store.Who{UserID: f.minutes.ID, RequestID: "test"}, f.meeting, anna.ID,
		store.Attendance{Citizen: true}); err != nil {
		t.Fatal(err)
	}
	chair.ExpectText(".board-attendance", "Bisidder: ikke til stede")
	chair.WaitFor("the plan still on the screen", `document.getElementById("`+meetings.SecPlan+`").matches(":target") &&
		Math.abs(document.getElementById("`+meetings.SecPlan+`").getBoundingClientRect().top -
		document.querySelector(".board-sections").getBoundingClientRect().top) < 2`)
	chair.CheckA11y()
	chair.CheckConsole()
	chair.Screenshot("board-room-plan")
}

// Without JavaScript the section navigation is plain in-page links: following one shows that
// section in the case's box, and the page itself still does not scroll.
func TestBoardSectionsWithoutJS(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newBoardFixture(t, app)
	chair := browsertest.Open(t, app.URL, browsertest.WithoutJS())
	chair.SetViewport(1920, 1080)
	chair.Login("chair", apptest.Password)
	chair.Go(f.board)
	chair.Click("Næste sag ›")
	chair.ExpectText("#board-focus-h", "Anna Andersen")
	chair.ClickAnchor("5 Trivsel")
	chair.WaitFor("the Trivsel section", `document.getElementById("`+meetings.SecRisk+`").matches(":target") &&
		Math.abs(document.getElementById("`+meetings.SecRisk+`").getBoundingClientRect().top -
		document.querySelector(".board-sections").getBoundingClientRect().top) < 2 && scrollY === 0`)
	chair.ExpectText("#"+meetings.SecRisk, "Mellem risiko")
	chair.CheckA11y()
}

// roomCase gives the first case what a real one has on the screen: a written forberedende
// del, the sundhedskoordinator's advice, the room's attendance and an effort with a long name.
func roomCase(t *testing.T, app *apptest.App, f boardFixture) {
	t.Helper()
	ctx := context.Background()
	anna, err := app.Store.MeetingCaseByID(ctx, f.meeting, f.cases[0])
	if err != nil {
		t.Fatal(err)
	}
	cw := store.Who{UserID: f.cw.ID, RequestID: "test"}
	if err := app.Store.SavePreparation(ctx, cw, f.meeting, anna.ID, anna.Version, helhed.Preparation{
		"education": "Uddannet tømrer, 12 år i faget; truckcertifikat fra 2019",
		"wishes":    "Vil tilbage til et håndværk, gerne på deltid i begyndelsen",
	}, false); err != nil {
		t.Fatal(err)
	}
	adv, err := app.Store.RequestHealthAdvice(ctx, cw, anna.CitizenID, app.Units[apptest.Region], "Kan borgeren arbejde stående?")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.GiveHealthAdvice(ctx, store.Who{UserID: f.minutes.ID, RequestID: "test"}, anna.CitizenID, adv, 1,
		"Skånehensyn: ingen tunge løft. Stående arbejde i perioder på højst to timer."); err != nil {
		t.Fatal(err)
	}
	room, err := app.Store.RoomMembers(ctx, f.meeting)
	if err != nil {
		t.Fatal(err)
	}
	present := store.Attendance{Citizen: true, Bisidder: true}
	for _, m := range room {
		present.Members = append(present.Members, m.ID)
	}
	if err := app.Store.RecordCaseAttendance(ctx, store.Who{UserID: f.minutes.ID, RequestID: "test"}, f.meeting, anna.ID, present); err != nil {
		t.Fatal(err)
	}
	v, _, err := app.Store.PlanForOverview(ctx, anna.CitizenID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Store.SaveEffort(ctx, cw, anna.CitizenID, v.Version, 0, store.EffortInput{Title: longEffort, Area: "beskaeftigelse",
		Status: "planlagt", ResponsibleUnitID: app.Units[apptest.Jobcenter], StartDate: time.Now().AddDate(0, 1, 0)}); err != nil {
		t.Fatal(err)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
