package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/pdf"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/layout"
	"github.com/helhed/helhed/web/pages/errorpage"
	"github.com/helhed/helhed/web/pages/plans"
	"github.com/helhed/helhed/web/paths"
)

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
