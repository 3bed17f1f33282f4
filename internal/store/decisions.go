package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// The municipality's afgørelse in a case the rehabiliteringsteam has given an indstilling on,
// and the partshøringer before it (migration 0021, docs/law.md). Both belong to the case on
// the agenda (meeting_cases) and go with the citizen's case at retention.

// Audit actions of decisions and partshøringer.
const (
	AuditHearingStart  = "hearing.start"
	AuditHearingResult = "hearing.result"
	AuditDecision      = "decision.record"
)

// Settings of decisions, dated like every setting (docs/law.md says where each comes from).
const (
	// SettingHearingDeadlineDays is the municipality's default deadline of a partshøring, in
	// days (14).
	SettingHearingDeadlineDays = "hearing_deadline_days"
	defaultHearingDeadlineDays = 14
	// SettingRevurderingRequired: a decision departing from the indstilling needs the day the
	// case was put before the team again (true).
	SettingRevurderingRequired = "decision_revurdering_required"
	// SettingDecisionTasksFrom: an indstilling recorded from this day without a decision is a
	// task for the caseworker (the day migration 0021 ran).
	SettingDecisionTasksFrom = "decision_tasks_from"
	// SettingComplaintGuidance is the klagevejledning of a decision.
	SettingComplaintGuidance = "complaint_guidance"
)

// HearingDeadlineDays returns the default deadline of a partshøring sent on day.
func (s *Store) HearingDeadlineDays(ctx context.Context, day time.Time) (int, error) {
	n := defaultHearingDeadlineDays
	ok, err := s.setting(ctx, SettingHearingDeadlineDays, day, &n)
	if err != nil {
		return 0, err
	}
	if !ok || n < 1 || n > helhed.MaxHearingDeadlineDays {
		return defaultHearingDeadlineDays, nil
	}
	return n, nil
}

// RevurderingRequired reports whether a decision made on day that departs from the
// indstilling needs the day of the team's revurdering (true when no setting is in force).
func (s *Store) RevurderingRequired(ctx context.Context, day time.Time) (bool, error) {
	required := true
	if _, err := s.setting(ctx, SettingRevurderingRequired, day, &required); err != nil {
		return false, err
	}
	return required, nil
}

// ComplaintGuidance is the klagevejledning of a decision (forvaltningsloven § 25): where and
// within how long the citizen complains.
type ComplaintGuidance struct {
	Body      string `json:"body"`       // the complaint body: Ankestyrelsen
	Weeks     int    `json:"weeks"`      // from the citizen's receipt of the decision
	LodgeWith string `json:"lodge_with"` // where the complaint is sent first: kommunen, which reconsiders it
	Source    string `json:"source"`     // the rules, in Danish
}

// ComplaintGuidanceOn returns the klagevejledning in force on day. A missing row is an
// error: the guidance is law, and the administrator must see that it is gone.
func (s *Store) ComplaintGuidanceOn(ctx context.Context, day time.Time) (ComplaintGuidance, error) {
	var g ComplaintGuidance
	ok, err := s.setting(ctx, SettingComplaintGuidance, day, &g)
	if err != nil {
		return g, err
	}
	if !ok || g.Body == "" || g.Weeks < 1 {
		return g, fmt.Errorf("setting %s: no valid value in force on %s", SettingComplaintGuidance, day.Format(time.DateOnly))
	}
	return g, nil
}

// Hearing is one partshøring of a case.
type Hearing struct {
	ID              int64      `db:"id"`
	MeetingCaseID   int64      `db:"meeting_case_id"`
	CitizenID       int64      `db:"citizen_id"`
	Subject         string     `db:"subject"`
	SentOn          time.Time  `db:"sent_on"`
	Deadline        time.Time  `db:"deadline"`
	Result          *string    `db:"result"`
	ResponseOn      *time.Time `db:"response_on"`
	ResponseSummary string     `db:"response_summary"`
	StartedByName   string     `db:"started_by_name"`
	CreatedAt       time.Time  `db:"created_at"`
	ResultByName    *string    `db:"result_by_name"`
	ResultAt        *time.Time `db:"result_at"`
	Version         int        `db:"version"`
}

