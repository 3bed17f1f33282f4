package helhed

import (
	"fmt"
	"time"
)

// MentorRules are the legal limits on mentor support (mentorstøtte) under
// the Danish Act on an Active Employment Effort (LAB): how long one
// agreement may run, and the special right of citizens discharged from
// psychiatric admission. They are reference data so a law change is a new
// row, not a new release.
type MentorRules struct {
	// MaxPeriodMonths is the longest one mentor period may run before a new
	// assessment is needed (6).
	MaxPeriodMonths int
	// DischargeBeforeMonths is how long before discharge from psychiatric
	// admission a discharge mentor may start (3).
	DischargeBeforeMonths int
	// DischargeMinTotalMonths is the least a discharge mentor must last in
	// total, counting the time before discharge (6).
	DischargeMinTotalMonths int
	// WarnDaysBefore is how many days before a period ends the caseworker
	// is warned to assess a renewal (30). Workflow, not law, but kept here
	// so all mentor limits live in one place.
	WarnDaysBefore int
}

// DefaultMentorRules returns today's limits, for seeding and tests.
func DefaultMentorRules() MentorRules {
	return MentorRules{
		MaxPeriodMonths:         6,
		DischargeBeforeMonths:   3,
		DischargeMinTotalMonths: 6,
		WarnDaysBefore:          30,
	}
}

// Validate checks mentor rules before an administrator publishes them. A
// discharge mentor starting on the day of discharge may run at most
// MaxPeriodMonths and must run DischargeMinTotalMonths, so the minimum may
// not exceed the maximum.
func (r MentorRules) Validate() error {
	fields := make(map[string]string)
	check := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			fields[field] = msgIntBetween(lo, hi)
		}
	}
	check("max_period_months", r.MaxPeriodMonths, 1, 60)
	check("discharge_before_months", r.DischargeBeforeMonths, 0, 60)
	check("discharge_min_total_months", r.DischargeMinTotalMonths, 1, 60)
	check("warn_days_before", r.WarnDaysBefore, 0, 365)
	if len(fields) == 0 && r.DischargeMinTotalMonths > r.MaxPeriodMonths {
		fields["discharge_min_total_months"] = "Må ikke være længere end den længste periode"
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Mentorreglerne er ikke gyldige", Fields: fields}
}

// MentorPeriod is one mentor agreement. Start and End are calendar dates,
// both inclusive (End is the last day of support), as caseworkers write
// them; the time of day is ignored.
type MentorPeriod struct {
	Start, End time.Time
	// Discharge is the date of discharge from psychiatric admission when
	// the period is the discharge mentor (udslusningsmentor) the citizen has
	// a right to; nil for an ordinary period, including a later renewal of
	// a discharge mentor.
	Discharge *time.Time
	// RenewedAfterAssessment records that the caseworker made a new
	// assessment before continuing support in a new period.
	RenewedAfterAssessment bool
}

// Form field names of the mentor period form, used as keys in Error.Fields.
const (
	FieldMentorStart     = "start"
	FieldMentorEnd       = "end"
	FieldMentorDischarge = "discharge"
	FieldMentorRenewed   = "renewed_after_assessment"
)

