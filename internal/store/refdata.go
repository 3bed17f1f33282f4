package store

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// RefValue is one value of a reference vocabulary (benefit type, exit reason …) with the
// period in which it is in force (valid_to inclusive) and the source that period rests on:
// the law, by number and date (migration 0023). Version is the optimistic lock of the
// administrator's edit page (migration 0012).
type RefValue struct {
	Kind        string     `db:"kind"`
	Code        string     `db:"code"`
	Label       string     `db:"label"`
	Description string     `db:"description"`
	Source      string     `db:"source"`
	SortOrder   int        `db:"sort_order"`
	ValidFrom   time.Time  `db:"valid_from"`
	ValidTo     *time.Time `db:"valid_to"`
	Version     int        `db:"version"`
}

// refValueColumns are the columns a RefValue is read from, in every query that reads one.
const refValueColumns = `kind, code, label, description, source, sort_order, valid_from, valid_to, version`

// RefUndated is the start of a value whose start the law does not date for Helhed: it was in
// force before any record Helhed holds (kontanthjælp, sygedagpenge …). Pages say "ikke
// dateret" rather than show the day, and the law calendar has no event for it.
var RefUndated = time.Date(1900, time.January, 1, 0, 0, 0, 0, time.UTC)

// Undated reports whether the value's start is RefUndated.
func (v RefValue) Undated() bool { return dateOnly(v.ValidFrom) == dateOnly(RefUndated) }

// OutOfForce returns why a new record dated day may not use the value — the law's reason in
// Danish, naming the source — or "" when the value is in force on day. The rule is the
// value's dates, so a law change is a change of data (helhed.OutOfForce words it).
func (v RefValue) OutOfForce(day time.Time) string {
	return helhed.OutOfForce(v.Label, v.Source, v.ValidFrom, v.ValidTo, day)
}

// ValidOn reports whether the value is in force on day.
func (v RefValue) ValidOn(day time.Time) bool {
	d := day.Format(time.DateOnly)
	return v.ValidFrom.Format(time.DateOnly) <= d && (v.ValidTo == nil || d <= v.ValidTo.Format(time.DateOnly))
}

// RefValues returns every value of a kind, current and historic, in display order. Callers
// offer only those ValidOn the relevant day but label historic records with the rest.
func (s *Store) RefValues(ctx context.Context, kind string) ([]RefValue, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+refValueColumns+`
		FROM ref_values WHERE kind = $1 ORDER BY sort_order, code`, kind)
	vs, err := pgx.CollectRows(rows, pgx.RowToStructByName[RefValue])
	if err != nil {
		return nil, fmt.Errorf("reference values %s: %w", kind, err)
	}
	return vs, nil
}

// RefSet is a vocabulary loaded for display and validation.
type RefSet []RefValue

// Label returns the label of code, or code itself when unknown (a historic value removed
// later still displays).
func (rs RefSet) Label(code string) string {
	for _, v := range rs {
		if v.Code == code {
			return v.Label
		}
	}
	return code
}

// Current returns the values in force on day: what a form for a new record offers.
func (rs RefSet) Current(day time.Time) RefSet { return rs.Keeping(day) }

// Keeping returns the values in force on day and, in their places, those of codes a record
// already has that are not: what an edit form offers and accepts, so saving a record never
// drops a value it has because the value has ended since. With no codes it is Current(day).
func (rs RefSet) Keeping(day time.Time, codes ...string) RefSet {
	var out RefSet
	for _, v := range rs {
		if v.ValidOn(day) || slices.Contains(codes, v.Code) {
			out = append(out, v)
		}
	}
	return out
}

// Value returns the value of code, if rs has it.
func (rs RefSet) Value(code string) (RefValue, bool) {
	i := slices.IndexFunc(rs, func(v RefValue) bool { return v.Code == code })
	if i < 0 {
		return RefValue{}, false
	}
	return rs[i], true
}

// Has reports whether code is one of the values of rs (of a Keeping set: one the form may send).
func (rs RefSet) Has(code string) bool {
	return slices.ContainsFunc(rs, func(v RefValue) bool { return v.Code == code })
}

// ValidOn reports whether code is a value in force on day.
func (rs RefSet) ValidOn(code string, day time.Time) bool {
	for _, v := range rs {
		if v.Code == code {
			return v.ValidOn(day)
		}
	}
	return false
}

