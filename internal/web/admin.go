package web

import (
	"net/http"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/password"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/admin"
	"github.com/helhed/helhed/web/paths"
)

func (s *Server) adminUsersView(w http.ResponseWriter, r *http.Request) error {
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("side"))
	users, total, err := s.store.ListUsers(r.Context(), store.Page{Number: pageNo, PerPage: 50})
	if err != nil {
		return err
	}
	p := admin.UsersProps{Users: users, Total: total, Pages: components.PageInfo{
		Page: max(pageNo, 1), PerPage: 50, Total: total,
		URL: func(n int) string { return "/admin/brugere?side=" + strconv.Itoa(n) }}}
	return s.page(w, r, http.StatusOK, "Brugere", admin.Users(p))
}

// userForm is the typed user form.
type userForm struct {
	values admin.UserValues
	*form.Form
}

// The user's and the unit's text fields' limits, as checked before the form layer.
const (
	maxUserName  = 100
	maxUserEmail = 200
	maxUnitName  = 100
)

var reUsername = regexp.MustCompile(`^[a-z0-9._-]{2,60}$`)

func (s *Server) userFormOptions(r *http.Request) ([]components.Option, []components.Option, map[int64]bool, map[string]bool, error) {
	units, err := s.store.ListUnits(r.Context())
	if err != nil {
		return nil, nil, nil, nil, err
	}
	roles, err := s.store.ListRoles(r.Context())
	if err != nil {
		return nil, nil, nil, nil, err
	}
	uo, ro := make([]components.Option, len(units)), make([]components.Option, len(roles))
	uids, rcodes := map[int64]bool{}, map[string]bool{}
	for i, u := range units {
		uo[i] = components.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name}
		uids[u.ID] = true
	}
	for i, x := range roles {
		ro[i] = components.Option{Value: x.Code, Label: x.Label}
		rcodes[x.Code] = true
	}
	return uo, ro, uids, rcodes, nil
}

func (s *Server) renderUserForm(w http.ResponseWriter, r *http.Request, status int, id int64, f userForm) error {
	uo, ro, _, _, err := s.userFormOptions(r)
	if err != nil {
		return err
	}
	p := admin.UserFormProps{ID: id, Values: f.values, Errors: f.Errors, Summary: f.SummaryTexts(), Units: uo, Roles: ro}
	if id != 0 {
		u, err := s.store.UserByID(r.Context(), id)
		if err != nil {
			return err
		}
		p.Disabled = !u.Active()
	}
	title := "Opret bruger"
	if id != 0 {
		title = "Ret bruger"
	}
	return s.page(w, r, status, title, admin.UserForm(p))
}

func decodeUserForm(r *http.Request) userForm {
	_ = r.ParseForm()
	return userForm{Form: form.New(r.PostForm)}
}

// validate reads the form in reading order. The username is read only for a new user (it is
// not editable). The password is read as typed, untrimmed and never echoed, so not through a
// reader; its message is recorded beside it like the others.
func (f *userForm) validate(isNew bool, units map[int64]bool, roles map[string]bool, r *http.Request) (unitID int64) {
	v := &f.values
	if isNew {
		v.Username = strings.ToLower(f.Text("username", "Brugernavn", 60))
		if f.Errors["username"] == "" && !reUsername.MatchString(v.Username) {
			f.Fail("username", "Brugernavnet skal være 2–60 tegn: små bogstaver, tal, punktum, bindestreg")
		}
	}
	v.Name = f.RequiredText("name", "Navn", maxUserName)
	v.Email = f.Text("email", "E-mail", maxUserEmail)
	if v.Email != "" && f.Errors["email"] == "" {
		if a, err := mail.ParseAddress(v.Email); err != nil || a.Address != v.Email {
			f.Fail("email", "E-mailadressen er ikke gyldig")
		}
	}
	v.Unit = f.RequiredChoice("unit", "Enhed", func(s string) bool {
		id, err := strconv.ParseInt(s, 10, 64)
		return err == nil && units[id]
	})
	unitID, _ = strconv.ParseInt(v.Unit, 10, 64)
	v.Role = f.RequiredChoice("role", "Rolle", func(s string) bool { return roles[s] })
	label := "Ny adgangskode"
	if isNew {
		label = "Adgangskode"
	}
	f.Label("password", label)
	v.Password = r.PostFormValue("password")
	if isNew || v.Password != "" {
		if err := password.Check(v.Password, v.Username); err != nil {
			f.Fail("password", passwordProblem(v.Password, err))
		}
	}
	return unitID
}

