package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
)

// Citizen is a borger with the names of the unit and caseworker resolved.
type Citizen struct {
	ID             int64      `db:"id"`
	CPR            helhed.CPR `db:"cpr"`
	FirstName      string     `db:"first_name"`
	LastName       string     `db:"last_name"`
	Address        string     `db:"address"`
	PostalCode     string     `db:"postal_code"`
	City           string     `db:"city"`
	Phone          string     `db:"phone"`
	Email          string     `db:"email"`
	UnitID         int64      `db:"unit_id"`
	UnitName       string     `db:"unit_name"`
	CaseworkerID   *int64     `db:"caseworker_id"`
	CaseworkerName *string    `db:"caseworker_name"`
	VisitationCode *string    `db:"visitation_code"`
	RiskGroup      *string    `db:"risk_group"`
	CreatedAt      time.Time  `db:"created_at"`
	UpdatedAt      time.Time  `db:"updated_at"`
	Version        int        `db:"version"`
	// ClosedAt is set while the case is closed; the retention period runs from the end of
	// its year (store/retention.go).
	ClosedAt        *time.Time `db:"closed_at"`
	ClosedReason    string     `db:"closed_reason"`
	ClosedByName    *string    `db:"closed_by_name"`
	LegalHoldAt     *time.Time `db:"legal_hold_at"`
	LegalHoldReason string     `db:"legal_hold_reason"`
	LegalHoldByName *string    `db:"legal_hold_by_name"`
}

// Name is the citizen's full name.
func (c Citizen) Name() string { return c.FirstName + " " + c.LastName }

