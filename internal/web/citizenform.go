package web

import (
	"context"
	"errors"
	"net/http"
	"net/mail"
	"regexp"
	"strconv"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/paths"
)

// citizenForm is the create/edit form: the values as typed, and the form's messages.
type citizenForm struct {
	values citizens.FormValues
	*form.Form
	// keptVisitation is the citizen's visitation category as stored (edit): offered and
	// accepted also after it has ended, so saving never drops it.
	keptVisitation string
}

var (
	rePostal = regexp.MustCompile(`^[0-9]{4}$`)
	rePhone  = regexp.MustCompile(`^\+?[0-9 ]{8,15}$`)
)

// The citizen's text fields' limits (the postal code, phone and e-mail are bounded again by
// their own checks).
const (
	maxCitizenName    = 100
	maxCitizenAddress = 200
	maxCitizenCity    = 100
	maxCitizenEmail   = 200
	maxCitizenCode    = 20 // CPR, postal code, phone: their patterns say the rest
)

func decodeCitizenForm(r *http.Request) citizenForm {
	_ = r.ParseForm()
	return citizenForm{Form: form.New(r.PostForm)}
}

// validate reads the form in reading order and builds the store input. caseworkers are the ids
// one may assign (a tampered id is refused); visitation must be a category in force today or
// the one the citizen already has. Only a new citizen's CPR number is read.
func (f *citizenForm) validate(isNew bool, caseworkers map[int64]bool, visitation store.RefSet, today time.Time) store.CitizenInput {
	v := &f.values
	v.Version = f.Text("version", "", 20)
	var in store.CitizenInput
	if isNew {
		v.CPR = f.RequiredText("cpr", "CPR-nummer", maxCitizenCode)
		if f.Errors["cpr"] == "" {
			if cpr, err := helhed.ParseCPR(v.CPR); err != nil {
				f.Fail("cpr", helhed.ErrorMessage(err))
			} else {
				in.CPR = cpr
			}
		}
	}
	v.FirstName = f.RequiredText("first_name", "Fornavn(e)", maxCitizenName)
	v.LastName = f.RequiredText("last_name", "Efternavn", maxCitizenName)
	v.Address = f.Text("address", "Adresse", maxCitizenAddress)
	v.PostalCode = f.Text("postal_code", "Postnummer", maxCitizenCode)
	if v.PostalCode != "" && !rePostal.MatchString(v.PostalCode) {
		f.Fail("postal_code", "Postnummeret skal være 4 cifre")
	}
	v.City = f.Text("city", "By", maxCitizenCity)
	v.Phone = f.Text("phone", "Telefon", maxCitizenCode)
	if v.Phone != "" && !rePhone.MatchString(v.Phone) {
		f.Fail("phone", "Telefonnummeret skal være 8 cifre, fx 12 34 56 78")
	}
	v.Email = f.Text("email", "E-mail", maxCitizenEmail)
	if v.Email != "" {
		if a, err := mail.ParseAddress(v.Email); err != nil || a.Address != v.Email {
			f.Fail("email", "E-mailadressen er ikke gyldig")
		}
	}
	v.Caseworker = f.Choice("caseworker", "Koordinerende sagsbehandler", func(s string) bool {
		id, err := strconv.ParseInt(s, 10, 64)
		return err == nil && caseworkers[id]
	})
	if v.Caseworker != "" && f.Errors["caseworker"] == "" {
		in.CaseworkerID, _ = strconv.ParseInt(v.Caseworker, 10, 64)
	}
	v.Visitation = f.Choice("visitation", "Visitationskategori", visitation.Keeping(today, f.keptVisitation).Has)
	in.FirstName, in.LastName, in.Address, in.PostalCode = v.FirstName, v.LastName, v.Address, v.PostalCode
	in.City, in.Phone, in.Email, in.VisitationCode = v.City, v.Phone, v.Email, v.Visitation
	return in
}

// formOptions loads the choices of the citizen form for the user's unit.
func (s *Server) formOptions(ctx context.Context, unitID int64) ([]components.Option, map[int64]bool, store.RefSet, error) {
	users, err := s.store.UsersInUnitWithRole(ctx, unitID, access.RoleCaseworker)
	if err != nil {
		return nil, nil, nil, err
	}
	opts := make([]components.Option, len(users))
	ids := make(map[int64]bool, len(users))
	for i, u := range users {
		opts[i] = components.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name}
		ids[u.ID] = true
	}
	vis, err := s.vocab.Values(ctx, "visitation_category")
	return opts, ids, vis, err
}