// Status is the partshøring's status on today.
func (h Hearing) Status(today time.Time) helhed.HearingStatus {
	r := ""
	if h.Result != nil {
		r = *h.Result
	}
	return helhed.HearingStatusOf(r, h.Deadline, today)
}

// Decision is one afgørelse of a case; SupersededAt is set when a later one replaced it.
type Decision struct {
	ID                   int64      `db:"id"`
	MeetingCaseID        int64      `db:"meeting_case_id"`
	CitizenID            int64      `db:"citizen_id"`
	Outcome              string     `db:"outcome"`
	IndstillingOutcome   string     `db:"indstilling_outcome"`
	FollowsIndstilling   bool       `db:"follows_indstilling"`
	Reasons              string     `db:"reasons"`
	DepartureReasons     string     `db:"departure_reasons"`
	RevurderingOn        *time.Time `db:"revurdering_on"`
	HearingOmittedReason string     `db:"hearing_omitted_reason"`
	DecidedOn            time.Time  `db:"decided_on"`
	DecidedByName        string     `db:"decided_by_name"`
	UnitName             string     `db:"unit_name"`
	CreatedAt            time.Time  `db:"created_at"`
	SupersededAt         *time.Time `db:"superseded_at"`
}

// DecisionRecord is a case's partshøringer and decisions, the current decision first.
type DecisionRecord struct {
	Hearings  []Hearing
	Decisions []Decision
}

// Current returns the case's current decision, if any.
func (r DecisionRecord) Current() (Decision, bool) {
	if len(r.Decisions) > 0 && r.Decisions[0].SupersededAt == nil {
		return r.Decisions[0], true
	}
	return Decision{}, false
}

// HearingStates is the partshøringer as the decision's rules see them.
func (r DecisionRecord) HearingStates() []helhed.HearingState {
	out := make([]helhed.HearingState, len(r.Hearings))
	for i, h := range r.Hearings {
		out[i] = helhed.HearingState{Deadline: h.Deadline}
		if h.Result != nil {
			out[i].Result = *h.Result
		}
	}
	return out
}

const hearingSelect = `
	SELECT h.id, h.meeting_case_id, h.citizen_id, h.subject, h.sent_on, h.deadline, h.result, h.response_on,
	       h.response_summary, sb.name AS started_by_name, h.created_at, rb.name AS result_by_name, h.result_at, h.version
	FROM hearings h JOIN users sb ON sb.id = h.started_by LEFT JOIN users rb ON rb.id = h.result_by`

const decisionSelect = `
	SELECT d.id, d.meeting_case_id, d.citizen_id, d.outcome, d.indstilling_outcome, d.follows_indstilling, d.reasons,
	       d.departure_reasons, d.revurdering_on, d.hearing_omitted_reason, d.decided_on, u.name AS decided_by_name,
	       un.name AS unit_name, d.created_at, d.superseded_at
	FROM decisions d JOIN users u ON u.id = d.decided_by JOIN units un ON un.id = d.unit_id`

// CaseDecisionRecord returns a case's partshøringer (in the order sent) and decisions
// (current first, then the superseded, latest first): two statements in one round trip. It
// does not audit; the page that shows them does.
func (s *Store) CaseDecisionRecord(ctx context.Context, caseID int64) (DecisionRecord, error) {
	var r DecisionRecord
	b := &pgx.Batch{}
	b.Queue(hearingSelect+` WHERE h.meeting_case_id = $1 ORDER BY h.sent_on, h.id`, caseID).Query(func(rows pgx.Rows) error {
		var err error
		r.Hearings, err = pgx.CollectRows(rows, pgx.RowToStructByName[Hearing])
		return err
	})
	b.Queue(decisionSelect+` WHERE d.meeting_case_id = $1 ORDER BY d.superseded_at DESC NULLS FIRST, d.id DESC`, caseID).Query(func(rows pgx.Rows) error {
		var err error
		r.Decisions, err = pgx.CollectRows(rows, pgx.RowToStructByName[Decision])
		return err
	})
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return r, fmt.Errorf("decision record: %w", err)
	}
	return r, nil
}