// CitizenInput is what a caseworker types to create or edit a citizen. The unit is not part of
// it: the handler sets it from the user, never from the form (no mass assignment).
type CitizenInput struct {
	CPR            helhed.CPR
	FirstName      string
	LastName       string
	Address        string
	PostalCode     string
	City           string
	Phone          string
	Email          string
	CaseworkerID   int64 // 0 = none
	VisitationCode string
}

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func nullString(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// DefaultCPRCheckLimit is how many citizens a user may create or try to create within
// CPRCheckWindow unless Store.CPRCheckLimit says otherwise: each attempt tells whether the CPR
// number is registered in any unit.
const (
	DefaultCPRCheckLimit = 20
	CPRCheckWindow       = 10 * time.Minute
)

// ErrCPRCheckLimit is in the error CreateCitizen returns when the user has reached
// CPRCheckLimit (errors.Is).
var ErrCPRCheckLimit = errors.New("store: too many CPR checks")

// cprCheckLock is the base of the per-user advisory lock that makes a user's attempts count
// one after the other ("cprcheck" + the user's id).
const cprCheckLock = 0x6370_7263_0000_0000

// CreateCitizen inserts a citizen in unitID and audits it. A CPR already registered, in any
// unit, is a field error on "cpr"; the attempt is audited with the registered citizen's id
// (not the number), since it told the user that the citizen exists. A user's attempts, both
// kinds, count against CPRCheckLimit in CPRCheckWindow, from the audit log (index
// audit_events_user_idx), so the limit (s.CPRCheckLimit) holds across app instances; over
// it, the attempt is refused (ErrCPRCheckLimit) without looking the number up, and audited.
func (s *Store) CreateCitizen(ctx context.Context, who Who, unitID int64, in CitizenInput) (int64, error) {
	var id, registered int64
	limited := false
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if who.UserID != 0 {
			var n int
			err := tx.QueryRow(ctx, `SELECT pg_advisory_xact_lock($1)`, cprCheckLock+who.UserID).Scan(nil)
			if err == nil {
				err = tx.QueryRow(ctx, `
					SELECT count(*) FROM audit_events
					WHERE user_id = $1 AND at > now() - make_interval(secs => $2) AND action = ANY($3)`,
					who.UserID, CPRCheckWindow.Seconds(), []string{AuditCitizenCreate, AuditCPRCheck}).Scan(&n)
			}
			if err != nil {
				return fmt.Errorf("count CPR checks: %w", err)
			}
			if n >= s.CPRCheckLimit {
				limited = true
				return audit(ctx, tx, who, 0, AuditCPRCheckLimit, "oprettelse afvist: for mange CPR-opslag")
			}
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO citizens (cpr, first_name, last_name, address, postal_code, city, phone, email,
			                      unit_id, caseworker_id, visitation_code)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (cpr) DO NOTHING RETURNING id`,
			string(in.CPR), in.FirstName, in.LastName, in.Address, in.PostalCode, in.City, in.Phone, in.Email,
			unitID, nullInt(in.CaseworkerID), nullString(in.VisitationCode)).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			if err := tx.QueryRow(ctx, `SELECT id FROM citizens WHERE cpr = $1`, string(in.CPR)).Scan(&registered); err != nil {
				return fmt.Errorf("registered citizen: %w", err)
			}
			return audit(ctx, tx, who, registered, AuditCPRCheck, "oprettelse afvist: CPR-nummeret er registreret")
		}
		if err != nil {
			return fmt.Errorf("insert citizen: %w", err)
		}
		return audit(ctx, tx, who, id, AuditCitizenCreate, "borger oprettet")
	})
	switch {
	case err != nil:
		return 0, err
	case limited:
		return 0, &helhed.Error{Code: helhed.EInvalid, Message: "For mange oprettelser på kort tid", Err: ErrCPRCheckLimit,
			Fields: map[string]string{"cpr": fmt.Sprintf("Du har oprettet eller forsøgt at oprette %d borgere inden for %d minutter. "+
				"Vent lidt, og prøv igen. Forsøget er registreret.", s.CPRCheckLimit, int(CPRCheckWindow.Minutes()))}}
	case registered != 0:
		return 0, &helhed.Error{Code: helhed.EInvalid, Message: "CPR-nummeret er allerede registreret",
			Fields: map[string]string{"cpr": "Der findes allerede en borger med dette CPR-nummer"}}
	}
	return id, nil
}

// UpdateCitizen saves an edit made on version; if someone saved in between it returns a
// conflict error and changes nothing. The CPR number is not editable.
func (s *Store) UpdateCitizen(ctx context.Context, who Who, id int64, version int, in CitizenInput) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE citizens SET first_name = $3, last_name = $4, address = $5, postal_code = $6, city = $7,
			       phone = $8, email = $9, caseworker_id = $10, visitation_code = $11,
			       updated_at = now(), version = version + 1
			WHERE id = $1 AND version = $2`,
			id, version, in.FirstName, in.LastName, in.Address, in.PostalCode, in.City, in.Phone, in.Email,
			nullInt(in.CaseworkerID), nullString(in.VisitationCode))
		if err != nil {
			return fmt.Errorf("update citizen: %w", err)
		}
		if tag.RowsAffected() == 0 {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM citizens WHERE id = $1)`, id).Scan(&exists); err != nil {
				return fmt.Errorf("update citizen: %w", err)
			}
			if !exists {
				return helhed.ErrNotFound
			}
			return &helhed.Error{Code: helhed.EConflict,
				Message: "Borgeren er ændret af en anden, siden du åbnede siden. Dine ændringer er ikke gemt."}
		}
		return audit(ctx, tx, who, id, AuditCitizenUpdate, "stamoplysninger ændret")
	})
}

const citizenSelect = `
	SELECT c.id, c.cpr, c.first_name, c.last_name, c.address, c.postal_code, c.city, c.phone, c.email,
	       c.unit_id, n.name AS unit_name, c.caseworker_id, w.name AS caseworker_name, c.visitation_code,
	       c.risk_group, c.created_at, c.updated_at, c.version,
	       c.closed_at, c.closed_reason, cb.name AS closed_by_name, c.legal_hold_at, c.legal_hold_reason, hb.name AS legal_hold_by_name
	FROM citizens c JOIN units n ON n.id = c.unit_id LEFT JOIN users w ON w.id = c.caseworker_id
	LEFT JOIN users cb ON cb.id = c.closed_by LEFT JOIN users hb ON hb.id = c.legal_hold_by`

// CitizenByID loads one citizen without auditing; callers that show it to a user use
// ViewCitizen, which audits the read.
func (s *Store) CitizenByID(ctx context.Context, id int64) (Citizen, error) {
	return citizenByID(id).run(ctx, s.pool)
}

// CitizenByID queues Store.CitizenByID; a citizen that does not exist fails the batch.
func (b *Batch) CitizenByID(id int64) *Result[Citizen] {
	return queue(b, citizenByID(id))
}

// citizenByID is CitizenByID's read.
func citizenByID(id int64) query[Citizen] {
	return query[Citizen]{sql: citizenSelect + ` WHERE c.id = $1`, args: []any{id}, read: func(rows pgx.Rows) (Citizen, error) {
		c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Citizen])
		if err != nil {
			return Citizen{}, notFound(err, "Borgeren")
		}
		return c, nil
	}}
}

// Relation computes how user u is connected to citizen id, for the access policy, in one
// query. A missing citizen is ErrNotFound. It runs on every citizen page, so it has its own
// statement with "c.id = $1": PostgreSQL reuses that plan, where the array form of Relations
// (estimated at ten rows) would be planned afresh every time.
func (s *Store) Relation(ctx context.Context, u access.User, citizenID int64) (access.Relation, error) {
	rels, err := s.relations(ctx, relationSQL+`c.id = $1`, citizenID, u)
	if err != nil {
		return access.Relation{}, err
	}
	rel, ok := rels[citizenID]
	if !ok {
		return access.Relation{}, notFound(pgx.ErrNoRows, "Borgeren")
	}
	return rel, nil
}

// Relations computes u's relation to each of the citizens in one query (a meeting's agenda
// asks for all its cases at once). Citizens that do not exist are absent from the map.
func (s *Store) Relations(ctx context.Context, u access.User, citizenIDs []int64) (map[int64]access.Relation, error) {
	return s.relations(ctx, relationSQL+`c.id = ANY($1)`, citizenIDs, u)
}

// relationSQL selects the relation of the user ($2: unit, $7: id) to citizens (the WHERE
// condition on c follows, with $1). HealthConsent and SocialConsent: a current consent on
// health information ($3) or social circumstances ($5) naming u's unit.
// ReferralToUnit: a referral to u's unit that is still running, or ended less than
// ReferralAccessDays ago (referrals_citizen_idx). OnAgenda: agendaAccessSQL. AdviceRequested:
// a request for sundhedsfaglig rådgivning to u's unit that is open, or was answered less than
// ReferralAccessDays ago, the same window (health_advice_citizen_idx). TFAUnitKind:
// tfaAccessSQL. It is on every citizen page: the open referral states are written into it
// (filters.codes), so PostgreSQL can keep one generic plan; as an array parameter they made
// it plan the statement afresh on every request.
var relationSQL = `
	SELECT c.id, c.unit_id, c.caseworker_id,
	       EXISTS (SELECT 1 FROM consents WHERE citizen_id = c.id AND recipient_unit_id = $2
	               AND information = $3 AND ` + currentConsentSQL + `) AS health_consent,
	       EXISTS (SELECT 1 FROM consents WHERE citizen_id = c.id AND recipient_unit_id = $2
	               AND information = $5 AND ` + currentConsentSQL + `) AS social_consent,
	       EXISTS (SELECT 1 FROM referrals r WHERE r.citizen_id = c.id AND r.to_unit_id = $2
	               AND (r.state IN (` + codeList(openStates) + `) OR r.state_changed_at > now() - make_interval(days => $6))) AS referral_to_unit,
	       ` + agendaAccessSQL + ` AS on_agenda,
	       EXISTS (SELECT 1 FROM health_advice ha WHERE ha.citizen_id = c.id AND ha.unit_id = $2
	               AND (ha.given_at IS NULL OR ha.given_at > now() - make_interval(days => $6))) AS advice_requested,
	       ` + tfaAccessSQL + ` AS tfa_unit_kind
	FROM citizens c WHERE `

func (s *Store) relations(ctx context.Context, q string, ids any, u access.User) (map[int64]access.Relation, error) {
	rows, _ := s.pool.Query(ctx, q, ids, u.UnitID, ConsentHealth, consentDay(s.Now()), ConsentSocial, ReferralAccessDays, u.ID, s.Now())
	out := map[int64]access.Relation{}
	var (
		id         int64
		rel        access.Relation
		caseworker *int64
	)
	_, err := pgx.ForEachRow(rows, []any{&id, &rel.CitizenUnitID, &caseworker, &rel.HealthConsent, &rel.SocialConsent, &rel.ReferralToUnit, &rel.OnAgenda, &rel.AdviceRequested, &rel.TFAUnitKind}, func() error {
		r := rel
		r.CaseworkerID = 0
		if caseworker != nil {
			r.CaseworkerID = *caseworker
		}
		out[id] = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("relations: %w", err)
	}
	return out, nil
}

// BenefitPeriod is one ydelsesforløb.
type BenefitPeriod struct {
	ID          int64      `db:"id"`
	CitizenID   int64      `db:"citizen_id"`
	BenefitCode string     `db:"benefit_code"`
	StartDate   time.Time  `db:"start_date"`
	EndDate     *time.Time `db:"end_date"`
	ExitCode    *string    `db:"exit_code"`
	// RuleReason is the caseworker's reason for recording the period although a benefit rule
	// warned about it ("" when none did): case data, kept with the period.
	RuleReason string `db:"rule_reason"`
	// EndRunningExit, when set on a new period, ends the citizen's running periods that began
	// before it on the day before it starts, with this exit reason: the new benefit replaces
	// the running one in one step (not a column).
	EndRunningExit string `db:"-"`
}

// Current reports whether the period is running on day.
func (b BenefitPeriod) Current(day time.Time) bool {
	d := day.Format(time.DateOnly)
	return b.StartDate.Format(time.DateOnly) <= d && (b.EndDate == nil || d <= b.EndDate.Format(time.DateOnly))
}

// BenefitPeriods lists a citizen's benefit periods, newest first.
func (s *Store) BenefitPeriods(ctx context.Context, citizenID int64) ([]BenefitPeriod, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT id, citizen_id, benefit_code, start_date, end_date, exit_code, rule_reason
		FROM benefit_periods WHERE citizen_id = $1 ORDER BY start_date DESC, id DESC`, citizenID)
	bs, err := pgx.CollectRows(rows, pgx.RowToStructByName[BenefitPeriod])
	if err != nil {
		return nil, fmt.Errorf("benefit periods: %w", err)
	}
	return bs, nil
}

