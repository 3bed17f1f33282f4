package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
)

// tfaAccessSQL is the kind of the user's unit when the user ($7 in Relation) takes part, for
// that unit ($2), in the citizen's (c) newest TFA while it is a draft or for ReferralAccessDays
// ($6) after it was concluded ($8: now); NULL otherwise (assessments (citizen_id, number),
// assessment_participants' primary key).
const tfaAccessSQL = `
	COALESCE((SELECT p.unit_kind FROM assessments a
	          JOIN assessment_participants p ON p.assessment_id = a.id AND p.user_id = $7 AND p.unit_id = $2
	          WHERE a.citizen_id = c.id
	            AND (a.concluded_at IS NULL OR a.concluded_at > $8::timestamptz - make_interval(days => $6))
	          ORDER BY a.number DESC LIMIT 1), '')`

// SectionInfo is who wrote one section of a TFA last, and when, and the section's version
// (its optimistic lock; 0 while nobody has written it).
type SectionInfo struct {
	Section   string    `db:"section"`
	Version   int       `db:"version"`
	UpdatedBy string    `db:"updated_by_name"`
	UpdatedAt time.Time `db:"updated_at"`
}

// Conference is a TFA conference: when it was held, whether the citizen was there and which
// of the participants attended.
type Conference struct {
	ID             int64     `db:"id"`
	HeldOn         time.Time `db:"held_on"`
	CitizenPresent bool      `db:"citizen_present"`
	Attendees      []string  `db:"attendees"`
	CreatedBy      string    `db:"created_by_name"`
}

// loadSections returns the sections of a TFA that someone has written, by section code.
func loadSections(ctx context.Context, tx pgx.Tx, id int64) (map[string]SectionInfo, error) {
	rows, _ := tx.Query(ctx, `
		SELECT s.section, s.version, u.name AS updated_by_name, s.updated_at
		FROM assessment_sections s JOIN users u ON u.id = s.updated_by WHERE s.assessment_id = $1`, id)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[SectionInfo])
	if err != nil {
		return nil, fmt.Errorf("assessment sections: %w", err)
	}
	out := map[string]SectionInfo{}
	for _, s := range list {
		out[s.Section] = s
	}
	return out, nil
}

// loadConferences returns the TFA's conferences, oldest first (one or two per TFA).
func loadConferences(ctx context.Context, tx pgx.Tx, id int64) ([]Conference, error) {
	rows, _ := tx.Query(ctx, `
		SELECT c.id, c.held_on, c.citizen_present, u.name AS created_by_name,
		       ARRAY(SELECT a.name FROM assessment_conference_attendees x JOIN users a ON a.id = x.user_id
		             WHERE x.conference_id = c.id ORDER BY a.name) AS attendees
		FROM assessment_conferences c JOIN users u ON u.id = c.created_by
		WHERE c.assessment_id = $1 ORDER BY c.held_on, c.id`, id)
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[Conference])
	if err != nil {
		return nil, fmt.Errorf("assessment conferences: %w", err)
	}
	return out, nil
}

// touchSection records that who wrote section of TFA id, expecting the section at version
// (0: never written); it returns the section's new version, or a conflict when someone else
// saved the section since.
func touchSection(ctx context.Context, tx pgx.Tx, who Who, id int64, section access.TFASection, version int) (int, error) {
	var next int
	var err error
	if version == 0 {
		err = tx.QueryRow(ctx, `
			INSERT INTO assessment_sections (assessment_id, section, updated_by) VALUES ($1, $2, $3)
			ON CONFLICT (assessment_id, section) DO NOTHING RETURNING version`, id, string(section), who.UserID).Scan(&next)
	} else {
		err = tx.QueryRow(ctx, `
			UPDATE assessment_sections SET version = version + 1, updated_by = $4, updated_at = now()
			WHERE assessment_id = $1 AND section = $2 AND version = $3 RETURNING version`,
			id, string(section), version, who.UserID).Scan(&next)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, &helhed.Error{Code: helhed.EConflict, Message: "Afsnittet »" + section.Label() +
			"« er gemt af en anden, siden du åbnede det. Din tekst er ikke gemt endnu."}
	}
	if err != nil {
		return 0, fmt.Errorf("section version: %w", err)
	}
	return next, nil
}

