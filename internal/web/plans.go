package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/pdf"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/layout"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/pages/errorpage"
	"github.com/helhed/helhed/web/pages/plans"
	"github.com/helhed/helhed/web/paths"
)

// planRefs are the vocabularies of efforts.
type planRefs struct{ area, status store.RefSet }

func (s *Server) loadPlanRefs(r *http.Request) (planRefs, error) {
	m, err := s.vocab.Sets(r.Context(), "effort_area", "effort_status")
	return planRefs{area: m["effort_area"], status: m["effort_status"]}, err
}

// effortChoices narrows the vocabularies to what the effort typed offers and accepts on day:
// the values in force and, when effort eid of v is edited, its own area and status, so
// saving it never forces a new one because the old has ended.
func (rf planRefs) effortChoices(day time.Time, v store.PlanView, eid int64) planRefs {
	var area, status string
	for _, e := range v.Efforts {
		if e.ID == eid {
			area, status = e.Area, e.Status
		}
	}
	return planRefs{area: rf.area.Keeping(day, area), status: rf.status.Keeping(day, status)}
}

func (s *Server) planView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	return s.renderPlan(w, r, id, http.StatusOK, nil, nil)
}

// effortRows labels a plan's efforts, gated for sight, and adds the LAB § 167 reminder to
// mentor efforts whose period runs out within the warning window.
func effortRows(v store.PlanView, rf planRefs, rules helhed.MentorRules, today time.Time, sight access.Sight) []access.Gated[plans.EffortRow] {
	out := make([]access.Gated[plans.EffortRow], len(v.Efforts))
	for i, e := range v.Efforts {
		row := plans.EffortRow{ID: e.ID, Title: e.Title, Area: e.Area, AreaLabel: rf.area.Label(e.Area), Status: rf.status.Label(e.Status),
			Unit: e.ResponsibleUnit, Person: e.ResponsiblePerson, Contact: e.Contact, Start: e.StartDate, End: e.EndDate, Mentor: e.Mentor}
		if e.Mentor && e.EndDate != nil && e.Status != "afsluttet" && e.Status != "afbrudt" {
			if warn, days := helhed.MentorWarning(e.MentorPeriod(), today, rules); warn {
				when := fmt.Sprintf("om %d dage", days)
				if days == 0 {
					when = "i dag"
				}
				row.MentorWarning = fmt.Sprintf("Mentorperioden for »%s« slutter %s (%s). Vurdér, om støtten skal forlænges; en ny periode kræver en ny vurdering (LAB § 167).",
					e.Title, when, format.ShortDate(*e.EndDate))
			}
		}
		out[i] = access.GateRow(sight, e.Row(), access.PlanEffort, row)
	}
	return out
}