func (s *Server) adminUserNewGet(w http.ResponseWriter, r *http.Request) error {
	return s.renderUserForm(w, r, http.StatusOK, 0, userForm{Form: form.New(nil)})
}

func (s *Server) adminUserNewPost(w http.ResponseWriter, r *http.Request) error {
	f := decodeUserForm(r)
	_, _, units, roles, err := s.userFormOptions(r)
	if err != nil {
		return err
	}
	unitID := f.validate(true, units, roles, r)
	if !f.OK() {
		f.values.Password = ""
		return s.renderUserForm(w, r, http.StatusUnprocessableEntity, 0, f)
	}
	hash, err := s.hashPassword(r.Context(), f.values.Password)
	if err != nil {
		return err
	}
	// The administrator knows this password: the user must choose their own at first login.
	_, err = s.store.CreateUser(r.Context(), who(r), store.NewUser{Username: f.values.Username, Name: f.values.Name,
		Email: f.values.Email, UnitID: unitID, Role: f.values.Role, PasswordHash: hash, MustChangePassword: true})
	if fe := fieldErrors(err); fe != nil {
		for k, msg := range fe {
			f.Fail(k, msg)
		}
		f.values.Password = ""
		return s.renderUserForm(w, r, http.StatusUnprocessableEntity, 0, f)
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Brugeren "+f.values.Username+" er oprettet og skal vælge sin egen adgangskode ved første login.")
	return redirect(w, r, "/admin/brugere")
}

func (s *Server) adminUserEditGet(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	f := userForm{Form: form.New(nil), values: admin.UserValues{Username: u.Username, Name: u.Name, Email: u.Email,
		Unit: strconv.FormatInt(u.UnitID, 10), Role: u.Role}}
	return s.renderUserForm(w, r, http.StatusOK, id, f)
}

func (s *Server) adminUserEditPost(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	f := decodeUserForm(r)
	f.values.Username = u.Username // not editable
	_, _, units, roles, err := s.userFormOptions(r)
	if err != nil {
		return err
	}
	unitID := f.validate(false, units, roles, r)
	if !f.OK() {
		f.values.Password = ""
		return s.renderUserForm(w, r, http.StatusUnprocessableEntity, id, f)
	}
	if err := s.store.UpdateUser(r.Context(), who(r), id, f.values.Name, f.values.Email, unitID, f.values.Role); err != nil {
		return err
	}
	msg := "Brugeren er gemt."
	if f.values.Password != "" {
		hash, err := s.hashPassword(r.Context(), f.values.Password)
		if err != nil {
			return err
		}
		// A reset: the user's sessions end, and they must choose their own password next time.
		if err := s.store.SetPassword(r.Context(), who(r), id, hash); err != nil {
			return err
		}
		msg = "Brugeren er gemt. Brugeren skal vælge sin egen adgangskode ved næste login."
	}
	s.flash(r, "success", msg)
	return redirect(w, r, "/admin/brugere")
}

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	id, err := urlID(r, "id")
	if err != nil {
		return err
	}
	if disabled && id == userFrom(r).ID {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Du kan ikke deaktivere dig selv."}
	}
	if err := s.store.SetUserDisabled(r.Context(), who(r), id, disabled); err != nil {
		return err
	}
	msg := "Brugeren er genaktiveret."
	if disabled {
		if err := s.EndUserSessions(r.Context(), id); err != nil {
			return err
		}
		msg = "Brugeren er deaktiveret, og alle brugerens sessioner er afsluttet."
	}
	s.flash(r, "success", msg)
	return redirect(w, r, paths.User(id))
}

func (s *Server) adminUserDisablePost(w http.ResponseWriter, r *http.Request) error {
	return s.setDisabled(w, r, true)
}

func (s *Server) adminUserEnablePost(w http.ResponseWriter, r *http.Request) error {
	return s.setDisabled(w, r, false)
}

// renderUnits lists the units with the new-unit form; f is a rejected form, or nil.
func (s *Server) renderUnits(w http.ResponseWriter, r *http.Request, status int, f *form.Form) error {
	units, err := s.store.ListUnitsWithUsers(r.Context())
	if err != nil {
		return err
	}
	kinds, err := s.vocab.Values(r.Context(), "unit_kind")
	if err != nil {
		return err
	}
	p := admin.UnitsProps{Units: units, Kinds: options(store.RefSet(kinds).Current(s.today()))}
	if f != nil {
		p.Name, p.Kind, p.Errors, p.Summary = f.Values["name"], f.Values["kind"], f.Errors, f.SummaryTexts()
	}
	return s.page(w, r, status, "Enheder", admin.Units(p))
}

