package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/pages/screenings"
)

// screeningForm holds everything typed into the screening form, so a rejected form comes back
// exactly as it was.
type screeningForm struct {
	answers helhed.ScreeningAnswers
	raw     map[string]string
	errors  map[string]string
	on      time.Time
	cond    store.Conditions
}

func (s *Server) decodeScreeningForm(r *http.Request) screeningForm {
	_ = r.ParseForm()
	a, errs := helhed.DecodeScreeningForm(r.PostForm)
	if errs == nil {
		errs = map[string]string{}
	}
	f := screeningForm{answers: a, raw: a.Raw, errors: errs}
	if f.raw == nil {
		f.raw = map[string]string{}
	}
	for _, k := range []string{"screened_on", "cond_notes", "cond_chronic", "cond_mental", "cond_pain"} {
		f.raw[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	today := s.now()
	switch d, err := time.ParseInLocation(time.DateOnly, f.raw["screened_on"], time.Local); {
	case f.raw["screened_on"] == "":
		f.on = today
	case err != nil:
		f.errors["screened_on"] = "Datoen skal have formen ÅÅÅÅ-MM-DD"
	case d.After(today):
		f.errors["screened_on"] = "Screeningsdatoen kan ikke ligge i fremtiden"
	case d.Before(today.AddDate(-1, 0, 0)):
		f.errors["screened_on"] = "Screeningsdatoen må højst ligge et år tilbage"
	default:
		f.on = d
	}
	f.cond = store.Conditions{Chronic: f.raw["cond_chronic"] == "true", Mental: f.raw["cond_mental"] == "true",
		Pain: f.raw["cond_pain"] == "true", Notes: f.raw["cond_notes"]}
	if utf8.RuneCountInString(f.cond.Notes) > 2000 {
		f.errors["cond_notes"] = "Højst 2000 tegn"
	}
	return f
}

func (s *Server) renderScreeningForm(w http.ResponseWriter, r *http.Request, status int, citizenID int64, f screeningForm) error {
	c, err := s.store.CitizenByID(r.Context(), citizenID)
	if err != nil {
		return err
	}
	if f.raw["screened_on"] == "" {
		f.raw["screened_on"] = s.now().Format(time.DateOnly)
	}
	return s.page(w, r, status, "Ny screening", screenings.Form(screenings.FormProps{
		CitizenID: citizenID, CitizenName: c.Name(), Values: f.raw, Errors: f.errors}))
}

func (s *Server) screeningNewGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	return s.renderScreeningForm(w, r, http.StatusOK, id, screeningForm{raw: map[string]string{}, errors: map[string]string{}})
}

func (s *Server) screeningNewPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	f := s.decodeScreeningForm(r)
	if len(f.errors) > 0 {
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
	return redirect(w, r, "/borgere/"+strconv.FormatInt(id, 10)+"/screeninger/"+strconv.FormatInt(sid, 10))
}

func (s *Server) screeningView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	return s.renderScreening(w, r, cr, http.StatusOK, "", "", nil)
}

// renderScreening shows one screening. Users without health access (no consent) see only that
// a screening exists and its date. The result is re-scored with the rule-set version it was
// made with, so it reads exactly as when it was made.
func (s *Server) renderScreening(w http.ResponseWriter, r *http.Request, cr citizenReq, status int, group, reason string, errs map[string]string) error {
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
		p.Conditions = sc.Conditions
		p.Final = helhed.RiskGroup(sc.FinalGroup)
		p.OverrideReason, p.OverriddenBy = sc.OverrideReason, sc.OverriddenBy
		p.CanOverride = access.CanCitizen(u.access(), access.RecordScreening, rel)
		p.OverrideGroup, p.OverrideReasonInput, p.Errors = group, reason, errs
		if p.OverrideGroup == "" {
			p.OverrideGroup = sc.FinalGroup
		}
		krams := make([]string, len(p.Result.KRAMSRisks))
		for i, k := range p.Result.KRAMSRisks {
			krams[i] = k.Code
		}
		p.Suggestions, err = s.store.SuggestOffers(ctx, sc.FinalGroup, krams, 5)
		if err != nil {
			return err
		}
		p.CanRefer = access.CanCitizen(u.access(), access.ReferCitizen, rel)
	}
	return s.page(w, r, status, "Screening "+c.Name(), screenings.Result(p))
}

// screeningOverridePost records the caseworker's professional judgement of the group.
func (s *Server) screeningOverridePost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	sid, err := urlID(r, "sid")
	if err != nil {
		return err
	}
	group := r.PostFormValue(helhed.FieldOverrideGroup)
	reason := strings.TrimSpace(r.PostFormValue(helhed.FieldOverrideReason))
	sc, err := s.store.ViewScreening(r.Context(), who(r), id, sid, true)
	if err != nil {
		return err
	}
	final, err := helhed.ApplyOverride(helhed.RiskGroup(sc.ComputedGroup), helhed.RiskGroup(group), reason)
	if fe := fieldErrors(err); fe != nil {
		return s.renderScreening(w, r, cr, http.StatusUnprocessableEntity, group, reason, fe)
	}
	if err != nil {
		return err
	}
	if err := s.store.OverrideScreening(r.Context(), who(r), id, sid, final, reason); err != nil {
		return err
	}
	s.flash(r, "success", "Risikogruppen er sat til "+final.Label()+".")
	return redirect(w, r, "/borgere/"+strconv.FormatInt(id, 10)+"/screeninger/"+strconv.FormatInt(sid, 10))
}
