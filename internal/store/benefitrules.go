package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// BenefitFieldReason is the benefit period form's field for the caseworker's reason when a
// rule warns (helhed.SeverityWarn): required then, kept with the period.
const BenefitFieldReason = "rule_reason"

// BenefitFieldEndRunning is the benefit period form's field for the exit reason that ends the
// running period the new one replaces.
const BenefitFieldEndRunning = "end_running"

// BenefitReasonMax is the longest reason the column takes.
const BenefitReasonMax = 1000

// querier is what both a pool and a transaction can read with.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// BenefitLaw loads the benefit rules and the folkepensionsalder bands (migration 0024), every
// version: the rules in force on a period's start date apply to it.
func (s *Store) BenefitLaw(ctx context.Context) (helhed.BenefitLaw, error) {
	return loadBenefitLaw(ctx, s.pool)
}

func loadBenefitLaw(ctx context.Context, q querier) (helhed.BenefitLaw, error) {
	var law helhed.BenefitLaw
	rows, _ := q.Query(ctx, `SELECT code, kind, severity, benefits, others, window_days, years, valid_from, valid_to, source
		FROM benefit_rules ORDER BY code, valid_from`)
	var r helhed.BenefitRule
	var kind, severity string
	_, err := pgx.ForEachRow(rows, []any{&r.Code, &kind, &severity, &r.Benefits, &r.Others, &r.WindowDays, &r.Years,
		&r.ValidFrom, &r.ValidTo, &r.Source}, func() error {
		r.Kind, r.Severity = helhed.RuleKind(kind), helhed.Severity(severity)
		law.Rules = append(law.Rules, r)
		r = helhed.BenefitRule{}
		return nil
	})
	if err != nil {
		return law, fmt.Errorf("benefit rules: %w", err)
	}
	rows, _ = q.Query(ctx, `SELECT born_from, born_to, months, valid_from, valid_to, source
		FROM pension_ages ORDER BY born_from, valid_from`)
	var b helhed.PensionAge
	_, err = pgx.ForEachRow(rows, []any{&b.BornFrom, &b.BornTo, &b.Months, &b.ValidFrom, &b.ValidTo, &b.Source}, func() error {
		law.PensionAges = append(law.PensionAges, b)
		b = helhed.PensionAge{}
		return nil
	})
	if err != nil {
		return law, fmt.Errorf("pension ages: %w", err)
	}
	return law, nil
}

// BenefitSpans turns stored periods into what the rules read.
func BenefitSpans(ps []BenefitPeriod) []helhed.BenefitSpan {
	out := make([]helhed.BenefitSpan, len(ps))
	for i, p := range ps {
		out[i] = helhed.BenefitSpan{Benefit: p.BenefitCode, Start: p.StartDate, End: p.EndDate}
	}
	return out
}

// errBenefitRules turns the findings on a new period into the error the form shows: every
// refusal beside its field; without refusals, the warnings beside theirs and, when the reason
// is missing, a request for it beside the reason field. nil when the period may be saved.
func errBenefitRules(fs []helhed.RuleFinding, reason string) error {
	fields := map[string]string{}
	add := func(f helhed.RuleFinding) {
		if m, ok := fields[f.Field]; ok {
			fields[f.Field] = m + " " + f.Message
		} else {
			fields[f.Field] = f.Message
		}
	}
	if refused := helhed.Refusals(fs); len(refused) > 0 {
		for _, f := range refused {
			add(f)
		}
		return &helhed.Error{Code: helhed.EInvalid, Message: "Ydelsesforløbet kan ikke gemmes", Fields: fields}
	}
	warned := helhed.Warnings(fs)
	switch {
	case len(warned) == 0:
		return nil
	case strings.TrimSpace(reason) == "":
		for _, f := range warned {
			add(f)
		}
		fields[BenefitFieldReason] = "Angiv begrundelsen for at registrere forløbet trods advarslen"
		return &helhed.Error{Code: helhed.EInvalid, Message: "Ydelsesforløbet kræver en begrundelse", Fields: fields}
	case utf8.RuneCountInString(reason) > BenefitReasonMax:
		return &helhed.Error{Code: helhed.EInvalid, Message: "Ydelsesforløbet kan ikke gemmes",
			Fields: map[string]string{BenefitFieldReason: "Begrundelsen må højst have 1.000 tegn"}}
	}
	return nil
}

