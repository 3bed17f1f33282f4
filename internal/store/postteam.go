package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// The post-team records of a citizen's case (migration 0026, docs/law.md): the samlet
// beskrivelse af borgerens forudsætninger, and the sundhedsfaglig rådgivning from the region's
// sundhedskoordinator. Both are written without a meeting; a fleksjob or førtidspension
// indstilling or afgørelse is refused without them (CheckPostTeam, under the setting
// SettingPostTeamOutcomes in force).

// Audit actions of the post-team records.
const (
	AuditDescriptionSave = "description.save"
	AuditAdviceRequest   = "health_advice.request"
	AuditAdviceGive      = "health_advice.give"
	AuditAdviceView      = "health_advice.view"
)

// SettingPostTeamOutcomes is the dated setting that says which indstilling outcomes need
// both records (helhed.PostTeamRule).
const SettingPostTeamOutcomes = "post_team_required_outcomes"

// PostTeamRule returns the rule in force on day; none in force is the empty rule (nothing
// required: before lov nr. 1750 the rehabiliteringsteam held this).
func (s *Store) PostTeamRule(ctx context.Context, day time.Time) (helhed.PostTeamRule, error) {
	var r helhed.PostTeamRule
	if _, err := s.setting(ctx, SettingPostTeamOutcomes, day, &r); err != nil {
		return helhed.PostTeamRule{}, err
	}
	return r, nil
}

// postTeamRecords reads which of the two records the citizen's case has.
func postTeamRecords(ctx context.Context, q querier, citizenID int64) (helhed.PostTeamRecords, error) {
	var p helhed.PostTeamRecords
	err := q.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM case_descriptions WHERE citizen_id = $1),
		       EXISTS (SELECT 1 FROM health_advice WHERE citizen_id = $1 AND advice IS NOT NULL)`, citizenID).
		Scan(&p.Description, &p.Advice)
	if err != nil {
		return p, fmt.Errorf("post-team records: %w", err)
	}
	return p, nil
}

// PostTeamRecords reports which of the two records the citizen's case has.
func (s *Store) PostTeamRecords(ctx context.Context, citizenID int64) (helhed.PostTeamRecords, error) {
	return postTeamRecords(ctx, s.pool, citizenID)
}

// checkPostTeam refuses, inside tx, an indstilling or afgørelse of outcome on day for a
// citizen whose case lacks a record the rule in force requires (what: "indstilling" or
// "afgørelse"; field: the form field the message goes beside).
func (s *Store) checkPostTeam(ctx context.Context, tx pgx.Tx, citizenID int64, outcome string, day time.Time, what, field string) error {
	rule, err := s.PostTeamRule(ctx, day)
	if err != nil || !rule.Requires(outcome) {
		return err
	}
	have, err := postTeamRecords(ctx, tx, citizenID)
	if err != nil {
		return err
	}
	var label string
	if err := tx.QueryRow(ctx, `SELECT label FROM ref_values WHERE kind = 'indstilling' AND code = $1`, outcome).Scan(&label); err != nil {
		label = outcome
	}
	return helhed.CheckPostTeam(rule, outcome, label, what, field, have)
}

// CaseDescription is the samlet beskrivelse of a citizen: the forberedende del's sections,
// who wrote it first and who last.
type CaseDescription struct {
	CitizenID     int64              `db:"citizen_id"`
	Sections      helhed.Preparation `db:"sections"`
	CreatedByName string             `db:"created_by_name"`
	CreatedAt     time.Time          `db:"created_at"`
	UpdatedByName string             `db:"updated_by_name"`
	UpdatedAt     time.Time          `db:"updated_at"`
	Version       int                `db:"version"`
}

// CaseDescriptionOf returns the citizen's samlet beskrivelse; ok is false when none is
// written. It does not audit: the page that shows it does.
func (s *Store) CaseDescriptionOf(ctx context.Context, citizenID int64) (d CaseDescription, ok bool, err error) {
	m, err := caseDescriptionOf(citizenID).run(ctx, s.pool)
	return m.Value, m.OK, err
}

// CaseDescriptionOf queues Store.CaseDescriptionOf.
func (b *Batch) CaseDescriptionOf(citizenID int64) *Result[Maybe[CaseDescription]] {
	return queue(b, caseDescriptionOf(citizenID))
}

// caseDescriptionOf is CaseDescriptionOf's read.
func caseDescriptionOf(citizenID int64) query[Maybe[CaseDescription]] {
	return query[Maybe[CaseDescription]]{sql: `
		SELECT d.citizen_id, d.sections, cb.name AS created_by_name, d.created_at, ub.name AS updated_by_name, d.updated_at, d.version
		FROM case_descriptions d JOIN users cb ON cb.id = d.created_by JOIN users ub ON ub.id = d.updated_by
		WHERE d.citizen_id = $1`, args: []any{citizenID},
		read: func(rows pgx.Rows) (Maybe[CaseDescription], error) {
			d, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[CaseDescription])
			if errors.Is(err, pgx.ErrNoRows) {
				return Maybe[CaseDescription]{}, nil
			}
			if err != nil {
				return Maybe[CaseDescription]{}, fmt.Errorf("case description: %w", err)
			}
			return Maybe[CaseDescription]{Value: d, OK: true}, nil
		}}
}

// ErrDescriptionChanged is SaveDescription's conflict: someone saved the description after the
// form was loaded.
var ErrDescriptionChanged = &helhed.Error{Code: helhed.EConflict,
	Message: "Beskrivelsen er blevet ændret af en anden, mens du havde den åben."}

// SaveDescription saves the citizen's samlet beskrivelse on the version the user loaded (0:
// the form was opened when there was none) and returns the new version. A stale version is
// ErrDescriptionChanged.
func (s *Store) SaveDescription(ctx context.Context, who Who, citizenID int64, version int, p helhed.Preparation) (int, error) {
	if err := helhed.ValidateDescription(p); err != nil {
		return 0, err
	}
	doc, err := json.Marshal(p)
	if err != nil {
		return 0, fmt.Errorf("encode description: %w", err)
	}
	var next int
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if version == 0 {
			err = tx.QueryRow(ctx, `
				INSERT INTO case_descriptions (citizen_id, sections, created_by, created_at, updated_by, updated_at)
				SELECT c.id, $2, $3, $4, $3, $4 FROM citizens c WHERE c.id = $1
				ON CONFLICT (citizen_id) DO NOTHING RETURNING version`,
				citizenID, doc, who.UserID, s.Now()).Scan(&next)
		} else {
			err = tx.QueryRow(ctx, `
				UPDATE case_descriptions SET sections = $3, updated_by = $4, updated_at = $5, version = version + 1
				WHERE citizen_id = $1 AND version = $2 RETURNING version`,
				citizenID, version, doc, who.UserID, s.Now()).Scan(&next)
		}
		if errors.Is(err, pgx.ErrNoRows) {
			var exists bool
			if qerr := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM citizens WHERE id = $1)`, citizenID).Scan(&exists); qerr != nil {
				return fmt.Errorf("citizen: %w", qerr)
			}
			if !exists {
				return notFound(pgx.ErrNoRows, "Borgeren")
			}
			return ErrDescriptionChanged
		}
		if err != nil {
			return fmt.Errorf("save description: %w", err)
		}
		return audit(ctx, tx, who, citizenID, AuditDescriptionSave, fmt.Sprintf("samlet beskrivelse version %d", next))
	})
	return next, err
}

