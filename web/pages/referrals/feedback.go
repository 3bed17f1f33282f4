package referrals

import (
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/paths"
)

// AttendanceRow is one attendance mark as the page shows it.
type AttendanceRow struct {
	HeldOn     time.Time
	Period     string // label
	Attendance string // label
	NoShow     bool
	Note       string
	RecordedBy string
}

// ReportRow is a status report or the afslutningsnotat.
type ReportRow struct {
	Kind      string // label
	Text      string
	WrittenBy string
	WrittenAt time.Time
}

// FeedbackProps is what the provider has reported back on a referral, as one viewer may see
// it (gated by the referral's row: the provider unit's own, the case holder's, others under
// consent), and the provider's forms.
type FeedbackProps struct {
	CitizenID, ReferralID int64
	Attendance            access.Gated[[]AttendanceRow]
	Reports               access.Gated[[]ReportRow]
	// NoShowWarning is the warning for the caseworker ("" when below the threshold).
	NoShowWarning string
	// CanReport: the viewer is the provider unit and may report now.
	CanReport        bool
	CanClose         bool // the afslutningsnotat may be written (once)
	AttendanceForm   map[string]string
	AttendanceErrors map[string]string
	ReportForm       map[string]string
	ReportErrors     map[string]string
	PeriodOptions    []components.Option
	MarkOptions      []components.Option
	KindOptions      []components.Option
}

// AttendanceHref is where the attendance form posts.
func (p FeedbackProps) AttendanceHref() string {
	return paths.ReferralAttendance(p.CitizenID, p.ReferralID)
}

// ReportHref is where the report form posts.
func (p FeedbackProps) ReportHref() string { return paths.ReferralReport(p.CitizenID, p.ReferralID) }

// Invitation is a TFA draft the user is invited to write their section of.
type Invitation struct {
	Citizen string
	Number  int
	Href    string
	Since   time.Time
}
