package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// Audit action of the kontaktforløb.
const AuditContactExempt = "contact.exempt"

// ContactExemptionRef is the reference vocabulary of the reasons for an exemption from the
// kontaktforløb (migration 0029).
const ContactExemptionRef = "contact_exemption"

// ContactDue is where a citizen stands in the kontaktforløb on a day: the rule that applies
// to the current benefit period (none: Rule == ""), how many of its conversations are held in
// its window, and when the next is due (nil: none due — all held, no rule, or an exemption
// applies). Once the window is past with conversations missing, the requirement was missed
// (Missed); after the window the kontaktforløb is agreed with the citizen.
type ContactDue struct {
	BenefitCode  *string    `db:"benefit_code"`
	BenefitStart *time.Time `db:"benefit_start"`
	Rule         *string    `db:"rule"`
	Source       *string    `db:"source"`
	Uncertainty  *string    `db:"uncertainty"`
	Required     *int       `db:"required"`
	Held         int        `db:"held"`
	WindowFrom   *time.Time `db:"window_from"`
	WindowEnd    *time.Time `db:"window_end"` // exclusive
	Due          *time.Time `db:"due"`
	Exemption    *string    `db:"exemption"`
}

// Overdue reports whether the next conversation's day has passed on today, inside the window.
func (d ContactDue) Overdue(today time.Time) bool {
	return d.Due != nil && d.Due.Before(today) && !d.Missed(today)
}

// Missed reports whether the window has passed on today without the conversations required.
func (d ContactDue) Missed(today time.Time) bool {
	return d.Due != nil && d.WindowEnd != nil && !today.Before(*d.WindowEnd)
}

// OverdueGrace is how long after its window a missed requirement stays on the overdue lists
// (Helhed's choice, docs/law.md): long enough to hold the conversation late and note why,
// short enough that the lists are about what can still be done.
const OverdueGrace = 30

// contactJoins joins to citizens c, on the Danish day today (an argument placeholder), the
// current benefit period (b), the rule in force when it began (cad), its window (w), the
// conversations held in it (h), a current exemption (ex), and the next conversation's day
// (due: contact_due in migration 0029; NULL when all are held or an exemption applies). Each is a LATERAL
// look-up on a per-citizen index, for the rows it is joined to only.
func contactJoins(today string) string {
	return currentBenefitJoin("c.id") + `
		LEFT JOIN LATERAL (
			SELECT cc.label, cc.source, cc.uncertainty, cc.samtaler, cc.after_months, cc.within_months, cc.first_within_days
			FROM contact_cadences cc WHERE cc.benefit_code = b.benefit_code
			  AND cc.valid_from <= b.start_date AND (cc.valid_to IS NULL OR cc.valid_to >= b.start_date)
			ORDER BY cc.valid_from DESC LIMIT 1) cad ON true
		LEFT JOIN LATERAL (
			SELECT (b.start_date + make_interval(months => cad.after_months))::date AS from_day,
			       (b.start_date + make_interval(months => cad.within_months))::date AS end_day) w ON true
		LEFT JOIN LATERAL (
			SELECT count(*)::int AS held FROM samtaler s
			WHERE s.citizen_id = c.id AND s.status = 'afholdt'
			  AND s.starts_at >= w.from_day::timestamp AT TIME ZONE 'Europe/Copenhagen'
			  AND s.starts_at < w.end_day::timestamp AT TIME ZONE 'Europe/Copenhagen') h ON true
		LEFT JOIN LATERAL (
			SELECT e.reason FROM contact_exemptions e
			WHERE e.citizen_id = c.id AND e.from_date <= ` + today + ` AND (e.to_date IS NULL OR e.to_date >= ` + today + `)
			ORDER BY e.from_date DESC LIMIT 1) ex ON true
		LEFT JOIN LATERAL (
			SELECT CASE WHEN ex.reason IS NULL
			            THEN contact_due(w.from_day, w.end_day, cad.samtaler, h.held,
			                             b.start_date + cad.first_within_days - 1) END AS due) d ON true`
}

// contactColumns are ContactDue's columns from contactJoins.
const contactColumns = `b.benefit_code, b.start_date AS benefit_start, cad.label AS rule, cad.source, cad.uncertainty,
	cad.samtaler AS required, coalesce(h.held, 0) AS held, w.from_day AS window_from, w.end_day AS window_end, d.due,
	ex.reason AS exemption`

// NextContact is where the citizen stands in the kontaktforløb today, on the store's clock.
func (s *Store) NextContact(ctx context.Context, citizenID int64) (ContactDue, error) {
	return s.nextContact(citizenID).run(ctx, s.pool)
}