// HealthAdvice is one request for sundhedsfaglig rådgivning and, once given, its answer.
type HealthAdvice struct {
	ID              int64      `db:"id"`
	CitizenID       int64      `db:"citizen_id"`
	UnitID          int64      `db:"unit_id"`
	UnitName        string     `db:"unit_name"`
	Question        string     `db:"question"`
	RequestedByName string     `db:"requested_by_name"`
	RequestedAt     time.Time  `db:"requested_at"`
	Advice          *string    `db:"advice"`
	GivenByName     *string    `db:"given_by_name"`
	GivenAt         *time.Time `db:"given_at"`
	Version         int        `db:"version"`
}

// Given reports whether the advice has been given.
func (a HealthAdvice) Given() bool { return a.Advice != nil }

const adviceSelect = `
	SELECT a.id, a.citizen_id, a.unit_id, un.name AS unit_name, a.question, rb.name AS requested_by_name, a.requested_at,
	       a.advice, gb.name AS given_by_name, a.given_at, a.version
	FROM health_advice a JOIN units un ON un.id = a.unit_id JOIN users rb ON rb.id = a.requested_by
	LEFT JOIN users gb ON gb.id = a.given_by`

// CitizenHealthAdvice lists the citizen's requests for advice, newest first (a handful per
// case; health_advice_citizen_idx). It does not audit: the page that shows them does.
func (s *Store) CitizenHealthAdvice(ctx context.Context, citizenID int64) ([]HealthAdvice, error) {
	return citizenHealthAdvice(citizenID).run(ctx, s.pool)
}

// CitizenHealthAdvice queues Store.CitizenHealthAdvice.
func (b *Batch) CitizenHealthAdvice(citizenID int64) *Result[[]HealthAdvice] {
	return queue(b, citizenHealthAdvice(citizenID))
}

// citizenHealthAdvice is CitizenHealthAdvice's read.
func citizenHealthAdvice(citizenID int64) query[[]HealthAdvice] {
	return query[[]HealthAdvice]{sql: adviceSelect + ` WHERE a.citizen_id = $1 ORDER BY a.requested_at DESC, a.id DESC LIMIT 50`,
		args: []any{citizenID}, read: func(rows pgx.Rows) ([]HealthAdvice, error) {
			out, err := pgx.CollectRows(rows, pgx.RowToStructByName[HealthAdvice])
			if err != nil {
				return nil, fmt.Errorf("health advice: %w", err)
			}
			return out, nil
		}}
}