// checkBenefitRules runs the rules in force on b's start date over the citizen's history,
// inside the transaction that inserts b; the citizen's row is locked so two periods added at
// once cannot both pass the overlap rule. It returns the codes of the warnings the reason
// answers.
func checkBenefitRules(ctx context.Context, tx pgx.Tx, b BenefitPeriod) ([]string, error) {
	var cpr helhed.CPR
	if err := tx.QueryRow(ctx, `SELECT cpr FROM citizens WHERE id = $1 FOR UPDATE`, b.CitizenID).Scan(&cpr); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, helhed.ErrNotFound
		}
		return nil, fmt.Errorf("citizen %d: %w", b.CitizenID, err)
	}
	rows, _ := tx.Query(ctx, `SELECT benefit_code, start_date, end_date FROM benefit_periods WHERE citizen_id = $1`, b.CitizenID)
	var history []helhed.BenefitSpan
	var h helhed.BenefitSpan
	if _, err := pgx.ForEachRow(rows, []any{&h.Benefit, &h.Start, &h.End}, func() error {
		history = append(history, h)
		h = helhed.BenefitSpan{}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("benefit history: %w", err)
	}
	law, err := loadBenefitLaw(ctx, tx)
	if err != nil {
		return nil, err
	}
	labels, err := benefitLabels(ctx, tx)
	if err != nil {
		return nil, err
	}
	fs := law.Check(cpr.BirthDate(), history, helhed.BenefitSpan{Benefit: b.BenefitCode, Start: b.StartDate, End: b.EndDate}, labels.Label)
	if err := errBenefitRules(fs, b.RuleReason); err != nil {
		return nil, err
	}
	var codes []string
	for _, f := range helhed.Warnings(fs) {
		codes = append(codes, f.Rule)
	}
	return codes, nil
}

// benefitLabels loads the benefit types' labels for the rules' messages.
func benefitLabels(ctx context.Context, q querier) (RefSet, error) {
	rows, _ := q.Query(ctx, `SELECT `+refValueColumns+` FROM ref_values WHERE kind = 'benefit_type' ORDER BY sort_order, code`)
	vs, err := pgx.CollectRows(rows, pgx.RowToStructByName[RefValue])
	if err != nil {
		return nil, fmt.Errorf("benefit types: %w", err)
	}
	return vs, nil
}

// endRunning ends, when b.EndRunningExit is set, the citizen's running periods that began
// before b on the day before b starts, with that exit reason (in force on that day), and
// audits each: a change of benefit is one step for the caseworker, and the overlap rule then
// sees the history as it will be. Without a running period to end, the field says so.
func endRunning(ctx context.Context, tx pgx.Tx, who Who, b BenefitPeriod) error {
	if b.EndRunningExit == "" {
		return nil
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM citizens WHERE id = $1 FOR UPDATE`, b.CitizenID); err != nil {
		return fmt.Errorf("lock citizen: %w", err)
	}
	last := b.StartDate.AddDate(0, 0, -1)
	var inForce bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM ref_values WHERE kind = 'exit_reason' AND code = $1
		AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2))`, b.EndRunningExit, last).Scan(&inForce); err != nil {
		return fmt.Errorf("exit reason: %w", err)
	}
	if !inForce {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Ydelsesforløbet kan ikke gemmes",
			Fields: map[string]string{BenefitFieldEndRunning: "Vælg en afgangsårsag fra listen"}}
	}
	rows, _ := tx.Query(ctx, `UPDATE benefit_periods SET end_date = $3, exit_code = $4
		WHERE citizen_id = $1 AND end_date IS NULL AND start_date < $2 RETURNING benefit_code`,
		b.CitizenID, b.StartDate, last, b.EndRunningExit)
	ended, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("end running period: %w", err)
	}
	if len(ended) == 0 {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Ydelsesforløbet kan ikke gemmes",
			Fields: map[string]string{BenefitFieldEndRunning: "Borgeren har intet igangværende forløb, der begyndte før startdatoen"}}
	}
	for _, code := range ended {
		if err := audit(ctx, tx, who, b.CitizenID, AuditCitizenUpdate,
			"ydelsesforløb afsluttet: "+code+" til og med "+dateText(last)+" ("+b.EndRunningExit+")"); err != nil {
			return err
		}
	}
	return nil
}

// dateText is a calendar date for the audit log.
func dateText(t time.Time) string { return t.Format(time.DateOnly) }
