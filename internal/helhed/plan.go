package helhed

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Fields of the effort form used as keys in Error.Fields.
const (
	FieldEffortTitle = "title"
	FieldEffortStart = "start"
	FieldEffortEnd   = "end"
	FieldEffortUnit  = "unit"
	FieldEffortOffer = "offer"
	FieldGoalScore   = "score"
)

// Effort is what the rules need to know about an indsats in a plan.
type Effort struct {
	Title             string
	Start             time.Time  // zero = not given
	End               *time.Time // nil = open-ended
	ResponsibleUnitID int64
	// Offer is the catalogue offer the effort is an instance of; nil for a free-text effort.
	Offer *EffortOffer
}

// EffortOffer is what the rules need to know about a catalogue offer.
type EffortOffer struct {
	Name           string
	ProviderUnitID int64
	Active         bool
}

// ValidateEffort checks an effort and returns nil or an EInvalid *Error with a Danish
// message per field: a title and a start date are required; the end may not be before the
// start; an effort made from a catalogue offer is delivered by the offer's provider unit,
// and only while the offer is active.
func ValidateEffort(e Effort) error {
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(strings.TrimSpace(e.Title)); {
	case n == 0 && e.Offer == nil:
		fields[FieldEffortTitle] = "Beskriv indsatsen eller vælg et tilbud fra kataloget"
	case n > 200:
		fields[FieldEffortTitle] = "Højst 200 tegn"
	}
	if e.Start.IsZero() {
		fields[FieldEffortStart] = "Angiv en startdato"
	} else if e.End != nil && dateOnly(*e.End).Before(dateOnly(e.Start)) {
		fields[FieldEffortEnd] = "Slutdatoen ligger før startdatoen"
	}
	if e.ResponsibleUnitID == 0 {
		fields[FieldEffortUnit] = "Vælg den ansvarlige enhed"
	}
	if o := e.Offer; o != nil {
		switch {
		case !o.Active:
			fields[FieldEffortOffer] = fmt.Sprintf("Tilbuddet »%s« er lukket og tager ikke imod nye borgere", o.Name)
		case e.ResponsibleUnitID != 0 && o.ProviderUnitID != e.ResponsibleUnitID:
			fields[FieldEffortUnit] = fmt.Sprintf("Den valgte enhed leverer ikke tilbuddet »%s«. Vælg tilbudets egen enhed", o.Name)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Indsatsen kan ikke gemmes", Fields: fields}
}

// Goal scores: progression on a goal is rated on a scale from 1 (far from the goal) to 10
// (goal reached).
const (
	MinGoalScore = 1
	MaxGoalScore = 10
)

// ParseGoalScore reads a score as typed. Empty means "not scored at this follow-up" (ok false,
// err nil); anything else must be a whole number from 1 to 10.
func ParseGoalScore(raw string) (score int, ok bool, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 0, false, nil
	}
	n, perr := strconv.Atoi(raw)
	if perr != nil || n < MinGoalScore || n > MaxGoalScore {
		return 0, false, invalidField(FieldGoalScore, "Angiv et helt tal fra 1 til 10")
	}
	return n, true, nil
}

// NextFollowUp is the day a follow-up is due after one held on last, with intervalMonths
// between follow-ups (a setting, default 3): the same date that many months later, or the
// month's last day when it is shorter.
func NextFollowUp(last time.Time, intervalMonths int) time.Time {
	return addMonthsClamped(dateOnly(last), intervalMonths)
}

// FollowUpOverdue reports whether a follow-up due on next is overdue on today.
func FollowUpOverdue(next *time.Time, today time.Time) bool {
	return next != nil && dateOnly(*next).Before(dateOnly(today))
}

// PlanSnapshot is a saved state of an indsatsplan: what plan_versions keeps so any two
// versions can be compared. Labels are stored as they read when saved.
type PlanSnapshot struct {
	CitizenGoal string       `json:"citizen_goal"`
	Goals       []SnapGoal   `json:"goals"`
	Efforts     []SnapEffort `json:"efforts"`
}

// SnapGoal is one sub-goal in a snapshot.
type SnapGoal struct {
	ID   int64  `json:"id"`
	Text string `json:"text"`
}

// SnapEffort is one effort in a snapshot, with labels resolved. AreaCode, UnitID and
// UnitKind classify the effort for viewers outside the case-holding unit (a health effort is
// health data); snapshots saved before they were recorded lack them.
type SnapEffort struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Area     string `json:"area"`
	Status   string `json:"status"`
	Unit     string `json:"unit"`
	Person   string `json:"person"`
	Start    string `json:"start"` // dd.mm.yyyy
	End      string `json:"end"`   // dd.mm.yyyy or ""
	Mentor   bool   `json:"mentor"`
	AreaCode string `json:"area_code,omitempty"`
	UnitID   int64  `json:"unit_id,omitempty"`
	UnitKind string `json:"unit_kind,omitempty"`
}

