package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/tasks"
	"github.com/helhed/helhed/web/paths"
)

// tasksPerPage is the task list's page size.
const tasksPerPage = 50

// tasksView lists the user's open tasks. It only reads: the generated tasks are kept up to
// date by the background job (GenerateTasks), and at once for a citizen whose samtale was
// just held (syncCitizenTasks). A row names its citizen only to a viewer who may see them;
// the list is audited with the citizens it showed.
func (s *Server) tasksView(w http.ResponseWriter, r *http.Request) error {
	return s.renderTasks(w, r, http.StatusOK, nil)
}

func (s *Server) renderTasks(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	ctx := r.Context()
	u := userFrom(r)
	page, _ := parsePage(r.URL.Query().Get(pageParam))
	rows, total, err := s.store.ListTasks(ctx, u.ID, u.UnitID, store.Page{Number: page, PerPage: tasksPerPage})
	if err != nil {
		return err
	}
	today := helhed.DanishToday(s.store.Now())
	p := tasks.ListProps{Total: total, Today: today, Errors: errs,
		Pages: components.PageInfo{Page: page, PerPage: tasksPerPage, Total: total, URL: paths.TasksPage}}
	var shown []int64
	for _, t := range rows {
		v := tasks.Task{ID: t.ID, Source: store.TaskSourceLabel(t.Source), Due: t.Due, Overdue: t.Due.Before(today), Version: t.Version}
		rel := access.Relation{CitizenUnitID: t.UnitID}
		if t.CitizenID != nil {
			v.CitizenID = *t.CitizenID
			rel.CitizenUnitID = *t.CitizenUnitID
			if access.CanCitizen(u.access(), access.ViewCitizen, rel) {
				v.Citizen = *t.CitizenName
				shown = append(shown, *t.CitizenID)
			}
		}
		v.Title = access.Gate(access.SightOf(u.access(), rel), access.TaskTitle, t.Title)
		if t.AssigneeName != nil {
			v.Assignee = *t.AssigneeName
		} else {
			v.Assignee = "Enheden"
		}
		p.Tasks = append(p.Tasks, v)
	}
	if err := s.store.AuditList(ctx, who(r), store.AuditTaskList, "opgaver", shown); err != nil {
		return err
	}
	return s.page(w, r, status, "Mine opgaver", tasks.List(p))
}

// taskAction reads the task {opgid} and the version the user read.
func taskAction(r *http.Request) (int64, int, error) {
	id, err := urlID(r, "opgid")
	if err != nil {
		return 0, 0, err
	}
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	return id, v, nil
}

// taskDonePost marks the task done.
func (s *Server) taskDonePost(w http.ResponseWriter, r *http.Request) error {
	id, version, err := taskAction(r)
	if err != nil {
		return err
	}
	u := userFrom(r)
	if err := s.store.CompleteTask(r.Context(), who(r), u.UnitID, id, version); err != nil {
		return err
	}
	s.flash(r, "success", "Opgaven er udført.")
	return redirect(w, r, paths.Tasks)
}

// taskSnoozePost hides the task until the day chosen.
func (s *Server) taskSnoozePost(w http.ResponseWriter, r *http.Request) error {
	id, version, err := taskAction(r)
	if err != nil {
		return err
	}
	if err := s.store.TaskFor(r.Context(), userFrom(r).ID, userFrom(r).UnitID, id); err != nil {
		return err
	}
	field := "until-" + strconv.FormatInt(id, 10)
	f := form.New(r.PostForm)
	until, ok := f.RequiredDate(field, "Udsæt til")
	if ok {
		err = s.store.SnoozeTask(r.Context(), who(r), userFrom(r).UnitID, id, version, until)
		if msg := fieldErrors(err)["until"]; msg != "" {
			f.Fail(field, msg)
		} else if err != nil {
			return err
		}
	}
	if !f.OK() {
		return s.renderTasks(w, r, http.StatusUnprocessableEntity, map[string]string{strconv.FormatInt(id, 10): f.Errors[field]})
	}
	s.flash(r, "success", "Opgaven er udsat til "+until.Format("02.01.2006")+".")
	return redirect(w, r, paths.Tasks)
}

