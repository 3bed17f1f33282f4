package web

import (
	"context"
	"errors"
	"net/http"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/paths"
)

// citizenForm is the typed create/edit form: the raw values as typed, and Danish errors.
type citizenForm struct {
	values citizens.FormValues
	errors map[string]string
	// keptVisitation is the citizen's visitation category as stored (edit): offered and
	// accepted also after it has ended, so saving never drops it.
	keptVisitation string
}

var (
	rePostal = regexp.MustCompile(`^[0-9]{4}$`)
	rePhone  = regexp.MustCompile(`^\+?[0-9 ]{8,15}$`)
)

func decodeCitizenForm(r *http.Request) citizenForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return citizenForm{values: citizens.FormValues{
		CPR: v("cpr"), FirstName: v("first_name"), LastName: v("last_name"), Address: v("address"),
		PostalCode: v("postal_code"), City: v("city"), Phone: v("phone"), Email: v("email"),
		Caseworker: v("caseworker"), Visitation: v("visitation"), Version: v("version"),
	}, errors: map[string]string{}}
}

// validate checks the form and builds the store input. caseworkers are the ids one may assign
// (a tampered id is refused); visitation must be a category in force today or the one the
// citizen already has.
func (f *citizenForm) validate(isNew bool, caseworkers map[int64]bool, visitation store.RefSet, today time.Time) store.CitizenInput {
	v := f.values
	in := store.CitizenInput{FirstName: v.FirstName, LastName: v.LastName, Address: v.Address, PostalCode: v.PostalCode,
		City: v.City, Phone: v.Phone, Email: v.Email, VisitationCode: v.Visitation}
	if isNew {
		if v.CPR == "" {
			f.errors["cpr"] = "Angiv CPR-nummer"
		} else if cpr, err := helhed.ParseCPR(v.CPR); err != nil {
			f.errors["cpr"] = helhed.ErrorMessage(err)
		} else {
			in.CPR = cpr
		}
	}
	req := func(key, val, label string, maxLen int) {
		switch {
		case val == "":
			f.errors[key] = "Angiv " + label
		case utf8.RuneCountInString(val) > maxLen:
			f.errors[key] = "Højst " + strconv.Itoa(maxLen) + " tegn"
		}
	}
	req("first_name", v.FirstName, "fornavn", 100)
	req("last_name", v.LastName, "efternavn", 100)
	if utf8.RuneCountInString(v.Address) > 200 {
		f.errors["address"] = "Højst 200 tegn"
	}
	if utf8.RuneCountInString(v.City) > 100 {
		f.errors["city"] = "Højst 100 tegn"
	}
	if v.PostalCode != "" && !rePostal.MatchString(v.PostalCode) {
		f.errors["postal_code"] = "Postnummeret skal være 4 cifre"
	}
	if v.Phone != "" && !rePhone.MatchString(v.Phone) {
		f.errors["phone"] = "Telefonnummeret skal være 8 cifre, fx 12 34 56 78"
	}
	if v.Email != "" {
		if a, err := mail.ParseAddress(v.Email); err != nil || a.Address != v.Email || len(v.Email) > 200 {
			f.errors["email"] = "E-mailadressen er ikke gyldig"
		}
	}
	if v.Caseworker != "" {
		id, err := strconv.ParseInt(v.Caseworker, 10, 64)
		if err != nil || !caseworkers[id] {
			f.errors["caseworker"] = "Vælg en sagsbehandler fra listen"
		} else {
			in.CaseworkerID = id
		}
	}
	if v.Visitation != "" && !visitation.Keeping(today, f.keptVisitation).Has(v.Visitation) {
		f.errors["visitation"] = "Vælg en visitationskategori fra listen"
	}
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
	p := citizens.FormProps{New: id == 0, ID: id, Values: f.values, Errors: f.errors,
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
	f := citizenForm{errors: map[string]string{}}
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
	if len(f.errors) > 0 {
		return s.renderCitizenForm(w, r, http.StatusUnprocessableEntity, 0, f)
	}
	// The unit comes from the user, never from the form. Whether the CPR number is registered
	// anywhere is an answer the store audits and rations per user (store.CPRCheckLimit).
	id, err := s.store.CreateCitizen(r.Context(), who(r), u.UnitID, in)
	if fe := fieldErrors(err); fe != nil {
		f.errors = fe
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
	f := citizenForm{errors: map[string]string{}, values: citizens.FormValues{
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
		f.errors["version"] = "Formularen er ufuldstændig. Åbn siden igen."
	}
	if len(f.errors) > 0 {
		return s.renderCitizenForm(w, r, http.StatusUnprocessableEntity, id, f)
	}
	err = s.store.UpdateCitizen(r.Context(), who(r), id, version, in)
	if helhed.ErrorCode(err) == helhed.EConflict {
		// Keep what the user typed: the form comes back with the conflict explained, and the
		// new version number so a deliberate second save goes through.
		f.errors["version"] = helhed.ErrorMessage(err) + " Kontrollér felterne og gem igen for at overskrive."
		f.values.Version = strconv.Itoa(c.Version)
		return s.renderCitizenForm(w, r, http.StatusConflict, id, f)
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Stamoplysningerne er gemt.")
	return redirect(w, r, paths.Citizen(id))
}
