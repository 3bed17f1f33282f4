package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
)

// Referral is a henvisning with the names around it resolved.
type Referral struct {
	ID              int64                `db:"id"`
	CitizenID       int64                `db:"citizen_id"`
	CitizenName     string               `db:"citizen_name"`
	CitizenCPR      helhed.CPR           `db:"citizen_cpr"`
	OfferID         int64                `db:"offer_id"`
	OfferName       string               `db:"offer_name"`
	FromUserID      int64                `db:"from_user_id"`
	FromUserName    string               `db:"from_user_name"`
	FromUnitName    string               `db:"from_unit_name"`
	ToUnitID        int64                `db:"to_unit_id"`
	ToUnitName      string               `db:"to_unit_name"`
	ToUnitKind      string               `db:"to_unit_kind"`
	State           helhed.ReferralState `db:"state"`
	Note            string               `db:"note"`
	Reason          string               `db:"reason"`
	CitizenAccepted bool                 `db:"citizen_accepted"`
	CreatedAt       time.Time            `db:"created_at"`
	StateChangedAt  time.Time            `db:"state_changed_at"`
	ReferrerSeenAt  time.Time            `db:"referrer_seen_at"`
	Version         int                  `db:"version"`
}

// Row classifies the referral by the unit it went to (access.ReferralRow): a referral to a
// health offer is health data outside the case-holding unit and the receiving unit.
func (r Referral) Row() access.Row { return access.ReferralRow(r.ToUnitID, r.ToUnitKind) }

// Unseen reports whether the state changed since the referring caseworker last looked.
func (r Referral) Unseen() bool { return r.StateChangedAt.After(r.ReferrerSeenAt) }

// ReferralEvent is one transition of a referral: who moved it, from what, to what, when.
type ReferralEvent struct {
	FromState *helhed.ReferralState `db:"from_state"`
	ToState   helhed.ReferralState  `db:"to_state"`
	Reason    string                `db:"reason"`
	ByName    *string               `db:"by_name"`
	At        time.Time             `db:"at"`
}

const referralColumns = `
	SELECT r.id, r.citizen_id, c.first_name || ' ' || c.last_name AS citizen_name, c.cpr AS citizen_cpr,
	       r.offer_id, o.name AS offer_name, r.from_user_id, fu.name AS from_user_name,
	       fn.name AS from_unit_name, r.to_unit_id, tn.name AS to_unit_name, tn.kind AS to_unit_kind,
	       r.state, r.note, r.reason, r.citizen_accepted, r.created_at, r.state_changed_at,
	       r.referrer_seen_at, r.version`

const referralFrom = `
	FROM referrals r
	JOIN citizens c ON c.id = r.citizen_id
	JOIN offers o ON o.id = r.offer_id
	JOIN users fu ON fu.id = r.from_user_id
	JOIN units fn ON fn.id = r.from_unit_id
	JOIN units tn ON tn.id = r.to_unit_id`

const referralSelect = referralColumns + referralFrom

// ReferralAccessDays is how long after a referral ends the provider unit keeps access to the
// citizen's page (to close its own records); after that the relation is gone.
const ReferralAccessDays = 30

// NewReferral is what a caseworker sends. FromUnitID is the user's unit, set by the handler.
type NewReferral struct {
	CitizenID       int64
	OfferID         int64
	FromUnitID      int64
	Note            string
	CitizenAccepted bool
	// EffortID: the plan effort the referral is made from (0: the referral adds its effort to
	// the plan, or links a planned effort for the same offer).
	EffortID int64
}

// Form fields a referral's validation may point at.
const (
	FieldReferralOffer    = "offer"
	FieldReferralAccepted = "citizen_accepted"
)