// renderPlan shows the plan page; fuForm and fuErrs are a rejected follow-up form.
func (s *Server) renderPlan(w http.ResponseWriter, r *http.Request, id int64, status int, fuForm, fuErrs map[string]string) error {
	ctx := r.Context()
	u := userFrom(r)
	rel, err := s.store.Relation(ctx, u.access(), id)
	if err != nil {
		return err
	}
	c, err := s.store.CitizenByID(ctx, id)
	if err != nil {
		return err
	}
	today := s.today()
	p := plans.PlanProps{CitizenID: id, CitizenName: c.Name(), CanEdit: access.CanCitizen(u.access(), access.EditPlan, rel), Today: today,
		PDFAvailable: s.pdf.Available(), FollowUpForm: fuForm, FollowUpError: fuErrs}
	v, err := s.store.ViewPlan(ctx, who(r), id, "indsatsplan")
	if helhed.ErrorCode(err) == helhed.ENotFound {
		return s.page(w, r, status, "Indsatsplan – "+c.Name(), plans.Plan(p))
	}
	if err != nil {
		return err
	}
	rf, err := s.loadPlanRefs(r)
	if err != nil {
		return err
	}
	rules, err := s.store.MentorRules(ctx, today)
	if err != nil {
		return err
	}
	sight := access.SightOf(u.access(), rel)
	p.Exists, p.Version, p.UpdatedBy, p.UpdatedAt = true, v.Version, v.UpdatedBy, v.UpdatedAt
	p.CitizenGoal = access.Gate(sight, access.PlanCitizenGoal, v.CitizenGoal)
	p.FromTFA, p.NextFollowUp = v.AssessmentID != nil, v.NextFollowUp
	p.Overdue = helhed.FollowUpOverdue(v.NextFollowUp, today)
	if p.FollowUpForm == nil {
		p.FollowUpForm = map[string]string{"held_on": today.Format(time.DateOnly)}
	}
	var goals []plans.GoalRow
	for _, g := range v.Goals {
		row := plans.GoalRow{ID: g.ID, Text: g.Text}
		for _, f := range v.FollowUps {
			if n, ok := f.Scores[g.ID]; ok {
				row.Points = append(row.Points, components.ScorePoint{Label: format.ShortDate(f.HeldOn), Score: n})
			}
		}
		goals = append(goals, row)
	}
	p.Goals = access.Gate(sight, access.PlanGoalText, goals)
	p.Efforts = effortRows(v, rf, rules, today, sight)
	for i, e := range v.Efforts {
		row, _ := p.Efforts[i].Get()
		p.Bars = append(p.Bars, access.GateRow(sight, e.Row(), access.PlanEffort, components.TimelineBar{Label: row.Title, Area: row.Area,
			Status: row.Status, Start: row.Start, End: row.End}))
	}
	var followUps []plans.FollowUpRow
	for _, f := range v.FollowUps {
		row := plans.FollowUpRow{HeldOn: f.HeldOn, Note: f.Note, By: f.By}
		for _, g := range v.Goals {
			sc := "–"
			if n, ok := f.Scores[g.ID]; ok {
				sc = strconv.Itoa(n)
			}
			row.Scores = append(row.Scores, sc)
		}
		followUps = append(followUps, row)
	}
	p.FollowUps = access.Gate(sight, access.FollowUpNote, followUps)
	for _, pv := range v.Versions {
		p.Versions = append(p.Versions, plans.VersionRow{Version: pv.Version, Summary: access.Gate(sight, access.PlanVersionSummary, pv.Summary),
			By: pv.SavedBy, At: pv.SavedAt})
	}
	return s.page(w, r, status, "Indsatsplan – "+c.Name(), plans.Plan(p))
}

// planCreatePost opens an empty plan for a citizen without one.
func (s *Server) planCreatePost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	months, err := s.store.FollowUpIntervalMonths(r.Context(), s.now())
	if err != nil {
		return err
	}
	if err := s.store.CreatePlan(r.Context(), who(r), id, s.now(), months); err != nil && helhed.ErrorCode(err) != helhed.EConflict {
		return err
	}
	s.flash(r, "success", "Indsatsplanen er oprettet.")
	return redirect(w, r, paths.Plan(id))
}

// planConflict renders the conflict page: the version now saved, and the user's own
// version (yours: the typed with what they typed, carrying the current version number).
func (s *Server) planConflict(w http.ResponseWriter, r *http.Request, id int64, cause error, yours func(version int) templ.Component) error {
	ctx := r.Context()
	v, err := s.store.ViewPlan(ctx, who(r), id, "konflikt")
	if err != nil {
		return err
	}
	cur, _, err := s.store.PlanVersionPair(ctx, who(r), id, v.Version, v.Version)
	if err != nil {
		return err
	}
	c, err := s.store.CitizenByID(ctx, id)
	if err != nil {
		return err
	}
	return s.page(w, r, http.StatusConflict, "Konflikt i indsatsplanen – "+c.Name(), plans.Conflict(plans.ConflictProps{
		CitizenID: id, CitizenName: c.Name(), Message: helhed.ErrorMessage(cause), SavedBy: v.UpdatedBy, SavedAt: v.UpdatedAt,
		Current: cur, Yours: yours(v.Version)}))
}

func (s *Server) formPage(w http.ResponseWriter, r *http.Request, id int64, status int, title string, typed templ.Component) error {
	c, err := s.store.CitizenByID(r.Context(), id)
	if err != nil {
		return err
	}
	return s.page(w, r, status, title+" – "+c.Name(), plans.FormPage(plans.FormPageProps{CitizenID: id, CitizenName: c.Name(), Title: title, Form: typed}))
}

