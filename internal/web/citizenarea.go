package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/layout"
	"github.com/helhed/helhed/web/pages/mit"
	"github.com/helhed/helhed/web/paths"
)

// The citizen's own Helhed ("Mit Helhed", docs/citizen-area.md) is a realm of its own: its
// routes under paths.SelfPrefix, its own session manager (own cookie, shorter idle timeout,
// its tokens namespaced in the sessions table so a staff token finds nothing there and the
// other way round), and its own signed-in identity: a citizen, never a user. It shares the
// rest of the stack with the staff side: request ids, security headers, cross-origin
// protection (CSRF), input validation, error pages.
//
// The citizen signs in through one seam, signInCitizen, which the MitID broker's OIDC login
// calls with the identity's CPR number and assurance level. Until it is wired, a development
// sign-in (the embedded demo and tests only; never with a broker configured) calls the same
// seam.

// Assurance levels (NSIS) as the broker reports them, lowest first. A broker may report the
// level as its Danish or English name or as a URI ending in it.
const (
	AssuranceLow         = "lav"
	AssuranceSubstantial = "betydelig"
	AssuranceHigh        = "høj"
)

// assuranceRank orders the NSIS levels; 0 is a level not known.
func assuranceRank(level string) int {
	l := strings.ToLower(strings.TrimSpace(level))
	if i := strings.LastIndexAny(l, "/#:"); i >= 0 {
		l = l[i+1:]
	}
	switch l {
	case "lav", "low":
		return 1
	case "betydelig", "substantial":
		return 2
	case "høj", "hoej", "high":
		return 3
	}
	return 0
}

// assuranceMeets reports whether the reported level is at least the required one. A required
// level that is not known requires the highest (fail closed); a reported one that is not
// known meets nothing.
func assuranceMeets(reported, required string) bool {
	need := assuranceRank(required)
	if need == 0 {
		need = 3
	}
	got := assuranceRank(reported)
	return got > 0 && got >= need
}

// CitizenDevSignInEnabled is the rule for the development sign-in: on only when asked for
// (the embedded demo, tests) and never when a MitID broker is configured.
func (c Config) CitizenDevSignInEnabled() bool {
	return c.CitizenDevSignIn && c.CitizenBroker == ""
}

// Session keys of the citizen realm.
const (
	selfSessCitizen = "self_citizen"
	selfSessLoginAt = "self_login_at"
	selfSessLevel   = "self_assurance"
)

// realmStore namespaces a session store's tokens: the citizen realm's sessions live in the
// same table as the staff's, under "borger:" + token, so a token of one realm is not found in
// the other even if it is sent under the other's cookie name.
type realmStore struct {
	scs.Store
	prefix string
}

func (s realmStore) Find(token string) ([]byte, bool, error) { return s.Store.Find(s.prefix + token) }
func (s realmStore) Delete(token string) error               { return s.Store.Delete(s.prefix + token) }
func (s realmStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.Store.Commit(s.prefix+token, b, expiry)
}

// newCitizenSessions is the citizen realm's session manager. The staff manager's store already
// cleans expired rows of the shared table, so this one runs no cleanup of its own.
func newCitizenSessions(st *store.Store, cfg Config) *scs.SessionManager {
	sm := scs.New()
	sm.Store = realmStore{Store: newSessionStore(st, cfg.CitizenIdle, 0), prefix: "borger:"}
	sm.Codec = sessionCodec{}
	sm.IdleTimeout = cfg.CitizenIdle
	sm.Lifetime = cfg.CitizenLifetime
	sm.Cookie.Name = "helhed_borger"
	if cfg.HTTPS() {
		sm.Cookie.Name = "__Host-helhed_borger" // as the staff cookie: Secure, this host, path /
	}
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.HTTPS()
	sm.Cookie.Path = "/"
	return sm
}

// selfCitizen is the signed-in citizen of a request in the citizen realm.
type selfCitizen struct {
	ID   int64
	Name string
}

type selfKey struct{}

// selfSessionKey marks a request that went through the realm's session middleware
// (loadCitizen), whose pages may read and write the realm's session.
type selfSessionKey struct{}

// inSelfRealm reports whether r is a request to the citizen area, whose pages (error pages
// included) use the area's own layout.
func inSelfRealm(r *http.Request) bool {
	return r.URL.Path == paths.SelfPrefix || strings.HasPrefix(r.URL.Path, paths.SelfPrefix+"/")
}

func citizenFrom(r *http.Request) *selfCitizen {
	c, _ := r.Context().Value(selfKey{}).(*selfCitizen)
	return c
}

// selfWho is the audit identity of the citizen's own request.
func selfWho(r *http.Request) store.Who {
	w := store.Who{RequestID: requestID(r)}
	if c := citizenFrom(r); c != nil {
		w.Citizen = c.ID
	}
	return w
}