// HearingByID returns one partshøring of a case; one of another case is not found.
func (s *Store) HearingByID(ctx context.Context, caseID, hearingID int64) (Hearing, error) {
	rows, _ := s.pool.Query(ctx, hearingSelect+` WHERE h.id = $1 AND h.meeting_case_id = $2`, hearingID, caseID)
	h, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Hearing])
	if err != nil {
		return h, notFound(err, "Partshøringen")
	}
	return h, nil
}

// decidableCase is a case on the agenda locked for a partshøring or a decision.
type decidableCase struct {
	citizenID, unitID int64
	outcome           *string
	recordedAt        *time.Time
}

// lockDecidableCase locks the case (meetingID, caseID) and refuses one that is withdrawn or
// has no indstilling yet. Every change of a case's partshøringer and decisions takes this lock
// first, so a decision and a partshøring's result never pass each other.
func lockDecidableCase(ctx context.Context, tx pgx.Tx, meetingID, caseID int64) (decidableCase, error) {
	var c decidableCase
	var withdrawn *time.Time
	err := tx.QueryRow(ctx, `
		SELECT mc.citizen_id, c.unit_id, mc.outcome, mc.recorded_at, mc.withdrawn_at
		FROM meeting_cases mc JOIN citizens c ON c.id = mc.citizen_id
		WHERE mc.id = $1 AND mc.meeting_id = $2 FOR UPDATE OF mc`, caseID, meetingID).
		Scan(&c.citizenID, &c.unitID, &c.outcome, &c.recordedAt, &withdrawn)
	switch {
	case err != nil:
		return c, notFound(err, "Sagen på dagsordenen")
	case withdrawn != nil:
		return c, ErrCaseWithdrawn
	case c.outcome == nil || c.recordedAt == nil:
		return c, &helhed.Error{Code: helhed.EInvalid, Message: "Teamet har ikke indstillet i sagen endnu. Kommunen træffer afgørelse efter indstillingen."}
	}
	return c, nil
}

// ErrCaseWithdrawn refuses any change to a case taken off the agenda: its preparation, its
// indstilling, a partshøring or a decision.
var ErrCaseWithdrawn = &helhed.Error{Code: helhed.EInvalid,
	Message: "Sagen er taget af dagsordenen og kan ikke længere ændres. Sæt borgeren på et nyt møde, hvis sagen skal behandles igen."}

// StartHearing records a partshøring sent to the citizen in a case with an indstilling.
func (s *Store) StartHearing(ctx context.Context, who Who, meetingID, caseID int64, in helhed.HearingInput) (int64, error) {
	if err := helhed.ValidateHearing(in, helhed.DanishToday(s.Now())); err != nil {
		return 0, err
	}
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		c, err := lockDecidableCase(ctx, tx, meetingID, caseID)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO hearings (meeting_case_id, citizen_id, subject, sent_on, deadline, started_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			caseID, c.citizenID, in.Subject, in.SentOn, in.Deadline, who.UserID, s.Now()).Scan(&id); err != nil {
			return fmt.Errorf("insert hearing: %w", err)
		}
		return audit(ctx, tx, who, c.citizenID, AuditHearingStart,
			fmt.Sprintf("møde %d, sag %d: partshøring %d, frist %s", meetingID, caseID, id, in.Deadline.Format(time.DateOnly)))
	})
	return id, err
}

// ErrHearingRecorded refuses a second result for a partshøring: the first is kept as recorded.
var ErrHearingRecorded = &helhed.Error{Code: helhed.EInvalid,
	Message: "Svaret på partshøringen er registreret og kan ikke ændres. Skriv et journalnotat, hvis det skal rettes."}

