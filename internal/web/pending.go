package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/layout"
)

// A form posted after the session has ended (the idle timeout ran out during a long
// screening conversation) is not lost. requireLogin keeps what was typed in the new,
// anonymous session and sends the user to the login page, and from there back to the page
// they posted from. That page puts the values back into its form (a small script), and says
// so: the user reads it through and sends it again, with the page's fresh form token. Nothing
// is carried out on the strength of the expired post, so CSRF protection is as before (a
// cross-site post never gets this far: crossOriginProtection refuses it first).
//
// The values are shown only on the page the user posted from, after a login, to a user the
// page's own access rule lets in, and for pendingFor after the post.

// sessPending is the session key of the kept form.
const sessPending = "pending_form"

// pendingFor is how long a kept form waits for the login.
const pendingFor = time.Hour

// maxPendingBytes bounds the kept values (the session is stored in PostgreSQL); a larger form
// is not kept, and the login page says so.
const maxPendingBytes = 64 << 10

// pendingForm is the kept post: the page to return to, the values and when.
type pendingForm struct {
	Page   string     `json:"page"`
	Values url.Values `json:"values"`
	At     time.Time  `json:"at"`
}

// keepPendingForm keeps r's posted values for the page it was posted from and returns where
// to go after the login. The page is the Referer when it is a path on this site (the
// Referrer-Policy is same-origin), else nothing is kept and the user starts from the front page.
func (s *Server) keepPendingForm(r *http.Request) (page string, kept bool) {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || ref.Path == "" {
		return "/", false
	}
	page = safeNext(ref.RequestURI())
	if page == "/" || page == "/login" {
		return "/", false
	}
	values := url.Values{}
	for k, vs := range r.PostForm {
		if k != components.FormTokenField {
			values[k] = vs
		}
	}
	b, err := json.Marshal(pendingForm{Page: page, Values: values, At: s.now()})
	if err != nil || len(b) > maxPendingBytes {
		return page, false
	}
	s.sessions.Put(r.Context(), sessPending, string(b))
	return page, true
}

// takePendingForm returns the kept values when r is the page they were posted from (a GET by
// a logged-in user), and forgets them: they are restored once.
func (s *Server) takePendingForm(r *http.Request) *layout.Restore {
	if r.Method != http.MethodGet || userFrom(r) == nil || r.Context().Value(keySession) == nil {
		return nil
	}
	raw := s.sessions.GetString(r.Context(), sessPending)
	if raw == "" {
		return nil
	}
	var p pendingForm
	if err := json.Unmarshal([]byte(raw), &p); err != nil || s.now().Sub(p.At) > pendingFor {
		s.sessions.Remove(r.Context(), sessPending)
		return nil
	}
	if p.Page != r.URL.RequestURI() {
		return nil
	}
	s.sessions.Remove(r.Context(), sessPending)
	b, err := json.Marshal(p.Values)
	if err != nil {
		return nil
	}
	return &layout.Restore{ValuesJSON: string(b), PostedAt: p.At}
}