// planGoalsGet shows the goals typed with the saved goals and three blank lines.
func (s *Server) planGoalsGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	v, err := s.store.ViewPlan(r.Context(), who(r), id, "mål")
	if err != nil {
		return err
	}
	p := plans.GoalsFormProps{CitizenID: id, Version: v.Version, CitizenGoal: v.CitizenGoal}
	for _, g := range v.Goals {
		p.Goals = append(p.Goals, plans.GoalInputRow{ID: strconv.FormatInt(g.ID, 10), Text: g.Text})
	}
	p.Goals = append(p.Goals, plans.GoalInputRow{}, plans.GoalInputRow{}, plans.GoalInputRow{})
	return s.formPage(w, r, id, http.StatusOK, "Ret mål", plans.GoalsForm(p))
}

// planGoalsPost saves the goals on the version the typed was loaded with.
func (s *Server) planGoalsPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	_ = r.ParseForm()
	p := plans.GoalsFormProps{CitizenID: id, CitizenGoal: strings.TrimSpace(r.PostFormValue("citizen_goal")), Errors: map[string]string{}}
	version, verr := strconv.Atoi(r.PostFormValue("version"))
	if verr != nil {
		p.Errors["version"] = "Formularen er ufuldstændig. Åbn siden igen."
	}
	p.Version = version
	if msg := helhed.CheckLongText(p.CitizenGoal); msg != "" {
		p.Errors["citizen_goal"] = msg
	}
	var goals []store.GoalInput
	for i := 0; i < 100; i++ {
		k := strconv.Itoa(i)
		text, ok := r.PostForm["goal_text_"+k]
		if !ok {
			break
		}
		row := plans.GoalInputRow{ID: r.PostFormValue("goal_id_" + k), Text: strings.TrimSpace(text[0])}
		p.Goals = append(p.Goals, row)
		var gid int64
		if row.ID != "" {
			var err error
			if gid, err = strconv.ParseInt(row.ID, 10, 64); err != nil || gid <= 0 {
				return helhed.ErrNotFound
			}
		}
		if utf8.RuneCountInString(row.Text) > 500 {
			p.Errors["goals"] = "Et delmål må højst være 500 tegn"
		}
		if row.Text != "" {
			goals = append(goals, store.GoalInput{ID: gid, Text: row.Text})
		}
	}
	if len(p.Errors) > 0 {
		return s.formPage(w, r, id, http.StatusUnprocessableEntity, "Ret mål", plans.GoalsForm(p))
	}
	err := s.store.SavePlanGoals(r.Context(), who(r), id, version, p.CitizenGoal, goals)
	if helhed.ErrorCode(err) == helhed.EConflict {
		return s.planConflict(w, r, id, err, func(v int) templ.Component {
			p.Version = v
			return plans.GoalsForm(p)
		})
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Målene er gemt i en ny version af planen.")
	return redirect(w, r, paths.Plan(id)+"#maal")
}

// effortForm is everything typed into the effort form.
type effortForm struct {
	values  map[string]string
	errors  map[string]string
	in      store.EffortInput
	version int
}

var effortFields = []string{"title", "area", "status", "unit", "person", "contact", "start", "end", "mentor", "discharge", helhed.FieldMentorRenewed, "version"}

// parseDate reads an optional date typed as ÅÅÅÅ-MM-DD (a Danish calendar date, see
// form.ParseDate): nil when empty, false when malformed.
func parseDate(v string) (*time.Time, bool) {
	if v == "" {
		return nil, true
	}
	d, err := form.ParseDate(v)
	if err != nil {
		return nil, false
	}
	return &d, true
}