// SaveAssessmentSection saves one section of the citizen's TFA draft, as the writer loaded it
// at version (the section's own version, 0 when it was empty). Only the section's answers are
// taken from in: the health tracks and the Helbred element for the health section, the
// resource elements of the section's class for the employment and social sections, the goals
// and the conclusion for the summary. Other sections are left as they are, so two professions
// writing different sections at once both keep their text; saving a stale version of the same
// section is a conflict. The caller has checked that the writer may write the section
// (access.CanWriteSection). It returns the section's new version.
func (s *Store) SaveAssessmentSection(ctx context.Context, who Who, citizenID, id int64, section access.TFASection, version int, in AssessmentInput) (int, error) {
	var next int
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var tracksRaw, resourcesRaw []byte
		var goals, conclusion string
		err := tx.QueryRow(ctx, `SELECT tracks, resources, citizen_goals, conclusion FROM assessments
			WHERE id = $1 AND citizen_id = $2 AND concluded_at IS NULL FOR UPDATE`, id, citizenID).Scan(&tracksRaw, &resourcesRaw, &goals, &conclusion)
		if errors.Is(err, pgx.ErrNoRows) {
			return draftConflict(ctx, tx, citizenID, id)
		}
		if err != nil {
			return fmt.Errorf("lock assessment: %w", err)
		}
		tracks := map[string]helhed.TrackAnswer{}
		resources := map[string]helhed.ResourceAnswer{}
		if err := json.Unmarshal(tracksRaw, &tracks); err != nil {
			return fmt.Errorf("decode tracks: %w", err)
		}
		if err := json.Unmarshal(resourcesRaw, &resources); err != nil {
			return fmt.Errorf("decode resources: %w", err)
		}
		if next, err = touchSection(ctx, tx, who, id, section, version); err != nil {
			return err
		}
		switch section {
		case access.SectionSummary:
			goals, conclusion = in.CitizenGoals, in.Conclusion
		default:
			if section == access.SectionHealth {
				tracks = map[string]helhed.TrackAnswer{}
				for k, v := range in.Tracks {
					tracks[k] = v
				}
			}
			for k := range resources {
				if access.SectionOfElement(k) == section {
					delete(resources, k)
				}
			}
			for k, v := range in.Resources {
				if access.SectionOfElement(k) == section {
					resources[k] = v
				}
			}
		}
		tj, err := json.Marshal(tracks)
		if err != nil {
			return fmt.Errorf("encode tracks: %w", err)
		}
		rj, err := json.Marshal(resources)
		if err != nil {
			return fmt.Errorf("encode resources: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE assessments SET tracks = $3, resources = $4, citizen_goals = $5, conclusion = $6,
			       version = version + 1, updated_by = $7, updated_at = now()
			WHERE id = $1 AND citizen_id = $2`, id, citizenID, tj, rj, goals, conclusion, who.UserID); err != nil {
			return fmt.Errorf("save assessment section: %w", err)
		}
		return audit(ctx, tx, who, citizenID, "assessment.section", fmt.Sprintf("TFA %d: afsnit %s gemt", id, section.Label()))
	})
	return next, err
}

// AssessmentSection returns who wrote one section of the citizen's TFA last, for the conflict
// page (the zero SectionInfo with the section's code when nobody has).
func (s *Store) AssessmentSection(ctx context.Context, citizenID, id int64, section access.TFASection) (SectionInfo, error) {
	info := SectionInfo{Section: string(section)}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT true FROM assessments WHERE id = $1 AND citizen_id = $2`, id, citizenID).Scan(&ok); err != nil {
			return notFound(err, "TFA'en")
		}
		all, err := loadSections(ctx, tx, id)
		if v, found := all[string(section)]; found {
			info = v
		}
		return err
	})
	return info, err
}