// ValidateMentorPeriod checks a new or edited period p against the
// citizen's other periods (previous, which must not include p itself) and
// returns nil or an EInvalid *Error with a Danish reason:
//
//   - Start and End are required and End may not be before Start;
//   - p may not overlap another period;
//   - a period starting the day after another ends continues it, which
//     requires a new assessment (RenewedAfterAssessment);
//   - an ordinary period lasts at most MaxPeriodMonths (1 January to 30 June
//     is 6 months; to 1 July is too long);
//   - a discharge mentor may start at most DischargeBeforeMonths before
//     discharge, must last at least DischargeMinTotalMonths in total, and
//     may run MaxPeriodMonths after the later of its start and the
//     discharge, so starting 3 months before discharge allows 9 months.
func ValidateMentorPeriod(p MentorPeriod, previous []MentorPeriod, rules MentorRules) error {
	if p.Start.IsZero() {
		return invalidField(FieldMentorStart, "Angiv en startdato")
	}
	if p.End.IsZero() {
		return invalidField(FieldMentorEnd, "Angiv en slutdato")
	}
	start, end := dateOnly(p.Start), dateOnly(p.End)
	if end.Before(start) {
		return invalidField(FieldMentorEnd, "Slutdatoen ligger før startdatoen")
	}

	continues := false
	for _, q := range previous {
		qs, qe := dateOnly(q.Start), dateOnly(q.End)
		if !qs.After(end) && !start.After(qe) {
			return invalidField(FieldMentorStart, fmt.Sprintf(
				"Perioden overlapper en anden mentorperiode (%s–%s)", danishDate(qs), danishDate(qe)))
		}
		if qe.AddDate(0, 0, 1).Equal(start) {
			continues = true
		}
	}
	if continues && !p.RenewedAfterAssessment {
		return invalidField(FieldMentorRenewed, "Forlængelse kræver en ny vurdering")
	}

	if p.Discharge == nil {
		if last := periodLastDay(start, rules.MaxPeriodMonths); end.After(last) {
			return invalidField(FieldMentorEnd, fmt.Sprintf(
				"En mentorperiode kan højst vare %s ad gangen (til og med %s)", months(rules.MaxPeriodMonths), danishDate(last)))
		}
		return nil
	}

	discharge := dateOnly(*p.Discharge)
	if earliest := addMonthsClamped(discharge, -rules.DischargeBeforeMonths); start.Before(earliest) {
		return invalidField(FieldMentorStart, fmt.Sprintf(
			"Udslusningsmentor kan tidligst starte %s før udskrivningen (%s)", months(rules.DischargeBeforeMonths), danishDate(earliest)))
	}
	if minLast := periodLastDay(start, rules.DischargeMinTotalMonths); end.Before(minLast) {
		return invalidField(FieldMentorEnd, fmt.Sprintf(
			"Udslusningsmentor skal vare mindst %s i alt", months(rules.DischargeMinTotalMonths)))
	}
	if start.Before(discharge) {
		if last := periodLastDay(discharge, rules.MaxPeriodMonths); end.After(last) {
			return invalidField(FieldMentorEnd, fmt.Sprintf(
				"Udslusningsmentor kan højst vare %s efter udskrivningen (til og med %s)", months(rules.MaxPeriodMonths), danishDate(last)))
		}
	} else if last := periodLastDay(start, rules.MaxPeriodMonths); end.After(last) {
		return invalidField(FieldMentorEnd, fmt.Sprintf(
			"En mentorperiode kan højst vare %s ad gangen (til og med %s)", months(rules.MaxPeriodMonths), danishDate(last)))
	}
	return nil
}

// MentorWarning tells whether the caseworker should be reminded that p is
// running out, so a renewal can be assessed in time: daysLeft counts
// calendar days from today to the last day of support (0 on the last day,
// negative once it has passed), and warn is true when 0 ≤ daysLeft ≤
// WarnDaysBefore.
func MentorWarning(p MentorPeriod, today time.Time, rules MentorRules) (warn bool, daysLeft int) {
	daysLeft = daysBetween(dateOnly(today), dateOnly(p.End))
	return daysLeft >= 0 && daysLeft <= rules.WarnDaysBefore, daysLeft
}

// periodLastDay returns the last day of a period of n months starting on
// start: the day before the same date n months later, or the last day of
// that month when it is shorter (31 March + 1 month ends 30 April, 31
// August + 6 months ends 28 or 29 February).
func periodLastDay(start time.Time, n int) time.Time {
	y, m, d := start.Date()
	firstOfTarget := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	if d == 1 {
		return firstOfTarget.AddDate(0, 0, -1)
	}
	day := min(d-1, daysInMonth(firstOfTarget))
	return time.Date(firstOfTarget.Year(), firstOfTarget.Month(), day, 0, 0, 0, 0, time.UTC)
}

// addMonthsClamped moves t by n months keeping the day of month, or the
// last day of the month when the target month is shorter (31 May − 3
// months is 28 or 29 February), unlike time.AddDate which would roll over
// into March.
func addMonthsClamped(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	firstOfTarget := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	day := min(d, daysInMonth(firstOfTarget))
	return time.Date(firstOfTarget.Year(), firstOfTarget.Month(), day, 0, 0, 0, 0, time.UTC)
}

// daysInMonth returns the number of days in t's month.
func daysInMonth(t time.Time) int {
	return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// danishDate formats a date the Danish way, "02.01.2006".
func danishDate(t time.Time) string { return t.Format("02.01.2006") }

// months reads "1 måned" or "6 måneder".
func months(n int) string { return plural(n, "måned", "måneder") }