// NextContact queues Store.NextContact.
func (b *Batch) NextContact(citizenID int64) *Result[ContactDue] {
	return queue(b, b.s.nextContact(citizenID))
}

// nextContact is NextContact's read.
func (s *Store) nextContact(citizenID int64) query[ContactDue] {
	return query[ContactDue]{sql: `SELECT ` + contactColumns + ` FROM citizens c ` + contactJoins("$2::date") + ` WHERE c.id = $1`,
		args: []any{citizenID, helhed.DanishToday(s.Now())}, read: func(rows pgx.Rows) (ContactDue, error) {
			d, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[ContactDue])
			if err != nil {
				return ContactDue{}, notFound(err, "Borgeren")
			}
			return d, nil
		}}
}

// OverdueFilter chooses an overdue list: a caseworker's citizens or a unit's.
type OverdueFilter struct {
	CaseworkerID, UnitID int64
}

// OverdueContact is one citizen whose next required conversation is overdue.
type OverdueContact struct {
	CitizenID      int64     `db:"id"`
	Name           string    `db:"name"`
	CaseworkerName *string   `db:"caseworker_name"`
	BenefitCode    string    `db:"benefit_code"`
	Rule           string    `db:"rule"`
	Required       int       `db:"required"`
	Held           int       `db:"held"`
	Due            time.Time `db:"due"`
}

// OverdueContacts is one page of the open cases of a caseworker or unit whose next required
// conversation was due before today (the store's clock) — inside its window, or missed less
// than OverdueGrace days ago — the longest overdue first, and how
// many there are (0 past the last page). The citizens come from citizens_caseworker_idx (caseworker) or the unit's
// index; each is then looked up as NextContact does (docs/queries.md).
func (s *Store) OverdueContacts(ctx context.Context, f OverdueFilter, pg Page) ([]OverdueContact, int, error) {
	pg = pg.normalize()
	var w filters
	today := w.arg(helhed.DanishToday(s.Now())) + "::date"
	switch {
	case f.CaseworkerID != 0:
		w.add("c.caseworker_id = $?", f.CaseworkerID)
	case f.UnitID != 0:
		w.add("c.unit_id = $?", f.UnitID)
	default:
		return nil, 0, fmt.Errorf("overdue list without a caseworker or unit")
	}
	w.add("c.closed_at IS NULL")
	w.add("d.due < " + today)
	w.add(today + " < w.end_day + " + fmt.Sprint(OverdueGrace))
	q := `
		SELECT c.id, c.first_name || ' ' || c.last_name AS name, u.name AS caseworker_name, b.benefit_code, cad.label AS rule,
		       cad.samtaler AS required, h.held, d.due, count(*) OVER () AS total
		FROM citizens c LEFT JOIN users u ON u.id = c.caseworker_id ` + contactJoins(today) + w.where() + `
		ORDER BY d.due, c.id LIMIT ` + w.arg(pg.PerPage) + ` OFFSET ` + w.arg(pg.offset())
	rows, _ := s.pool.Query(ctx, q, w.args...)
	var total int
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (OverdueContact, error) {
		var o OverdueContact
		err := row.Scan(&o.CitizenID, &o.Name, &o.CaseworkerName, &o.BenefitCode, &o.Rule, &o.Required, &o.Held, &o.Due, &total)
		return o, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("overdue contacts: %w", err)
	}
	return out, total, nil
}

// ContactExemption is a new exemption from the kontaktforløb.
type ContactExemption struct {
	Reason string
	From   time.Time
	To     *time.Time
	Note   string
}

// ExemptFromContact records an exemption from the kontaktforløb for the citizen, audited.
func (s *Store) ExemptFromContact(ctx context.Context, who Who, citizenID int64, in ContactExemption) error {
	fields := map[string]string{}
	if in.Reason == "" {
		fields["reason"] = "Vælg en af mulighederne"
	}
	if in.From.IsZero() {
		fields["from"] = "Skal udfyldes"
	}
	if in.To != nil && in.To.Before(in.From) {
		fields["to"] = "Slutdatoen skal ligge efter startdatoen"
	}
	if len([]rune(in.Note)) > 1000 {
		fields["note"] = "Højst 1000 tegn"
	}
	if len(fields) > 0 {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Undtagelsen kan ikke gemmes", Fields: fields}
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO contact_exemptions (citizen_id, reason, from_date, to_date, note, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			citizenID, in.Reason, in.From, in.To, in.Note, who.UserID, s.Now()).Scan(&id); err != nil {
			return fmt.Errorf("contact exemption: %w", err)
		}
		return audit(ctx, tx, who, citizenID, AuditContactExempt, fmt.Sprintf("undtagelse %d (%s)", id, in.Reason))
	})
}
