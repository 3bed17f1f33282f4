package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/admin"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/paths"
)

// deletionDue is when a case closed at closedAt is deleted under the period in force today,
// or nil when the case is open or no period is in force (then nothing is deleted).
func (s *Server) deletionDue(r *http.Request, closedAt *time.Time) *time.Time {
	if closedAt == nil {
		return nil
	}
	years, err := s.store.CaseRetentionYears(r.Context(), s.now())
	if err != nil {
		return nil
	}
	due := helhed.CaseDeletionDue(*closedAt, years)
	return &due
}

// overviewClosure fills the citizen page's closure section.
func (s *Server) overviewClosure(r *http.Request, props *citizens.OverviewProps, c store.Citizen, rel access.Relation, x overviewExtras) {
	u := userFrom(r).access()
	cl := citizens.ClosureSection{ClosedAt: c.ClosedAt, Reason: c.ClosedReason, HoldAt: c.LegalHoldAt, HoldReason: c.LegalHoldReason,
		CanClose: access.CanCitizen(u, access.CloseCase, rel), CanHold: access.CanCitizen(u, access.PlaceLegalHold, rel),
		DeletionDue: s.deletionDue(r, c.ClosedAt), Form: x.closureForm, Errors: x.closureErrors}
	if c.ClosedByName != nil {
		cl.ClosedBy = *c.ClosedByName
	}
	if c.LegalHoldByName != nil {
		cl.HoldBy = *c.LegalHoldByName
	}
	props.Closure = cl
}

// caseClosePost closes the citizen's case with a reason: the retention period starts to run.
func (s *Server) caseClosePost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id, rel := cr.ID, cr.Rel
	reason, err := helhed.CheckReason(helhed.FieldCloseReason, r.PostFormValue(helhed.FieldCloseReason))
	if fe := fieldErrors(err); fe != nil {
		return s.renderOverviewWith(w, r, id, rel, http.StatusUnprocessableEntity, overviewExtras{
			closureForm: map[string]string{helhed.FieldCloseReason: reason}, closureErrors: fe})
	}
	if err := s.store.CloseCase(r.Context(), who(r), id, reason); err != nil {
		return err
	}
	s.flash(r, "success", "Sagen er afsluttet. Opbevaringsperioden regnes fra udgangen af året.")
	return redirect(w, r, paths.CitizenAt(id, "afslutning"))
}

// caseReopenPost reopens a closed case: it will not be deleted while it is open.
func (s *Server) caseReopenPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	if err := s.store.ReopenCase(r.Context(), who(r), id); err != nil {
		return err
	}
	s.flash(r, "success", "Sagen er genåbnet.")
	return redirect(w, r, paths.CitizenAt(id, "afslutning"))
}

// applyLegalHold places (with the posted reason) or lifts the slettestop on citizen id. The
// caller has authorised the user. A missing reason comes back as field errors with the
// reason as typed.
func (s *Server) applyLegalHold(r *http.Request, id int64, place bool) (typed, errs map[string]string, err error) {
	if !place {
		return nil, nil, s.store.ClearLegalHold(r.Context(), who(r), id)
	}
	reason, err := helhed.CheckReason(helhed.FieldHoldReason, r.PostFormValue(helhed.FieldHoldReason))
	if fe := fieldErrors(err); fe != nil {
		return map[string]string{helhed.FieldHoldReason: reason}, fe, nil
	}
	return nil, nil, s.store.SetLegalHold(r.Context(), who(r), id, reason)
}

// holdMessage is the flash after a slettestop change.
func holdMessage(place bool) string {
	if place {
		return "Slettestoppet er sat. Sagen slettes ikke, før det er ophævet."
	}
	return "Slettestoppet er ophævet."
}

// citizenLegalHold places or lifts a slettestop from the citizen page: the user must see the
// citizen (the administrator, who may place holds but not read cases, uses the retention
// overview instead) and may place holds (the unit's leader).
func (s *Server) citizenLegalHold(w http.ResponseWriter, r *http.Request, cr citizenReq, place bool) error {
	id, rel := cr.ID, cr.Rel
	typed, errs, err := s.applyLegalHold(r, id, place)
	if err != nil {
		return err
	}
	if errs != nil {
		return s.renderOverviewWith(w, r, id, rel, http.StatusUnprocessableEntity, overviewExtras{closureForm: typed, closureErrors: errs})
	}
	s.flash(r, "success", holdMessage(place))
	return redirect(w, r, paths.CitizenAt(id, "afslutning"))
}

func (s *Server) citizenLegalHoldPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	return s.citizenLegalHold(w, r, cr, true)
}

func (s *Server) citizenLegalHoldClearPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	return s.citizenLegalHold(w, r, cr, false)
}

// retentionRow turns a case into the overview's row, with its deletion date under the period
// in force today (years 0: none).
func retentionRow(c store.RetentionCase, years int) admin.RetentionRow {
	row := admin.RetentionRow{ID: c.ID, Unit: c.UnitName, ClosedAt: c.ClosedAt, HoldAt: c.LegalHoldAt, HoldReason: c.LegalHoldReason}
	if c.LegalHoldByName != nil {
		row.HoldBy = *c.LegalHoldByName
	}
	if c.ClosedAt != nil && years > 0 {
		due := helhed.CaseDeletionDue(*c.ClosedAt, years)
		row.DeletionDue = &due
	}
	return row
}

