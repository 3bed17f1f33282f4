package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/plans"
	"github.com/helhed/helhed/web/paths"
)

// effortForm is everything typed into the effort form, and what it decoded.
type effortForm struct {
	in      store.EffortInput
	version int
	*form.Form
}

// maxEffortContact bounds the responsible person and the contact.
const maxEffortContact = 200

// maxEffortTitle is the domain's bound on an effort's title (helhed.ValidateEffort).
const maxEffortTitle = 200

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

// decodeEffortForm reads and checks the effort typed, in form order: the choices of rf
// (effortChoices), a unit from the list, dates, then the domain's effort rules and for mentor
// support the LAB § 167 rules against the plan's other mentor periods.
func (s *Server) decodeEffortForm(r *http.Request, effortID int64, v store.PlanView, rf planRefs, units map[int64]bool, rules helhed.MentorRules) effortForm {
	_ = r.ParseForm()
	f := effortForm{Form: form.New(r.PostForm)}
	version, err := strconv.Atoi(f.Text("version", "", 20))
	if err != nil {
		f.Fail("version", "Formularen er ufuldstændig. Åbn siden igen.")
	}
	in := store.EffortInput{Title: f.RequiredText(helhed.FieldEffortTitle, "Indsats", maxEffortTitle),
		Area: f.RequiredChoice("area", "Område", rf.area.Has), Status: f.RequiredChoice("status", "Status", rf.status.Has)}
	unit := f.RequiredChoice(helhed.FieldEffortUnit, "Ansvarlig enhed", func(v string) bool {
		uid, err := strconv.ParseInt(v, 10, 64)
		return err == nil && units[uid]
	})
	if f.Errors[helhed.FieldEffortUnit] == "" {
		in.ResponsibleUnitID, _ = strconv.ParseInt(unit, 10, 64)
	}
	in.ResponsiblePerson = f.Text("person", "Ansvarlig person", maxEffortContact)
	in.Contact = f.Text("contact", "Kontakt", maxEffortContact)
	e := helhed.Effort{Title: in.Title, ResponsibleUnitID: in.ResponsibleUnitID}
	if d, ok := f.RequiredDate(helhed.FieldEffortStart, "Startdato"); ok {
		in.StartDate, e.Start = d, d
	}
	if d, ok := f.Date(helhed.FieldEffortEnd, "Slutdato"); ok {
		in.EndDate, e.End = &d, &d
	}
	in.Mentor = f.Bool("mentor", "Indsatsen er mentorstøtte")
	if d, ok := f.Date(helhed.FieldMentorDischarge, "Udskrivningsdato (udslusningsmentor)"); ok && in.Mentor {
		in.MentorDischarge = &d
	} else if ok {
		f.Fail(helhed.FieldMentorDischarge, "Udskrivningsdato bruges kun ved mentorstøtte")
	}
	in.MentorRenewed = f.Bool(helhed.FieldMentorRenewed, "Forlængelse efter ny vurdering")
	for k, msg := range fieldErrors(helhed.ValidateEffort(e)) {
		f.Fail(k, msg)
	}
	if in.Mentor && f.Errors[helhed.FieldEffortStart] == "" && f.Errors[helhed.FieldEffortEnd] == "" {
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
			f.Fail(k, msg)
		}
	}
	f.in, f.version = in, version
	return f
}

// effortFormProps builds the effort form's choices; rf is narrowed by effortChoices.
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

// effortGet shows the form for a new effort (eid absent) or an existing one.
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
				p.Referred = e.ReferralID != nil
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

// effortPost saves a new or changed effort on the version the form was loaded with.
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
		return helhed.ErrNotFound // an effort of another plan, whatever the form says
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
	p.Values, p.Errors, p.Summary, p.Version = f.Values, f.Errors, f.SummaryTexts(), f.version
	title := "Tilføj indsats"
	if eid != 0 {
		title = "Ret indsats"
	}
	if !f.OK() {
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

// effortParam reads the {eid} of an effort being edited; 0 when the route has none (a new
// effort).
func effortParam(r *http.Request) (int64, error) {
	if chi.URLParam(r, "eid") == "" {
		return 0, nil
	}
	return urlID(r, "eid")
}
