package helhed

import (
	"slices"
	"time"
)

// SpellPeriod is one benefit period of a person, as the effect measures read it: the benefit
// (a reference code), its first and last day (End nil: still running) and why it ended (an
// exit reason code, "" when unknown or running).
type SpellPeriod struct {
	Benefit string
	Start   time.Time
	End     *time.Time
	Exit    string
}

// Spell is a person's continuous time on public support across benefit types: a change of
// benefit (sygedagpenge → jobafklaringsforløb) is not an exit. End is the last day of the
// last period (nil while a period runs); Exit is why that last period ended.
type Spell struct {
	Start    time.Time
	End      *time.Time
	Benefits []string // in the order they began, each once
	Exit     string
}

// Spells joins a person's benefit periods into spells. Two periods belong to one spell when
// they overlap or when no whole calendar month lies in the gap between them: the rule
// Jobindsats uses to end a spell of one benefit ("afsluttet efter en kalendermåneds fravær af
// den pågældende ydelse"), applied here across benefits. Jobindsats and DREAM publish no
// cross-benefit gap rule; this one is Helhed's choice, made to agree with the per-benefit
// rule (docs/law.md). The periods may come in any order; which benefits count as public
// support (fleksjob does in Jobindsats' ministermål) is the caller's choice of periods.
func Spells(periods []SpellPeriod) []Spell {
	ps := slices.Clone(periods)
	slices.SortStableFunc(ps, func(a, b SpellPeriod) int { return a.Start.Compare(b.Start) })
	var out []Spell
	for _, p := range ps {
		if n := len(out); n > 0 && joins(out[n-1].End, p.Start) {
			s := &out[n-1]
			if !slices.Contains(s.Benefits, p.Benefit) {
				s.Benefits = append(s.Benefits, p.Benefit)
			}
			switch {
			case s.End == nil:
				// A running period keeps the spell open whatever ends inside it.
			case p.End == nil:
				s.End, s.Exit = nil, ""
			case dayOf(*p.End).After(dayOf(*s.End)):
				end := dayOf(*p.End)
				s.End, s.Exit = &end, p.Exit
			}
			continue
		}
		s := Spell{Start: dayOf(p.Start), Benefits: []string{p.Benefit}, Exit: p.Exit}
		if p.End != nil {
			end := dayOf(*p.End)
			s.End = &end
		}
		out = append(out, s)
	}
	return out
}

// joins reports whether a period starting on next continues a spell that ended on end (nil:
// still running): it overlaps, or no whole calendar month lies between end and next.
func joins(end *time.Time, next time.Time) bool {
	if end == nil {
		return true
	}
	last, first := dayOf(*end), dayOf(next)
	if !first.After(last) {
		return true
	}
	// The first whole calendar month after end: the month that begins the day after end, or
	// else the next one.
	gap := last.AddDate(0, 0, 1)
	month := time.Date(gap.Year(), gap.Month(), 1, 0, 0, 0, 0, time.UTC)
	if !month.Equal(gap) {
		month = month.AddDate(0, 1, 0)
	}
	lastOfMonth := month.AddDate(0, 1, -1)
	return !lastOfMonth.Before(first)
}

// Days is the spell's length in days, both ends counted; a running spell counts to until.
func (s Spell) Days(until time.Time) int {
	end := dayOf(until)
	if s.End != nil {
		end = *s.End
	}
	return daysBetween(s.Start, end) + 1
}

// SelfSupporting reports whether the spell ended in selvforsørgelse: its last period ended
// for one of the exit reasons given (job and education, as Jobindsats counts
// "lønmodtagerbeskæftigelse" and "uddannelse"). A running spell has not ended.
func (s Spell) SelfSupporting(exits ...string) bool {
	return s.End != nil && s.Exit != "" && slices.Contains(exits, s.Exit)
}

// dayOf is the calendar day of t (dateOnly).
func dayOf(t time.Time) time.Time { return dateOnly(t) }
