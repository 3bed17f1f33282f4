package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/screenings"
	"github.com/helhed/helhed/web/paths"
)

func (s *Server) renderScreeningForm(w http.ResponseWriter, r *http.Request, status int, citizenID int64, f screeningForm) error {
	c, err := s.store.CitizenByID(r.Context(), citizenID)
	if err != nil {
		return err
	}
	selfHealth, err := s.selfHealthOptions(r.Context())
	if err != nil {
		return err
	}
	if f.Values["screened_on"] == "" {
		f.Values["screened_on"] = form.Today(s.now()).Format(time.DateOnly)
	}
	return s.page(w, r, status, "Ny screening – "+c.Name(), screenings.Form(screenings.FormProps{
		CitizenID: citizenID, CitizenName: c.Name(), Values: f.Values, Errors: f.Errors, Summary: f.SummaryTexts(),
		SelfHealth: selfHealth}))
}

// selfHealthOptions loads the self-rated health answers in force today.
func (s *Server) selfHealthOptions(ctx context.Context) ([]helhed.Option, error) {
	sets, err := s.store.RefSets(ctx, helhed.SelfHealthKind)
	if err != nil {
		return nil, err
	}
	return selfHealthOptions(sets[helhed.SelfHealthKind], form.Today(s.now())), nil
}

func (s *Server) screeningNewGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	return s.renderScreeningForm(w, r, http.StatusOK, id, screeningForm{Form: form.New(nil)})
}

func (s *Server) screeningNewPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	selfHealth, err := s.selfHealthOptions(r.Context())
	if err != nil {
		return err
	}
	f := decodeScreeningForm(r.PostForm, form.Today(s.now()), selfHealth)
	if !f.OK() {
		return s.renderScreeningForm(w, r, http.StatusUnprocessableEntity, id, f)
	}
	rules, err := s.store.CurrentRuleSet(r.Context(), f.on)
	if err != nil {
		return err
	}
	res := helhed.Score(f.answers, rules)
	sid, err := s.store.CreateScreening(r.Context(), who(r), id, f.on, f.answers, f.cond, res)
	if err != nil {
		return err
	}
	s.flash(r, "success", "Screeningen er gemt. Risikogruppe: "+res.Group.Label()+".")
	return redirect(w, r, paths.Screening(id, sid))
}

func (s *Server) screeningView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	return s.renderScreening(w, r, cr, http.StatusOK, nil)
}

// renderScreening shows one screening. Users without health access (no consent) see only that
// a screening exists and its date. The result is re-scored with the rule-set version it was
// made with, so it reads exactly as when it was made.
func (s *Server) renderScreening(w http.ResponseWriter, r *http.Request, cr citizenReq, status int, f *form.Form) error {
	ctx := r.Context()
	id, rel := cr.ID, cr.Rel
	sid, err := urlID(r, "sid")
	if err != nil {
		return err
	}
	u := userFrom(r)
	sight := access.SightOf(u.access(), rel)
	rec, err := s.store.ViewScreening(ctx, who(r), id, sid, sight.Sees(access.ScreeningRecord.Class))
	if err != nil {
		return err
	}
	c, err := s.store.CitizenByID(ctx, id)
	if err != nil {
		return err
	}
	// The whole screening is health data, its date included: without consent the page says
	// only that it is withheld.
	p := screenings.ResultProps{CitizenID: id, CitizenName: c.Name(), ScreeningID: sid}
	if sc, ok := access.Gate(sight, access.ScreeningRecord, rec).Get(); ok {
		p.Health, p.ScreenedOn, p.CreatedBy = true, sc.ScreenedOn, sc.CreatedBy
		rules, err := s.store.RuleSet(ctx, sc.RuleSetVersion)
		if err != nil {
			return err
		}
		p.Result = helhed.Score(sc.Answers, rules)
		p.Rules = rules
		p.Answers = sc.Answers
		sets, err := s.store.RefSets(ctx, helhed.SelfHealthKind)
		if err != nil {
			return err
		}
		p.SelfHealthLabel = sets[helhed.SelfHealthKind].Label(sc.Answers.SelfHealth)
		p.PromptGP = rules.PromptsGP(sc.WHO5)
		p.GPEncouragedAt, p.GPEncouragedBy = sc.GPEncouragedAt, sc.GPEncouragedBy
		p.Conditions = sc.Conditions
		p.Final = helhed.RiskGroup(sc.FinalGroup)
		p.OverrideReason, p.OverriddenBy = sc.OverrideReason, sc.OverriddenBy
		p.CanOverride = access.CanCitizen(u.access(), access.RecordScreening, rel)
		if f != nil {
			p.OverrideGroup, p.OverrideReasonInput = f.Values[helhed.FieldOverrideGroup], f.Values[helhed.FieldOverrideReason]
			p.Errors, p.Summary = f.Errors, f.SummaryTexts()
		}
		if p.OverrideGroup == "" {
			p.OverrideGroup = sc.FinalGroup
		}
		p.Suggestions, err = s.store.SuggestOffers(ctx, p.Final, helhed.Findings(sc.Answers, p.Result, rules), 5)
		if err != nil {
			return err
		}
		p.CanRefer = access.CanCitizen(u.access(), access.ReferCitizen, rel)
	}
	return s.page(w, r, status, "Screening – "+c.Name(), screenings.Result(p))
}

