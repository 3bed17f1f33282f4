package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
)

// A citizen who does not drink and has a WHO-5 of 20 is offered the mental-health course
// first, never the alcohol conversation, and the page says why (issue 15: the alcohol offer
// used to come first because it targets every risk group and sorts first by name).
func TestScreeningSuggestsMentalHealthFirstToANonDrinker(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.Offer(t, "Den korte rådgivende samtale om alkohol", apptest.Health, []string{"hoej", "mellem", "lav"}, []string{"alkohol"})
	angst := app.Offer(t, "Forløb for borgere med lettere angst, stress og depression", apptest.Jobcenter, []string{"hoej", "mellem"}, []string{"soevn"})
	if _, err := app.Pool.Exec(context.Background(), `UPDATE offers SET focus = '{mental}' WHERE id = $1`, angst); err != nil {
		t.Fatal(err)
	}
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	form := screeningAnswers()
	form.Set("drinks_week", "0")
	form.Set("drinks_day", "0")
	form.Set("active_minutes", "45")
	for i, v := range []string{"1", "1", "1", "1", "1"} { // 5 × 4 = WHO-5 20
		form.Set("who5_"+strconv.Itoa(i+1), v)
	}
	p := c.Post("/borgere/"+strconv.FormatInt(id, 10)+"/screeninger/ny", form)
	if !strings.Contains(p.URL.Path, "/screeninger/") {
		t.Fatalf("create screening: %d: %s", p.Status, p.Text(".error-summary"))
	}
	rows := p.Doc.Find("table.suggestions tbody tr")
	if rows.Length() == 0 {
		t.Fatal("no suggestions")
	}
	first := rows.First().Text()
	if !strings.Contains(first, "lettere angst") {
		t.Errorf("first suggestion %q; want the mental-health course", strings.TrimSpace(first))
	}
	if !strings.Contains(first, "Foreslået fordi: WHO-5 = 20 (≤ 28)") {
		t.Errorf("first suggestion %q does not explain the ranking", strings.TrimSpace(first))
	}
	if strings.Contains(p.Text("table.suggestions"), "alkohol") {
		t.Error("the alcohol conversation is suggested to a citizen who does not drink")
	}
}
