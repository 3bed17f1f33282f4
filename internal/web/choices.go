package web

import (
	"context"
	"time"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
)

// refs loads the vocabularies citizen pages label codes with.
type refs struct{ benefit, exit, visitation, consent store.RefSet }

func (s *Server) loadRefs(ctx context.Context) (refs, error) {
	m, err := s.vocab.Sets(ctx, "benefit_type", "exit_reason", "visitation_category", "consent_information")
	if err != nil {
		return refs{}, err
	}
	return refs{benefit: m["benefit_type"], exit: m["exit_reason"], visitation: m["visitation_category"],
		consent: m["consent_information"]}, nil
}

func options(rs store.RefSet) []components.Option {
	out := make([]components.Option, len(rs))
	for i, v := range rs {
		out[i] = components.Option{Value: v.Code, Label: v.Label}
	}
	return out
}

// keptOptions are the choices of an edit form (a RefSet.Keeping set): a value the record keeps
// though it is not in force on day says so, so nobody picks it anew by mistake.
func keptOptions(rs store.RefSet, day time.Time) []components.Option {
	out := options(rs)
	for i, v := range rs {
		switch {
		case v.ValidOn(day):
		case v.ValidFrom.Format(time.DateOnly) > day.Format(time.DateOnly):
			out[i].Label += " (gælder fra " + format.Date(v.ValidFrom) + ")"
		default:
			out[i].Label += " (udløbet)"
		}
	}
	return out
}

// historyOptions offers every value of rs for a record of the past (a benefit period that
// began before a law change): those in force on day first, then those the law has ended or
// not yet begun, each marked with its dates. The store refuses a value outside its dates on
// the record's own date (RefValue.OutOfForce), so the choice is the law's, not the form's.
func historyOptions(rs store.RefSet, day time.Time) []components.Option {
	var now, other []components.Option
	for _, v := range rs {
		o := components.Option{Value: v.Code, Label: v.Label}
		switch {
		case v.ValidOn(day):
			now = append(now, o)
			continue
		case v.ValidTo != nil && v.ValidTo.Format(time.DateOnly) < day.Format(time.DateOnly):
			o.Label += " (tidligere, til og med " + format.Date(*v.ValidTo) + ")"
		default:
			o.Label += " (gælder fra " + format.Date(v.ValidFrom) + ")"
		}
		other = append(other, o)
	}
	return append(now, other...)
}