func (s *Server) adminUnitsView(w http.ResponseWriter, r *http.Request) error {
	return s.renderUnits(w, r, http.StatusOK, nil)
}

func (s *Server) adminUnitCreatePost(w http.ResponseWriter, r *http.Request) error {
	kinds, err := s.vocab.Values(r.Context(), "unit_kind")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	name := f.RequiredText("name", "Navn", maxUnitName)
	today := s.today()
	kind := f.RequiredChoice("kind", "Type", func(v string) bool { return store.RefSet(kinds).ValidOn(v, today) })
	if f.OK() {
		_, err = s.store.CreateUnit(r.Context(), who(r), name, kind)
		if fe := fieldErrors(err); fe != nil {
			for k, msg := range fe {
				f.Fail(k, msg)
			}
		} else if err != nil {
			return err
		}
	}
	if !f.OK() {
		return s.renderUnits(w, r, http.StatusUnprocessableEntity, f)
	}
	s.flash(r, "success", "Enheden "+name+" er oprettet.")
	return redirect(w, r, "/admin/enheder")
}

func (s *Server) adminRolesView(w http.ResponseWriter, r *http.Request) error {
	roles, err := s.store.ListRoles(r.Context())
	if err != nil {
		return err
	}
	return s.page(w, r, http.StatusOK, "Roller", admin.Roles(admin.RolesProps{Roles: roles}))
}

func (s *Server) adminRoleUpdatePost(w http.ResponseWriter, r *http.Request) error {
	label := strings.TrimSpace(r.PostFormValue("label"))
	desc := strings.TrimSpace(r.PostFormValue("description"))
	if label == "" || utf8.RuneCountInString(label) > 60 || utf8.RuneCountInString(desc) > 300 {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Rollens navn skal være 1–60 tegn og beskrivelsen højst 300 tegn."}
	}
	if err := s.store.UpdateRole(r.Context(), who(r), chi.URLParam(r, "code"), label, desc); err != nil {
		return err
	}
	s.flash(r, "success", "Rollen er gemt.")
	return redirect(w, r, "/admin/roller")
}

func (s *Server) adminAuditView(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.AuditFilter{Action: q.Get("handling")}
	errs := map[string]string{}
	if v := q.Get("borger"); v != "" {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			f.CitizenID = id
		} else {
			errs["borger"] = "Angiv borgerens løbenummer (et tal)"
		}
	}
	if v := q.Get("bruger"); v != "" {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			f.UserID = id
		} else {
			errs["bruger"] = "Angiv brugerens løbenummer (et tal)"
		}
	}
	if v := q.Get("fra"); v != "" {
		if t, err := form.ParseDate(v); err == nil {
			f.From = t
		} else {
			errs["fra"] = form.MsgDate
		}
	}
	if v := q.Get("til"); v != "" {
		if t, err := form.ParseDate(v); err == nil {
			f.To = t.AddDate(0, 0, 1)
		} else {
			errs["til"] = form.MsgDate
		}
	}
	pageNo, _ := strconv.Atoi(q.Get("side"))
	p := admin.AuditProps{Filter: map[string]string{"borger": q.Get("borger"), "bruger": q.Get("bruger"),
		"handling": q.Get("handling"), "fra": q.Get("fra"), "til": q.Get("til")}, Errors: errs}
	status := http.StatusOK
	if len(errs) == 0 {
		events, total, err := s.store.SearchAudit(r.Context(), f, store.Page{Number: pageNo, PerPage: 100})
		if err != nil {
			return err
		}
		p.Events, p.Total = events, total
		p.Pages = components.PageInfo{Page: max(pageNo, 1), PerPage: 100, Total: total, URL: func(n int) string {
			v := r.URL.Query()
			v.Set("side", strconv.Itoa(n))
			return "/admin/audit?" + v.Encode()
		}}
		if err := s.store.Audit(r.Context(), who(r), f.CitizenID, store.AuditAuditSearch, "auditlog søgt"); err != nil {
			return err
		}
	} else {
		status = http.StatusUnprocessableEntity
	}
	return s.page(w, r, status, "Auditlog", admin.Audit(p))
}
