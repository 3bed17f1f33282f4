package citizens

import (
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/web/components"
)

// AssessmentSection is the TFA's status on the citizen page.
type AssessmentSection struct {
	Number      int // 0: no TFA yet
	Href        string
	Draft       bool
	ConcludedAt *time.Time
	CanWrite    bool
}

// PlanSection is the indsatsplan on the citizen page.
type PlanSection struct {
	Exists       bool
	CitizenGoal  access.Gated[string]
	Goals        access.Gated[[]string]
	Efforts      []access.Gated[PlanEffortRow]
	Bars         []access.Gated[components.TimelineBar]
	NextFollowUp *time.Time
	Overdue      bool
	CanEdit      bool
}

// PlanEffortRow is one effort in the citizen page's summary.
type PlanEffortRow struct {
	Title, Area, Status, Unit string
	Start                     time.Time
	End                       *time.Time
}