// decodeEffortForm reads and checks the effort typed: the choices of rf (effortChoices), a
// unit from the list, dates, the effort rules, and for mentor support the LAB § 167 rules against the
// plan's other mentor periods.
func (s *Server) decodeEffortForm(r *http.Request, effortID int64, v store.PlanView, rf planRefs, units map[int64]bool, rules helhed.MentorRules) effortForm {
	_ = r.ParseForm()
	f := effortForm{values: map[string]string{}, errors: map[string]string{}}
	for _, k := range effortFields {
		f.values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	in := store.EffortInput{Title: f.values["title"], Area: f.values["area"], Status: f.values["status"],
		ResponsiblePerson: f.values["person"], Contact: f.values["contact"],
		Mentor: f.values["mentor"] == "true", MentorRenewed: f.values[helhed.FieldMentorRenewed] == "true"}
	if !rf.area.Has(in.Area) {
		f.errors["area"] = "Vælg et område fra listen"
	}
	if !rf.status.Has(in.Status) {
		f.errors["status"] = "Vælg en status fra listen"
	}
	if uid, err := strconv.ParseInt(f.values["unit"], 10, 64); err == nil && units[uid] {
		in.ResponsibleUnitID = uid
	} else if f.values["unit"] != "" {
		f.errors["unit"] = "Vælg en enhed fra listen"
	}
	for _, k := range []string{"person", "contact"} {
		if utf8.RuneCountInString(f.values[k]) > 200 {
			f.errors[k] = "Højst 200 tegn"
		}
	}
	e := helhed.Effort{Title: in.Title, ResponsibleUnitID: in.ResponsibleUnitID}
	if d, ok := parseDate(f.values["start"]); !ok {
		f.errors["start"] = form.MsgDate
	} else if d != nil {
		in.StartDate, e.Start = *d, *d
	}
	if d, ok := parseDate(f.values["end"]); !ok {
		f.errors["end"] = form.MsgDate
	} else {
		in.EndDate, e.End = d, d
	}
	if d, ok := parseDate(f.values["discharge"]); !ok {
		f.errors["discharge"] = form.MsgDate
	} else if in.Mentor {
		in.MentorDischarge = d
	} else if d != nil {
		f.errors["discharge"] = "Udskrivningsdato bruges kun ved mentorstøtte"
	}
	if fe := fieldErrors(helhed.ValidateEffort(e)); fe != nil {
		for k, msg := range fe {
			if f.errors[k] == "" && !(k == "unit" && f.values["unit"] != "" && in.ResponsibleUnitID == 0) {
				f.errors[k] = msg
			}
		}
	}
	if in.Mentor && f.errors["start"] == "" && f.errors["end"] == "" {
		p := helhed.MentorPeriod{Start: in.StartDate, Discharge: in.MentorDischarge, RenewedAfterAssessment: in.MentorRenewed}
		if in.EndDate != nil {
			p.End = *in.EndDate
		}
		var previous []helhed.MentorPeriod
		for _, o := range v.Efforts {
			if o.Mentor && o.ID != effortID && o.EndDate != nil {
				previous = append(previous, o.MentorPeriod())
			}
		}
		for k, msg := range fieldErrors(helhed.ValidateMentorPeriod(p, previous, rules)) {
			f.errors[k] = msg
		}
	}
	version, err := strconv.Atoi(f.values["version"])
	if err != nil {
		f.errors["version"] = "Formularen er ufuldstændig. Åbn siden igen."
	}
	f.in, f.version = in, version
	return f
}

// effortFormProps builds the effort typed's choices; rf is narrowed by effortChoices.
func (s *Server) effortFormProps(r *http.Request, citizenID, effortID int64, rf planRefs) (plans.EffortFormProps, map[int64]bool, error) {
	units, err := s.store.ListUnits(r.Context())
	if err != nil {
		return plans.EffortFormProps{}, nil, err
	}
	today := s.today()
	p := plans.EffortFormProps{CitizenID: citizenID, EffortID: effortID, Areas: keptOptions(rf.area, today), Statuses: keptOptions(rf.status, today)}
	known := map[int64]bool{}
	for _, u := range units {
		known[u.ID] = true
		p.Units = append(p.Units, components.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
	}
	return p, known, nil
}

// effortGet shows the typed for a new effort (eid absent) or an existing one.
func (s *Server) effortGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	eid, err := effortParam(r)
	if err != nil {
		return err
	}
	v, err := s.store.ViewPlan(r.Context(), who(r), id, "indsats")
	if err != nil {
		return err
	}
	rf, err := s.loadPlanRefs(r)
	if err != nil {
		return err
	}
	p, _, err := s.effortFormProps(r, id, eid, rf.effortChoices(s.now(), v, eid))
	if err != nil {
		return err
	}
	p.Version = v.Version
	p.Values = map[string]string{"status": "planlagt", "unit": strconv.FormatInt(userFrom(r).UnitID, 10), "start": s.today().Format(time.DateOnly)}
	title := "Tilføj indsats"
	if eid != 0 {
		title = "Ret indsats"
		var found bool
		for _, e := range v.Efforts {
			if e.ID == eid {
				found = true
				p.Values = map[string]string{"title": e.Title, "area": e.Area, "status": e.Status, "unit": strconv.FormatInt(e.ResponsibleUnitID, 10),
					"person": e.ResponsiblePerson, "contact": e.Contact, "start": e.StartDate.Format(time.DateOnly),
					"end": format.ISODate(e.EndDate), "discharge": format.ISODate(e.MentorDischarge),
					"mentor": strconv.FormatBool(e.Mentor), helhed.FieldMentorRenewed: strconv.FormatBool(e.MentorRenewed)}
			}
		}
		if !found {
			return helhed.ErrNotFound
		}
	}
	return s.formPage(w, r, id, http.StatusOK, title, plans.EffortForm(p))
}

// effortPost saves a new or changed effort on the version the typed was loaded with.
func (s *Server) effortPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	ctx := r.Context()
	eid, err := effortParam(r)
	if err != nil {
		return err
	}
	v, err := s.store.ViewPlan(ctx, who(r), id, "indsats")
	if err != nil {
		return err
	}
	if eid != 0 && !slices.ContainsFunc(v.Efforts, func(e store.PlanEffort) bool { return e.ID == eid }) {
		return helhed.ErrNotFound // an effort of another plan, whatever the typed says
	}
	rf, err := s.loadPlanRefs(r)
	if err != nil {
		return err
	}
	rules, err := s.store.MentorRules(ctx, s.now())
	if err != nil {
		return err
	}
	rf = rf.effortChoices(s.now(), v, eid)
	p, units, err := s.effortFormProps(r, id, eid, rf)
	if err != nil {
		return err
	}
	f := s.decodeEffortForm(r, eid, v, rf, units, rules)
	p.Values, p.Errors, p.Version = f.values, f.errors, f.version
	title := "Tilføj indsats"
	if eid != 0 {
		title = "Ret indsats"
	}
	if len(f.errors) > 0 {
		return s.formPage(w, r, id, http.StatusUnprocessableEntity, title, plans.EffortForm(p))
	}
	_, err = s.store.SaveEffort(ctx, who(r), id, f.version, eid, f.in)
	if helhed.ErrorCode(err) == helhed.EConflict {
		return s.planConflict(w, r, id, err, func(v int) templ.Component {
			p.Version = v
			return plans.EffortForm(p)
		})
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Indsatsen er gemt i en ny version af planen.")
	return redirect(w, r, paths.Plan(id)+"#indsatser")
}

// followUpPost records a follow-up with progression scores per goal.
func (s *Server) followUpPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	ctx := r.Context()
	v, err := s.store.ViewPlan(ctx, who(r), id, "opfølgning")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	typed := map[string]string{"held_on": strings.TrimSpace(r.PostFormValue("held_on")), "note": strings.TrimSpace(r.PostFormValue("note"))}
	errs := map[string]string{}
	today := s.today()
	held, ok := parseDate(typed["held_on"])
	switch {
	case !ok:
		errs["held_on"] = form.MsgDate
	case held == nil:
		errs["held_on"] = "Angiv datoen for opfølgningen"
	case held.After(today):
		errs["held_on"] = "Opfølgningen kan ikke ligge i fremtiden"
	}
	if utf8.RuneCountInString(typed["note"]) > 2000 {
		errs["note"] = "Højst 2000 tegn"
	}
	scores := map[int64]int{}
	for _, g := range v.Goals {
		k := plans.ScoreField(g.ID)
		typed[k] = strings.TrimSpace(r.PostFormValue(k))
		n, scored, err := helhed.ParseGoalScore(typed[k])
		if err != nil {
			errs[k] = helhed.ErrorMessage(err)
			if fe := fieldErrors(err); fe != nil {
				errs[k] = fe[helhed.FieldGoalScore]
			}
		} else if scored {
			scores[g.ID] = n
		}
	}
	if len(errs) > 0 {
		return s.renderPlan(w, r, id, http.StatusUnprocessableEntity, typed, errs)
	}
	months, err := s.store.FollowUpIntervalMonths(ctx, today)
	if err != nil {
		return err
	}
	if err := s.store.AddFollowUp(ctx, who(r), id, *held, typed["note"], scores, months); err != nil {
		return err
	}
	s.flash(r, "success", "Opfølgningen er gemt.")
	return redirect(w, r, paths.Plan(id)+"#opfoelgning")
}