// screeningOverridePost records the caseworker's professional judgement of the group.
func (s *Server) screeningOverridePost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	sid, err := urlID(r, "sid")
	if err != nil {
		return err
	}
	f := form.New(r.PostForm)
	group := f.Text(helhed.FieldOverrideGroup, "Risikogruppe", 20)
	reason := f.Text(helhed.FieldOverrideReason, "Begrundelse", helhed.MaxOverrideReasonLength)
	sc, err := s.store.ViewScreening(r.Context(), who(r), id, sid, true)
	if err != nil {
		return err
	}
	final, err := helhed.ApplyOverride(helhed.RiskGroup(sc.ComputedGroup), helhed.RiskGroup(group), reason)
	for field, msg := range fieldErrors(err) {
		f.Fail(field, msg)
	}
	if !f.OK() {
		return s.renderScreening(w, r, cr, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	if err := s.store.OverrideScreening(r.Context(), who(r), id, sid, final, reason); err != nil {
		return err
	}
	s.flash(r, "success", "Risikogruppen er sat til "+final.Label()+".")
	return redirect(w, r, paths.Screening(id, sid))
}

// screeningGPPost records that the caseworker encouraged the citizen to see their own doctor,
// as the result page prompts at a low WHO-5. The store checks the cut-off and refuses a second
// record; either refusal comes back as a message on the page.
func (s *Server) screeningGPPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	sid, err := urlID(r, "sid")
	if err != nil {
		return err
	}
	if err := s.store.RecordGPEncouragement(r.Context(), who(r), cr.ID, sid); err != nil {
		var he *helhed.Error
		if errors.As(err, &he) && (he.Code == helhed.EInvalid || he.Code == helhed.EConflict) {
			s.flash(r, "error", he.Message)
			return redirect(w, r, paths.Screening(cr.ID, sid))
		}
		return err
	}
	s.flash(r, "success", "Det er registreret, at borgeren er opfordret til at gå til egen læge.")
	return redirect(w, r, paths.Screening(cr.ID, sid))
}

// who5Thresholds are the WHO-5 limits of the rule set in force today, which charts and hints
// draw: an administrator who publishes new limits changes them everywhere at once.
func (s *Server) who5Thresholds(ctx context.Context) (components.WHO5Thresholds, error) {
	rs, err := s.store.CurrentRuleSet(ctx, s.today())
	if err != nil {
		return components.WHO5Thresholds{}, err
	}
	return components.WHO5Thresholds{High: rs.WHO5High, Medium: rs.WHO5Medium}, nil
}