// CreateReferral sends a citizen to an offer: state sendt, to the offer's provider unit, with
// the creation event and the audit row, in one transaction. An unknown or retired offer is a
// field error. A referral that carries health or social information across administrations
// (access.ConsentInformation) needs the citizen's recorded acceptance and a consent, current
// today, covering that information for the provider unit; both are checked here, in the same
// transaction as the insert, so a consent withdrawn a moment earlier is respected.
func (s *Store) CreateReferral(ctx context.Context, who Who, in NewReferral) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var unitID int64
		var unitKind, unitName string
		var retired *time.Time
		err := tx.QueryRow(ctx, `
			SELECT o.provider_unit_id, u.kind, u.name, o.retired_at
			FROM offers o JOIN units u ON u.id = o.provider_unit_id WHERE o.id = $1`, in.OfferID).
			Scan(&unitID, &unitKind, &unitName, &retired)
		if errors.Is(err, pgx.ErrNoRows) {
			return invalidReferral(FieldReferralOffer, "Vælg et tilbud fra listen")
		}
		if err != nil {
			return fmt.Errorf("create referral: offer: %w", err)
		}
		if retired != nil {
			return invalidReferral(FieldReferralOffer, "Tilbuddet er udgået og modtager ikke nye henvisninger. Vælg et andet tilbud.")
		}
		fields := map[string]string{}
		if info := access.ConsentInformation(unitKind); info != "" {
			if !in.CitizenAccepted {
				fields[FieldReferralAccepted] = "Borgeren skal have accepteret henvisningen: sundheds- og socialtilbud er frivillige"
			}
			ok, err := consentCovers(ctx, tx, in.CitizenID, unitID, info, s.Now())
			if err != nil {
				return err
			}
			if !ok {
				var label string
				if err := tx.QueryRow(ctx, `
					SELECT coalesce((SELECT lower(label) FROM ref_values WHERE kind = 'consent_information' AND code = $1), $1)`,
					info).Scan(&label); err != nil {
					return fmt.Errorf("consent label: %w", err)
				}
				fields[FieldReferralOffer] = fmt.Sprintf("Borgeren har ikke givet et gyldigt samtykke til, at %s videregives til %s. Registrér samtykket, før du henviser.",
					label, unitName)
			}
		}
		if len(fields) > 0 {
			return &helhed.Error{Code: helhed.EInvalid, Message: "Henvisningen kan ikke sendes", Fields: fields}
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO referrals (citizen_id, offer_id, from_user_id, from_unit_id, to_unit_id, state, note, citizen_accepted)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			in.CitizenID, in.OfferID, who.UserID, in.FromUnitID, unitID, helhed.ReferralSent, in.Note, in.CitizenAccepted).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert referral: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO referral_events (referral_id, to_state, by_user_id) VALUES ($1, $2, $3)`,
			id, helhed.ReferralSent, who.UserID); err != nil {
			return fmt.Errorf("insert referral event: %w", err)
		}
		if _, err := linkReferralEffort(ctx, tx, who, in.CitizenID, id, in.OfferID, in.EffortID, helhed.DanishToday(s.Now())); err != nil {
			return err
		}
		return audit(ctx, tx, who, in.CitizenID, AuditReferralCreate, fmt.Sprintf("henvisning %d til tilbud %d", id, in.OfferID))
	})
	return id, err
}

func invalidReferral(field, msg string) error {
	return &helhed.Error{Code: helhed.EInvalid, Message: msg, Fields: map[string]string{field: msg}}
}

// consentCovers is HasConsent inside a transaction: whether a consent in force on day lets
// information about the citizen reach unitID. It uses the same definition of "in force"
// (currentConsentSQL), so the referral gate and the access relation never disagree.
func consentCovers(ctx context.Context, tx pgx.Tx, citizenID, unitID int64, information string, day time.Time) (bool, error) {
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM consents
		WHERE citizen_id = $1 AND recipient_unit_id = $2 AND information = $3 AND `+currentConsentSQL+`)`,
		citizenID, unitID, information, consentDay(day)).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("check consent: %w", err)
	}
	return ok, nil
}

// lockedReferral is a referral row locked FOR UPDATE inside a transition.
type lockedReferral struct {
	id, citizenID, offerID int64
	state                  helhed.ReferralState
	version                int
}

// offerSeats is an offer's capacity and the seats and waiting list its referrals hold, read
// under the offer's row lock (the counts are kept by the referrals_seat_counts trigger).
type offerSeats struct{ capacity, held, waiting int }

// lockReferral locks the referral, which must belong to citizenID (a referral id under the
// wrong citizen's URL is not found). When lockOffer is set the offer row is locked first, so
// every transaction that counts seats takes the locks in the same order: offer, then referral.
func lockReferral(ctx context.Context, tx pgx.Tx, citizenID, id int64, lockOffer bool) (lockedReferral, offerSeats, error) {
	var seats offerSeats
	if lockOffer {
		err := tx.QueryRow(ctx, `
			SELECT o.capacity, o.seats_taken, o.waiting FROM offers o
			WHERE o.id = (SELECT offer_id FROM referrals WHERE id = $1 AND citizen_id = $2)
			FOR UPDATE OF o`, id, citizenID).Scan(&seats.capacity, &seats.held, &seats.waiting)
		if err != nil {
			return lockedReferral{}, seats, notFound(err, "Henvisningen")
		}
	}
	var r lockedReferral
	err := tx.QueryRow(ctx, `
		SELECT id, citizen_id, offer_id, state, version FROM referrals
		WHERE id = $1 AND citizen_id = $2 FOR UPDATE`, id, citizenID).
		Scan(&r.id, &r.citizenID, &r.offerID, &r.state, &r.version)
	if err != nil {
		return lockedReferral{}, seats, notFound(err, "Henvisningen")
	}
	return r, seats, nil
}

