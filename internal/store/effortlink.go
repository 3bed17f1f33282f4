package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// An effort in the indsatsplan and the referral that delivers it are one thing, keyed once:
// sending a referral puts its effort in the citizen's plan (or links the planned effort it
// was made from), and every change of the referral's state moves the effort's status in the
// same transaction (helhed.ReferralState.EffortStatus). The caseworker never types the
// status of a referred effort; the effort form leaves it to the referral.

// effortArea is the plan's area for an effort at a provider of unitKind: health at the health
// centre and the region, social in the social administration, employment otherwise.
func effortArea(unitKind string) string {
	switch unitKind {
	case "sundhedscenter", "region":
		return "sundhed"
	case "socialforvaltning":
		return "social"
	}
	return "beskaeftigelse"
}

// bumpPlanAnyVersion moves the citizen's plan to its next version whatever version it is at:
// a referral changes the plan as a consequence, not as an edit of a version someone saw (a
// caseworker editing the plan meanwhile gets the usual conflict). ok is false when the
// citizen has no plan.
func bumpPlanAnyVersion(ctx context.Context, tx pgx.Tx, who Who, citizenID int64) (planID int64, next int, ok bool, err error) {
	err = tx.QueryRow(ctx, `
		UPDATE plans SET version = version + 1, updated_by = $2, updated_at = now()
		WHERE citizen_id = $1 RETURNING id, version`, citizenID, who.UserID).Scan(&planID, &next)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, false, nil
	}
	if err != nil {
		return 0, 0, false, fmt.Errorf("lock plan: %w", err)
	}
	return planID, next, true, nil
}

// linkReferralEffort puts the new referral id in the citizen's plan, if the citizen has one:
// it links the effort the referral was made from (effortID, which must be an effort of the
// plan without a referral), else a planned effort of the plan for the same offer that has no
// referral yet, else it adds an effort for the offer. The effort's status is henvist. It
// returns the effort's id (0 without a plan).
func linkReferralEffort(ctx context.Context, tx pgx.Tx, who Who, citizenID, id, offerID, effortID int64, today time.Time) (int64, error) {
	planID, next, ok, err := bumpPlanAnyVersion(ctx, tx, who, citizenID)
	if err != nil || !ok {
		if !ok && err == nil && effortID != 0 {
			return 0, notFound(pgx.ErrNoRows, "Indsatsen")
		}
		return 0, err
	}
	var title string
	if effortID != 0 {
		err = tx.QueryRow(ctx, `
			UPDATE plan_efforts SET referral_id = $3, offer_id = $4, status = $5
			WHERE id = $1 AND plan_id = $2 AND referral_id IS NULL AND removed_at IS NULL RETURNING title`,
			effortID, planID, id, offerID, helhed.EffortReferred).Scan(&title)
		if err != nil {
			return 0, notFound(err, "Indsatsen")
		}
	} else {
		err = tx.QueryRow(ctx, `
			UPDATE plan_efforts SET referral_id = $3, status = $4
			WHERE id = (SELECT id FROM plan_efforts WHERE plan_id = $1 AND offer_id = $2 AND referral_id IS NULL
			            AND removed_at IS NULL AND status = 'planlagt' ORDER BY start_date, id LIMIT 1)
			RETURNING id, title`, planID, offerID, id, helhed.EffortReferred).Scan(&effortID, &title)
		if errors.Is(err, pgx.ErrNoRows) {
			var kind string
			if err := tx.QueryRow(ctx, `SELECT n.kind FROM offers o JOIN units n ON n.id = o.provider_unit_id WHERE o.id = $1`,
				offerID).Scan(&kind); err != nil {
				return 0, fmt.Errorf("offer unit: %w", err)
			}
			err = tx.QueryRow(ctx, `
				INSERT INTO plan_efforts (plan_id, offer_id, referral_id, title, area, status, responsible_unit_id, contact, start_date)
				SELECT $1, o.id, $3, o.name, $4, $5, o.provider_unit_id, o.contact, $6 FROM offers o WHERE o.id = $2
				RETURNING id, title`, planID, offerID, id, effortArea(kind), helhed.EffortReferred, today).Scan(&effortID, &title)
		}
		if err != nil {
			return 0, fmt.Errorf("link referral effort: %w", err)
		}
	}
	if err := recordVersion(ctx, tx, who, planID, next, "Henvist: "+title); err != nil {
		return 0, err
	}
	return effortID, nil
}

// moveLinkedEfforts moves the status of the plan effort linked to referral r to what the
// referral's new state to stands for, and ends it (end date today, unless it has one) when the
// referral has ended. A plan that changes gets a new version. Nothing happens when no effort
// is linked or its status is already right.
func moveLinkedEfforts(ctx context.Context, tx pgx.Tx, who Who, r lockedReferral, to helhed.ReferralState, today time.Time) error {
	status := to.EffortStatus()
	rows, _ := tx.Query(ctx, `
		UPDATE plan_efforts SET status = $2,
		       end_date = CASE WHEN $3 AND end_date IS NULL THEN GREATEST(start_date, $4::date) ELSE end_date END
		WHERE referral_id = $1 AND removed_at IS NULL AND status <> $2
		RETURNING plan_id, title`, r.id, status, to.Terminal(), today)
	type moved struct {
		PlanID int64
		Title  string
	}
	ms, err := pgx.CollectRows(rows, pgx.RowToStructByPos[moved])
	if err != nil {
		return fmt.Errorf("move linked effort: %w", err)
	}
	if len(ms) == 0 {
		return nil
	}
	_, next, ok, err := bumpPlanAnyVersion(ctx, tx, who, r.citizenID)
	if err != nil || !ok {
		return err
	}
	return recordVersion(ctx, tx, who, ms[0].PlanID, next, fmt.Sprintf("%s: henvisningen er %s",
		ms[0].Title, strings.ToLower(to.Label())))
}