// RefSets loads several vocabularies in one query, keyed by kind.
func (s *Store) RefSets(ctx context.Context, kinds ...string) (map[string]RefSet, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+refValueColumns+`
		FROM ref_values WHERE kind = ANY($1) ORDER BY kind, sort_order, code`, kinds)
	vs, err := pgx.CollectRows(rows, pgx.RowToStructByName[RefValue])
	if err != nil {
		return nil, fmt.Errorf("reference values: %w", err)
	}
	out := make(map[string]RefSet, len(kinds))
	for _, v := range vs {
		out[v.Kind] = append(out[v.Kind], v)
	}
	return out, nil
}

// RefDataTopic is the live-update topic of the reference data: a trigger on ref_values sends
// it with every change (migration 0011), so caches of it can be dropped on every instance.
const RefDataTopic = "refdata"

// AllRefSets loads every vocabulary, for a cache (a few hundred rows).
func (s *Store) AllRefSets(ctx context.Context) (map[string]RefSet, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+refValueColumns+`
		FROM ref_values ORDER BY kind, sort_order, code`)
	vs, err := pgx.CollectRows(rows, pgx.RowToStructByName[RefValue])
	if err != nil {
		return nil, fmt.Errorf("reference values: %w", err)
	}
	out := map[string]RefSet{}
	for _, v := range vs {
		out[v.Kind] = append(out[v.Kind], v)
	}
	return out, nil
}

// RefKind is one vocabulary with how many values it has and how many of them are in force
// on the day asked about.
type RefKind struct {
	Kind        string `db:"kind"`
	Label       string `db:"label"`
	Description string `db:"description"`
	Values      int    `db:"n_values"`
	InForce     int    `db:"n_in_force"`
}

const refKindSelect = `
	SELECT k.kind, k.label, k.description, count(v.code)::int AS n_values,
	       (count(v.code) FILTER (WHERE v.valid_from <= $1::date AND (v.valid_to IS NULL OR v.valid_to >= $1::date)))::int AS n_in_force
	FROM ref_kinds k LEFT JOIN ref_values v ON v.kind = k.kind`

// RefKinds lists every vocabulary by label, with its counts on day (a few tens of kinds).
func (s *Store) RefKinds(ctx context.Context, day time.Time) ([]RefKind, error) {
	rows, _ := s.pool.Query(ctx, refKindSelect+` GROUP BY k.kind ORDER BY k.label, k.kind`, day.Format(time.DateOnly))
	ks, err := pgx.CollectRows(rows, pgx.RowToStructByName[RefKind])
	if err != nil {
		return nil, fmt.Errorf("reference kinds: %w", err)
	}
	return ks, nil
}

// RefKindByCode loads one vocabulary with its counts on day.
func (s *Store) RefKindByCode(ctx context.Context, kind string, day time.Time) (RefKind, error) {
	rows, _ := s.pool.Query(ctx, refKindSelect+` WHERE k.kind = $2 GROUP BY k.kind`, day.Format(time.DateOnly), kind)
	k, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[RefKind])
	if err != nil {
		return RefKind{}, notFound(err, "Referencedatatypen")
	}
	return k, nil
}

// RefValueByCode loads one value of a vocabulary, as stored now.
func (s *Store) RefValueByCode(ctx context.Context, kind, code string) (RefValue, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+refValueColumns+` FROM ref_values WHERE kind = $1 AND code = $2`, kind, code)
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[RefValue])
	if err != nil {
		return RefValue{}, notFound(err, "Værdien")
	}
	return v, nil
}

// The form fields of a reference value; validation errors are keyed by them.
const (
	RefFieldCode        = "code"
	RefFieldLabel       = "label"
	RefFieldDescription = "description"
	RefFieldSource      = "source"
	RefFieldSortOrder   = "sort_order"
	RefFieldValidFrom   = "valid_from"
	RefFieldValidTo     = "valid_to"
	// RefFieldLastDay is the retire form's one date: the last day the value is in force.
	RefFieldLastDay = "last_day"
)

// Limits of a reference value's fields.
const (
	RefLabelMax       = 200
	RefDescriptionMax = 1000
	RefSourceMax      = 300
	RefSortOrderMax   = 1_000_000
)