// TransitionReferral moves a referral the user saw at version to state to, with reason where
// the state needs one, and returns the state it ended in. Everything happens in one
// transaction with the event and the audit row; an illegal move, a missing reason or a stale
// version changes nothing.
//
// Accepting never over-books. The offer row is locked (SELECT … FOR UPDATE) and the seats
// held are read under that lock (the trigger keeps them with every change of state), so two people accepting the last seat at once are served
// one after the other: one gets it, the other's referral goes on the waiting list. A new
// referral does not jump the queue either: while anyone waits, only a waiting referral can
// take a freed seat.
func (s *Store) TransitionReferral(ctx context.Context, who Who, citizenID, id int64, version int, to helhed.ReferralState, reason string) (helhed.ReferralState, error) {
	var final helhed.ReferralState
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		r, seats, err := lockReferral(ctx, tx, citizenID, id, to == helhed.ReferralAccepted)
		if err != nil {
			return err
		}
		if r.version != version {
			return &helhed.Error{Code: helhed.EConflict,
				Message: "Henvisningen er ændret af en anden, siden du åbnede den. Se den nye status, og prøv igen."}
		}
		if err := helhed.ValidateTransition(r.state, to, reason); err != nil {
			return err
		}
		if to == helhed.ReferralAccepted {
			to, err = seatOrWait(r, seats)
			if err != nil {
				return err
			}
		}
		final = to
		return transition(ctx, tx, who, r, to, reason, helhed.DanishToday(s.Now()))
	})
	return final, err
}

// seatOrWait decides, under the offer lock, whether accepting r gets a seat (accepteret) or a
// place on the waiting list (venteliste).
func seatOrWait(r lockedReferral, seats offerSeats) (helhed.ReferralState, error) {
	free := seats.capacity - seats.held
	if r.state == helhed.ReferralWaitlisted {
		if free <= 0 {
			return "", &helhed.Error{Code: helhed.EConflict,
				Message: "Der er ingen ledig plads på tilbuddet endnu. Henvisningen bliver på ventelisten."}
		}
		return helhed.ReferralAccepted, nil
	}
	if free-seats.waiting <= 0 {
		return helhed.ReferralWaitlisted, nil
	}
	return helhed.ReferralAccepted, nil
}

// transition writes the new state, the event, the linked plan effort's status and the audit
// row. A change made by the referring
// caseworker themself is not "news" to them (referrer_seen_at moves along).
func transition(ctx context.Context, tx pgx.Tx, who Who, r lockedReferral, to helhed.ReferralState, reason string, today time.Time) error {
	_, err := tx.Exec(ctx, `
		UPDATE referrals SET state = $2, reason = CASE WHEN $3 <> '' THEN $3 ELSE reason END,
		       state_changed_at = now(),
		       referrer_seen_at = CASE WHEN from_user_id = $4 THEN now() ELSE referrer_seen_at END,
		       version = version + 1
		WHERE id = $1`, r.id, to, reason, who.UserID)
	if err != nil {
		return fmt.Errorf("update referral: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO referral_events (referral_id, from_state, to_state, reason, by_user_id) VALUES ($1, $2, $3, $4, $5)`,
		r.id, r.state, to, reason, nullInt(who.UserID)); err != nil {
		return fmt.Errorf("insert referral event: %w", err)
	}
	if err := moveLinkedEfforts(ctx, tx, who, r, to, today); err != nil {
		return err
	}
	return audit(ctx, tx, who, r.citizenID, AuditReferralTransition,
		fmt.Sprintf("henvisning %d: %s → %s", r.id, r.state, to))
}

// ReferralDetail is a referral as its page shows it.
type ReferralDetail struct {
	Referral
	Events []ReferralEvent
	// ViewerConsent: a current consent lets the information this referral carries reach the
	// viewer's unit (the provider sees the note only then).
	ViewerConsent bool
}

// OpenReferral loads a referral of citizenID for its page and audits the read, in one
// transaction. Opening changes nothing about the referral: the provider marks it received
// with a transition of its own (TransitionReferral to modtaget), or answers it directly. The
// one thing written besides the audit row is the referring caseworker's own read marker
// (referrer_seen_at), so their badge stops counting a change they have now seen.
// viewerUnitID is the unit whose consent is checked for ViewerConsent.
func (s *Store) OpenReferral(ctx context.Context, who Who, citizenID, id, viewerUnitID int64) (ReferralDetail, error) {
	var d ReferralDetail
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var fromUserID int64
		err := tx.QueryRow(ctx, `SELECT from_user_id FROM referrals WHERE id = $1 AND citizen_id = $2`, id, citizenID).Scan(&fromUserID)
		if err != nil {
			return notFound(err, "Henvisningen")
		}
		if fromUserID == who.UserID {
			if _, err := tx.Exec(ctx, `UPDATE referrals SET referrer_seen_at = now() WHERE id = $1`, id); err != nil {
				return fmt.Errorf("mark referral seen: %w", err)
			}
		}
		rows, _ := tx.Query(ctx, referralSelect+` WHERE r.id = $1`, id)
		d.Referral, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Referral])
		if err != nil {
			return notFound(err, "Henvisningen")
		}
		rows, _ = tx.Query(ctx, `
			SELECT e.from_state, e.to_state, e.reason, u.name AS by_name, e.at
			FROM referral_events e LEFT JOIN users u ON u.id = e.by_user_id
			WHERE e.referral_id = $1 ORDER BY e.at, e.id`, id)
		d.Events, err = pgx.CollectRows(rows, pgx.RowToStructByName[ReferralEvent])
		if err != nil {
			return fmt.Errorf("referral events: %w", err)
		}
		if info := access.ConsentInformation(d.ToUnitKind); info != "" {
			if d.ViewerConsent, err = consentCovers(ctx, tx, citizenID, viewerUnitID, info, s.Now()); err != nil {
				return err
			}
		}
		return audit(ctx, tx, who, citizenID, AuditReferralView, fmt.Sprintf("henvisning %d", id))
	})
	return d, err
}