// retentionYears is the period in force today, 0 when none is.
func (s *Server) retentionYears(r *http.Request) int {
	years, err := s.store.CaseRetentionYears(r.Context(), s.now())
	if err != nil {
		s.log.Warn("retention period", "request_id", requestID(r), "err", err)
		return 0
	}
	return years
}

func (s *Server) adminRetentionView(w http.ResponseWriter, r *http.Request) error {
	return s.renderRetentionWith(w, r, http.StatusOK, admin.RetentionProps{})
}

// renderRetention shows the retention overview; form and errs are a rejected new period.
// renderRetentionWith shows the retention overview with p's form, errors and preview.
func (s *Server) renderRetentionWith(w http.ResponseWriter, r *http.Request, status int, p admin.RetentionProps) error {
	ctx := r.Context()
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("side"))
	cases, total, err := s.store.RetentionCases(ctx, store.Page{Number: pageNo, PerPage: 50})
	if err != nil {
		return err
	}
	periods, err := s.store.RetentionPeriods(ctx)
	if err != nil {
		return err
	}
	p.Years, p.Periods, p.Total = s.retentionYears(r), periods, total
	for _, c := range cases {
		p.Cases = append(p.Cases, retentionRow(c, p.Years))
	}
	p.Pages = components.PageInfo{Page: max(pageNo, 1), PerPage: 50, Total: total,
		URL: func(n int) string { return "/admin/opbevaring?side=" + strconv.Itoa(n) }}
	return s.page(w, r, status, "Opbevaring og sletning", admin.Retention(p))
}

// maxRetentionNote bounds the note on a retention period.
const maxRetentionNote = 300

// adminRetentionPeriodPost sets a new retention period from a date. A shorter period is first
// shown with what it would delete (counts per year of closure) and saved only when the
// administrator confirms; it applies after the grace period (store.SetCaseRetentionYears).
func (s *Server) adminRetentionPeriodPost(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	years, _ := f.RequiredInt("years", "Antal år", helhed.MinRetentionYears, helhed.MaxRetentionYears)
	from, _ := f.RequiredDate("valid_from", "Gælder fra")
	note := f.Text("note", "Note", maxRetentionNote)
	confirmed := f.Text("confirm", "", 10) == "ja"
	typed := f.Values
	if !f.OK() {
		return s.renderRetentionWith(w, r, http.StatusUnprocessableEntity, admin.RetentionProps{Form: typed, Errors: f.Errors,
			Summary: f.SummaryTexts()})
	}
	if !confirmed {
		pv, err := s.store.RetentionChangePreview(r.Context(), years, from)
		if err != nil {
			return err
		}
		if pv.Shortens {
			return s.renderRetentionWith(w, r, http.StatusOK, admin.RetentionProps{Form: typed, Preview: &pv})
		}
	}
	valid, err := s.store.SetCaseRetentionYears(r.Context(), who(r), from, years, note)
	if err != nil {
		return err
	}
	s.flash(r, "success", "Opbevaringsperioden er gemt. Den gælder fra "+format.Date(valid)+".")
	return redirect(w, r, "/admin/opbevaring")
}

func (s *Server) adminRetentionCaseView(w http.ResponseWriter, r *http.Request) error {
	return s.renderRetentionCase(w, r, http.StatusOK, nil, nil)
}

// renderRetentionCase shows one case of the retention overview (no name, no CPR).
func (s *Server) renderRetentionCase(w http.ResponseWriter, r *http.Request, status int, typed, errs map[string]string) error {
	id, err := urlID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.store.RetentionCaseByID(r.Context(), id)
	if err != nil {
		return err
	}
	p := admin.RetentionCaseProps{Case: retentionRow(c, s.retentionYears(r)), Form: typed, Errors: errs}
	return s.page(w, r, status, "Sag "+strconv.FormatInt(id, 10), admin.RetentionCase(p))
}

// adminLegalHold places or lifts a slettestop from the retention overview.
func (s *Server) adminLegalHold(w http.ResponseWriter, r *http.Request, place bool) error {
	id, err := urlID(r, "id")
	if err != nil {
		return err
	}
	if err := s.authorizeCitizen(r, id, access.PlaceLegalHold); err != nil {
		return err
	}
	typed, errs, err := s.applyLegalHold(r, id, place)
	if err != nil {
		return err
	}
	if errs != nil {
		return s.renderRetentionCase(w, r, http.StatusUnprocessableEntity, typed, errs)
	}
	s.flash(r, "success", holdMessage(place))
	return redirect(w, r, paths.RetentionCase(id))
}

func (s *Server) adminLegalHoldPost(w http.ResponseWriter, r *http.Request) error {
	return s.adminLegalHold(w, r, true)
}

func (s *Server) adminLegalHoldClearPost(w http.ResponseWriter, r *http.Request) error {
	return s.adminLegalHold(w, r, false)
}
