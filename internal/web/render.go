package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/a-h/templ"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/web/layout"
	"github.com/helhed/helhed/web/pages/errorpage"
	"github.com/helhed/helhed/web/paths"
)

// handler is the shape of every handler: it returns an error, and one adapter turns errors
// into status codes and Danish pages.
type handler func(w http.ResponseWriter, r *http.Request) error

// h adapts a handler to http.HandlerFunc.
func (s *Server) h(fn handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.handleError(w, r, err)
		}
	}
}

// handleError maps a domain error code to a status; unexpected errors are logged with the
// request id and shown as a generic 500 page. Users never see internal error text.
func (s *Server) handleError(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	switch helhed.ErrorCode(err) {
	case helhed.ENotFound:
		status = http.StatusNotFound
	case helhed.EForbidden:
		status = http.StatusForbidden
	case helhed.EConflict:
		status = http.StatusConflict
	case helhed.EInvalid:
		status = http.StatusUnprocessableEntity
	}
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "request_id", requestID(r), "err", err)
		s.renderError(w, r, status)
		return
	}
	s.renderErrorMessage(w, r, status, helhed.ErrorMessage(err))
}

var errorTitles = map[int]string{
	http.StatusBadRequest:          "Forespørgslen kan ikke bruges",
	http.StatusNotFound:            "Siden findes ikke",
	http.StatusForbidden:           "Du har ikke adgang",
	http.StatusConflict:            "Ændringen kunne ikke gemmes",
	http.StatusUnprocessableEntity: "Oplysningerne kunne ikke gemmes",
	http.StatusMethodNotAllowed:    "Handlingen er ikke tilladt",
	http.StatusTooManyRequests:     "For mange på kort tid",
	http.StatusInternalServerError: "Der opstod en fejl",
}

var errorMessages = map[int]string{
	http.StatusBadRequest: "Formularen eller adressen indeholder tegn eller tal, som ikke kan bruges " +
		"(fx usynlige kontroltegn eller et sidetal uden for listen). Gå tilbage, ret det, og prøv igen.",
	http.StatusNotFound:            "Siden eller posten findes ikke, eller du har ikke adgang til den.",
	http.StatusForbidden:           "Du har ikke adgang til denne side eller handling. Forsøget er registreret.",
	http.StatusMethodNotAllowed:    "Siden kan ikke bruges på denne måde.",
	http.StatusInternalServerError: "Der opstod en uventet fejl. Prøv igen om lidt.",
}

// renderError renders the Danish error page for status with its standard message.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int) {
	s.renderErrorMessage(w, r, status, errorMessages[status])
}

func (s *Server) renderErrorMessage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	title := errorTitles[status]
	if title == "" {
		title = http.StatusText(status)
	}
	if msg == "" {
		msg = errorMessages[status]
	}
	props := errorpage.Props{Status: status, Title: title, Message: msg, RequestID: requestID(r)}
	var err error
	if inSelfRealm(r) {
		// The citizen area's errors in its own layout, leading back to /mit.
		props.Home = paths.SelfHome
		err = s.selfPage(w, r, status, title, errorpage.Body(props))
	} else {
		err = s.render(w, r, status, layout.Page(s.chrome(r, title), errorpage.Body(props)))
	}
	if err != nil {
		s.log.Error("render error page", "request_id", requestID(r), "err", err)
		http.Error(w, "Der opstod en fejl", http.StatusInternalServerError)
	}
}

// render writes c with status through a buffer, so a failed render never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := c.Render(r.Context(), buf); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// renderBuffers are reused between renders: a page is tens of kilobytes, and a new buffer
// growing to that size for every request was a large part of the garbage under load.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putRenderBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 { // an unusually large page: let it go rather than keep it
		return
	}
	b.Reset()
	renderBuffers.Put(b)
}

// page renders body inside the standard chrome.
func (s *Server) page(w http.ResponseWriter, r *http.Request, status int, title string, body templ.Component) error {
	return s.render(w, r, status, layout.Page(s.chrome(r, title), body))
}

// chrome builds the layout's data for this request: user, navigation by role, flash, nonce.
func (s *Server) chrome(r *http.Request, title string) layout.Chrome {
	c := layout.Chrome{Title: title, Nonce: nonce(r), RequestID: requestID(r)}
	// Pages outside the session middleware (a 404 at the router, a refused cross-site POST)
	// have no session to read a flash from.
	if r.Context().Value(keySession) != nil {
		if msg := s.sessions.PopString(r.Context(), "flash"); msg != "" {
			c.Flash = layout.Flash{Kind: s.sessions.PopString(r.Context(), "flash_kind"), Message: msg}
		}
	}
	u := userFrom(r)
	if u == nil {
		return c
	}
	c.User = &layout.User{Name: u.Name, RoleLabel: u.RoleLabel, UnitName: u.UnitName, SSOOnly: u.SSOOnly}
	c.Restore = s.takePendingForm(r)
	c.Session = s.sessionChrome(r)
	c.Nav = navFor(u, r.URL.Path, r.URL.Query().Get("omfang"), s.referralBadges(r, u))
	return c
}