// ReferralFilter narrows a referral list. Zero values mean "any".
type ReferralFilter struct {
	ToUnitID   int64 // the provider unit's inbox
	FromUserID int64 // the referring caseworker's list
	CitizenID  int64 // the citizen page
	OfferID    int64 // the offer page
	States     []helhed.ReferralState
	// OldestFirst sorts by age, oldest first (the inbox default); otherwise the most recent
	// state change comes first.
	OldestFirst bool
}

// ListReferrals returns one page of referrals matching f, and the total. Every filter has an
// index behind it (see migrations/0004 and docs/queries.md). It does not audit: a handler that
// shows the list audits the read (AuditReferralList).
func (s *Store) ListReferrals(ctx context.Context, f ReferralFilter, pg Page) ([]Referral, int, error) {
	l, err := listReferrals(f, pg).run(ctx, s.pool)
	return l.Rows, l.Total, err
}

// ListReferrals queues Store.ListReferrals.
func (b *Batch) ListReferrals(f ReferralFilter, pg Page) *Result[Counted[Referral]] {
	return queue(b, listReferrals(f, pg))
}

// listReferrals is ListReferrals's read.
func listReferrals(f ReferralFilter, pg Page) query[Counted[Referral]] {
	q, args := listReferralsSQL(f, pg.normalize())
	return query[Counted[Referral]]{sql: q, args: args, read: func(rows pgx.Rows) (Counted[Referral], error) {
		type row struct {
			Referral
			Total int `db:"total"`
		}
		rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
		if err != nil {
			return Counted[Referral]{}, fmt.Errorf("list referrals: %w", err)
		}
		out := Counted[Referral]{Rows: make([]Referral, len(rs))}
		for i, r := range rs {
			out.Rows[i], out.Total = r.Referral, r.Total
		}
		return out, nil
	}}
}