// taskFormProps is the manual task form's frame: the citizen and who may get the task.
func (s *Server) taskFormProps(r *http.Request, id int64) (tasks.NewProps, error) {
	ctx := r.Context()
	c, err := s.store.CitizenByID(ctx, id)
	if err != nil {
		return tasks.NewProps{}, err
	}
	people, err := s.store.TaskAssignees(ctx, c.UnitID)
	if err != nil {
		return tasks.NewProps{}, err
	}
	p := tasks.NewProps{CitizenID: id, CitizenName: c.Name(), Assignees: []components.Option{{Value: "enhed", Label: "Hele enheden"}}}
	for _, u := range people {
		p.Assignees = append(p.Assignees, components.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
	}
	return p, nil
}

// taskNewGet shows the manual task form: due in a week, for the user.
func (s *Server) taskNewGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	p, err := s.taskFormProps(r, cr.ID)
	if err != nil {
		return err
	}
	p.Values = map[string]string{"due": s.today().AddDate(0, 0, 7).Format(time.DateOnly), "assignee": strconv.FormatInt(userFrom(r).ID, 10)}
	return s.page(w, r, http.StatusOK, "Ny opgave – "+p.CitizenName, tasks.New(p))
}

// taskNewPost gives the manual task; a refusal keeps what was typed.
func (s *Server) taskNewPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	p, err := s.taskFormProps(r, cr.ID)
	if err != nil {
		return err
	}
	f := form.New(r.PostForm)
	in := store.TaskInput{CitizenID: cr.ID}
	in.Title = strings.TrimSpace(f.RequiredText("title", "Opgave", 300))
	if d, ok := f.RequiredDate("due", "Frist"); ok {
		in.Due = d
	}
	assignee := f.RequiredChoice("assignee", "Til", func(v string) bool {
		for _, o := range p.Assignees {
			if o.Value == v {
				return true
			}
		}
		return false
	})
	if assignee != "" && assignee != "enhed" {
		in.AssigneeID, _ = strconv.ParseInt(assignee, 10, 64)
	}
	if f.OK() {
		_, err = s.store.CreateTask(r.Context(), who(r), in)
		for k, msg := range fieldErrors(err) {
			f.Fail(k, msg)
		}
		if err != nil && len(fieldErrors(err)) == 0 {
			return err
		}
	}
	if !f.OK() {
		p.Values, p.Errors, p.Summary = f.Values, f.Errors, f.SummaryTexts()
		return s.page(w, r, http.StatusUnprocessableEntity, "Ny opgave – "+p.CitizenName, tasks.New(p))
	}
	s.flash(r, "success", "Opgaven er gemt.")
	return redirect(w, r, paths.Citizen(cr.ID))
}

// syncCitizenTasks brings one citizen's generated tasks up to date after a change the user
// expects to see on their list at once (a samtale held): a few milliseconds. The change is
// already saved, so a failure is logged, not shown; the background job catches up.
func (s *Server) syncCitizenTasks(r *http.Request, citizenID int64) {
	if err := s.store.SyncCitizenTasks(r.Context(), citizenID, store.DefaultTaskRules()); err != nil {
		s.log.Error("sync citizen tasks", "request_id", requestID(r), "err", err)
	}
}

// GenerateTasks is the background job that keeps the generated tasks of every open case up
// to date (store.SyncAllTasks): at once, then every interval, until ctx ends. It runs in
// every app instance; PostgreSQL's advisory lock lets one of them work at a time, and the
// others skip their turn. Generating took 70–150 ms per caseworker on each opening of the
// task list before; the list and the header's badge now only read (docs/queries.md).
func (s *Server) GenerateTasks(ctx context.Context, every time.Duration) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		start := time.Now()
		ran, err := s.store.SyncAllTasks(ctx, store.DefaultTaskRules())
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Error("generate tasks", "err", err)
		case ran:
			s.log.Debug("generate tasks", "took", time.Since(start).Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
