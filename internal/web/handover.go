package web

import (
	"net/http"
	"strconv"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/handover"
	"github.com/helhed/helhed/web/paths"
)

// handoverPerPage is the bulk preview's page size.
const handoverPerPage = 50

// handoverTarget is the handover form's choices: the units that can hold cases and their
// active caseworkers ("Name (Unit)"). The store checks the choice again, so a caseworker
// disabled since the form was shown gets its own message beside the field.
func (s *Server) handoverTarget(r *http.Request) (handover.Target, error) {
	ctx := r.Context()
	units, err := s.store.HandoverUnits(ctx)
	if err != nil {
		return handover.Target{}, err
	}
	people, err := s.store.HandoverCaseworkers(ctx)
	if err != nil {
		return handover.Target{}, err
	}
	t := handover.Target{Values: map[string]string{}}
	for _, u := range units {
		t.Units = append(t.Units, components.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
	}
	for _, p := range people {
		t.Caseworkers = append(t.Caseworkers, components.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name + " (" + p.UnitName + ")"})
	}
	return t, nil
}

// readHandover reads the handover form; ids are checked by the store, which says in Danish
// what is wrong with the unit or person chosen.
func readHandover(r *http.Request) (*form.Form, store.HandoverInput) {
	f := form.New(r.PostForm)
	var in store.HandoverInput
	id := func(v string) int64 {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return -1
		}
		return n
	}
	unit := f.RequiredChoice(store.FieldHandoverUnit, "Til enhed", func(v string) bool { return id(v) > 0 })
	in.ToUnitID = id(unit)
	cw := f.Choice(store.FieldHandoverCaseworker, "Til sagsbehandler", func(v string) bool { return id(v) > 0 })
	if cw != "" {
		in.ToCaseworkerID = id(cw)
	}
	in.Note = f.RequiredText(store.FieldHandoverNote, "Overdragelsesnotat", helhed.MaxNoteText)
	return f, in
}

// handoverProps is the one-citizen form's frame: the citizen and where the case is now.
func (s *Server) handoverProps(r *http.Request, id int64) (handover.Props, error) {
	c, err := s.store.CitizenByID(r.Context(), id)
	if err != nil {
		return handover.Props{}, err
	}
	t, err := s.handoverTarget(r)
	if err != nil {
		return handover.Props{}, err
	}
	holder := c.UnitName
	if c.CaseworkerName != nil {
		holder += ", " + *c.CaseworkerName
	}
	return handover.Props{CitizenID: id, CitizenName: c.Name(), Holder: holder, Target: t}, nil
}

// handoverGet shows the handover form, the citizen's unit chosen.
func (s *Server) handoverGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	p, err := s.handoverProps(r, cr.ID)
	if err != nil {
		return err
	}
	p.Values[store.FieldHandoverUnit] = strconv.FormatInt(cr.Rel.CitizenUnitID, 10)
	return s.page(w, r, http.StatusOK, "Overdrag sagen – "+p.CitizenName, handover.Form(p))
}

// handoverPost hands the case over. Afterwards the user goes back to the citizen while they
// still see them (a colleague of the same unit), and to their caseload otherwise: the access
// has gone with the case.
func (s *Server) handoverPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	p, err := s.handoverProps(r, cr.ID)
	if err != nil {
		return err
	}
	f, in := readHandover(r)
	if f.OK() {
		_, err = s.store.HandOver(r.Context(), who(r), cr.ID, in)
		for k, msg := range fieldErrors(err) {
			f.Fail(k, msg)
		}
		if err != nil && len(fieldErrors(err)) == 0 {
			return err
		}
	}
	if !f.OK() {
		p.Values, p.Errors, p.Summary = f.Values, f.Errors, f.SummaryTexts()
		return s.page(w, r, http.StatusUnprocessableEntity, "Overdrag sagen – "+p.CitizenName, handover.Form(p))
	}
	s.flash(r, "success", "Sagen om "+p.CitizenName+" er overdraget.")
	rel, err := s.store.Relation(r.Context(), userFrom(r).access(), cr.ID)
	if err == nil && access.CanCitizen(userFrom(r).access(), access.ViewCitizen, rel) {
		return redirect(w, r, paths.Citizen(cr.ID))
	}
	return redirect(w, r, "/borgere")
}