// Describe is the effort in one line, for diffs.
func (e SnapEffort) Describe() string {
	end := e.End
	if end == "" {
		end = "uden slutdato"
	}
	s := fmt.Sprintf("%s (%s, %s, %s, %s–%s", e.Title, e.Area, e.Status, e.Unit, e.Start, end)
	if e.Person != "" {
		s += ", " + e.Person
	}
	if e.Mentor {
		s += ", mentor"
	}
	return s + ")"
}

// ChangeKind is what happened to one item between two plan versions.
type ChangeKind string

// The kinds of change.
const (
	Added   ChangeKind = "tilføjet"
	Removed ChangeKind = "fjernet"
	Changed ChangeKind = "ændret"
)

// PlanChange is one difference between two plan versions.
type PlanChange struct {
	Kind   ChangeKind
	What   string // "Borgerens mål", "Delmål", "Indsats"
	Before string
	After  string
	// Efforts are the effort before and/or after the change (none for goals), so a page can
	// classify the change as the effort it is about.
	Efforts []SnapEffort
}

// DiffPlans lists what changed from a to b: the citizen's goal, then sub-goals and efforts
// matched by id, in b's order with removals last.
func DiffPlans(a, b PlanSnapshot) []PlanChange {
	var out []PlanChange
	if a.CitizenGoal != b.CitizenGoal {
		out = append(out, PlanChange{Kind: Changed, What: "Borgerens mål", Before: a.CitizenGoal, After: b.CitizenGoal})
	}
	oldGoals := map[int64]SnapGoal{}
	for _, g := range a.Goals {
		oldGoals[g.ID] = g
	}
	for _, g := range b.Goals {
		old, ok := oldGoals[g.ID]
		switch {
		case !ok:
			out = append(out, PlanChange{Kind: Added, What: "Delmål", After: g.Text})
		case old.Text != g.Text:
			out = append(out, PlanChange{Kind: Changed, What: "Delmål", Before: old.Text, After: g.Text})
		}
		delete(oldGoals, g.ID)
	}
	for _, g := range a.Goals {
		if _, gone := oldGoals[g.ID]; gone {
			out = append(out, PlanChange{Kind: Removed, What: "Delmål", Before: g.Text})
		}
	}
	oldEfforts := map[int64]SnapEffort{}
	for _, e := range a.Efforts {
		oldEfforts[e.ID] = e
	}
	for _, e := range b.Efforts {
		old, ok := oldEfforts[e.ID]
		switch {
		case !ok:
			out = append(out, PlanChange{Kind: Added, What: "Indsats", After: e.Describe(), Efforts: []SnapEffort{e}})
		case old != e:
			out = append(out, PlanChange{Kind: Changed, What: "Indsats", Before: old.Describe(), After: e.Describe(), Efforts: []SnapEffort{old, e}})
		}
		delete(oldEfforts, e.ID)
	}
	for _, e := range a.Efforts {
		if _, gone := oldEfforts[e.ID]; gone {
			out = append(out, PlanChange{Kind: Removed, What: "Indsats", Before: e.Describe(), Efforts: []SnapEffort{e}})
		}
	}
	return out
}

// DanishDate formats a date the Danish way, "02.01.2006".
func DanishDate(t time.Time) string { return danishDate(t) }