// RecordHearingResult records the outcome of a partshøring on the version the user loaded: the
// citizen's reply (date and summary) or that none came by the deadline. A stale version is a
// conflict; a result is recorded once (ErrHearingRecorded), so what a decision rested on stays
// as it was.
func (s *Store) RecordHearingResult(ctx context.Context, who Who, meetingID, caseID, hearingID int64, version int, in helhed.HearingResultInput) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var citizenID int64
		var withdrawn *time.Time
		if err := tx.QueryRow(ctx, `SELECT citizen_id, withdrawn_at FROM meeting_cases WHERE id = $1 AND meeting_id = $2 FOR UPDATE`,
			caseID, meetingID).Scan(&citizenID, &withdrawn); err != nil {
			return notFound(err, "Sagen på dagsordenen")
		}
		if withdrawn != nil {
			return ErrCaseWithdrawn
		}
		var sentOn, deadline time.Time
		var current int
		var recorded *string
		if err := tx.QueryRow(ctx, `SELECT sent_on, deadline, version, result FROM hearings WHERE id = $1 AND meeting_case_id = $2`,
			hearingID, caseID).Scan(&sentOn, &deadline, &current, &recorded); err != nil {
			return notFound(err, "Partshøringen")
		}
		// A recorded result is part of the record a decision may rest on: it is not
		// overwritten. A mistake is corrected by a journal note.
		if recorded != nil {
			return ErrHearingRecorded
		}
		if current != version {
			return &helhed.Error{Code: helhed.EConflict, Message: "Partshøringen er blevet ændret af en anden, mens du havde den åben."}
		}
		if err := helhed.ValidateHearingResult(in, sentOn, deadline, helhed.DanishToday(s.Now())); err != nil {
			return err
		}
		var responseOn any
		summary := ""
		if in.Result == helhed.HearingAnswered {
			responseOn, summary = in.ResponseOn, in.Summary
		}
		if _, err := tx.Exec(ctx, `
			UPDATE hearings SET result = $2, response_on = $3, response_summary = $4, result_by = $5, result_at = $6,
			       version = version + 1
			WHERE id = $1`, hearingID, in.Result, responseOn, summary, who.UserID, s.Now()); err != nil {
			return fmt.Errorf("record hearing result: %w", err)
		}
		return audit(ctx, tx, who, citizenID, AuditHearingResult,
			fmt.Sprintf("møde %d, sag %d: partshøring %d: %s", meetingID, caseID, hearingID, in.Result))
	})
}

// ErrDecisionChanged is RecordDecision's refusal when the case's current decision is not the
// one the form was made on.
var ErrDecisionChanged = &helhed.Error{Code: helhed.EConflict,
	Message: "Der er truffet en anden afgørelse i sagen, mens du havde formularen åben."}