// planVersionsView compares two saved versions of the plan.
func (s *Server) planVersionsView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id, rel := cr.ID, cr.Rel
	ctx := r.Context()
	sight := access.SightOf(userFrom(r).access(), rel)
	v, err := s.store.ViewPlan(ctx, who(r), id, "versioner")
	if err != nil {
		return err
	}
	c, err := s.store.CitizenByID(ctx, id)
	if err != nil {
		return err
	}
	p := plans.DiffProps{CitizenID: id, CitizenName: c.Name()}
	for _, pv := range v.Versions {
		p.Versions = append(p.Versions, components.Option{Value: strconv.Itoa(pv.Version),
			Label: fmt.Sprintf("Version %d (%s, %s)", pv.Version, format.DateTime(pv.SavedAt), pv.SavedBy)})
	}
	from, ferr := strconv.Atoi(r.URL.Query().Get("fra"))
	to, terr := strconv.Atoi(r.URL.Query().Get("til"))
	if ferr == nil && terr == nil {
		a, b, err := s.store.PlanVersionPair(ctx, who(r), id, from, to)
		if err != nil {
			return err
		}
		p.From, p.To, p.Compared = from, to, true
		for _, c := range helhed.DiffPlans(a, b) {
			p.Changes = append(p.Changes, gateChange(sight, c))
		}
	}
	return s.page(w, r, http.StatusOK, "Versioner af indsatsplanen – "+p.CitizenName, plans.Diff(p))
}