// flash stores a message for the next page (post/redirect/get).
func (s *Server) flash(r *http.Request, kind, msg string) {
	s.sessions.Put(r.Context(), "flash", msg)
	s.sessions.Put(r.Context(), "flash_kind", kind)
}

// redirect finishes a successful POST: 303 See Other, so reload does not resend the form.
func redirect(w http.ResponseWriter, r *http.Request, url string) error {
	http.Redirect(w, r, url, http.StatusSeeOther)
	return nil
}

// badges are the counts beside navigation items.
type badges struct{ inbox, own, tasks int }

// referralBadges counts new inbox referrals (provider staff), the user's referrals with a
// state change they have not seen (caseworkers) and the tasks due today. It runs only when a
// full page is rendered (chrome), not per request: redirects after a POST, static files and
// fragments never pay for it. It is one statement of index-only counts (store.NavBadges); a
// failure is logged and the page shows no badge rather than failing.
func (s *Server) referralBadges(r *http.Request, u *currentUser) badges {
	a := u.access()
	tasks, inbox, own := access.Can(a, access.ViewTasks), access.Can(a, access.ViewInbox), access.Can(a, access.ListOwnReferrals)
	if !tasks && !inbox && !own {
		return badges{}
	}
	b, err := s.store.NavBadges(r.Context(), u.ID, u.UnitID, tasks, inbox, own)
	if err != nil {
		s.log.Warn("navigation badges", "request_id", requestID(r), "err", err)
		return badges{}
	}
	return badges{inbox: b.NewInInbox, own: b.Unseen, tasks: b.Tasks}
}

// navFor builds the navigation a role needs; access.Can keeps it in step with the routes.
func navFor(u *currentUser, path, scope string, b badges) []layout.NavItem {
	a := u.access()
	var nav []layout.NavItem
	add := func(label, href string, active bool) {
		nav = append(nav, layout.NavItem{Label: label, Href: href, Active: active})
	}
	badge := func(n int) { nav[len(nav)-1].Badge = n }
	if access.Can(a, access.ListOwnCaseload) {
		add("Mine borgere", "/borgere", path == "/borgere" && scope != "enhed")
	}
	if access.Can(a, access.ListUnitCitizens) {
		add("Enhedens borgere", "/borgere?omfang=enhed", path == "/borgere" && (scope == "enhed" || !access.Can(a, access.ListOwnCaseload)))
	}
	if access.Can(a, access.CreateCitizen) {
		add("Opret borger", "/borgere/ny", path == "/borgere/ny")
	}
	if access.Can(a, access.ViewInbox) {
		add("Indbakke", "/indbakke", path == "/indbakke")
		badge(b.inbox)
	}
	if access.Can(a, access.ListOwnReferrals) {
		add("Mine henvisninger", "/henvisninger", path == "/henvisninger")
		badge(b.own)
	}
	if access.Can(a, access.ViewTasks) {
		add("Opgaver", "/opgaver", path == "/opgaver")
		badge(b.tasks)
	}
	if access.Can(a, access.ViewCalendar) {
		add("Samtaler", "/kalender", path == "/kalender")
	}
	if access.Can(a, access.ListMeetings) {
		add("Rehabiliteringsteam", "/moeder", strings.HasPrefix(path, "/moeder") || strings.HasPrefix(path, "/rehabteams"))
	} else if access.Can(a, access.ManageTeams) {
		add("Rehabiliteringsteams", "/rehabteams", strings.HasPrefix(path, "/rehabteams"))
	}
	if access.Can(a, access.ViewManagement) {
		add("Ledelse", "/ledelse", strings.HasPrefix(path, "/ledelse"))
	} else if access.Can(a, access.ViewStrategy) {
		add("Strategi", "/ledelse/strategi", strings.HasPrefix(path, "/ledelse"))
	}
	if access.Can(a, access.ManageUsers) {
		add("Brugere", "/admin/brugere", len(path) >= 14 && path[:14] == "/admin/brugere")
		add("Enheder", "/admin/enheder", path == "/admin/enheder")
		add("Roller", "/admin/roller", path == "/admin/roller")
	}
	if access.Can(a, access.ManageReference) {
		add("Regelsæt", "/admin/regelsaet", path == "/admin/regelsaet")
		add("Referencedata", "/admin/referencedata", strings.HasPrefix(path, "/admin/referencedata"))
	}
	if access.Can(a, access.ViewLawCalendar) {
		add("Lovkalender", paths.LawCalendar, path == paths.LawCalendar)
	}
	if access.Can(a, access.ViewAuditLog) {
		add("Auditlog", "/admin/audit", path == "/admin/audit")
	}
	if access.Can(a, access.ManageRetention) {
		add("Opbevaring", "/admin/opbevaring", strings.HasPrefix(path, "/admin/opbevaring"))
	}
	if access.Can(a, access.ViewCatalogue) {
		add("Indsatskatalog", "/katalog", strings.HasPrefix(path, "/katalog"))
	}
	if len(nav) == 0 {
		add("Forside", "/", path == "/")
	}
	return nav
}

// fieldErrors returns the per-field messages of a domain validation error, or nil.
func fieldErrors(err error) map[string]string { return helhed.FieldErrorsOf(err) }