// RecordConference records a TFA conference of the citizen's TFA: the day it was held,
// whether the citizen was present, and which of the TFA's participants attended (others in
// attendees are refused). A conference may follow the conclusion: it is where the analysis is
// gone through with the citizen.
func (s *Store) RecordConference(ctx context.Context, who Who, citizenID, id int64, heldOn time.Time, citizenPresent bool, attendees []int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM assessment_participants p JOIN assessments a ON a.id = p.assessment_id
			WHERE a.id = $1 AND a.citizen_id = $2 AND p.user_id = ANY($3)`, id, citizenID, attendees).Scan(&n); err != nil {
			return fmt.Errorf("check attendees: %w", err)
		}
		uniq := map[int64]bool{}
		for _, a := range attendees {
			uniq[a] = true
		}
		if len(uniq) == 0 || n != len(uniq) {
			return &helhed.Error{Code: helhed.EInvalid, Message: "Vælg deltagerne på konferencen",
				Fields: map[string]string{"conference_attendees": "Vælg mindst én af TFA'ens deltagere"}}
		}
		var cid int64
		err := tx.QueryRow(ctx, `INSERT INTO assessment_conferences (assessment_id, held_on, citizen_present, created_by)
			SELECT id, $3, $4, $5 FROM assessments WHERE id = $1 AND citizen_id = $2 RETURNING id`,
			id, citizenID, heldOn, citizenPresent, who.UserID).Scan(&cid)
		if err != nil {
			return notFound(err, "TFA'en")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO assessment_conference_attendees (conference_id, user_id)
			SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`, cid, attendees); err != nil {
			return fmt.Errorf("conference attendees: %w", err)
		}
		present := "uden borgeren"
		if citizenPresent {
			present = "med borgeren"
		}
		return audit(ctx, tx, who, citizenID, "assessment.conference", fmt.Sprintf("TFA %d: konference %s %s",
			id, heldOn.Format(time.DateOnly), present))
	})
}

// InvitedAssessment is a TFA draft a health or social professional is invited to write in.
type InvitedAssessment struct {
	CitizenID   int64     `db:"citizen_id"`
	CitizenName string    `db:"citizen_name"`
	ID          int64     `db:"id"`
	Number      int       `db:"number"`
	AddedAt     time.Time `db:"added_at"`
}

// InvitedAssessments lists the TFA drafts u is a participant of for u's unit (at most 100).
// Both sides of the join are index-only scans (assessment_participants_user_idx and
// assessments_open_idx, migration 0045): a professional has taken part in thousands of
// concluded TFAs, and only the open ones are wanted.
func (s *Store) InvitedAssessments(ctx context.Context, u access.User) ([]InvitedAssessment, error) {
	rows, _ := s.pool.Query(ctx, invitedAssessmentsSQL, u.ID, u.UnitID)
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[InvitedAssessment])
	if err != nil {
		return nil, fmt.Errorf("invited assessments: %w", err)
	}
	return out, nil
}

// invitedAssessmentsSQL is InvitedAssessments's statement ($1 the user, $2 the unit; its plan
// is tested in TestInboxAndInvitationsAreIndexOnly).
//
// The open drafts are a materialised CTE so that they are hashed once, whatever the plan: the
// cached generic plan, which cannot know how many TFAs this user took part in, otherwise
// probed the drafts once per participation (4 600 buffers for 2 300 participations).
const invitedAssessmentsSQL = `
	WITH open AS MATERIALIZED (
		SELECT a.id, a.citizen_id, a.number FROM assessments a WHERE a.concluded_at IS NULL)
	SELECT a.citizen_id, c.first_name || ' ' || c.last_name AS citizen_name, a.id, a.number, p.added_at
	FROM assessment_participants p JOIN open a ON a.id = p.assessment_id JOIN citizens c ON c.id = a.citizen_id
	WHERE p.user_id = $1 AND p.unit_id = $2 AND c.unit_id <> $2
	ORDER BY p.added_at DESC LIMIT 100`

// sectionCodes are the codes of every TFA section.
func sectionCodes() []string {
	out := make([]string, len(access.TFASections))
	for i, s := range access.TFASections {
		out[i] = string(s)
	}
	return out
}