// gateChange gates one change between plan versions as what it is about: goals are health
// data, an effort is classified as the effort (before and after; an effort saved before
// snapshots recorded its classification is shown only to the case-holding unit).
func gateChange(sight access.Sight, c helhed.PlanChange) access.Gated[helhed.PlanChange] {
	if len(c.Efforts) == 0 {
		return access.Gate(sight, access.PlanGoalText, c)
	}
	rows := make([]access.Row, len(c.Efforts))
	for i, e := range c.Efforts {
		if e.UnitKind == "" {
			return access.Gate(sight, access.PlanVersionSnapshot, c)
		}
		rows[i] = access.EffortRow(e.AreaCode, e.UnitID, e.UnitKind)
	}
	row := access.Combine(rows...)
	return access.GateRow(sight, row, access.PlanEffort, c)
}

// printProps builds the citizen's printed plan, gated for sight; what names the export in
// the audit log.
func (s *Server) printProps(r *http.Request, id int64, what string, sight access.Sight) (plans.PrintProps, error) {
	ctx := r.Context()
	v, err := s.store.ViewPlan(ctx, who(r), id, what)
	if err != nil {
		return plans.PrintProps{}, err
	}
	c, err := s.store.CitizenByID(ctx, id)
	if err != nil {
		return plans.PrintProps{}, err
	}
	rf, err := s.loadPlanRefs(r)
	if err != nil {
		return plans.PrintProps{}, err
	}
	rules, err := s.store.MentorRules(ctx, s.now())
	if err != nil {
		return plans.PrintProps{}, err
	}
	p := plans.PrintProps{CitizenName: c.Name(), CPR: c.CPR.Masked(), CitizenGoal: access.Gate(sight, access.PlanCitizenGoal, v.CitizenGoal),
		NextFollowUp: v.NextFollowUp, Unit: c.UnitName, Version: v.Version, PrintedOn: s.now(), Efforts: effortRows(v, rf, rules, s.now(), sight)}
	if c.CaseworkerName != nil {
		p.Caseworker = *c.CaseworkerName
	}
	goals := make([]string, len(v.Goals))
	for i, g := range v.Goals {
		goals[i] = g.Text
	}
	p.Goals = access.Gate(sight, access.PlanGoalText, goals)
	return p, nil
}

// planPrint is the print-friendly plan for the citizen (layout.Print, @media print).
func (s *Server) planPrint(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id, rel := cr.ID, cr.Rel
	p, err := s.printProps(r, id, "eksport: udskrift til borgeren", access.SightOf(userFrom(r).access(), rel))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, layout.Print(s.chrome(r, "Indsatsplan – "+p.CitizenName), plans.Print(p)))
}

