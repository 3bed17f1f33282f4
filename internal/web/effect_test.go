package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// The effect page measures the duration goal against the municipality's baseline (the
// setting), with the current period beside it and the method explained, and the 50 % goal on
// the citizens' own answers with n shown.
func TestEffectPageBaselineAndOwnRating(t *testing.T) {
	t.Parallel()
	app, busy, _ := managementApp(t)
	ctx := context.Background()
	w := store.Who{UserID: busy.ID, RequestID: "test"}
	today := helhed.DanishToday(app.Store.Now())
	thisYear := helhed.Month(today).AddDate(0, -int(today.Month())+1, 0)
	base := helhed.Period{From: thisYear.AddDate(-3, 0, 0), To: thisYear.AddDate(-3, 11, 0)}
	if err := app.Store.SetEffectBaseline(ctx, w, thisYear.AddDate(-1, 0, 0), base, "Året før strategien"); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	// The fixture's citizens each have a running period; these histories replace them.
	if _, err := app.Pool.Exec(ctx, `DELETE FROM benefit_periods`); err != nil {
		t.Fatal(err)
	}
	rows, err := app.Pool.Query(ctx, `SELECT id FROM citizens ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		_ = rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	// Six spells ended in the baseline year (sygedagpenge then jobafklaring: one spell each,
	// 700 days); six in this year's period (300 days). Five of the ten citizens report that
	// they are better: exactly the goal of 50 %.
	for i, id := range ids {
		answer := helhed.RatingSame
		if i%2 == 0 {
			answer = helhed.RatingMuchBetter
		}
		if _, err := app.Store.AddSelfRating(ctx, w, id, today, answer); err != nil {
			t.Fatal(err)
		}
		if i >= 6 {
			continue
		}
		end := base.To.AddDate(0, 0, -i)
		if _, err := app.Pool.Exec(ctx, `INSERT INTO benefit_periods (citizen_id, benefit_code, start_date, end_date, exit_code) VALUES
			($1, 'sygedagpenge', $2::date - 699, $2::date - 300, 'andet'), ($1, 'jobafklaringsforloeb', $2::date - 299, $2::date, 'job')`, id, end); err != nil {
			t.Fatal(err)
		}
		end = today.AddDate(0, 0, -i)
		if _, err := app.Pool.Exec(ctx, `INSERT INTO benefit_periods (citizen_id, benefit_code, start_date, end_date, exit_code) VALUES
			($1, 'kontanthjaelp', $2::date - 299, $2::date, 'uddannelse')`, id, end); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := app.Store.RefreshManagement(ctx); err != nil {
		t.Fatal(err)
	}
	c := app.Login(t, "leder")
	p := c.Get("/ledelse/effekt?fra=" + helhed.Month(today).AddDate(0, -11, 0).Format("2006-01") + "&til=" + helhed.Month(today).Format("2006-01") + "&enhed=alle")
	if p.Status != http.StatusOK {
		t.Fatalf("effect page: %d", p.Status)
	}
	goal := p.Text("#tabel-maal")
	for _, want := range []string{"Basisperiode", "700,0", "300,0", "335,0", "-400,0"} {
		if !strings.Contains(goal, want) {
			t.Errorf("goal table %q lacks %q", goal, want)
		}
	}
	main := p.Text("main")
	for _, want := range []string{"indstillingen effect_baseline", "Året før strategien", "Perioden når målet med 300,0 dage",
		"hel kalendermåned", "et skift af ydelse er ikke en afgang", "Perioden når målet med 50 %", "n = 10"} {
		if !strings.Contains(main, want) {
			t.Errorf("the effect page lacks %q", want)
		}
	}
	if got := p.Text(`#tabel-egen-vurdering tfoot`); !strings.Contains(got, "50 %") {
		t.Errorf("improvement row %q; want 50 %%", got)
	}
	// The caseworker's progression on goals no longer claims the 50 % goal.
	if risk := c.Get("/ledelse/risiko"); strings.Contains(risk.Text("main"), "Oplever fremgang") {
		t.Error("the risk page still presents the caseworker's scores as the citizens' experience")
	}
}

// Borgerens egen vurdering: the case-holding caseworker records the citizen's answer; an
// answer off the scale or a future date comes back with the message beside the field.
func TestSelfRatingForm(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "010180-1234", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	path := paths.SelfRating(id)
	p := c.Get(path)
	if p.Status != http.StatusOK || !strings.Contains(p.Text("main"), helhed.SelfRatingQuestion) || !p.Has(`input[type="radio"][value="noget_bedre"]`) {
		t.Fatalf("form: %d %q", p.Status, p.Text("main"))
	}
	today := helhed.DanishToday(app.Store.Now())
	p = c.Post(path, url.Values{"answered_on": {today.AddDate(0, 0, 1).Format("2006-01-02")}, "answer": {"fantastisk"}})
	if p.Status != http.StatusUnprocessableEntity || !p.Has(".form-error-message") {
		t.Errorf("bad input: %d", p.Status)
	}
	p = c.Post(path, url.Values{"answered_on": {today.Format("2006-01-02")}, "answer": {"noget_bedre"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Text(".self-rating"), "Noget bedre") {
		t.Errorf("after saving: %d %q", p.Status, p.Text("main"))
	}
	if n := app.AuditCount(t, store.AuditSelfRating, id); n != 1 {
		t.Errorf("%d audit rows; want 1", n)
	}
}