func (s *Server) renderCitizenForm(w http.ResponseWriter, r *http.Request, status int, id int64, f citizenForm) error {
	u := userFrom(r)
	cws, _, vis, err := s.formOptions(r.Context(), u.UnitID)
	if err != nil {
		return err
	}
	p := citizens.FormProps{New: id == 0, ID: id, Values: f.values, Errors: f.Errors, Summary: f.SummaryTexts(),
		Caseworkers: cws, Visitations: keptOptions(vis.Keeping(s.today(), f.keptVisitation), s.now())}
	title := "Opret borger"
	if id != 0 {
		c, err := s.store.CitizenByID(r.Context(), id)
		if err != nil {
			return err
		}
		title = "Ret stamoplysninger – " + c.Name()
	}
	return s.page(w, r, status, title, citizens.Form(p))
}

func (s *Server) citizenNewGet(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	f := citizenForm{Form: form.New(nil)}
	if u.Role == access.RoleCaseworker {
		f.values.Caseworker = strconv.FormatInt(u.ID, 10)
	}
	return s.renderCitizenForm(w, r, http.StatusOK, 0, f)
}

func (s *Server) citizenNewPost(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	f := decodeCitizenForm(r)
	_, ids, vis, err := s.formOptions(r.Context(), u.UnitID)
	if err != nil {
		return err
	}
	in := f.validate(true, ids, vis, s.now())
	if !f.OK() {
		return s.renderCitizenForm(w, r, http.StatusUnprocessableEntity, 0, f)
	}
	// The unit comes from the user, never from the form. Whether the CPR number is registered
	// anywhere is an answer the store audits and rations per user (store.CPRCheckLimit).
	id, err := s.store.CreateCitizen(r.Context(), who(r), u.UnitID, in)
	if fe := fieldErrors(err); fe != nil {
		for k, msg := range fe {
			f.Fail(k, msg)
		}
		status := http.StatusUnprocessableEntity
		if errors.Is(err, store.ErrCPRCheckLimit) {
			status = http.StatusTooManyRequests
		}
		return s.renderCitizenForm(w, r, status, 0, f)
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Borgeren er oprettet.")
	return redirect(w, r, paths.Citizen(id))
}

func (s *Server) citizenEditGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	c, err := s.store.CitizenByID(r.Context(), id)
	if err != nil {
		return err
	}
	f := citizenForm{Form: form.New(nil), values: citizens.FormValues{
		CPR: c.CPR.Masked(), FirstName: c.FirstName, LastName: c.LastName, Address: c.Address, PostalCode: c.PostalCode,
		City: c.City, Phone: c.Phone, Email: c.Email, Version: strconv.Itoa(c.Version),
	}}
	if c.CaseworkerID != nil {
		f.values.Caseworker = strconv.FormatInt(*c.CaseworkerID, 10)
	}
	if c.VisitationCode != nil {
		f.values.Visitation, f.keptVisitation = *c.VisitationCode, *c.VisitationCode
	}
	return s.renderCitizenForm(w, r, http.StatusOK, id, f)
}

func (s *Server) citizenEditPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	c, err := s.store.CitizenByID(r.Context(), id)
	if err != nil {
		return err
	}
	f := decodeCitizenForm(r)
	f.values.CPR = c.CPR.Masked()
	if c.VisitationCode != nil {
		f.keptVisitation = *c.VisitationCode
	}
	_, ids, vis, err := s.formOptions(r.Context(), c.UnitID)
	if err != nil {
		return err
	}
	in := f.validate(false, ids, vis, s.now())
	version, verr := strconv.Atoi(f.values.Version)
	if verr != nil {
		f.Fail("version", "Formularen er ufuldstændig. Åbn siden igen.")
	}
	if !f.OK() {
		return s.renderCitizenForm(w, r, http.StatusUnprocessableEntity, id, f)
	}
	err = s.store.UpdateCitizen(r.Context(), who(r), id, version, in)
	if helhed.ErrorCode(err) == helhed.EConflict {
		// Keep what the user typed: the form comes back with the conflict explained, and the
		// new version number so a deliberate second save goes through.
		f.Fail("version", helhed.ErrorMessage(err)+" Kontrollér felterne og gem igen for at overskrive.")
		f.values.Version = strconv.Itoa(c.Version)
		return s.renderCitizenForm(w, r, http.StatusConflict, id, f)
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Stamoplysningerne er gemt.")
	return redirect(w, r, paths.Citizen(id))
}
