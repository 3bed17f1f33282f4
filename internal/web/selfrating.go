package web

import (
	"net/http"
	"slices"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/plans"
	"github.com/helhed/helhed/web/paths"
)

// Borgerens egen vurdering: at a follow-up the caseworker asks the citizen one question about
// their functional capacity towards work and education and records the citizen's answer
// (helhed.SelfRatingQuestion). The answers are health data (access.SelfRatingAnswer); the
// management figure "oplever forbedret funktionsevne" counts them (store.SelfRatingFigures).

// selfRatingView shows the question, the form and the answers so far.
func (s *Server) selfRatingView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	return s.renderSelfRating(w, r, cr, http.StatusOK, nil)
}

func (s *Server) renderSelfRating(w http.ResponseWriter, r *http.Request, cr citizenReq, status int, f *form.Form) error {
	ctx := r.Context()
	u := userFrom(r)
	c, err := s.store.CitizenByID(ctx, cr.ID)
	if err != nil {
		return err
	}
	p := plans.SelfRatingProps{CitizenID: cr.ID, CitizenName: c.Name(), CanEdit: access.CanCitizen(u.access(), access.EditPlan, cr.Rel),
		Values: map[string]string{"answered_on": s.today().Format("2006-01-02")}}
	if f != nil {
		p.Values, p.Errors, p.Summary, p.Order = f.Values, f.Errors, f.SummaryTexts(), f.Order()
	}
	sight := access.SightOf(u.access(), cr.Rel)
	var rows []plans.SelfRatingRow
	if sight.Sees(access.SelfRatingAnswer.Class) {
		list, err := s.store.SelfRatings(ctx, cr.ID)
		if err != nil {
			return err
		}
		for _, a := range list {
			rows = append(rows, plans.SelfRatingRow{AnsweredOn: format.Date(a.AnsweredOn), Answer: a.Answer.Label(), By: a.By})
		}
		if err := s.store.Audit(ctx, who(r), cr.ID, "plan.view", "borgerens egen vurdering"); err != nil {
			return err
		}
	}
	p.Answers = access.Gate(sight, access.SelfRatingAnswer, rows)
	return s.page(w, r, status, "Borgerens egen vurdering – "+c.Name(), plans.SelfRating(p))
}

// selfRatingPost records the citizen's answer.
func (s *Server) selfRatingPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	on, ok := f.RequiredDate("answered_on", "Dato")
	if ok && on.After(s.today()) {
		f.Fail("answered_on", "Datoen kan ikke ligge i fremtiden")
	}
	answer := f.RequiredChoice("answer", "Borgerens svar", func(v string) bool {
		return slices.Contains(helhed.SelfRatings, helhed.SelfRating(v))
	})
	if !f.OK() {
		return s.renderSelfRating(w, r, cr, http.StatusUnprocessableEntity, f)
	}
	if _, err := s.store.AddSelfRating(r.Context(), who(r), cr.ID, on, helhed.SelfRating(answer)); err != nil {
		return err
	}
	s.flash(r, "success", "Borgerens svar er gemt.")
	return redirect(w, r, paths.SelfRating(cr.ID))
}
