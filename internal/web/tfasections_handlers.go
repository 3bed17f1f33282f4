package web

import (
	"net/http"

	"github.com/helhed/helhed/web/pages/referrals"
	"github.com/helhed/helhed/web/paths"
)

// tfaInvitations lists the TFA drafts the user is invited to write in (health and social
// staff; at most 100), and audits the list of names shown.
func (s *Server) tfaInvitations(r *http.Request) ([]referrals.Invitation, error) {
	ctx := r.Context()
	list, err := s.store.InvitedAssessments(ctx, userFrom(r).access())
	if err != nil || len(list) == 0 {
		return nil, err
	}
	out := make([]referrals.Invitation, len(list))
	ids := make([]int64, len(list))
	for i, a := range list {
		out[i] = referrals.Invitation{Citizen: a.CitizenName, Number: a.Number, Href: paths.Assessment(a.CitizenID, a.ID), Since: a.AddedAt}
		ids[i] = a.CitizenID
	}
	if err := s.store.AuditList(ctx, who(r), "assessment.list", "TFA-invitationer", ids); err != nil {
		return nil, err
	}
	return out, nil
}
