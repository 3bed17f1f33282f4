package web

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/helhed/helhed/internal/store"
)

// UseReadReplica sends the management dashboards' reads and their CSV exports to st, a
// store on a streaming standby (READ_DATABASE_URL): the heaviest reads then cost the primary
// nothing. Each such page says how old its figures may be (figuresCopy). Everything else —
// every write, the audit rows of the exports, the strategy, which its authors edit and expect
// to see at once — stays on the primary.
func (s *Server) UseReadReplica(st *store.Store) { s.reader = st }

// reads is the store the management figures are read from.
func (s *Server) reads() *store.Store {
	if s.reader != nil {
		return s.reader
	}
	return s.store
}

// figuresCopy says, in Danish, how old figures read from the replica may be; "" without one.
func (s *Server) figuresCopy(ctx context.Context) (string, error) {
	if s.reader == nil {
		return "", nil
	}
	f, err := s.reader.Freshness(ctx)
	if err != nil {
		return "", err
	}
	return copyText(f), nil
}

// copyText is the sentence a page shows for figures of freshness f.
func copyText(f store.Freshness) string {
	switch {
	case !f.Replica:
		// READ_DATABASE_URL names the primary itself (or a promoted standby).
		return ""
	case f.NothingReplayed:
		return "Tallene er læst fra en kopi af databasen, som endnu ikke har modtaget ændringer; hvor gamle de er, vides ikke."
	}
	return "Tallene er læst fra en kopi af databasen og kan mangle ændringer fra " + lagText(f.Lag) + "."
}

// lagText is d rounded up, in Danish: "det seneste sekund", "de seneste 4 minutter", "de
// seneste 3 timer".
func lagText(d time.Duration) string {
	unit := func(n float64, the, one, many string) string {
		k := int(math.Ceil(n))
		if k <= 1 {
			return the + " seneste " + one
		}
		return fmt.Sprintf("de seneste %d %s", k, many)
	}
	switch {
	case d < time.Minute:
		return unit(d.Seconds(), "det", "sekund", "sekunder")
	case d < time.Hour:
		return unit(d.Minutes(), "det", "minut", "minutter")
	}
	return unit(d.Hours(), "den", "time", "timer")
}
