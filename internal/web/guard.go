package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// The guards below are how routes.go declares each route's access rule. A guard parses the
// route's ids, computes the user's relation to the object once, asks the access policy,
// audits a refusal and only then calls the handler, with what it checked. A handler that
// decides more (which sections to show, a second action) reads the relation it was given;
// it never parses an id or loads a relation itself.

// loggedIn is a route any logged-in user may use (their own account, the front page);
// requireLogin has already run, so it only adapts the handler. It is written out in
// routes.go so that every route states its rule.
func (s *Server) loggedIn(fn handler) http.HandlerFunc { return s.h(fn) }

// can guards a route by a function-level right: the role alone decides.
func (s *Server) can(a access.Action, fn handler) http.HandlerFunc {
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		if err := s.requireCan(r, a); err != nil {
			return err
		}
		return fn(w, r)
	})
}

// canAny guards a route that several roles reach with different rights (the caseload: one's
// own or the unit's); the handler shows what the user's rights allow. A refusal is audited
// under the first action.
func (s *Server) canAny(fn handler, as ...access.Action) http.HandlerFunc {
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		u := userFrom(r).access()
		for _, a := range as {
			if access.Can(u, a) {
				return fn(w, r)
			}
		}
		return s.requireCan(r, as[0])
	})
}

// citizenReq is what a citizen route's guard hands the handler: the {id} from the URL and
// the user's relation to that citizen.
type citizenReq struct {
	ID  int64
	Rel access.Relation
}

// citizen guards a /borgere/{id}/… route by an object-level action on the citizen
// (authorizeCitizenRel: a citizen one may not see is not found; a refusal is audited).
func (s *Server) citizen(a access.Action, fn func(http.ResponseWriter, *http.Request, citizenReq) error) http.HandlerFunc {
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		id, err := urlID(r, "id")
		if err != nil {
			return err
		}
		rel, err := s.authorizeCitizenRel(r, id, a)
		if err != nil {
			return err
		}
		return fn(w, r, citizenReq{ID: id, Rel: rel})
	})
}

// meetingReq is what a meeting route's guard hands the handler: the {mid} and the user's seat
// on the meeting's team.
type meetingReq struct {
	ID  int64
	Rel access.MeetingRelation
}

// meeting guards a /moeder/{mid}/… route by an action on the meeting (authorizeMeeting).
func (s *Server) meeting(a access.Action, fn func(http.ResponseWriter, *http.Request, meetingReq) error) http.HandlerFunc {
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		mid, err := urlID(r, "mid")
		if err != nil {
			return err
		}
		rel, err := s.authorizeMeeting(r, mid, a)
		if err != nil {
			return err
		}
		return fn(w, r, meetingReq{ID: mid, Rel: rel})
	})
}

// meetingCaseReq is what a meeting case's guard hands the handler: the case, the user's seat
// on the meeting and their relation to the case's citizen.
type meetingCaseReq struct {
	Case    store.MeetingCase
	Meeting access.MeetingRelation
	Rel     access.Relation
}

// meetingCase guards a /moeder/{mid}/sager/{mcid} route: the user must see the meeting, and
// may do a on the case's citizen. The case is loaded within its meeting, so a case id from
// another meeting is not found.
func (s *Server) meetingCase(a access.Action, fn func(http.ResponseWriter, *http.Request, meetingCaseReq) error) http.HandlerFunc {
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		cid, err := urlID(r, "mcid")
		if err != nil {
			return err
		}
		mid, err := urlID(r, "mid")
		if err != nil {
			return err
		}
		mrel, err := s.authorizeMeeting(r, mid, access.ViewMeeting)
		if err != nil {
			return err
		}
		mc, err := s.store.MeetingCaseByID(r.Context(), mid, cid)
		if err != nil {
			return err
		}
		rel, err := s.authorizeCitizenRel(r, mc.CitizenID, a)
		if err != nil {
			return err
		}
		return fn(w, r, meetingCaseReq{Case: mc, Meeting: mrel, Rel: rel})
	})
}

// urlID reads a positive id URL parameter; anything else is simply not found.
func urlID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id <= 0 {
		return 0, helhed.ErrNotFound
	}
	return id, nil
}

