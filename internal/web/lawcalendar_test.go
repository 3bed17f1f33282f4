package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// The law calendar, generated from the reference data: what changed when, newest first and
// grouped by the day it took effect, each change with its source; what is announced (a value
// from a later day) apart. A leader reads it; the administrator also gets links to the values.
func TestLawCalendar(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "leader", access.RoleManager, apptest.Jobcenter)
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	soon := time.Now().AddDate(0, 2, 0)
	if err := app.Store.AddRefValue(context.Background(), store.Who{RequestID: "test"}, "benefit_type", "ny_ydelse", store.RefValueInput{
		Label: "Ny forsørgelsesydelse", Source: "Lov nr. 99 af 1.1.2027", SortOrder: 100, ValidFrom: soon}); err != nil {
		t.Fatal(err)
	}

	p := app.Login(t, "leader").Get(paths.LawCalendar)
	if p.Status != http.StatusOK || p.Text("h1") != "Lovkalender" {
		t.Fatalf("law calendar for a leader: %d %q", p.Status, p.Text("h1"))
	}
	if p.Doc.Find(`nav[aria-label=Hovedmenu] a[href="/lovkalender"]`).Length() == 0 {
		t.Error("the leader's navigation has no Lovkalender")
	}
	day := func(p *apptest.Page, heading string) *goquery.Selection {
		t.Helper()
		h := p.Doc.Find("h3").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == heading })
		if h.Length() != 1 {
			t.Fatalf("no single day %q in the calendar (days: %q)", heading, p.Doc.Find("h3").Text())
		}
		return h.Next()
	}
	row := func(table *goquery.Selection, label string) string {
		return strings.Join(strings.Fields(table.Find(`tr:has(th:contains("`+label+`"))`).Text()), " ")
	}
	reform := day(p, "1. juli 2025")
	for _, label := range []string{"Uddannelseshjælp", "Integrationsydelse"} {
		if got := row(reform, label); !strings.Contains(got, "Gælder ikke længere (sidste dag 30. juni 2025)") ||
			!strings.Contains(got, "lov nr. 1655 af 30.12.2024") {
			t.Errorf("1. juli 2025, %s: %q", label, got)
		}
	}
	children := day(p, "1. januar 2024")
	if got := row(children, "Barnets lov § 29"); !strings.Contains(got, "Gælder fra denne dag") || !strings.Contains(got, "lov nr. 721 af 13.6.2023") {
		t.Errorf("1. januar 2024, barnets lov § 29: %q", got)
	}
	if got := row(children, "Serviceloven § 11"); !strings.Contains(got, "Gælder ikke længere") {
		t.Errorf("1. januar 2024, serviceloven § 11: %q", got)
	}
	day(p, "1. januar 2014") // uddannelseshjælp began
	if strings.Contains(p.Text("main"), "1900") {
		t.Error("an undated start shows as a day in 1900")
	}
	// Newest first: the reform of 2025 before barnets lov of 2024 before 2014.
	if days := p.Doc.Find("#sket ~ h3").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); len(days) < 3 ||
		indexOf(days, "1. juli 2025") > indexOf(days, "1. januar 2024") || indexOf(days, "1. januar 2024") > indexOf(days, "1. januar 2014") {
		t.Errorf("days in order %q", days)
	}
	// Announced: the value from a later day, in its own section, not among what happened.
	announced := p.Doc.Find("#varslet").NextUntil("#sket").Text()
	if !strings.Contains(announced, "Ny forsørgelsesydelse") || !strings.Contains(announced, "Lov nr. 99 af 1.1.2027") {
		t.Errorf("announced: %q", announced)
	}
	if p.Has(`main a[href^="/admin/referencedata/"]`) {
		t.Error("the leader gets links to the administrator's pages")
	}

	p = app.Login(t, "admin").Get(paths.LawCalendar)
	if p.Status != http.StatusOK || !p.Has(`a[href="`+paths.RefValue("benefit_type", "uddannelseshjaelp")+`"]`) {
		t.Errorf("law calendar for the administrator: %d, no link to the value", p.Status)
	}
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return len(ss)
}