// BenefitFieldType is the benefit period form's field for the benefit type; a benefit the law
// does not allow on the start date is refused with its message there.
const BenefitFieldType = "benefit"

// AddBenefitPeriod records a benefit period for a citizen and audits it. The benefit type must
// be in force on the start date by its dates in the reference data (the law's, with their
// source): a new uddannelseshjælp period from 1 July 2025 is refused, naming the law that
// abolished it, while one that started in 2024 is history and accepted. Periods already
// recorded keep their benefit whatever the law does later. Then the benefit rules in force on
// the start date (helhed.BenefitLaw, dated data of migration 0024) check it against the
// citizen's history and age: a refusal is an EInvalid error with the reason beside its field;
// a warning needs b.RuleReason, which is stored with the period and the warned rules audited.
func (s *Store) AddBenefitPeriod(ctx context.Context, who Who, b BenefitPeriod) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := benefitInForce(ctx, tx, b.BenefitCode, b.StartDate); err != nil {
			return err
		}
		if err := endRunning(ctx, tx, who, b); err != nil {
			return err
		}
		warned, err := checkBenefitRules(ctx, tx, b)
		if err != nil {
			return err
		}
		reason := ""
		if len(warned) > 0 {
			reason = strings.TrimSpace(b.RuleReason)
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO benefit_periods (citizen_id, benefit_code, start_date, end_date, exit_code, rule_reason)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			b.CitizenID, b.BenefitCode, b.StartDate, b.EndDate, b.ExitCode, reason).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert benefit period: %w", err)
		}
		detail := "ydelsesforløb tilføjet: " + b.BenefitCode + " fra " + dateText(b.StartDate)
		if len(warned) > 0 {
			detail += "; advarsel bekræftet med begrundelse: " + strings.Join(warned, ", ")
		}
		return audit(ctx, tx, who, b.CitizenID, AuditCitizenUpdate, detail)
	})
	return id, err
}

