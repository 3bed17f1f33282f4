package paths

import "strconv"

// The citizen's own Helhed (docs/citizen-area.md): its own realm under SelfPrefix. No path
// names the citizen: the signed-in citizen's case is the only one these routes reach, and
// every id below is looked up within it.

const (
	SelfPrefix       = "/mit"
	SelfHome         = SelfPrefix // the plan
	SelfSignIn       = SelfPrefix + "/log-ind"
	SelfDevSignIn    = SelfSignIn + "/demo"
	SelfMitID        = SelfSignIn + "/mitid" // the MitID broker's login starts here
	SelfMitIDReturn  = SelfMitID + "/callback"
	SelfSignOut      = SelfPrefix + "/log-ud"
	SelfRenew        = SelfPrefix + "/forny"
	SelfPlanComment  = SelfPrefix + "/plan/kommentar"
	SelfAppointments = SelfPrefix + "/samtaler"
	SelfConsents     = SelfPrefix + "/samtykker"
	SelfLetters      = SelfPrefix + "/breve"
	SelfLookups      = SelfPrefix + "/opslag"
)

func SelfGoalRating(gid int64) string          { return SelfPrefix + "/plan/maal/" + n(gid) }
func SelfWHO5(samid int64) string              { return SelfAppointments + "/" + n(samid) + "/trivsel" }
func SelfIndstilling(mcid int64) string        { return SelfPrefix + "/moeder/" + n(mcid) }
func SelfIndstillingComment(mcid int64) string { return SelfIndstilling(mcid) + "/kommentar" }
func SelfConsentWithdraw(kid int64) string     { return SelfConsents + "/" + n(kid) + "/tilbagekald" }
func SelfDocument(did int64) string            { return SelfLetters + "/" + n(did) }

// SelfLookupsPage is page p of the look-ups.
func SelfLookupsPage(p int) string { return SelfLookups + "?side=" + strconv.Itoa(p) }
