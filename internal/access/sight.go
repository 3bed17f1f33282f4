package access

import "strconv"

// Sight is what one viewer may see of one citizen's data, class by class. It is computed once
// per viewer and citizen (SightOf), or for a room (RoomSight), and every classified value a
// page shows passes through it (Gate, GateRow).
type Sight struct {
	unit    int64 // the viewer's unit: its own rows are visible to it (Row.Unit)
	citizen bool  // may see the citizen at all: identity and case data
	all     bool  // the case-holding unit: everything
	health  bool
	social  bool
}

// SightOf is what u may see of a citizen to whom u stands in rel. The case-holding unit sees
// the whole case; a unit with a concrete relation (a referral to it, a meeting agenda)
// sees identity and case data, and health or social data only under a current consent
// naming that unit and that kind of information. Anyone else sees nothing.
func SightOf(u User, rel Relation) Sight {
	if !CanCitizen(u, ViewCitizen, rel) {
		return Sight{}
	}
	if employmentSide(u, rel) {
		return Sight{unit: u.UnitID, citizen: true, all: true, health: true, social: true}
	}
	return Sight{unit: u.UnitID, citizen: true, health: rel.HealthConsent, social: rel.SocialConsent}
}

// RoomSight is what a room of people may see together — the rehabiliteringsteam's shared
// screen: a class only if every one of them may see it, and no unit's own rows beyond what
// the room may see. A room of nobody sees nothing.
func RoomSight(members []Sight) Sight {
	if len(members) == 0 {
		return Sight{}
	}
	r := Sight{citizen: true, all: true, health: true, social: true}
	for _, m := range members {
		r.citizen = r.citizen && m.citizen
		r.all = r.all && m.all
		r.health = r.health && m.health
		r.social = r.social && m.social
	}
	if !r.citizen {
		return Sight{}
	}
	return r
}

// Within narrows s to what both s and o may see: a viewer on the room's screen sees no more
// than the room, and no more than the viewer.
func (s Sight) Within(o Sight) Sight {
	r := Sight{unit: s.unit, citizen: s.citizen && o.citizen, all: s.all && o.all,
		health: s.health && o.health, social: s.social && o.social}
	if o.unit != s.unit {
		r.unit = 0
	}
	if !r.citizen {
		return Sight{}
	}
	return r
}

// Citizen reports whether the viewer may see the citizen at all.
func (s Sight) Citizen() bool { return s.citizen }

// Sees reports whether the viewer may see data of class c.
func (s Sight) Sees(c Class) bool {
	if !s.citizen || c < Identity || c > Mixed {
		return false // ByRow without a row, or unknown: fail closed
	}
	if s.all {
		return true
	}
	switch c {
	case Identity, Case:
		return true
	case Health:
		return s.health
	case Social:
		return s.social
	case Mixed:
		return s.health && s.social
	}
	return false
}

// SeesRow reports whether the viewer may see a row: by its class, or because it is the
// viewer's own unit's.
func (s Sight) SeesRow(r Row) bool {
	return s.Sees(r.Class) || (s.citizen && r.Unit != 0 && r.Unit == s.unit)
}

// NoteScope says which of a citizen's journal notes the viewer may see, in the terms the
// store's query needs: all of them (the case-holding unit), or those whose class code is one
// of classes, and those written in unit (the viewer's own; 0: none). It is SeesRow of NoteRow
// for every note, turned into a WHERE clause so that lists, counts and pages hold only what
// the viewer may see (TestNoteScopeIsSeesRow).
func (s Sight) NoteScope() (all bool, classes []string, unit int64) {
	if !s.citizen {
		return false, nil, 0
	}
	all = true
	for _, c := range NoteClasses {
		if s.Sees(c) {
			classes = append(classes, c.String())
		} else {
			all = false
		}
	}
	return all, classes, s.unit
}

// Gated is a classified value as one viewer may see it. Its value can only be read through Get
// (or Or), which says whether it is shown; a page cannot print a withheld value by mistake,
// because a Gated is not a string.
type Gated[T any] struct {
	v     T
	shown bool
	class Class
}

// Gate gates v, read from column c, for the viewer s. A ByRow column without a row counts as
// health data.
func Gate[T any](s Sight, c Column, v T) Gated[T] {
	cl := c.Class
	if cl == ByRow {
		cl = Health
	}
	if !s.Sees(cl) {
		return Gated[T]{class: cl}
	}
	return Gated[T]{v: v, shown: true, class: cl}
}

// GateRow gates v, read from column c of row r, for the viewer s: a ByRow column takes the
// row's class, a column with a class of its own the higher of the two; the row's own unit
// sees it.
func GateRow[T any](s Sight, r Row, c Column, v T) Gated[T] {
	cl := r.Class
	if c.Class != ByRow {
		cl = higher(c.Class, r.Class)
	}
	if !s.SeesRow(Row{Class: cl, Unit: r.Unit}) {
		return Gated[T]{class: cl}
	}
	return Gated[T]{v: v, shown: true, class: cl}
}

// Whole reports whether the viewer sees the whole case (the case-holding unit).
func (s Sight) Whole() bool { return s.citizen && s.all }

// Shown wraps a value that is not citizen data (or was gated already) as shown.
func Shown[T any](v T) Gated[T] { return Gated[T]{v: v, shown: true, class: Case} }

// Get returns the value and true when the viewer may see it; the zero value and false when it
// is withheld.
func (g Gated[T]) Get() (T, bool) { return g.v, g.shown }

// Or returns the value when shown, otherwise def.
func (g Gated[T]) Or(def T) T {
	if g.shown {
		return g.v
	}
	return def
}

// Withheld reports whether the value is kept from the viewer.
func (g Gated[T]) Withheld() bool { return !g.shown }

// Shown reports whether the value is shown to the viewer.
func (g Gated[T]) Shown() bool { return g.shown }

// Class is the class the value was gated as.
func (g Gated[T]) Class() Class { return g.class }

// Visible returns the values of gs that the viewer may see, in order: the rows a list shows.
func Visible[T any](gs []Gated[T]) []T {
	var out []T
	for _, g := range gs {
		if g.shown {
			out = append(out, g.v)
		}
	}
	return out
}

// CountWithheld counts the withheld values of a list (rows left out for lack of consent).
func CountWithheld[T any](gs []Gated[T]) int {
	n := 0
	for _, g := range gs {
		if !g.shown {
			n++
		}
	}
	return n
}

// Key is a short string that is equal for equal sights: the board shares one render between
// screens whose sights are equal.
func (s Sight) Key() string {
	b := []byte("-----")
	for i, on := range []bool{s.citizen, s.all, s.health, s.social} {
		if on {
			b[i] = "cahs"[i]
		}
	}
	return string(b[:4]) + strconv.FormatInt(s.unit, 10)
}
