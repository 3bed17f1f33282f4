package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/pages/plans"
	"github.com/helhed/helhed/web/paths"
)

// planRefs are the vocabularies of efforts.
type planRefs struct{ area, status store.RefSet }

func (s *Server) loadPlanRefs(r *http.Request) (planRefs, error) {
	m, err := s.vocab.Sets(r.Context(), "effort_area", "effort_status")
	return planRefs{area: m["effort_area"], status: m["effort_status"]}, err
}

// effortChoices narrows the vocabularies to what the effort form offers and accepts on day:
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
	return s.renderPlan(w, r, cr, http.StatusOK, nil)
}

// effortRows labels a plan's efforts, gated for sight, and adds the LAB § 167 reminder to
// mentor efforts whose period runs out within the warning window.
func effortRows(v store.PlanView, rf planRefs, rules helhed.MentorRules, today time.Time, sight access.Sight) []access.Gated[plans.EffortRow] {
	out := make([]access.Gated[plans.EffortRow], len(v.Efforts))
	for i, e := range v.Efforts {
		row := plans.EffortRow{ID: e.ID, Title: e.Title, Area: e.Area, AreaLabel: rf.area.Label(e.Area), Status: rf.status.Label(e.Status),
			Unit: e.ResponsibleUnit, Person: e.ResponsiblePerson, Contact: e.Contact, Start: e.StartDate, End: e.EndDate, Mentor: e.Mentor,
			Referral: e.ReferralID, OfferID: e.OfferID, Referable: e.ReferralID == nil && e.Status == "planlagt"}
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

// renderPlan shows the plan page; fu is a rejected follow-up form, or nil.
func (s *Server) renderPlan(w http.ResponseWriter, r *http.Request, cr citizenReq, status int, fu *form.Form) error {
	ctx := r.Context()
	u := userFrom(r)
	id, rel := cr.ID, cr.Rel
	// The citizen and the citizen's own ratings and comments in one round trip; the plan
	// itself is read in ViewPlan's transaction, which may pull referrals into it and audits
	// the read.
	b := s.store.Batch()
	citizen, ratings, comments := b.CitizenByID(id), b.GoalRatings(id), b.SelfComments(id, store.Page{Number: 1, PerPage: 20})
	if err := b.Send(ctx); err != nil {
		return err
	}
	c := citizen.Value()
	today := s.today()
	p := plans.PlanProps{CitizenID: id, CitizenName: c.Name(), CanEdit: access.CanCitizen(u.access(), access.EditPlan, rel), Today: today,
		PDFAvailable: s.pdf.Available()}
	if fu != nil {
		p.FollowUpForm, p.FollowUpError, p.FollowUpSummary, p.FollowUpOrder = fu.Values, fu.Errors, fu.SummaryTexts(), fu.Order()
	}
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
	p.Goals = access.Gate(sight, access.PlanGoalText, withSelfRatings(ratings.Value(), goals))
	p.SelfComments = access.Gate(sight, access.SelfCommentText, planSelfComments(comments.Value().Rows))
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
// version (yours: the form with what they typed, carrying the current version number).
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

// planGoalsGet shows the goals form with the saved goals and three blank lines.
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

// maxGoalText bounds one sub-goal.
const maxGoalText = 500

// planGoalsPost saves the goals on the version the form was loaded with.
func (s *Server) planGoalsPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	p := plans.GoalsFormProps{CitizenID: id}
	version, verr := strconv.Atoi(f.Text("version", "", 20))
	if verr != nil {
		f.Fail("version", "Formularen er ufuldstændig. Åbn siden igen.")
	}
	p.Version = version
	p.CitizenGoal = f.Text("citizen_goal", "Borgerens mål med egne ord", helhed.MaxLongText)
	var goals []store.GoalInput
	for i := 0; i < 100; i++ {
		k := strconv.Itoa(i)
		if _, ok := r.PostForm["goal_text_"+k]; !ok {
			break
		}
		row := plans.GoalInputRow{ID: f.Text("goal_id_"+k, "", 20), Text: f.Text("goal_text_"+k, "Delmål "+strconv.Itoa(i+1), maxGoalText)}
		p.Goals = append(p.Goals, row)
		var gid int64
		if row.ID != "" {
			var err error
			if gid, err = strconv.ParseInt(row.ID, 10, 64); err != nil || gid <= 0 {
				return helhed.ErrNotFound
			}
		}
		if row.Text != "" {
			goals = append(goals, store.GoalInput{ID: gid, Text: row.Text})
		}
	}
	if !f.OK() {
		p.Errors, p.Summary, p.Order = f.Errors, f.SummaryTexts(), f.Order()
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

// maxFollowUpNote bounds a follow-up's note.
const maxFollowUpNote = 2000

// followUpPost records a follow-up with progression scores per goal.
func (s *Server) followUpPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	ctx := r.Context()
	v, err := s.store.ViewPlan(ctx, who(r), id, "opfølgning")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	today := s.today()
	f := form.New(r.PostForm)
	held, ok := f.RequiredDate("held_on", "Dato")
	if ok && held.After(today) {
		f.Fail("held_on", "Opfølgningen kan ikke ligge i fremtiden")
	}
	scores := map[int64]int{}
	for _, g := range v.Goals {
		if n, ok := f.Int(plans.ScoreField(g.ID), "Progression: "+g.Text, helhed.MinGoalScore, helhed.MaxGoalScore); ok {
			scores[g.ID] = n
		}
	}
	note := f.Text("note", "Note", maxFollowUpNote)
	if !f.OK() {
		return s.renderPlan(w, r, cr, http.StatusUnprocessableEntity, f)
	}
	months, err := s.store.FollowUpIntervalMonths(ctx, today)
	if err != nil {
		return err
	}
	if err := s.store.AddFollowUp(ctx, who(r), id, held, note, scores, months); err != nil {
		return err
	}
	s.flash(r, "success", "Opfølgningen er gemt.")
	return redirect(w, r, paths.Plan(id)+"#opfoelgning")
}

// overviewPlanSections fills the citizen page's TFA and indsatsplan sections: the TFAs and the
// plan's statements in the page's batch. The page's read is audited by ViewCitizen.
func (s *Server) overviewPlanSections(r *http.Request, b *store.Batch, props *citizens.OverviewProps, rel access.Relation, sight access.Sight) fill {
	u := userFrom(r).access()
	id := props.ID
	assessments, plan := b.ListAssessments(id), b.PlanForOverview(id)
	return func() error {
		props.Assessment.CanWrite = access.CanCitizen(u, access.WriteAssessment, rel)
		if as := assessments.Value(); len(as) > 0 {
			a := as[0]
			props.Assessment.Number, props.Assessment.Draft, props.Assessment.ConcludedAt = a.Number, a.ConcludedAt == nil, a.ConcludedAt
			props.Assessment.Href = paths.Assessment(id, a.ID)
		}
		found := plan.Value()
		if !found.OK {
			return nil
		}
		v := found.Value
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
}