// benefitInForce refuses a benefit type that is unknown or not in force on start, with the
// law's reason beside the form's benefit field.
func benefitInForce(ctx context.Context, tx pgx.Tx, code string, start time.Time) error {
	rows, _ := tx.Query(ctx, `SELECT `+refValueColumns+` FROM ref_values WHERE kind = 'benefit_type' AND code = $1`, code)
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[RefValue])
	if errors.Is(err, pgx.ErrNoRows) {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Ydelsesforløbet kan ikke gemmes",
			Fields: map[string]string{BenefitFieldType: "Vælg en ydelse fra listen"}}
	}
	if err != nil {
		return fmt.Errorf("benefit type %s: %w", code, err)
	}
	if why := BenefitOutOfForce(v, start); why != "" {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Ydelsesforløbet kan ikke gemmes",
			Fields: map[string]string{BenefitFieldType: why}}
	}
	return nil
}

// BenefitOutOfForce is the message beside the benefit field when benefit type v is not in
// force on a period's start date, or "". The form shows it at once, with the other fields'
// problems; AddBenefitPeriod refuses the period with it whatever sent it.
func BenefitOutOfForce(v RefValue, start time.Time) string {
	if why := v.OutOfForce(start); why != "" {
		return why + " Vælg en ydelse, der gælder på startdatoen."
	}
	return ""
}

