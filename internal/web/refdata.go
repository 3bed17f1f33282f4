package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/admin"
	"github.com/helhed/helhed/web/paths"
)

// The administrator's reference data pages: the law changes benefit types, visitation
// categories, outcomes …, and the municipality follows it here without a release. These
// pages read the values from the database, not from the in-memory vocabulary, so they show
// a change (and the version it made) the moment it is saved; every other page follows
// through the trigger's NOTIFY (vocabulary.go).

func (s *Server) adminRefKindsView(w http.ResponseWriter, r *http.Request) error {
	kinds, err := s.store.RefKinds(r.Context(), s.now())
	if err != nil {
		return err
	}
	return s.page(w, r, http.StatusOK, "Referencedata", admin.RefKinds(admin.RefKindsProps{Kinds: kinds}))
}

// refKind checks the administrator's right and loads the kind named in the URL.
func (s *Server) refKind(r *http.Request) (store.RefKind, error) {
	return s.store.RefKindByCode(r.Context(), chi.URLParam(r, "kind"), s.now())
}

// refValue checks the administrator's right and loads the kind and value named in the URL.
func (s *Server) refValue(r *http.Request) (store.RefKind, store.RefValue, error) {
	k, err := s.refKind(r)
	if err != nil {
		return k, store.RefValue{}, err
	}
	v, err := s.store.RefValueByCode(r.Context(), k.Kind, chi.URLParam(r, "code"))
	return k, v, err
}

// refValueForm is the typed form of a reference value: added (with its code) or edited.
type refValueForm struct {
	values admin.RefValueValues
	errors map[string]string
}

func decodeRefValueForm(r *http.Request) refValueForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return refValueForm{errors: map[string]string{}, values: admin.RefValueValues{
		Code: strings.ToLower(v(store.RefFieldCode)), Label: v(store.RefFieldLabel), Description: v(store.RefFieldDescription),
		Source: v(store.RefFieldSource), SortOrder: v(store.RefFieldSortOrder), ValidFrom: v(store.RefFieldValidFrom), ValidTo: v(store.RefFieldValidTo),
		Version: v("version")}}
}

// refValueValues fills the form with a stored value.
func refValueValues(v store.RefValue) admin.RefValueValues {
	return admin.RefValueValues{Code: v.Code, Label: v.Label, Description: v.Description, Source: v.Source, SortOrder: strconv.Itoa(v.SortOrder),
		ValidFrom: v.ValidFrom.Format(time.DateOnly), ValidTo: format.ISODate(v.ValidTo), Version: strconv.Itoa(v.Version)}
}

// validate parses the typed values and checks them by the store's rules, so every field's
// problem shows at once; the code only when a value is added.
func (f *refValueForm) validate(isNew bool) store.RefValueInput {
	v := f.values
	in := store.RefValueInput{Label: v.Label, Description: v.Description, Source: v.Source}
	if isNew {
		if p := store.RefCodeProblem(v.Code); p != "" {
			f.errors[store.RefFieldCode] = p
		}
	}
	if v.SortOrder != "" {
		n, err := strconv.Atoi(v.SortOrder)
		if err != nil {
			f.errors[store.RefFieldSortOrder] = "Angiv et helt tal"
		}
		in.SortOrder = n
	}
	switch d, ok := parseDate(v.ValidFrom); {
	case v.ValidFrom == "":
		f.errors[store.RefFieldValidFrom] = "Angiv datoen, værdien gælder fra"
	case !ok:
		f.errors[store.RefFieldValidFrom] = form.MsgDate
	default:
		in.ValidFrom = *d
	}
	d, ok := parseDate(v.ValidTo)
	if !ok {
		f.errors[store.RefFieldValidTo] = form.MsgDate
	}
	in.ValidTo = d
	for field, msg := range in.Problems() {
		if _, seen := f.errors[field]; !seen {
			f.errors[field] = msg
		}
	}
	return in
}

// adminRefKindView lists a kind's values with the form that adds one: valid from today and
// sorted last unless the administrator says otherwise.
func (s *Server) adminRefKindView(w http.ResponseWriter, r *http.Request) error {
	k, err := s.refKind(r)
	if err != nil {
		return err
	}
	return s.renderRefKind(w, r, http.StatusOK, k, nil)
}

func (s *Server) renderRefKind(w http.ResponseWriter, r *http.Request, status int, k store.RefKind, f *refValueForm) error {
	values, err := s.store.RefValues(r.Context(), k.Kind)
	if err != nil {
		return err
	}
	if f == nil {
		last := 0
		for _, v := range values {
			last = max(last, v.SortOrder)
		}
		f = &refValueForm{values: admin.RefValueValues{SortOrder: strconv.Itoa(last + 10), ValidFrom: s.today().Format(time.DateOnly)}}
	}
	return s.page(w, r, status, k.Label, admin.RefKind(admin.RefKindProps{Kind: k, Values: values, Today: s.today(),
		Form: f.values, Errors: f.errors}))
}

