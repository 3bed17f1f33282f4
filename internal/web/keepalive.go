package web

import (
	"net/http"

	"github.com/helhed/helhed/web/layout"
)

// sessionRenewPath is where the warning before the idle timeout sends "Forbliv logget ind".
const sessionRenewPath = "/session/forny"

// sessionRenewPost keeps a session alive: loading the session for this request has already
// moved its idle deadline on (scs writes it back after every request), so there is nothing
// left to do but say so, 204. The session's lifetime is not moved. Like every POST it must
// come from this site (crossOriginProtection); a logged-out request is sent to the login page
// (requireLogin), which the warning's script reads as "the session has ended".
func (s *Server) sessionRenewPost(w http.ResponseWriter, r *http.Request) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// sessionChrome is when this request's session will end, for the page's warning (see
// layout.Session). The idle deadline as stored may be up to the session store's slack early
// (sessionStore), so the page reckons with the idle timeout less that slack.
func (s *Server) sessionChrome(r *http.Request) layout.Session {
	idle := s.sessions.IdleTimeout
	if st, ok := s.sessions.Store.(*sessionStore); ok {
		idle -= st.slack
	}
	return layout.Session{Timeout: s.sessions.IdleTimeout, Idle: idle, EndsAt: s.sessions.Deadline(r.Context()), RenewURL: sessionRenewPath}
}