// CitizenOverview is what the citizen page shows.
type CitizenOverview struct {
	Citizen    Citizen
	Benefits   []BenefitPeriod
	Screenings []Screening // newest first
	Consents   []Consent
	// SelfReports are the citizen's own WHO-5 answers (the citizen area), oldest first.
	SelfReports []WHO5SelfReport
}

// ViewCitizen loads the overview of a citizen and writes the audit row for the read, in one
// transaction and one round trip (a pgx batch outside a transaction block runs as one
// implicit transaction, committed as the batch ends): a page view that could not be audited
// is not shown.
func (s *Store) ViewCitizen(ctx context.Context, who Who, id int64) (CitizenOverview, error) {
	var ov CitizenOverview
	err := func() error {
		b := &pgx.Batch{}
		b.Queue(citizenSelect+` WHERE c.id = $1`, id).Query(func(rows pgx.Rows) error {
			c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Citizen])
			ov.Citizen = c
			return notFoundOrNil(err, "Borgeren")
		})
		b.Queue(`SELECT id, citizen_id, benefit_code, start_date, end_date, exit_code, rule_reason
			FROM benefit_periods WHERE citizen_id = $1 ORDER BY start_date DESC, id DESC`, id).Query(func(rows pgx.Rows) error {
			var err error
			ov.Benefits, err = pgx.CollectRows(rows, pgx.RowToStructByName[BenefitPeriod])
			return err
		})
		b.Queue(screeningSelect+` WHERE s.citizen_id = $1 ORDER BY s.screened_on DESC, s.id DESC`, id).Query(func(rows pgx.Rows) error {
			var err error
			ov.Screenings, err = pgx.CollectRows(rows, pgx.RowToStructByName[Screening])
			return err
		})
		b.Queue(consentSelect+` WHERE c.citizen_id = $1 ORDER BY c.given_on DESC, c.id DESC`, id).Query(func(rows pgx.Rows) error {
			var err error
			ov.Consents, err = pgx.CollectRows(rows, pgx.RowToStructByName[Consent])
			return err
		})
		b.Queue(who5SelfReportSelect, id).Query(func(rows pgx.Rows) error {
			var err error
			ov.SelfReports, err = pgx.CollectRows(rows, pgx.RowToStructByName[WHO5SelfReport])
			return err
		})
		// A citizen that does not exist was not viewed.
		b.Queue(`INSERT INTO audit_events (user_id, citizen_id, action, detail, request_id)
			SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM citizens WHERE id = $2)`,
			nullInt(who.UserID), id, AuditCitizenView, "borgeroverblik", who.RequestID)
		if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
			if helhed.ErrorCode(err) == helhed.ENotFound {
				return err
			}
			return fmt.Errorf("citizen overview: %w", err)
		}
		return nil
	}()
	return ov, err
}

