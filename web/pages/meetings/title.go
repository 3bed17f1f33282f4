package meetings

import (
	"time"

	"github.com/helhed/helhed/web/format"
)

// Title names one meeting for page titles: its team and when it starts, e.g.
// "Rehabiliteringsteam Syd, møde 12.03.2025 kl. 10.00", so the tabs and the history of a
// team's meetings can be told apart.
func Title(team string, start time.Time) string {
	return team + ", møde " + format.DateTime(start)
}
