package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	ics "github.com/arran4/golang-ical"
	"github.com/go-chi/chi/v5"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/pages/account"
)

// calendarFeedPrefix is the feed's path before its token; the request log writes the prefix
// only (loggedPath), so a token never reaches a log file.
const calendarFeedPrefix = "/kalender/feed/"

// loggedPath is a request's path as the request log writes it: a calendar feed's token is
// left out (it opens the feed).
func loggedPath(p string) string {
	if strings.HasPrefix(p, calendarFeedPrefix) {
		return calendarFeedPrefix + "…"
	}
	return p
}

// calendarFeedAccountPath is the account page where a user makes and revokes their feed.
const calendarFeedAccountPath = "/konto/kalender"

// feedToken guards the calendar feed: the token in the URL is the only authentication, since
// a calendar client (Outlook) cannot log in — no session is read or written. An unknown,
// revoked or malformed token, or one of a disabled user, is a bare 404 (there is no session
// to render a page with), indistinguishable from a path that does not exist.
func (s *Server) feedToken(fn func(w http.ResponseWriter, r *http.Request, userID int64) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		user, err := s.store.CalendarFeedUser(r.Context(), chi.URLParam(r, "token"))
		if err == nil {
			err = fn(w, r, user)
		}
		switch {
		case err == nil:
		case helhed.ErrorCode(err) == helhed.ENotFound:
			http.NotFound(w, r)
		default:
			s.log.Error("calendar feed", "request_id", requestID(r), "err", err)
			http.Error(w, "Der opstod en fejl", http.StatusInternalServerError)
		}
	}
}

// calendarFeed writes the user's samtaler as iCalendar: times, place, form and the case
// reference ("Sag 123"), never a name, a CPR number or a reason (store.FeedSamtale has no
// field for them). A cancelled samtale stays, as CANCELLED, so the client removes it. The
// read is audited with the cases it showed, as the week view is.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request, userID int64) error {
	rows, err := s.store.FeedSamtaler(r.Context(), userID)
	if err != nil {
		return err
	}
	cal := ics.NewCalendarFor("Helhed")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName("Helhed – mine samtaler")
	cal.SetName("Helhed – mine samtaler")
	cal.SetRefreshInterval("PT30M")
	cal.SetXPublishedTTL("PT30M")
	now := s.store.Now()
	cases := make([]int64, 0, len(rows))
	for _, t := range rows {
		ref := "Sag " + strconv.FormatInt(t.CitizenID, 10)
		e := cal.AddEvent("samtale-" + strconv.FormatInt(t.ID, 10) + "@helhed")
		e.SetDtStampTime(now)
		e.SetStartAt(t.StartsAt)
		e.SetEndAt(t.EndsAt)
		e.SetModifiedAt(t.UpdatedAt)
		e.SetSequence(t.Version)
		e.SetSummary("Samtale – " + ref)
		if t.Place != "" {
			e.SetLocation(t.Place)
		}
		e.SetDescription(t.FormLabel + ". " + ref + ". Navn og detaljer står i Helhed.")
		e.SetClass(ics.ClassificationConfidential)
		if t.Status == helhed.SamtaleCancelled {
			e.SetStatus(ics.ObjectStatusCancelled)
		} else {
			e.SetStatus(ics.ObjectStatusConfirmed)
		}
		cases = append(cases, t.CitizenID)
	}
	var buf bytes.Buffer
	if err := cal.SerializeTo(&buf); err != nil {
		return err
	}
	if err := s.store.AuditList(r.Context(), store.Who{UserID: userID, RequestID: requestID(r)}, store.AuditFeedRead, "kalenderfeed", cases); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Cache-Control", "private, no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// feedAccountView shows whether the user has a feed in force, with make and revoke.
func (s *Server) feedAccountView(w http.ResponseWriter, r *http.Request) error {
	return s.renderFeedAccount(w, r, "")
}

func (s *Server) renderFeedAccount(w http.ResponseWriter, r *http.Request, url string) error {
	f, ok, err := s.store.ActiveCalendarFeed(r.Context(), userFrom(r).ID)
	if err != nil {
		return err
	}
	p := account.FeedProps{Active: ok, URL: url}
	if ok {
		p.Created = f.CreatedAt
		p.LastUsed = f.LastUsedAt
	}
	return s.page(w, r, http.StatusOK, "Kalender i Outlook", account.Feed(p))
}

// feedCreatePost makes a new feed (revoking the old) and shows its address once: only the
// token's hash is kept, so the page is the only place it is ever shown (not a flash, which
// would be stored in the session).
func (s *Server) feedCreatePost(w http.ResponseWriter, r *http.Request) error {
	token, err := s.store.CreateCalendarFeed(r.Context(), who(r))
	if err != nil {
		return err
	}
	scheme := "https"
	if r.TLS == nil && r.Header.Get("X-Forwarded-Proto") != "https" {
		scheme = "http"
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.renderFeedAccount(w, r, scheme+"://"+r.Host+calendarFeedPrefix+token+".ics")
}

// feedRevokePost revokes the user's feed: the next fetch by the calendar client is a 404.
func (s *Server) feedRevokePost(w http.ResponseWriter, r *http.Request) error {
	err := s.store.RevokeCalendarFeed(r.Context(), who(r))
	switch {
	case helhed.ErrorCode(err) == helhed.ENotFound:
		s.flash(r, "info", "Du har ikke noget kalenderfeed.")
	case err != nil:
		return err
	default:
		s.flash(r, "success", "Kalenderfeedet er tilbagekaldt. Outlook kan ikke længere hente dine samtaler.")
	}
	return redirect(w, r, calendarFeedAccountPath)
}