// notFoundOrNil is notFound for a nil-safe error.
func notFoundOrNil(err error, what string) error {
	if err == nil {
		return nil
	}
	return notFound(err, what)
}

// RevealCPR returns the full CPR number and audits that it was shown on purpose.
func (s *Store) RevealCPR(ctx context.Context, who Who, id int64) (helhed.CPR, error) {
	var cpr string
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT cpr FROM citizens WHERE id = $1`, id).Scan(&cpr); err != nil {
			return notFound(err, "Borgeren")
		}
		return audit(ctx, tx, who, id, AuditCPRReveal, "fuldt CPR-nummer vist")
	})
	return helhed.CPR(cpr), err
}

// CitizenFilter narrows the caseload list. Zero values mean "any".
type CitizenFilter struct {
	CaseworkerID int64  // "Mine borgere"
	UnitID       int64  // the unit-wide list
	Name         string // substring of the full name (trigram index)
	CPR          helhed.CPR
	Visitation   string
	RiskGroup    string // "hoej", "mellem", "lav", "ingen", or "uden" for never screened
	Sort         string // "name" (default), "newest", "benefit"
	// OverdueOn, when set, keeps only citizens whose plan follow-up was due before that day.
	OverdueOn time.Time
	// NoCaseworker keeps only citizens without a coordinating caseworker.
	NoCaseworker bool
}

// CaseloadRow is one line of a caseload list.
type CaseloadRow struct {
	ID             int64      `db:"id"`
	CPR            helhed.CPR `db:"cpr"`
	FirstName      string     `db:"first_name"`
	LastName       string     `db:"last_name"`
	VisitationCode *string    `db:"visitation_code"`
	RiskGroup      *string    `db:"risk_group"`
	CaseworkerName *string    `db:"caseworker_name"`
	BenefitCode    *string    `db:"benefit_code"`
	BenefitSince   *time.Time `db:"benefit_since"`
	NextFollowUp   *time.Time `db:"next_follow_up"`
	// HearingOverdue: a partshøring's deadline has passed without a recorded reply.
	HearingOverdue bool `db:"hearing_overdue"`
	// AwaitingDecision: the team has given an indstilling (on an agenda, since the setting
	// decision_tasks_from) and the municipality has not decided.
	AwaitingDecision bool `db:"awaiting_decision"`
}

// decisionTasksFromSQL is the instant from which an indstilling without a decision is a task:
// the Danish midnight of the setting decision_tasks_from in force on the day $today names.
func decisionTasksFromSQL(today string) string {
	return `coalesce((SELECT (value #>> '{}')::date FROM settings WHERE key = 'decision_tasks_from' AND valid_from <= ` + today + `
	                  ORDER BY valid_from DESC LIMIT 1), '-infinity'::date)::timestamp AT TIME ZONE 'Europe/Copenhagen'`
}

// decisionTaskJoins joins the caseload's two tasks to the citizen whose id is the column id,
// on the day today names: ho.due, an open partshøring past its deadline on a case still on its
// agenda; ad.due, an indstilling without a decision. Each is a LATERAL look-up with LIMIT 1,
// so PostgreSQL probes the indexes (hearings_citizen_idx, meeting_cases_citizen_idx,
// decisions_meeting_case_idx) for the rows it is joined to only, and cannot instead hash every
// open partshøring and undecided case of the municipality (docs/queries.md).
func decisionTaskJoins(id, today string) string {
	return `
		LEFT JOIN LATERAL (
			SELECT true AS due FROM hearings h JOIN meeting_cases hm ON hm.id = h.meeting_case_id
			WHERE h.citizen_id = ` + id + ` AND h.result IS NULL AND h.deadline < ` + today + ` AND hm.withdrawn_at IS NULL
			LIMIT 1) ho ON true
		LEFT JOIN LATERAL (
			SELECT true AS due FROM meeting_cases mc
			WHERE mc.citizen_id = ` + id + ` AND mc.outcome IS NOT NULL AND mc.withdrawn_at IS NULL
			  AND mc.recorded_at >= ` + decisionTasksFromSQL(today) + `
			  AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.meeting_case_id = mc.id)
			LIMIT 1) ad ON true`
}

// ListCitizens returns one page of citizens matching f and the total count, in one statement
// (docs/queries.md, "the caseload"): the page is cut from citizens alone — in name order
// straight from citizens_caseworker_idx or citizens_unit_idx — and only its rows get their
// caseworker, current benefit (benefit_periods_current_idx) and the two decision tasks;
// the count is an index-only count in the same statement. Sorted by benefit, the current
// benefit is needed to cut the page, so it is joined first. No per-row queries.
func (s *Store) ListCitizens(ctx context.Context, f CitizenFilter, pg Page) ([]CaseloadRow, int, error) {
	q, args := listCitizensSQL(f, pg.normalize(), helhed.DanishToday(s.Now()))
	rows, _ := s.pool.Query(ctx, q, args...)
	rs, total, err := collectCaseloadRows(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("list citizens: %w", err)
	}
	if len(rs) == 0 {
		// A page past the end has no row to carry the count.
		w := citizenFilters(f)
		if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM citizens c `+w.where(), w.args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count citizens: %w", err)
		}
		return nil, total, nil
	}
	return rs, total, nil
}