func (s *Server) adminRefValueAddPost(w http.ResponseWriter, r *http.Request) error {
	k, err := s.refKind(r)
	if err != nil {
		return err
	}
	f := decodeRefValueForm(r)
	in := f.validate(true)
	if len(f.errors) == 0 {
		err := s.store.AddRefValue(r.Context(), who(r), k.Kind, f.values.Code, in)
		if fe := fieldErrors(err); fe != nil {
			f.errors = fe
		} else if err != nil {
			return err
		}
	}
	if len(f.errors) > 0 {
		return s.renderRefKind(w, r, http.StatusUnprocessableEntity, k, &f)
	}
	s.flash(r, "success", "Værdien "+in.Label+" er tilføjet til "+k.Label+".")
	return redirect(w, r, paths.RefKind(k.Kind))
}

func (s *Server) adminRefValueEditGet(w http.ResponseWriter, r *http.Request) error {
	k, v, err := s.refValue(r)
	if err != nil {
		return err
	}
	return s.renderRefValue(w, r, http.StatusOK, admin.RefValueProps{Kind: k, Saved: v, Form: refValueValues(v)})
}

// renderRefValue renders a value's page; the retire form starts at today.
func (s *Server) renderRefValue(w http.ResponseWriter, r *http.Request, status int, p admin.RefValueProps) error {
	p.Today = s.today()
	if p.LastDay == "" && len(p.RetireErrors) == 0 {
		p.LastDay = p.Today.Format(time.DateOnly)
	}
	return s.page(w, r, status, "Ret værdi: "+p.Saved.Label, admin.RefValue(p))
}

// refValueSaveFailed renders the page again after the store refused a save: a conflict (409)
// shows the value as saved now beside what the administrator typed, and carries its version,
// so saving again overwrites deliberately, never by accident; a field error is a 422 beside
// the field of the form that was sent (the retire form's when retire is true).
func (s *Server) refValueSaveFailed(w http.ResponseWriter, r *http.Request, p admin.RefValueProps, err error, retire bool) error {
	fe := fieldErrors(err)
	switch {
	case helhed.ErrorCode(err) == helhed.EConflict:
		p.Notice, p.Conflict = helhed.ErrorMessage(err)+" Kontrollér felterne og gem igen for at overskrive.", true
		p.Form.Version = strconv.Itoa(p.Saved.Version)
		return s.renderRefValue(w, r, http.StatusConflict, p)
	case fe != nil && retire:
		p.RetireErrors = fe
	case fe != nil:
		p.Errors = fe
	default:
		return err
	}
	return s.renderRefValue(w, r, http.StatusUnprocessableEntity, p)
}

// adminRefValueEditPost saves label, description, source, sort order and validity dates on
// the version the administrator opened.
func (s *Server) adminRefValueEditPost(w http.ResponseWriter, r *http.Request) error {
	k, v, err := s.refValue(r)
	if err != nil {
		return err
	}
	f := decodeRefValueForm(r)
	f.values.Code = v.Code // never from the form: records refer to it
	in := f.validate(false)
	p := admin.RefValueProps{Kind: k, Saved: v, Form: f.values, Errors: f.errors}
	version, verr := strconv.Atoi(f.values.Version)
	if verr != nil {
		p.Notice = "Formularen er ufuldstændig. Åbn siden igen."
	}
	if len(f.errors) > 0 || verr != nil {
		return s.renderRefValue(w, r, http.StatusUnprocessableEntity, p)
	}
	if err := s.store.UpdateRefValue(r.Context(), who(r), k.Kind, v.Code, version, in); err != nil {
		return s.refValueSaveFailed(w, r, p, err, false)
	}
	s.flash(r, "success", "Værdien "+in.Label+" er gemt.")
	return redirect(w, r, paths.RefKind(k.Kind))
}

// adminRefValueRetirePost ends a value after the day given ("Afslut pr. dato"): the common
// law change, a form of its own so it is one date and one button.
func (s *Server) adminRefValueRetirePost(w http.ResponseWriter, r *http.Request) error {
	k, v, err := s.refValue(r)
	if err != nil {
		return err
	}
	lastDay := strings.TrimSpace(r.PostFormValue(store.RefFieldLastDay))
	typed := refValueValues(v)
	typed.Version = strings.TrimSpace(r.PostFormValue("version"))
	p := admin.RefValueProps{Kind: k, Saved: v, Form: typed, LastDay: lastDay, RetireErrors: map[string]string{}}
	day, ok := parseDate(lastDay)
	switch {
	case lastDay == "":
		p.RetireErrors[store.RefFieldLastDay] = "Angiv den sidste dag, værdien gælder"
	case !ok:
		p.RetireErrors[store.RefFieldLastDay] = form.MsgDate
	}
	version, verr := strconv.Atoi(typed.Version)
	if verr != nil {
		p.Notice = "Formularen er ufuldstændig. Åbn siden igen."
	}
	if len(p.RetireErrors) > 0 || verr != nil {
		return s.renderRefValue(w, r, http.StatusUnprocessableEntity, p)
	}
	if err := s.store.RetireRefValue(r.Context(), who(r), k.Kind, v.Code, version, *day); err != nil {
		return s.refValueSaveFailed(w, r, p, err, true)
	}
	s.flash(r, "success", v.Label+" gælder til og med "+format.Date(*day)+" og tilbydes ikke i nye sager derefter.")
	return redirect(w, r, paths.RefKind(k.Kind))
}
