package web

import (
	"net/http"

	"github.com/helhed/helhed/web/pages/samtaler"
)

// nextDue is the next conversation the kontaktforløb requires of the citizen.
func (s *Server) nextDue(r *http.Request, citizenID int64) (samtaler.NextDue, error) {
	return samtaler.NextDue{}, nil
}