// collectCaseloadRows reads caseload rows that each carry their statement's count as
// total, and the count.
func collectCaseloadRows(rows pgx.Rows) ([]CaseloadRow, int, error) {
	type row struct {
		CaseloadRow
		Total int `db:"total"`
	}
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
	if err != nil {
		return nil, 0, err
	}
	out := make([]CaseloadRow, len(rs))
	total := 0
	for i, r := range rs {
		out[i], total = r.CaseloadRow, r.Total
	}
	return out, total, nil
}

// citizenFilters is the WHERE clause of f over citizens c. The name is matched as a
// substring of search_name, lower(first_name || ' ' || last_name), stored (migration 0053):
// carried in citizens_unit_idx and indexed by citizens_unit_name_trgm_idx.
func citizenFilters(f CitizenFilter) filters {
	var w filters
	if f.CaseworkerID != 0 {
		w.add("c.caseworker_id = $?", f.CaseworkerID)
	}
	if f.UnitID != 0 {
		w.add("c.unit_id = $?", f.UnitID)
	}
	if name := strings.ToLower(strings.TrimSpace(f.Name)); name != "" {
		name = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(name)
		w.add("c.search_name LIKE '%' || $? || '%'", name)
	}
	if f.CPR != "" {
		w.add("c.cpr = $?", string(f.CPR))
	}
	if f.Visitation != "" {
		w.add("c.visitation_code = $?", f.Visitation)
	}
	switch f.RiskGroup {
	case "":
	case "uden":
		w.add("c.risk_group IS NULL")
	default:
		w.add("c.risk_group = $?", f.RiskGroup)
	}
	if !f.OverdueOn.IsZero() {
		w.add("c.next_follow_up < $?", f.OverdueOn)
	}
	if f.NoCaseworker {
		w.add("c.caseworker_id IS NULL")
	}
	return w
}