// refCodePattern is the form of a code; the table's CHECK holds the same rule.
var refCodePattern = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)

// RefCodeProblem returns the Danish message for a code that is not well-formed, or "".
func RefCodeProblem(code string) string {
	if !refCodePattern.MatchString(code) {
		return "Koden skal være 1–40 tegn: små bogstaver a–z, tal og understregning (_)"
	}
	return ""
}

// RefValueInput is what an administrator sets on a value. The kind and the code are the
// value's identity: records refer to them, so they never change.
type RefValueInput struct {
	Label       string
	Description string
	Source      string // the law the dates rest on, e.g. "Lov nr. 1655 af 30.12.2024"
	SortOrder   int
	ValidFrom   time.Time
	ValidTo     *time.Time // inclusive; nil: in force until further notice
}

// Problems returns a Danish message per field that breaks a rule, or nil.
func (in RefValueInput) Problems() map[string]string {
	errs := map[string]string{}
	switch n := utf8.RuneCountInString(in.Label); {
	case strings.TrimSpace(in.Label) == "":
		errs[RefFieldLabel] = "Angiv en betegnelse"
	case n > RefLabelMax:
		errs[RefFieldLabel] = "Betegnelsen må højst have " + strconv.Itoa(RefLabelMax) + " tegn"
	}
	if utf8.RuneCountInString(in.Description) > RefDescriptionMax {
		errs[RefFieldDescription] = "Beskrivelsen må højst have 1.000 tegn"
	}
	if utf8.RuneCountInString(in.Source) > RefSourceMax {
		errs[RefFieldSource] = "Kilden må højst have " + strconv.Itoa(RefSourceMax) + " tegn"
	}
	if in.SortOrder < -RefSortOrderMax || in.SortOrder > RefSortOrderMax {
		errs[RefFieldSortOrder] = "Angiv et helt tal mellem -1.000.000 og 1.000.000"
	}
	if in.ValidFrom.IsZero() {
		errs[RefFieldValidFrom] = "Angiv datoen, værdien gælder fra"
	} else if in.ValidTo != nil && dateOnly(*in.ValidTo) < dateOnly(in.ValidFrom) {
		errs[RefFieldValidTo] = "Slutdatoen må ikke ligge før datoen, værdien gælder fra"
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func dateOnly(t time.Time) string { return t.Format(time.DateOnly) }

// refDate is a validity date as the audit log shows it; nil is "ingen" (no end).
func refDate(t *time.Time) string {
	if t == nil {
		return "ingen"
	}
	return dateOnly(*t)
}

func invalidRefValue(errs map[string]string) error {
	return &helhed.Error{Code: helhed.EInvalid, Message: "Værdien kan ikke gemmes", Fields: errs}
}

// Audit actions of reference data: a value added, and a value changed (edited or retired).
const (
	AuditRefDataCreate = "refdata.create"
	AuditRefDataChange = "refdata.change"
)

// AddRefValue adds a value to a vocabulary. A code the kind already has — in force or not —
// is a field error: records may still refer to an expired value.
func (s *Store) AddRefValue(ctx context.Context, who Who, kind, code string, in RefValueInput) error {
	errs := in.Problems()
	if p := RefCodeProblem(code); p != "" {
		if errs == nil {
			errs = map[string]string{}
		}
		errs[RefFieldCode] = p
	}
	if errs != nil {
		return invalidRefValue(errs)
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO ref_values (kind, code, label, description, source, sort_order, valid_from, valid_to)
			SELECT kind, $2, $3, $4, $5, $6::int, $7::date, $8::date FROM ref_kinds WHERE kind = $1`,
			kind, code, in.Label, in.Description, in.Source, in.SortOrder, in.ValidFrom, in.ValidTo)
		if isUniqueViolation(err, "ref_values_pkey") {
			return invalidRefValue(map[string]string{RefFieldCode: "Koden findes allerede i denne referencedatatype (også udløbne værdier tæller)"})
		}
		if err != nil {
			return fmt.Errorf("insert reference value %s/%s: %w", kind, code, err)
		}
		if tag.RowsAffected() == 0 {
			return notFound(pgx.ErrNoRows, "Referencedatatypen")
		}
		return audit(ctx, tx, who, 0, AuditRefDataCreate, kind+"/"+code+" oprettet: "+refChanges(RefValueInput{}, in, true))
	})
}

// UpdateRefValue saves an edit made on version: label, description, source, sort order and
// the validity dates. If someone saved in between it returns a conflict and changes nothing.
func (s *Store) UpdateRefValue(ctx context.Context, who Who, kind, code string, version int, in RefValueInput) error {
	return s.changeRefValue(ctx, who, kind, code, version, func(RefValue) (RefValueInput, map[string]string) {
		return in, in.Problems()
	})
}

// RetireRefValue ends a value after lastDay (the law-change action "Afslut pr. dato"): it is
// in force until and including lastDay and is not offered for new records after it; records
// that use it keep it and still show its label. Made on version, like UpdateRefValue.
func (s *Store) RetireRefValue(ctx context.Context, who Who, kind, code string, version int, lastDay time.Time) error {
	return s.changeRefValue(ctx, who, kind, code, version, func(cur RefValue) (RefValueInput, map[string]string) {
		in := cur.input()
		in.ValidTo = &lastDay
		if dateOnly(lastDay) < dateOnly(cur.ValidFrom) {
			return in, map[string]string{RefFieldLastDay: "Datoen må ikke ligge før " + dateOnly(cur.ValidFrom) + ", hvor værdien begynder at gælde"}
		}
		return in, nil
	})
}

// input is the editable part of a stored value.
func (v RefValue) input() RefValueInput {
	return RefValueInput{Label: v.Label, Description: v.Description, Source: v.Source, SortOrder: v.SortOrder,
		ValidFrom: v.ValidFrom, ValidTo: v.ValidTo}
}

// changeRefValue is the one transaction of an edit: lock the value, refuse a stale version,
// validate the change against the value as stored, write it and its audit row. A save that
// changes nothing writes nothing (no new version, no audit row, no reload on the instances).
func (s *Store) changeRefValue(ctx context.Context, who Who, kind, code string, version int,
	change func(cur RefValue) (RefValueInput, map[string]string)) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+refValueColumns+` FROM ref_values WHERE kind = $1 AND code = $2 FOR UPDATE`, kind, code)
		cur, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[RefValue])
		if err != nil {
			return notFound(err, "Værdien")
		}
		if cur.Version != version {
			return &helhed.Error{Code: helhed.EConflict,
				Message: "Værdien er ændret af en anden, siden du åbnede den. Dine ændringer er ikke gemt."}
		}
		in, errs := change(cur)
		if len(errs) > 0 {
			return invalidRefValue(errs)
		}
		diff := refChanges(cur.input(), in, false)
		if diff == "" {
			return nil
		}
		if _, err := tx.Exec(ctx, `
			UPDATE ref_values SET label = $3, description = $4, source = $5, sort_order = $6, valid_from = $7, valid_to = $8,
			       version = version + 1
			WHERE kind = $1 AND code = $2`,
			kind, code, in.Label, in.Description, in.Source, in.SortOrder, in.ValidFrom, in.ValidTo); err != nil {
			return fmt.Errorf("update reference value %s/%s: %w", kind, code, err)
		}
		return audit(ctx, tx, who, 0, AuditRefDataChange, kind+"/"+code+": "+diff)
	})
}

// refChanges describes for the audit log what differs between was and now (every field of
// now when all is true: a new value), e.g. `gyldig til: ingen → 2025-12-31`.
func refChanges(was, now RefValueInput, all bool) string {
	var out []string
	add := func(field, a, b string) {
		switch {
		case all:
			out = append(out, field+": "+b)
		case a != b:
			out = append(out, field+": "+a+" → "+b)
		}
	}
	add("betegnelse", strconv.Quote(was.Label), strconv.Quote(now.Label))
	add("beskrivelse", strconv.Quote(was.Description), strconv.Quote(now.Description))
	add("kilde", strconv.Quote(was.Source), strconv.Quote(now.Source))
	add("sortering", strconv.Itoa(was.SortOrder), strconv.Itoa(now.SortOrder))
	add("gyldig fra", dateOnly(was.ValidFrom), dateOnly(now.ValidFrom))
	add("gyldig til", refDate(was.ValidTo), refDate(now.ValidTo))
	return strings.Join(out, "; ")
}
