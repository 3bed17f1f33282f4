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

// samtaleValues is a filled-in booking form.
func samtaleValues(day time.Time, clock, minutes string) url.Values {
	return url.Values{"date": {day.Format(time.DateOnly)}, "time": {clock}, "duration": {minutes}, "form": {"fysisk"},
		"place": {"Mødelokale 2"}, "class": {"sag"}}
}

// Booking through the form: bad input comes back with the Danish message beside its field and
// everything typed, and saves nothing; a double booking is a warning until "Book alligevel";
// the outcome is recorded on the samtale page and lands in the journal.
func TestSamtaleFormsAndOutcome(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	base := "/borgere/" + strconv.FormatInt(a, 10) + "/samtaler"
	c := app.Login(t, "cw")
	tomorrow := form.Today(time.Now()).AddDate(0, 0, 1)
	ctx := context.Background()
	count := func(q string) int {
		var n int
		if err := app.Pool.QueryRow(ctx, q, a).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	if p := c.Get(base + "/ny"); p.Status != http.StatusOK || p.Value("#duration") != "45" {
		t.Fatalf("booking form: %d", p.Status)
	}
	bad := samtaleValues(tomorrow, "10:00", "0")
	bad.Set("place", "Lokale 7")
	p := c.Post(base+"/ny", bad)
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#duration-error"), "helt tal fra 1") || p.Value("#place") != "Lokale 7" {
		t.Fatalf("zero minutes: %d %q, place kept %q", p.Status, p.Text("#duration-error"), p.Value("#place"))
	}
	past := samtaleValues(form.Today(time.Now()).AddDate(0, 0, -1), "10:00", "30")
	p = c.Post(base+"/ny", past)
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#date-error"), "kun registreres som holdt") {
		t.Fatalf("past booking: %d %q", p.Status, p.Text("#date-error"))
	}
	withStranger := samtaleValues(tomorrow, "10:00", "30")
	withStranger.Set("participants", "sund, ukendt")
	p = c.Post(base+"/ny", withStranger)
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#participants-error"), "ukendt") {
		t.Fatalf("unknown participant: %d %q", p.Status, p.Text("#participants-error"))
	}
	if n := count(`SELECT count(*) FROM samtaler WHERE citizen_id = $1`); n != 0 {
		t.Fatalf("%d samtaler saved by refused forms", n)
	}

	ok := samtaleValues(tomorrow, "10:00", "30")
	ok.Set("participants", "sund")
	p = c.NoRedirects().Post(base+"/ny", ok)
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), base+"/") {
		t.Fatalf("booking: %d to %q", p.Status, p.Header.Get("Location"))
	}
	samtale := p.Header.Get("Location")
	// The same hour again: a warning with "Book alligevel", nothing saved; then confirmed.
	again := samtaleValues(tomorrow, "10:15", "30")
	p = c.Post(base+"/ny", again)
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text(".alert-warning"), "Borgeren har allerede en samtale") || !p.Has("#overlap_ok") {
		t.Fatalf("double booking: %d %q", p.Status, p.Text(".alert-warning"))
	}
	again.Set("overlap_ok", "true")
	if p := c.NoRedirects().Post(base+"/ny", again); p.Status != http.StatusSeeOther {
		t.Fatalf("confirmed double booking: %d", p.Status)
	}
	if n := count(`SELECT count(*) FROM samtaler WHERE citizen_id = $1`); n != 2 {
		t.Fatalf("%d samtaler; want 2", n)
	}

	// Not begun: no outcome form yet. Moved to the past by the clock, it has one.
	if p := c.Get(samtale); p.Has("#status") || !strings.Contains(p.Text("main"), "når samtalen er begyndt") {
		t.Fatalf("outcome form before the samtale: %v", p.Has("#status"))
	}
	if _, err := app.Pool.Exec(ctx, `UPDATE samtaler SET starts_at = now() - interval '1 hour', ends_at = now() - interval '30 minutes'
		WHERE citizen_id = $1 AND place = 'Mødelokale 2' AND starts_at = (SELECT min(starts_at) FROM samtaler WHERE citizen_id = $1)`, a); err != nil {
		t.Fatal(err)
	}
	p = c.Get(samtale)
	if !p.Has("#status") {
		t.Fatal("no outcome form on a samtale that has begun")
	}
	p = c.Post(samtale+"/udfald", url.Values{"status": {"afholdt"}, "class": {"sag"}, "outcome": {""}, "version": {"1"}})
	if p.Status != http.StatusUnprocessableEntity || p.Text("#outcome-error") == "" {
		t.Fatalf("outcome without text: %d %q", p.Status, p.Text("#outcome-error"))
	}
	p = c.NoRedirects().Post(samtale+"/udfald", url.Values{"status": {"afholdt"}, "class": {"sag"}, "outcome": {"Aftalte praktik i Brugsen."}, "version": {"1"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("outcome: %d", p.Status)
	}
	if n := count(`SELECT count(*) FROM journal_notes n JOIN samtaler s ON s.note_id = n.id
		WHERE s.citizen_id = $1 AND s.status = 'afholdt' AND n.text = 'Aftalte praktik i Brugsen.'`); n != 1 {
		t.Fatalf("outcome note: %d", n)
	}
	if got := c.Get(samtale).Text("main dl"); !strings.Contains(got, "Afholdt") {
		t.Errorf("samtale page after the outcome: %q", got)
	}
	// Cancelling the other one needs a reason.
	var other int64
	if err := app.Pool.QueryRow(ctx, `SELECT id FROM samtaler WHERE citizen_id = $1 AND status = 'booket'`, a).Scan(&other); err != nil {
		t.Fatal(err)
	}
	op := base + "/" + strconv.FormatInt(other, 10)
	if p := c.Post(op+"/aflys", url.Values{"version": {"1"}}); p.Status != http.StatusUnprocessableEntity || p.Text("#cancel_reason-error") == "" {
		t.Fatalf("cancel without reason: %d", p.Status)
	}
	if p := c.NoRedirects().Post(op+"/aflys", url.Values{"version": {"1"}, "cancel_reason": {"Borgeren er syg"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("cancel: %d", p.Status)
	}
	if got := c.Get(base).Text("main table"); !strings.Contains(got, "Aflyst") || !strings.Contains(got, "Afholdt") {
		t.Errorf("citizen's samtaler: %q", got)
	}
	_ = helhed.SamtaleBooked
}

// The week views: mine holds what I hold and what I take part in; the unit's week is for the
// jobcenter staff; a participant from the health centre sees the samtale by case reference,
// never the citizen's name.
func TestCalendarWeekViews(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "kollega", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	base := "/borgere/" + strconv.FormatInt(a, 10) + "/samtaler"
	c := app.Login(t, "cw")
	// Next Monday at 10:00: always in the future, and in next week's view.
	today := form.Today(time.Now())
	monday := today.AddDate(0, 0, 7-(int(today.Weekday())+6)%7)
	v := samtaleValues(monday, "10:00", "30")
	v.Set("participants", "sund")
	if p := c.NoRedirects().Post(base+"/ny", v); p.Status != http.StatusSeeOther {
		t.Fatalf("booking: %d %s", p.Status, p.Text(".error-summary"))
	}
	week := helhed.ISOWeek(monday)
	p := c.Get("/kalender?uge=" + week)
	if p.Status != http.StatusOK || !strings.Contains(p.Text("main table"), "Anna Andersen") || !strings.Contains(p.Text("main table"), "Mødelokale 2") {
		t.Fatalf("my week: %d %q", p.Status, p.Text("main"))
	}
	if got := c.Get("/kalender").Text(".result-count"); got == "1 samtale" && helhed.ISOWeek(today) != week {
		t.Errorf("this week shows next week's samtale")
	}
	k := app.Login(t, "kollega")
	if got := k.Get("/kalender?uge=" + week).Text("main"); strings.Contains(got, "Anna Andersen") {
		t.Errorf("the colleague's own week holds another's samtale")
	}
	if got := k.Get("/kalender?omfang=enhed&uge=" + week).Text("main table"); !strings.Contains(got, "Anna Andersen") {
		t.Errorf("the unit's week: %q", got)
	}
	s := app.Login(t, "sund")
	p = s.Get("/kalender?uge=" + week)
	if body := p.Text("main"); p.Status != http.StatusOK || strings.Contains(body, "Anna") || !strings.Contains(body, "Sag "+strconv.FormatInt(a, 10)) {
		t.Errorf("the participant's week: %d %q; want the case reference, not the name", p.Status, body)
	}
	if p := s.Get("/kalender?omfang=enhed"); p.Status != http.StatusForbidden {
		t.Errorf("a nurse's unit week: %d; want 403", p.Status)
	}
	if p := c.Get("/kalender?uge=2026-W99"); p.Status != http.StatusOK {
		t.Errorf("an unreadable week: %d; want this week", p.Status)
	}
}

// The kontaktforløb on the pages: the citizen page and the samtaler page say when the next
// required conversation is due, with the rule and its source; an overdue one is on the
// caseworker's and the unit's overdue lists; an exemption (a refused one comes back with its
// message) takes the citizen off.
func TestKontaktforloebOnThePages(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "leder", access.RoleManager, apptest.Jobcenter)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	ctx := context.Background()
	// Kontanthjælp since 60 days ago: the first of four samtaler was due after 45 days.
	start := form.Today(time.Now()).AddDate(0, 0, -60)
	if _, err := app.Pool.Exec(ctx, `INSERT INTO benefit_periods (citizen_id, benefit_code, start_date) VALUES ($1, 'kontanthjaelp', $2)`, a, start); err != nil {
		t.Fatal(err)
	}
	c := app.Login(t, "cw")
	citizen := "/borgere/" + strconv.FormatInt(a, 10)
	if got := c.Get(citizen).Text("#samtaler"); !strings.Contains(got, "Næste samtale er overskredet") {
		t.Errorf("citizen page: %q", got)
	}
	p := c.Get(citizen + "/samtaler")
	if got := p.Text("#naeste-samtale"); !strings.Contains(got, "ikke holdt rettidigt") || !strings.Contains(got, "Kilde: Lov nr. 1750") {
		t.Errorf("samtaler page: %q", got)
	}
	if got := c.Get("/samtaler/overskredne").Text("main table"); !strings.Contains(got, "Anna Andersen") || !strings.Contains(got, "0 af 4") {
		t.Errorf("own overdue list: %q", got)
	}
	if got := app.Login(t, "leder").Get("/samtaler/overskredne").Text("main table"); !strings.Contains(got, "Anna Andersen") {
		t.Errorf("the leader's (unit) overdue list: %q", got)
	}
	p = c.Post(citizen+"/samtaler/undtagelser", url.Values{"reason": {"konkret_vurdering"}, "from": {"2026-02-01"}, "to": {"2026-01-01"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#to-error"), "efter startdatoen") {
		t.Fatalf("exemption ending before it begins: %d %q", p.Status, p.Text("#to-error"))
	}
	if p := c.NoRedirects().Post(citizen+"/samtaler/undtagelser", url.Values{"reason": {"konkret_vurdering"},
		"from": {form.Today(time.Now()).AddDate(0, 0, -1).Format(time.DateOnly)}}); p.Status != http.StatusSeeOther {
		t.Fatalf("exemption: %d", p.Status)
	}
	if got := c.Get(citizen).Text("#samtaler"); !strings.Contains(got, "Undtaget fra kontaktforløbet") {
		t.Errorf("citizen page after the exemption: %q", got)
	}
	if got := c.Get("/samtaler/overskredne").Text("main"); strings.Contains(got, "Anna Andersen") {
		t.Errorf("an exempt citizen on the overdue list")
	}
}

// The task list: generated from the case (here the kontaktforløb's samtale) with the badge in
// the header; recording the samtale's outcome takes the task off; a manual task is given on
// the citizen's form, done and snoozed from the list, each audited; another caseworker cannot
// complete it.
func TestTaskListFollowsTheCase(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "kollega", access.RoleCaseworker, apptest.Jobcenter)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	ctx := context.Background()
	// Kontanthjælp since 50 days ago: the first samtale was due on day 46.
	if _, err := app.Pool.Exec(ctx, `INSERT INTO benefit_periods (citizen_id, benefit_code, start_date) VALUES ($1, 'kontanthjaelp', $2)`,
		a, form.Today(time.Now()).AddDate(0, 0, -50)); err != nil {
		t.Fatal(err)
	}
	// The background job's run (web.Server.GenerateTasks): the list itself only reads.
	if _, err := app.Store.SyncAllTasks(ctx, store.DefaultTaskRules()); err != nil {
		t.Fatal(err)
	}
	c := app.Login(t, "cw")
	p := c.Get("/opgaver")
	if got := p.Text("#opgaver"); !strings.Contains(got, "Lovpligtig samtale i kontaktforløbet") || !strings.Contains(got, "Anna Andersen") {
		t.Fatalf("task list: %q", got)
	}
	if got := c.Get("/kalender").Text("nav a[href='/opgaver']"); !strings.Contains(got, "1") {
		t.Errorf("badge beside Opgaver: %q", got)
	}
	// The samtale is held and recorded: the task goes.
	citizen := "/borgere/" + strconv.FormatInt(a, 10)
	v := samtaleValues(form.Today(time.Now()), "00:05", "30")
	v.Set("held", "true")
	v.Set("outcome", "Jobsamtale om praktik.")
	if p := c.NoRedirects().Post(citizen+"/samtaler/ny", v); p.Status != http.StatusSeeOther {
		t.Fatalf("held samtale: %d %s", p.Status, p.Text(".error-summary"))
	}
	if got := c.Get("/opgaver").Text("main"); strings.Contains(got, "Lovpligtig samtale") {
		t.Errorf("the samtale task is still there: %q", got)
	}
	// A manual task.
	if p := c.Post(citizen+"/opgaver/ny", url.Values{"title": {""}, "due": {"2026-12-24"}, "assignee": {"enhed"}}); p.Status != http.StatusUnprocessableEntity || p.Text("#title-error") == "" {
		t.Fatalf("a task without a title: %d", p.Status)
	}
	if p := c.NoRedirects().Post(citizen+"/opgaver/ny", url.Values{"title": {"Ring til lægen"}, "due": {form.Today(time.Now()).Format(time.DateOnly)},
		"assignee": {strconv.FormatInt(cw.ID, 10)}}); p.Status != http.StatusSeeOther {
		t.Fatalf("manual task: %d", p.Status)
	}
	var id int64
	if err := app.Pool.QueryRow(ctx, `SELECT id FROM tasks WHERE source = 'manuel'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	done := "/opgaver/" + strconv.FormatInt(id, 10) + "/udfoert"
	if p := app.Login(t, "kollega").Post(done, url.Values{"version": {"1"}}); p.Status != http.StatusNotFound {
		t.Errorf("a colleague completes another's task: %d; want 404", p.Status)
	}
	if p := c.Post("/opgaver/"+strconv.FormatInt(id, 10)+"/udsaet", url.Values{"version": {"1"}, "until-" + strconv.FormatInt(id, 10): {"2000-01-01"}}); p.Status != http.StatusUnprocessableEntity {
		t.Errorf("snooze into the past: %d", p.Status)
	}
	if p := c.NoRedirects().Post(done, url.Values{"version": {"1"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("done: %d", p.Status)
	}
	var n int
	if err := app.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action IN ('task.create', 'task.done') AND citizen_id = $1`, a).Scan(&n); err != nil || n != 2 {
		t.Errorf("%d audit rows of the task; want 2", n)
	}
}

// The task list only reads: the server's background job generates the tasks, at once and
// then on its ticker, until it is stopped; without it a new cause waits for the next run.
func TestTasksAreGeneratedInTheBackground(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	ctx := context.Background()
	today := form.Today(time.Now())
	if _, err := app.Pool.Exec(ctx, `UPDATE citizens SET next_follow_up = $2 WHERE id = $1`, a, today); err != nil {
		t.Fatal(err)
	}
	c := app.Login(t, "cw")
	if got := c.Get("/opgaver").Text("main"); strings.Contains(got, "Opfølgning på indsatsplanen") {
		t.Fatal("the task list generated a task itself")
	}
	jobCtx, stop := context.WithCancel(ctx)
	stopped := make(chan struct{})
	go func() {
		app.Server.GenerateTasks(jobCtx, 20*time.Millisecond)
		close(stopped)
	}()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for i := 0; !ok(); i++ {
			if i == 1000 {
				t.Fatalf("%s: not after 1 000 looks", what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor("the job's task on the list", func() bool {
		return strings.Contains(c.Get("/opgaver").Text("#opgaver"), "Opfølgning på indsatsplanen")
	})
	// On its ticker: a second cause while it runs is picked up too.
	b := app.Citizen(t, "030486-1234", "Bo", "Berg", apptest.Jobcenter, cw.ID)
	if _, err := app.Pool.Exec(ctx, `UPDATE citizens SET next_follow_up = $2 WHERE id = $1`, b, today); err != nil {
		t.Fatal(err)
	}
	waitFor("the second task", func() bool { return strings.Contains(c.Get("/opgaver").Text("#opgaver"), "Bo Berg") })
	stop()
	<-stopped
}