// RecordDecision records the municipality's decision in a case with an indstilling, as a
// change of the decision the form was made on (currentID; 0: the case had none). The rules
// (helhed.ValidateDecision) are checked here, in the transaction, against the indstilling and
// the partshøringer as they are under the case's lock: a decision is refused while a
// partshøring's deadline runs without a reply, on a case taken off the agenda, and on a
// changed indstilling without departure reasons. Whether it follows the indstilling is
// stored with the indstilling's outcome at this moment. An outcome the post-team rule in
// force names (fleksjob, førtidspension) needs the samlet beskrivelse and the sundhedsfaglig
// rådgivning on the citizen's case (checkPostTeam). A partshøring whose deadline passed
// without a recorded reply is closed as "intet svar" by the decision. The current decision,
// if any, is superseded and kept.
func (s *Store) RecordDecision(ctx context.Context, who Who, meetingID, caseID, currentID int64, d helhed.Decision) (int64, error) {
	today := helhed.DanishToday(s.Now())
	required, err := s.RevurderingRequired(ctx, today)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		c, err := lockDecidableCase(ctx, tx, meetingID, caseID)
		if err != nil {
			return err
		}
		var cur int64
		err = tx.QueryRow(ctx, `SELECT id FROM decisions WHERE meeting_case_id = $1 AND superseded_at IS NULL`, caseID).Scan(&cur)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("current decision: %w", err)
		}
		if cur != currentID {
			return ErrDecisionChanged
		}
		rows, _ := tx.Query(ctx, `SELECT coalesce(result, ''), deadline FROM hearings WHERE meeting_case_id = $1`, caseID)
		hearings, err := pgx.CollectRows(rows, pgx.RowToStructByPos[helhed.HearingState])
		if err != nil {
			return fmt.Errorf("hearings: %w", err)
		}
		var valid bool
		if err := tx.QueryRow(ctx, `
			SELECT EXISTS (SELECT 1 FROM ref_values WHERE kind = 'indstilling' AND code = $1
			               AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2))`, d.Outcome, d.DecidedOn).Scan(&valid); err != nil {
			return fmt.Errorf("outcome: %w", err)
		}
		d.IndstillingOutcome = *c.outcome
		if err := s.checkPostTeam(ctx, tx, c.citizenID, d.Outcome, today, "afgørelse", helhed.FieldDecisionOutcome); err != nil {
			return err
		}
		if err := helhed.ValidateDecision(d, helhed.DecisionRules{OutcomeValid: valid, Indstilling: helhed.DanishToday(*c.recordedAt),
			Today: today, RevurderingRequired: required, Hearings: hearings}); err != nil {
			return err
		}
		if complete, _ := helhed.HearingsComplete(hearings, today); complete {
			d.HearingOmittedReason = ""
		}
		closed, err := tx.Query(ctx, `
			UPDATE hearings SET result = $2, result_by = $3, result_at = $4, version = version + 1
			WHERE meeting_case_id = $1 AND result IS NULL AND deadline < $5 RETURNING id`,
			caseID, helhed.HearingNoResponse, who.UserID, s.Now(), today)
		if err != nil {
			return fmt.Errorf("close overdue hearings: %w", err)
		}
		overdue, err := pgx.CollectRows(closed, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("close overdue hearings: %w", err)
		}
		for _, h := range overdue {
			if err := audit(ctx, tx, who, c.citizenID, AuditHearingResult,
				fmt.Sprintf("møde %d, sag %d: partshøring %d: %s (fristen udløbet ved afgørelsen)", meetingID, caseID, h, helhed.HearingNoResponse)); err != nil {
				return err
			}
		}
		if cur != 0 {
			if _, err := tx.Exec(ctx, `UPDATE decisions SET superseded_at = $2, superseded_by = $3 WHERE id = $1`, cur, s.Now(), who.UserID); err != nil {
				return fmt.Errorf("supersede decision: %w", err)
			}
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO decisions (meeting_case_id, citizen_id, outcome, indstilling_outcome, follows_indstilling, reasons,
			                       departure_reasons, revurdering_on, hearing_omitted_reason, decided_on, decided_by, unit_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			caseID, c.citizenID, d.Outcome, d.IndstillingOutcome, d.Follows(), d.Reasons, d.DepartureReasons, d.RevurderingOn,
			d.HearingOmittedReason, d.DecidedOn, who.UserID, c.unitID, s.Now()).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert decision: %w", err)
		}
		detail := fmt.Sprintf("møde %d, sag %d: afgørelse %d: %s, følger indstillingen", meetingID, caseID, id, d.Outcome)
		if !d.Follows() {
			detail = fmt.Sprintf("møde %d, sag %d: afgørelse %d: %s, fraviger indstillingen (%s)", meetingID, caseID, id, d.Outcome, d.IndstillingOutcome)
		}
		if cur != 0 {
			detail += fmt.Sprintf("; erstatter afgørelse %d", cur)
		}
		return audit(ctx, tx, who, c.citizenID, AuditDecision, detail)
	})
	return id, err
}

// DecisionLetter is what a letter about a decision needs, as plain data: the citizen's name
// and address, the decision with its labels, who decided for which unit, and the
// klagevejledning in force on the decision's day. It is read, not audited: the caller that
// produces the letter audits it.
type DecisionLetter struct {
	DecisionID   int64
	CitizenID    int64
	CitizenName  string
	CPR          helhed.CPR // shown masked unless the letter needs it in full
	Address      string
	PostalCode   string
	City         string
	Outcome      string // reference code, kind 'indstilling'
	OutcomeLabel string
	// IndstillingLabel is the team's outcome at the time of the decision.
	IndstillingLabel   string
	FollowsIndstilling bool
	Reasons            string
	DepartureReasons   string     // "" when it follows the indstilling
	RevurderingOn      *time.Time // the day the case was put before the team again
	DecidedOn          time.Time
	CaseworkerName     string // who decided
	UnitName           string // the unit that decided
	TeamName           string
	MeetingStart       time.Time
	// Superseded: a later decision has replaced this one.
	Superseded bool
	Complaint  ComplaintGuidance
}