// HealthAdviceByID returns one request of the citizen; one of another citizen is not found.
func (s *Store) HealthAdviceByID(ctx context.Context, citizenID, id int64) (HealthAdvice, error) {
	rows, _ := s.pool.Query(ctx, adviceSelect+` WHERE a.id = $1 AND a.citizen_id = $2`, id, citizenID)
	a, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[HealthAdvice])
	if err != nil {
		return a, notFound(err, "Anmodningen om sundhedsfaglig rådgivning")
	}
	return a, nil
}

// AdviceUnitKind is the kind of unit that gives sundhedsfaglig rådgivning: the region's
// klinisk funktion, where the sundhedskoordinator works.
const AdviceUnitKind = "region"

// AdviceUnits lists the units that can be asked for advice (units of kind AdviceUnitKind).
func (s *Store) AdviceUnits(ctx context.Context) ([]Unit, error) {
	all, err := s.ListUnits(ctx)
	if err != nil {
		return nil, err
	}
	var out []Unit
	for _, u := range all {
		if u.Kind == AdviceUnitKind {
			out = append(out, u)
		}
	}
	return out, nil
}

// RequestHealthAdvice asks the unit unitID (the region's klinisk funktion) a question in the
// citizen's case. A unit of another kind is a field error.
func (s *Store) RequestHealthAdvice(ctx context.Context, who Who, citizenID, unitID int64, question string) (int64, error) {
	if err := helhed.ValidateAdviceRequest(question); err != nil {
		return 0, err
	}
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var kind string
		if err := tx.QueryRow(ctx, `SELECT kind FROM units WHERE id = $1`, unitID).Scan(&kind); err != nil || kind != AdviceUnitKind {
			return &helhed.Error{Code: helhed.EInvalid, Message: "Anmodningen kan ikke sendes",
				Fields: map[string]string{helhed.FieldAdviceUnit: "Vælg regionens sundhedskoordinator (klinisk funktion) fra listen"}}
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO health_advice (citizen_id, unit_id, question, requested_by, requested_at)
			SELECT c.id, $2, $3, $4, $5 FROM citizens c WHERE c.id = $1 RETURNING id`,
			citizenID, unitID, question, who.UserID, s.Now()).Scan(&id)
		if err != nil {
			return notFound(err, "Borgeren")
		}
		return audit(ctx, tx, who, citizenID, AuditAdviceRequest, fmt.Sprintf("anmodning %d til enhed %d", id, unitID))
	})
	return id, err
}

// ErrAdviceChanged is GiveHealthAdvice's conflict: the advice was saved by someone else after
// the form was loaded.
var ErrAdviceChanged = &helhed.Error{Code: helhed.EConflict,
	Message: "Rådgivningen er blevet ændret af en anden, mens du havde den åben."}

// ErrNotAdviceUnit refuses advice from a user outside the unit asked: only the klinisk
// funktion asked answers, whoever else may see the case.
var ErrNotAdviceUnit = &helhed.Error{Code: helhed.EForbidden,
	Message: "Kun den sundhedskoordinator, der er spurgt, kan give rådgivningen."}

// GiveHealthAdvice records (or corrects) the advice of request id on the version the user
// loaded. The writer must work in the unit asked (ErrNotAdviceUnit): the caseworker who asked
// cannot answer in the coordinator's name.
func (s *Store) GiveHealthAdvice(ctx context.Context, who Who, citizenID, id int64, version int, advice string) error {
	if err := helhed.ValidateAdvice(advice); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var unitID, writerUnit int64
		var current int
		var given bool
		if err := tx.QueryRow(ctx, `SELECT unit_id, version, advice IS NOT NULL FROM health_advice WHERE id = $1 AND citizen_id = $2 FOR UPDATE`,
			id, citizenID).Scan(&unitID, &current, &given); err != nil {
			return notFound(err, "Anmodningen om sundhedsfaglig rådgivning")
		}
		if err := tx.QueryRow(ctx, `SELECT unit_id FROM users WHERE id = $1`, who.UserID).Scan(&writerUnit); err != nil || writerUnit != unitID {
			return ErrNotAdviceUnit
		}
		if current != version {
			return ErrAdviceChanged
		}
		if _, err := tx.Exec(ctx, `UPDATE health_advice SET advice = $2, given_by = $3, given_at = $4, version = version + 1 WHERE id = $1`,
			id, advice, who.UserID, s.Now()); err != nil {
			return fmt.Errorf("give advice: %w", err)
		}
		detail := fmt.Sprintf("rådgivning %d givet", id)
		if given {
			detail = fmt.Sprintf("rådgivning %d rettet", id)
		}
		return audit(ctx, tx, who, citizenID, AuditAdviceGive, detail)
	})
}