// listReferralsSQL is ListReferrals's statement and arguments for a normalised page (its
// plan for the inbox is tested in TestInboxAndInvitationsAreIndexOnly).
func listReferralsSQL(f ReferralFilter, pg Page) (string, []any) {
	var w filters
	if f.ToUnitID != 0 {
		w.add("r.to_unit_id = $?", f.ToUnitID)
	}
	if f.FromUserID != 0 {
		w.add("r.from_user_id = $?", f.FromUserID)
	}
	if f.CitizenID != 0 {
		w.add("r.citizen_id = $?", f.CitizenID)
	}
	if f.OfferID != 0 {
		w.add("r.offer_id = $?", f.OfferID)
	}
	if len(f.States) > 0 {
		states := make([]string, len(f.States))
		for i, st := range f.States {
			states[i] = string(st)
		}
		w.codes("r.state", states...)
	}
	order := `r.state_changed_at DESC, r.id DESC`
	if f.OldestFirst {
		order = `r.created_at, r.id`
	}
	// The page is chosen on referrals alone (one index range, count included); the names are
	// looked up for that page's rows only, not for every matching referral. They are scalar
	// look-ups rather than joins: PostgreSQL planned the six-way join on every call (the
	// inbox's generic plan never won), at 5-9 ms a plan on this machine; three relations
	// plan in a fraction of that, and each name is the same primary-key probe as before.
	q := `WITH page AS (
			SELECT r.id, count(*) OVER () AS total FROM referrals r` + w.where() + `
			ORDER BY ` + order + ` LIMIT ` + w.arg(pg.PerPage) + ` OFFSET ` + w.arg(pg.offset()) + `)
		SELECT r.id, r.citizen_id, c.first_name || ' ' || c.last_name AS citizen_name, c.cpr AS citizen_cpr,
		       r.offer_id, (SELECT o.name FROM offers o WHERE o.id = r.offer_id) AS offer_name,
		       r.from_user_id, (SELECT u.name FROM users u WHERE u.id = r.from_user_id) AS from_user_name,
		       (SELECT n.name FROM units n WHERE n.id = r.from_unit_id) AS from_unit_name, r.to_unit_id,
		       (SELECT n.name FROM units n WHERE n.id = r.to_unit_id) AS to_unit_name,
		       (SELECT n.kind FROM units n WHERE n.id = r.to_unit_id) AS to_unit_kind,
		       r.state, r.note, r.reason, r.citizen_accepted, r.created_at, r.state_changed_at,
		       r.referrer_seen_at, r.version, p.total
		FROM page p JOIN referrals r ON r.id = p.id JOIN citizens c ON c.id = r.citizen_id
		ORDER BY ` + order
	return q, w.args
}

// MarkReferralsSeen records that the referring caseworker has seen the current state of ids
// (their list showed them), so the badge stops counting them. Only the user's own referrals
// are touched.
func (s *Store) MarkReferralsSeen(ctx context.Context, userID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.pool.Exec(ctx, `
		UPDATE referrals SET referrer_seen_at = now()
		WHERE from_user_id = $1 AND id = ANY($2) AND state_changed_at > referrer_seen_at`, userID, ids)
	if err != nil {
		return fmt.Errorf("mark referrals seen: %w", err)
	}
	return nil
}

// referralCountsSQL counts a unit's ($1) referrals in the open states, per state (the
// states in the text, for the generic plan: filters.codes).
var referralCountsSQL = `SELECT state, count(*) FROM referrals WHERE to_unit_id = $1 AND state IN (` + codeList(openStates) + `) GROUP BY state`

// ReferralCounts counts the referrals to a unit per state, for the inbox's tabs. Terminal
// states are not counted (they have left the inbox).
func (s *Store) ReferralCounts(ctx context.Context, toUnitID int64) (map[helhed.ReferralState]int, error) {
	rows, _ := s.pool.Query(ctx, referralCountsSQL, toUnitID)
	out := map[helhed.ReferralState]int{}
	var st string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&st, &n}, func() error {
		out[helhed.ReferralState(st)] = n
		return nil
	}); err != nil {
		return nil, fmt.Errorf("referral counts: %w", err)
	}
	return out, nil
}

// ReferralBadge returns the counts the navigation shows: new referrals in the unit's inbox
// (state sendt: neither marked received nor answered yet) when inbox is set, and the user's own referrals whose state
// changed since they last looked when own is set. One statement; each count is an index scan
// (referrals_inbox_idx, referrals_unseen_idx).
func (s *Store) ReferralBadge(ctx context.Context, userID, unitID int64, inbox, own bool) (newInInbox, unseen int, err error) {
	err = s.pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM referrals WHERE $3 AND to_unit_id = $2 AND state = $5),
		       (SELECT count(*) FROM referrals WHERE $4 AND from_user_id = $1 AND state_changed_at > referrer_seen_at)`,
		userID, unitID, inbox, own, helhed.ReferralSent).Scan(&newInInbox, &unseen)
	if err != nil {
		return 0, 0, fmt.Errorf("referral badge: %w", err)
	}
	return newInInbox, unseen, nil
}

// ReferralUnit returns the unit referral id was sent to, for the access check before the
// referral is opened. A referral that is not citizenID's is not found.
func (s *Store) ReferralUnit(ctx context.Context, citizenID, id int64) (int64, error) {
	var unit int64
	err := s.pool.QueryRow(ctx, `SELECT to_unit_id FROM referrals WHERE id = $1 AND citizen_id = $2`, id, citizenID).Scan(&unit)
	if err != nil {
		return 0, notFound(err, "Henvisningen")
	}
	return unit, nil
}