// currentBenefitJoin joins the citizen id's current benefit period (the open one that
// started last) as b.benefit_code and b.start_date: an index-only probe of
// benefit_periods_current_idx (migration 0052).
func currentBenefitJoin(id string) string {
	return `
		LEFT JOIN LATERAL (
			SELECT bp.benefit_code, bp.start_date FROM benefit_periods bp
			WHERE bp.citizen_id = ` + id + ` AND bp.end_date IS NULL
			ORDER BY bp.start_date DESC LIMIT 1) b ON true`
}

// listCitizensSQL is ListCitizens's statement and arguments for a normalised page (its plan
// is tested in TestCaseloadPageIsCutFirst).
func listCitizensSQL(f CitizenFilter, pg Page, today any) (string, []any) {
	w := citizenFilters(f)
	where := w.where()
	// order sorts the citizens; pageOrder sorts the page's rows again, after the task
	// columns are joined to them.
	order, pageOrder := `c.last_name, c.first_name, c.id`, `p.last_name, p.first_name, p.id`
	switch f.Sort {
	case "newest":
		order, pageOrder = `c.created_at DESC, c.id DESC`, `p.created_at DESC, p.id DESC`
	case "benefit":
		order, pageOrder = `b.start_date NULLS LAST, c.last_name, c.id`, `p.benefit_since NULLS LAST, p.last_name, p.id`
	}
	cols := `c.id, c.cpr, c.first_name, c.last_name, c.visitation_code, c.risk_group, c.caseworker_id,
		       c.next_follow_up, c.created_at`
	// The page is cut first, from citizens alone unless the order needs the benefit; the
	// rest is looked up for its rows only.
	var page, benefit string
	if f.Sort == "benefit" {
		page = `SELECT ` + cols + `, b.benefit_code, b.start_date AS benefit_since FROM citizens c` + currentBenefitJoin("c.id") + where
		benefit = `p.benefit_code, p.benefit_since`
	} else {
		page = `SELECT ` + cols + ` FROM citizens c ` + where
		benefit = `b.benefit_code, b.start_date AS benefit_since`
	}
	page += ` ORDER BY ` + order + ` LIMIT ` + w.arg(pg.PerPage) + ` OFFSET ` + w.arg(pg.offset())
	todayArg := w.arg(today)
	q := `
		SELECT p.id, p.cpr, p.first_name, p.last_name, p.visitation_code, p.risk_group, cw.name AS caseworker_name,
		       ` + benefit + `, p.next_follow_up,
		       ho.due IS NOT NULL AS hearing_overdue, ad.due IS NOT NULL AS awaiting_decision,
		       (SELECT count(*) FROM citizens c ` + where + `) AS total
		FROM (` + page + `) p
		LEFT JOIN users cw ON cw.id = p.caseworker_id`
	if f.Sort != "benefit" {
		q += currentBenefitJoin("p.id")
	}
	q += decisionTaskJoins("p.id", todayArg+`::date`) + `
		ORDER BY ` + pageOrder
	return q, w.args
}
