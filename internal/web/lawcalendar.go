package web

import (
	"net/http"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/pages/admin"
)

// lawCalendarView is the law calendar: what the law changed in the reference data when, and
// what is announced, each change with its source. It is built from the reference data in
// memory (the same copy every page labels codes with), so it is what the forms apply; a
// change an administrator saves shows on the next view.
func (s *Server) lawCalendarView(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sets, err := s.vocab.all(ctx)
	if err != nil {
		return err
	}
	kinds, err := s.store.RefKinds(ctx, s.today())
	if err != nil {
		return err
	}
	labels := make(map[string]string, len(kinds))
	for _, k := range kinds {
		labels[k.Kind] = k.Label
	}
	announced, past := store.SplitLawCalendar(store.LawCalendar(sets, labels), s.today())
	return s.page(w, r, http.StatusOK, "Lovkalender", admin.LawCalendar(admin.LawCalendarProps{
		Announced: announced, Past: past, Today: s.today(),
		CanEdit: access.Can(userFrom(r).access(), access.ManageReference)}))
}