// offer guards a /katalog/{id}/… route by an action on the offer: the policy decides by the
// offer's provider unit as stored, before anything from a form is read.
func (s *Server) offer(a access.Action, fn func(http.ResponseWriter, *http.Request, store.Offer) error) http.HandlerFunc {
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		id, err := urlID(r, "id")
		if err != nil {
			return err
		}
		o, err := s.store.OfferByID(r.Context(), id)
		if err != nil {
			return err
		}
		if err := s.authorizeOffer(r, o.ProviderUnitID, o.ID, a); err != nil {
			return err
		}
		return fn(w, r, o)
	})
}

// alsoCitizen adds a second action on the same citizen to a citizen route, decided on the
// relation the route's guard computed (a slettestop from the citizen page needs both that the
// user sees the citizen and that they may place holds).
func (s *Server) alsoCitizen(a access.Action, fn func(http.ResponseWriter, *http.Request, citizenReq) error) func(http.ResponseWriter, *http.Request, citizenReq) error {
	return func(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
		if err := s.decideCitizen(r, cr.ID, cr.Rel, a); err != nil {
			return err
		}
		return fn(w, r, cr)
	}
}

// authorizeCitizen is the object-level gate of a citizen that the URL does not name (a case on
// the retention overview): it loads the relation,
// asks the policy, and audits a refusal.
func (s *Server) authorizeCitizen(r *http.Request, id int64, a access.Action) error {
	_, err := s.authorizeCitizenRel(r, id, a)
	return err
}

// authorizeCitizenRel is authorizeCitizen that also returns the relation, for handlers that
// decide more (which sections to show) without asking the database twice.
//
// A user who may not even see the citizen gets the very same 404 as for an id that does not
// exist, whatever the action: a 403 (or a different message) would tell them that the id is
// a real citizen, and ids could be probed. Only a user who may see the citizen, and so
// already knows they exist, is told 403 for an action beyond their role. Every refusal is
// audited; a missing id has no citizen to audit against.
func (s *Server) authorizeCitizenRel(r *http.Request, id int64, a access.Action) (access.Relation, error) {
	u := userFrom(r)
	rel, err := s.store.Relation(r.Context(), u.access(), id)
	if helhed.ErrorCode(err) == helhed.ENotFound {
		return rel, helhed.ErrNotFound
	}
	if err != nil {
		return rel, err
	}
	return rel, s.decideCitizen(r, id, rel, a)
}

// decideCitizen asks the policy whether the user may do a on the citizen with relation rel,
// and audits a refusal (authorizeCitizenRel says which refusal is a 404).
func (s *Server) decideCitizen(r *http.Request, id int64, rel access.Relation, a access.Action) error {
	u := userFrom(r)
	if access.CanCitizen(u.access(), a, rel) {
		return nil
	}
	if err := s.store.Audit(r.Context(), who(r), id, store.AuditCitizenDenied, "nægtet: "+string(a)); err != nil {
		return err
	}
	if a == access.ViewCitizen || !access.CanCitizen(u.access(), access.ViewCitizen, rel) {
		return helhed.ErrNotFound
	}
	return &helhed.Error{Code: helhed.EForbidden, Message: "Du har ikke adgang til denne handling for borgeren. Forsøget er registreret."}
}

// denied audits a refusal that the relation alone does not decide (a value the user may not
// read) and returns the forbidden error.
func (s *Server) denied(r *http.Request, citizenID int64, why string) error {
	if err := s.store.Audit(r.Context(), who(r), citizenID, store.AuditCitizenDenied, "nægtet: "+why); err != nil {
		return err
	}
	return &helhed.Error{Code: helhed.EForbidden, Message: "Du har ikke adgang til denne handling for borgeren. Forsøget er registreret."}
}

// requireCan is the function-level gate; a refusal is audited.
func (s *Server) requireCan(r *http.Request, a access.Action) error {
	if access.Can(userFrom(r).access(), a) {
		return nil
	}
	if err := s.store.Audit(r.Context(), who(r), 0, store.AuditForbidden, string(a)+" "+auditedRoute(r)); err != nil {
		return err
	}
	return &helhed.Error{Code: helhed.EForbidden, Message: "Du har ikke adgang til denne side. Forsøget er registreret."}
}

// auditedRoute names r's route for an audit row: its pattern (/borgere/{id}), never the path
// as typed, which may carry anything (a CPR number pasted into the address bar).
func auditedRoute(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
		return rc.RoutePattern()
	}
	return "(ukendt rute)"
}