// DecisionForLetter returns the decision decisionID of citizen citizenID as a letter needs it;
// a decision of another citizen is not found.
func (s *Store) DecisionForLetter(ctx context.Context, citizenID, decisionID int64) (DecisionLetter, error) {
	var l DecisionLetter
	var cpr string
	err := s.pool.QueryRow(ctx, `
		SELECT d.id, c.id, c.first_name || ' ' || c.last_name, c.cpr, c.address, c.postal_code, c.city,
		       d.outcome, ro.label, ri.label, d.follows_indstilling, d.reasons, d.departure_reasons, d.revurdering_on,
		       d.decided_on, u.name, un.name, t.name, m.starts_at, d.superseded_at IS NOT NULL
		FROM decisions d
		JOIN citizens c ON c.id = d.citizen_id
		JOIN ref_values ro ON ro.kind = d.outcome_kind AND ro.code = d.outcome
		JOIN ref_values ri ON ri.kind = d.indstilling_outcome_kind AND ri.code = d.indstilling_outcome
		JOIN users u ON u.id = d.decided_by JOIN units un ON un.id = d.unit_id
		JOIN meeting_cases mc ON mc.id = d.meeting_case_id JOIN meetings m ON m.id = mc.meeting_id
		JOIN rehab_teams t ON t.id = m.team_id
		WHERE d.id = $1 AND d.citizen_id = $2`, decisionID, citizenID).
		Scan(&l.DecisionID, &l.CitizenID, &l.CitizenName, &cpr, &l.Address, &l.PostalCode, &l.City,
			&l.Outcome, &l.OutcomeLabel, &l.IndstillingLabel, &l.FollowsIndstilling, &l.Reasons, &l.DepartureReasons, &l.RevurderingOn,
			&l.DecidedOn, &l.CaseworkerName, &l.UnitName, &l.TeamName, &l.MeetingStart, &l.Superseded)
	if err != nil {
		return l, notFound(err, "Afgørelsen")
	}
	l.CPR = helhed.CPR(cpr)
	l.Complaint, err = s.ComplaintGuidanceOn(ctx, l.DecidedOn)
	return l, err
}

// HearingLetter is what a partshøring letter needs, as plain data: the citizen's name and
// address, what they are heard on, when it was sent and the deadline, the case's indstilling,
// and who sends it for which unit (the citizen's case-holding unit). Read, not audited.
type HearingLetter struct {
	HearingID        int64
	CitizenID        int64
	CitizenName      string
	CPR              helhed.CPR
	Address          string
	PostalCode       string
	City             string
	Subject          string
	SentOn           time.Time
	Deadline         time.Time
	IndstillingLabel string
	TeamName         string
	MeetingStart     time.Time
	CaseworkerName   string // who started the partshøring
	UnitName         string
}

// HearingForLetter returns the partshøring hearingID of citizen citizenID as a letter needs
// it; a partshøring of another citizen is not found.
func (s *Store) HearingForLetter(ctx context.Context, citizenID, hearingID int64) (HearingLetter, error) {
	var l HearingLetter
	var cpr string
	err := s.pool.QueryRow(ctx, `
		SELECT h.id, c.id, c.first_name || ' ' || c.last_name, c.cpr, c.address, c.postal_code, c.city,
		       h.subject, h.sent_on, h.deadline, coalesce(ri.label, ''), t.name, m.starts_at, u.name, un.name
		FROM hearings h
		JOIN citizens c ON c.id = h.citizen_id JOIN units un ON un.id = c.unit_id
		JOIN meeting_cases mc ON mc.id = h.meeting_case_id JOIN meetings m ON m.id = mc.meeting_id
		JOIN rehab_teams t ON t.id = m.team_id
		LEFT JOIN ref_values ri ON ri.kind = mc.outcome_kind AND ri.code = mc.outcome
		JOIN users u ON u.id = h.started_by
		WHERE h.id = $1 AND h.citizen_id = $2`, hearingID, citizenID).
		Scan(&l.HearingID, &l.CitizenID, &l.CitizenName, &cpr, &l.Address, &l.PostalCode, &l.City,
			&l.Subject, &l.SentOn, &l.Deadline, &l.IndstillingLabel, &l.TeamName, &l.MeetingStart, &l.CaseworkerName, &l.UnitName)
	if err != nil {
		return l, notFound(err, "Partshøringen")
	}
	l.CPR = helhed.CPR(cpr)
	return l, nil
}