// caseloadProps is the bulk preview: the departing caseworker (of the leader's own unit: not
// found otherwise) and one page of their open cases, audited as a list.
func (s *Server) caseloadProps(r *http.Request) (handover.CaseloadProps, error) {
	ctx := r.Context()
	uid, err := urlID(r, "uid")
	if err != nil {
		return handover.CaseloadProps{}, err
	}
	u := userFrom(r)
	from, err := s.store.UserByID(ctx, uid)
	if err != nil || from.UnitID != u.UnitID {
		return handover.CaseloadProps{}, helhed.ErrNotFound
	}
	page, _ := parsePage(r.URL.Query().Get(pageParam))
	rows, total, err := s.store.CaseworkerCitizens(ctx, u.UnitID, uid, store.Page{Number: page, PerPage: handoverPerPage})
	if err != nil {
		return handover.CaseloadProps{}, err
	}
	t, err := s.handoverTarget(r)
	if err != nil {
		return handover.CaseloadProps{}, err
	}
	p := handover.CaseloadProps{FromID: uid, FromName: from.Name, Total: total, Target: t,
		Pages: components.PageInfo{Page: page, PerPage: handoverPerPage, Total: total, URL: func(n int) string { return paths.CaseloadHandoverPage(uid, n) }}}
	shown := make([]int64, len(rows))
	for i, c := range rows {
		p.Citizens = append(p.Citizens, handover.Citizen{ID: c.ID, Name: c.Name})
		shown[i] = c.ID
	}
	if err := s.store.AuditList(ctx, who(r), store.AuditHandoverList, "sagsbehandler "+strconv.FormatInt(uid, 10), shown); err != nil {
		return handover.CaseloadProps{}, err
	}
	return p, nil
}

// caseloadHandoverGet previews a departing caseworker's open cases, with the form.
func (s *Server) caseloadHandoverGet(w http.ResponseWriter, r *http.Request) error {
	p, err := s.caseloadProps(r)
	if err != nil {
		return err
	}
	p.Values[store.FieldHandoverUnit] = strconv.FormatInt(userFrom(r).UnitID, 10)
	return s.page(w, r, http.StatusOK, "Overdrag sager – "+p.FromName, handover.Caseload(p))
}

// caseloadHandoverPost hands all of them over in one transaction, if the count is still the
// one the leader saw.
func (s *Server) caseloadHandoverPost(w http.ResponseWriter, r *http.Request) error {
	p, err := s.caseloadProps(r)
	if err != nil {
		return err
	}
	f, in := readHandover(r)
	expected, _ := strconv.Atoi(r.PostFormValue("count"))
	var n int
	if f.OK() {
		n, err = s.store.HandOverCaseload(r.Context(), who(r), userFrom(r).UnitID, p.FromID, in, expected)
		for k, msg := range fieldErrors(err) {
			f.Fail(k, msg)
		}
		if helhed.ErrorCode(err) == helhed.EConflict {
			p.Problem = helhed.ErrorMessage(err)
			err = nil
		}
		if err != nil && len(fieldErrors(err)) == 0 {
			return err
		}
	}
	if !f.OK() || p.Problem != "" {
		p.Values, p.Errors, p.Summary = f.Values, f.Errors, f.SummaryTexts()
		return s.page(w, r, http.StatusUnprocessableEntity, "Overdrag sager – "+p.FromName, handover.Caseload(p))
	}
	s.flash(r, "success", strconv.Itoa(n)+" sager fra "+p.FromName+" er overdraget.")
	return redirect(w, r, paths.CaseloadHandover(p.FromID))
}