// loadCitizen reads the realm's session's citizen from the database on every request: a
// case deleted by retention ends the session at once.
func (s *Server) loadCitizen(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), selfSessionKey{}, true)
		r = r.WithContext(ctx)
		id := s.selfSessions.GetInt64(ctx, selfSessCitizen)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		c, err := s.store.CitizenByID(ctx, id)
		if err != nil {
			if helhed.ErrorCode(err) != helhed.ENotFound {
				s.handleError(w, r, err)
				return
			}
			_ = s.selfSessions.Destroy(ctx)
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, selfKey{}, &selfCitizen{ID: c.ID, Name: c.Name()})))
	})
}

// requireCitizen sends a request without a signed-in citizen to the citizen sign-in.
func (s *Server) requireCitizen(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if citizenFrom(r) == nil {
			if r.Method == http.MethodPost {
				s.selfFlash(r, "info", "Du blev logget ud, før du sendte formularen. Log ind igen, og send den på ny.")
			}
			http.Redirect(w, r, paths.SelfSignIn, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// selfReq is what the citizen realm's guard hands a handler: the signed-in citizen, whose
// case is the only one any of its routes reads or changes.
type selfReq struct {
	ID   int64
	Name string
}

// self guards a citizen-realm route: the signed-in citizen, on their own case only (every id
// in the URL is looked up within it). A POST counts against the citizen's action limit first
// (Config.CitizenActions in CitizenActionWindow, from the audit log so it holds across
// instances); over it, the action is refused with 429 and audited.
func (s *Server) self(fn func(http.ResponseWriter, *http.Request, selfReq) error) http.HandlerFunc {
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		c := citizenFrom(r)
		if c == nil {
			return helhed.ErrNotFound // requireCitizen has run; this is a wiring mistake
		}
		if r.Method == http.MethodPost {
			n, err := s.store.SelfActions(r.Context(), c.ID, s.now().Add(-s.cfg.CitizenActionWindow))
			if err != nil {
				return err
			}
			if n >= s.cfg.CitizenActions {
				if err := s.store.Audit(r.Context(), selfWho(r), c.ID, store.AuditSelfLimit, auditedRoute(r)); err != nil {
					return err
				}
				s.renderErrorMessage(w, r, http.StatusTooManyRequests,
					"Du har gjort mange ting på kort tid. Vent et par minutter, og prøv så igen.")
				return nil
			}
		}
		return fn(w, r, selfReq{ID: c.ID, Name: c.Name})
	})
}

// selfEntry is a citizen-realm route without a signed-in citizen: the sign-in itself.
func (s *Server) selfEntry(fn handler) http.HandlerFunc { return s.h(fn) }

// selfFlash stores a message for the realm's next page.
func (s *Server) selfFlash(r *http.Request, kind, msg string) {
	s.selfSessions.Put(r.Context(), "flash", msg)
	s.selfSessions.Put(r.Context(), "flash_kind", kind)
}

// selfPage renders a citizen-realm page: the layout without the staff header's user and
// menus, with the realm's own menu when a citizen is signed in.
func (s *Server) selfPage(w http.ResponseWriter, r *http.Request, status int, title string, body mit.Body) error {
	c := layout.Chrome{Title: title + " – Mit Helhed", Nonce: nonce(r), RequestID: requestID(r), Home: paths.SelfHome}
	// A page outside the realm's session middleware (a 404 at the router, a refused
	// cross-site POST) has no session to read a flash from.
	if r.Context().Value(selfSessionKey{}) != nil {
		if msg := s.selfSessions.PopString(r.Context(), "flash"); msg != "" {
			c.Flash = layout.Flash{Kind: s.selfSessions.PopString(r.Context(), "flash_kind"), Message: msg}
		}
	}
	frame := mit.Frame{Path: r.URL.Path}
	if sc := citizenFrom(r); sc != nil {
		frame.Name = sc.Name
		// The warning before the session ends (WCAG 2.2.1), as on the staff pages, renewed
		// and ended within this realm.
		idle := s.selfSessions.IdleTimeout
		if rs, ok := s.selfSessions.Store.(realmStore); ok {
			if st, ok := rs.Store.(*sessionStore); ok {
				idle -= st.slack
			}
		}
		c.Session = layout.Session{Timeout: s.selfSessions.IdleTimeout, Idle: idle, EndsAt: s.selfSessions.Deadline(r.Context()),
			RenewURL: paths.SelfRenew, LoginURL: paths.SelfSignIn}
		for _, it := range mit.Menu {
			active := r.URL.Path == it.Href || (it.Href != paths.SelfHome && strings.HasPrefix(r.URL.Path, it.Href+"/"))
			c.Nav = append(c.Nav, layout.NavItem{Label: it.Label, Href: it.Href, Active: active})
		}
	}
	return s.render(w, r, status, layout.Page(c, mit.Page(frame, body)))
}

// signInCitizen is the citizen area's one sign-in seam: the MitID broker's OIDC login calls
// it, after it has verified the identity, with the CPR number from the identity's claims and
// the NSIS assurance level the broker reports. It answers the request itself:
//   - an assurance level below Config.CitizenAssurance: a Danish page saying so (403),
//     audited with the level only;
//   - a CPR number with no case: a plain Danish page saying the municipality has no case in
//     Helhed for them (200), audited without the number or anything derived from it;
//   - otherwise a new session token (no fixation), the citizen in the realm's session, the
//     sign-in audited as the citizen's own, and a redirect to their plan.
func (s *Server) signInCitizen(ctx context.Context, w http.ResponseWriter, r *http.Request, cpr string, assurance string) error {
	anon := store.Who{RequestID: requestID(r)}
	if !assuranceMeets(assurance, s.cfg.CitizenAssurance) {
		level := "ukendt"
		if assuranceRank(assurance) > 0 {
			level = strings.ToLower(assurance)
		}
		if err := s.store.Audit(ctx, anon, 0, store.AuditSelfLoginAssurance, "sikringsniveau: "+level); err != nil {
			return err
		}
		return s.selfPage(w, r, http.StatusForbidden, "Log ind", mit.Assurance(s.cfg.CitizenAssurance))
	}
	id := int64(0)
	if c, err := helhed.ParseCPR(cpr); err == nil {
		if id, err = s.store.CitizenByCPR(ctx, c); err != nil && helhed.ErrorCode(err) != helhed.ENotFound {
			return err
		}
	}
	if id == 0 {
		if err := s.store.Audit(ctx, anon, 0, store.AuditSelfLoginUnknown, "ingen sag"); err != nil {
			return err
		}
		return s.selfPage(w, r, http.StatusOK, "Ingen sag", mit.NoCase())
	}
	if err := s.selfSessions.RenewToken(ctx); err != nil {
		return err
	}
	s.selfSessions.Put(ctx, selfSessCitizen, id)
	s.selfSessions.Put(ctx, selfSessLoginAt, s.now().UnixNano())
	s.selfSessions.Put(ctx, selfSessLevel, strings.ToLower(assurance))
	if hint, _ := ctx.Value(brokerIDTokenKey{}).(string); hint != "" {
		s.selfSessions.Put(ctx, selfSessIDToken, hint) // for logging out at the broker too (mitid.go)
	}
	if err := s.store.Audit(ctx, store.Who{Citizen: id, RequestID: requestID(r)}, id, store.AuditSelfLogin, "sikringsniveau: "+strings.ToLower(assurance)); err != nil {
		return err
	}
	return redirect(w, r, paths.SelfHome)
}

// selfSignInGet is the citizen area's front door: with a broker, the MitID login; in the
// demo, the development sign-in.
func (s *Server) selfSignInGet(w http.ResponseWriter, r *http.Request) error {
	if citizenFrom(r) != nil {
		return redirect(w, r, paths.SelfHome)
	}
	p := mit.SignInProps{Broker: s.cfg.CitizenBroker != "", Dev: s.cfg.CitizenDevSignInEnabled(), Assurance: s.cfg.CitizenAssurance}
	if p.Dev {
		demo, err := s.store.DemoCitizens(r.Context(), 8)
		if err != nil {
			return err
		}
		for _, d := range demo {
			p.DemoCitizens = append(p.DemoCitizens, mit.DemoCitizen{CPR: string(d.CPR), Name: d.Name})
		}
	}
	return s.selfPage(w, r, http.StatusOK, "Log ind", mit.SignIn(p))
}

// selfDevSignInPost is the development sign-in: the CPR number and assurance level as typed,
// through the same seam as the broker's login. It does not exist unless
// Config.CitizenDevSignInEnabled.
func (s *Server) selfDevSignInPost(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.CitizenDevSignInEnabled() {
		return helhed.ErrNotFound
	}
	_ = r.ParseForm()
	level := r.PostFormValue("assurance")
	if level == "" {
		level = AssuranceSubstantial
	}
	return s.signInCitizen(r.Context(), w, r, r.PostFormValue("cpr"), level)
}

// selfSignOutPost ends the citizen's session.
func (s *Server) selfSignOutPost(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	ctx := r.Context()
	if err := s.store.Audit(ctx, selfWho(r), sr.ID, store.AuditSelfLogout, ""); err != nil {
		return err
	}
	hint := s.selfSessions.GetString(ctx, selfSessIDToken)
	if err := s.selfSessions.Destroy(ctx); err != nil {
		return err
	}
	s.selfFlash(r, "success", "Du er logget ud af Mit Helhed.")
	// Signed in through the MitID broker: end the session there too; it sends the browser
	// back to the sign-in page.
	if u := s.selfLogoutURL(r, hint); u != "" {
		return redirect(w, r, u)
	}
	return redirect(w, r, paths.SelfSignIn)
}

// selfRenewPost keeps the citizen's session alive for the warning before it ends (as
// sessionRenewPost for staff): loading the session has moved its idle deadline on.
func (s *Server) selfRenewPost(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// selfPageNumber reads ?side= for a list of the citizen area (1 when absent; validateInput
// has refused a malformed one).
func selfPageNumber(q url.Values) int {
	if n, ok := parsePage(q.Get(pageParam)); ok {
		return n
	}
	return 1
}