// planPDF renders the same printed plan to PDF in a headless Chromium. Without Chromium on
// the server the user is told to print instead, not shown an error.
func (s *Server) planPDF(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id, rel := cr.ID, cr.Rel
	if !s.pdf.Available() {
		return s.pdfUnavailable(w, r, id)
	}
	p, err := s.printProps(r, id, "eksport: PDF til borgeren", access.SightOf(userFrom(r).access(), rel))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := plans.PDFDocument("Indsatsplan "+p.CitizenName, plans.Print(p)).Render(r.Context(), &buf); err != nil {
		return fmt.Errorf("render plan for pdf: %w", err)
	}
	doc, err := s.pdf.Render(r.Context(), buf.String())
	switch {
	case errors.Is(err, pdf.ErrUnavailable):
		return s.pdfUnavailable(w, r, id)
	case errors.Is(err, pdf.ErrBusy), errors.Is(err, pdf.ErrClosed):
		return s.pdfBusy(w, r, id, err)
	case err != nil:
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="indsatsplan.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(doc)
	return err
}

// pdfBusy answers 503 when every PDF tab is busy and the queue is full (or the document
// waited too long): the server stays within its memory bound, and the user tries again.
func (s *Server) pdfBusy(w http.ResponseWriter, r *http.Request, id int64, cause error) error {
	s.log.Warn("pdf refused", "request_id", requestID(r), "err", cause)
	w.Header().Set("Retry-After", "10")
	body := errorpage.Body(errorpage.Props{Status: http.StatusServiceUnavailable, Title: "PDF'en kan ikke laves lige nu",
		Message: "Mange udskriver på samme tid. Prøv igen om lidt, eller brug Udskriv (" + paths.PlanPrint(id) + ").", RequestID: requestID(r)})
	return s.page(w, r, http.StatusServiceUnavailable, "PDF'en kan ikke laves lige nu", body)
}

func (s *Server) pdfUnavailable(w http.ResponseWriter, r *http.Request, id int64) error {
	body := errorpage.Body(errorpage.Props{Status: http.StatusServiceUnavailable, Title: "PDF er ikke tilgængelig",
		Message: "PDF kræver Chromium på serveren; brug Udskriv (" + paths.PlanPrint(id) + ").", RequestID: requestID(r)})
	return s.page(w, r, http.StatusServiceUnavailable, "PDF er ikke tilgængelig", body)
}

// overviewPlanSections fills the citizen page's TFA and indsatsplan sections. The page's
// read is audited by ViewCitizen.
func (s *Server) overviewPlanSections(r *http.Request, props *citizens.OverviewProps, rel access.Relation, sight access.Sight) error {
	ctx := r.Context()
	u := userFrom(r).access()
	id := props.ID
	as, err := s.store.ListAssessments(ctx, id)
	if err != nil {
		return err
	}
	props.Assessment.CanWrite = access.CanCitizen(u, access.WriteAssessment, rel)
	if len(as) > 0 {
		a := as[0]
		props.Assessment.Number, props.Assessment.Draft, props.Assessment.ConcludedAt = a.Number, a.ConcludedAt == nil, a.ConcludedAt
		props.Assessment.Href = paths.Assessment(id, a.ID)
	}
	v, ok, err := s.store.PlanForOverview(ctx, id)
	if err != nil || !ok {
		return err
	}
	rf, err := s.loadPlanRefs(r)
	if err != nil {
		return err
	}
	today := s.today()
	pl := &props.Plan
	pl.Exists, pl.NextFollowUp = true, v.NextFollowUp
	pl.CitizenGoal = access.Gate(sight, access.PlanCitizenGoal, v.CitizenGoal)
	pl.Overdue, pl.CanEdit = helhed.FollowUpOverdue(v.NextFollowUp, today), access.CanCitizen(u, access.EditPlan, rel)
	goals := make([]string, len(v.Goals))
	for i, g := range v.Goals {
		goals[i] = g.Text
	}
	pl.Goals = access.Gate(sight, access.PlanGoalText, goals)
	for _, e := range v.Efforts {
		pl.Efforts = append(pl.Efforts, access.GateRow(sight, e.Row(), access.PlanEffort, citizens.PlanEffortRow{Title: e.Title,
			Area: rf.area.Label(e.Area), Status: rf.status.Label(e.Status), Unit: e.ResponsibleUnit, Start: e.StartDate, End: e.EndDate}))
		pl.Bars = append(pl.Bars, access.GateRow(sight, e.Row(), access.PlanEffort, components.TimelineBar{Label: e.Title, Area: e.Area,
			Status: rf.status.Label(e.Status), Start: e.StartDate, End: e.EndDate}))
	}
	return nil
}

// effortParam reads the {eid} of an effort being edited; 0 when the route has none (a new
// effort).
func effortParam(r *http.Request) (int64, error) {
	if chi.URLParam(r, "eid") == "" {
		return 0, nil
	}
	return urlID(r, "eid")
}