// pullInReferrals puts the citizen's referrals that no effort was ever linked to into plan
// planID, each as an effort linked to it: a planned effort of the plan for the same offer
// without a referral is linked, else an effort for the offer is added, starting the day the
// referral was made. The effort's status is what the referral's state stands for, and an
// ended referral ends it on the day it ended. Only referrals made before the plan are taken
// when before is set (a plan made before this rule existed); at the plan's creation every
// unlinked referral is from before it. An effort once linked and later removed is never
// added again. It returns the titles of the efforts, and changes no version: the caller does.
func pullInReferrals(ctx context.Context, tx pgx.Tx, planID int64, before bool) ([]string, error) {
	rows, _ := tx.Query(ctx, `
		SELECT r.id, r.offer_id, r.state, n.kind,
		       (r.created_at AT TIME ZONE 'Europe/Copenhagen')::date,
		       (r.state_changed_at AT TIME ZONE 'Europe/Copenhagen')::date
		FROM plans p JOIN referrals r ON r.citizen_id = p.citizen_id
		JOIN offers o ON o.id = r.offer_id JOIN units n ON n.id = o.provider_unit_id
		WHERE p.id = $1 AND (NOT $2 OR r.created_at < p.created_at)
		  AND NOT EXISTS (SELECT 1 FROM plan_efforts e WHERE e.referral_id = r.id)
		ORDER BY r.created_at, r.id`, planID, before)
	type orphan struct {
		ID, OfferID   int64
		State         helhed.ReferralState
		UnitKind      string
		Made, Changed time.Time
	}
	os, err := pgx.CollectRows(rows, pgx.RowToStructByPos[orphan])
	if err != nil {
		return nil, fmt.Errorf("referrals before the plan: %w", err)
	}
	titles := make([]string, 0, len(os))
	for _, r := range os {
		status := r.State.EffortStatus()
		var end *time.Time
		if r.State.Terminal() {
			end = &r.Changed
			if r.Changed.Before(r.Made) {
				end = &r.Made
			}
		}
		var title string
		err := tx.QueryRow(ctx, `
			UPDATE plan_efforts SET referral_id = $3, status = $4, end_date = COALESCE(end_date, $5)
			WHERE id = (SELECT id FROM plan_efforts WHERE plan_id = $1 AND offer_id = $2 AND referral_id IS NULL
			            AND removed_at IS NULL AND status = 'planlagt' ORDER BY start_date, id LIMIT 1)
			RETURNING title`, planID, r.OfferID, r.ID, status, end).Scan(&title)
		if errors.Is(err, pgx.ErrNoRows) {
			err = tx.QueryRow(ctx, `
				INSERT INTO plan_efforts (plan_id, offer_id, referral_id, title, area, status, responsible_unit_id, contact, start_date, end_date)
				SELECT $1, o.id, $3, o.name, $4, $5, o.provider_unit_id, o.contact, $6, $7 FROM offers o WHERE o.id = $2
				RETURNING title`, planID, r.OfferID, r.ID, effortArea(r.UnitKind), status, r.Made, end).Scan(&title)
		}
		if err != nil {
			return nil, fmt.Errorf("pull in referral %d: %w", r.ID, err)
		}
		titles = append(titles, title)
	}
	return titles, nil
}

// pullInEarlierReferrals is pullInReferrals for a plan that already exists (made before the
// rule): when the citizen has referrals from before the plan that were never linked, the plan
// is locked, they are pulled in, and the plan gets a new version and an audit row. Nothing is
// written when there is nothing to pull in, which is the rule once a plan has been shown.
func pullInEarlierReferrals(ctx context.Context, tx pgx.Tx, who Who, citizenID int64) error {
	var planID int64
	err := tx.QueryRow(ctx, `
		SELECT p.id FROM plans p WHERE p.citizen_id = $1 AND EXISTS (
			SELECT 1 FROM referrals r WHERE r.citizen_id = p.citizen_id AND r.created_at < p.created_at
			AND NOT EXISTS (SELECT 1 FROM plan_efforts e WHERE e.referral_id = r.id))`, citizenID).Scan(&planID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("find referrals before the plan: %w", err)
	}
	// Lock the plan; a second viewer waits here and then finds nothing left to pull in.
	if _, err := tx.Exec(ctx, `SELECT 1 FROM plans WHERE id = $1 FOR UPDATE`, planID); err != nil {
		return fmt.Errorf("lock plan: %w", err)
	}
	titles, err := pullInReferrals(ctx, tx, planID, true)
	if err != nil || len(titles) == 0 {
		return err
	}
	_, next, _, err := bumpPlanAnyVersion(ctx, tx, who, citizenID)
	if err != nil {
		return err
	}
	if err := recordVersion(ctx, tx, who, planID, next, pulledInSummary(titles)); err != nil {
		return err
	}
	return audit(ctx, tx, who, citizenID, "plan.update", fmt.Sprintf("plan version %d: %s", next, pulledInAudit(titles)))
}

// pulledInAudit is the audit detail for referrals pulled into the plan: how many, without
// the offers' names (an audit detail holds no typed text).
func pulledInAudit(titles []string) string {
	return fmt.Sprintf("%d henvisning(er) fra før planen lagt i planen", len(titles))
}

// pulledInSummary is the plan version's line for referrals pulled into the plan.
func pulledInSummary(titles []string) string {
	return "Henvisninger fra før planen er lagt i planen: " + strings.Join(titles, ", ")
}
