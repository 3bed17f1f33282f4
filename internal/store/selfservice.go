package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// The citizen's own Helhed (docs/citizen-area.md): what the citizen reads and does about
// their own case, signed in with MitID. Every use case takes the citizen's Who (Who.Citizen
// set, no user), so its audit row is the citizen's own (SelfPrefix). Ids from the citizen's
// URLs are always looked up within the citizen: another citizen's id is not found, as a
// missing one is.

// Audit actions of the citizen area. Actions the staff side also writes (consent.create,
// consent.withdraw) get SelfPrefix from the Who.
const (
	AuditSelfLogin          = "self.login"
	AuditSelfLogout         = "self.logout"
	AuditSelfLoginUnknown   = "self.login_unknown"   // no case for the CPR number; the row names nobody
	AuditSelfLoginAssurance = "self.login_assurance" // the identity's assurance level is too low
	AuditSelfLoginFailed    = "self.login_failed"    // the MitID broker's answer was not accepted
	AuditSelfLimit          = "self.limit"           // an action refused by the per-citizen limit
	AuditSelfWHO5           = "self.who5"
	AuditSelfGoalRating     = "self.goal_rating"
	AuditSelfComment        = "self.comment"
)

// selfActionLabels are the Danish labels of the citizen's own actions (without SelfPrefix),
// as the citizen and the indsigt page see them (AuditActionLabel).
var selfActionLabels = map[string]string{
	"login":            "Borgeren loggede ind på Mit Helhed",
	"logout":           "Borgeren loggede ud af Mit Helhed",
	"login_unknown":    "Log ind på Mit Helhed uden en sag i kommunen",
	"login_assurance":  "Log ind på Mit Helhed afvist: for lavt sikringsniveau",
	"login_failed":     "Log ind på Mit Helhed afvist: svaret fra MitID kunne ikke godkendes",
	"limit":            "Handling på Mit Helhed afvist: for mange på kort tid",
	"who5":             "Borgeren besvarede WHO-5 selv",
	"goal_rating":      "Borgeren vurderede selv et delmål",
	"comment":          "Borgeren skrev en kommentar",
	"consent.create":   "Borgeren gav selv samtykke",
	"consent.withdraw": "Borgeren tilbagekaldte selv et samtykke",
	"document.upload":  "Borgeren sendte selv et dokument",
}

// CitizenByCPR finds the citizen with the CPR number: how the sign-in maps an identity to a
// case. No case is ENotFound.
func (s *Store) CitizenByCPR(ctx context.Context, cpr helhed.CPR) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `SELECT id FROM citizens WHERE cpr = $1`, string(cpr)).Scan(&id)
	if err != nil {
		return 0, notFound(err, "Borgeren")
	}
	return id, nil
}

// SelfActions counts the citizen's own audited actions since (the per-citizen limit of the
// citizen area; audit_events_citizen_idx).
func (s *Store) SelfActions(ctx context.Context, citizenID int64, since time.Time) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events
		WHERE citizen_id = $1 AND at > $2 AND user_id IS NULL AND starts_with(action, $3)`, citizenID, since, SelfPrefix).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count own actions: %w", err)
	}
	return n, nil
}

// WHO5SelfReport is a WHO-5 the citizen answered themself.
type WHO5SelfReport struct {
	ID         int64     `db:"id"`
	SamtaleID  *int64    `db:"samtale_id"`
	AnsweredOn time.Time `db:"answered_on"`
	Items      []int16   `db:"items"`
	WHO5       int       `db:"who5"`
	CreatedAt  time.Time `db:"created_at"`
}

// AddWHO5SelfReport stores the citizen's own WHO-5 answers, before the samtale samtaleID
// (0: none), which must be the citizen's. The score is helhed.WHO5Score.
func (s *Store) AddWHO5SelfReport(ctx context.Context, who Who, citizenID, samtaleID int64, items [5]int) (int64, error) {
	for _, v := range items {
		if v < 0 || v > helhed.MaxWHO5Item {
			return 0, &helhed.Error{Code: helhed.EInvalid, Message: "Svarene skal være mellem 0 og 5"}
		}
	}
	score := helhed.WHO5Score(items)
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if samtaleID != 0 {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM samtaler WHERE id = $1 AND citizen_id = $2)`,
				samtaleID, citizenID).Scan(&ok); err != nil {
				return fmt.Errorf("check samtale: %w", err)
			}
			if !ok {
				return helhed.ErrNotFound
			}
		}
		arr := []int16{int16(items[0]), int16(items[1]), int16(items[2]), int16(items[3]), int16(items[4])}
		if err := tx.QueryRow(ctx, `INSERT INTO who5_self_reports (citizen_id, samtale_id, answered_on, items, who5)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, citizenID, nullInt(samtaleID), helhed.DanishToday(s.Now()), arr, score).Scan(&id); err != nil {
			return fmt.Errorf("insert WHO-5: %w", err)
		}
		return audit(ctx, tx, who, citizenID, AuditSelfWHO5, fmt.Sprintf("WHO-5 besvaret af borgeren (%d)", id))
	})
	return id, err
}

// who5SelfReportSelect reads a citizen's ($1) own WHO-5 answers, oldest first.
const who5SelfReportSelect = `SELECT id, samtale_id, answered_on, items, who5, created_at
	FROM who5_self_reports WHERE citizen_id = $1 ORDER BY answered_on, id`

// WHO5SelfReports returns the citizen's own WHO-5 answers, oldest first (for the trend; a
// handful per samtale, the history shown whole like the screenings).
func (s *Store) WHO5SelfReports(ctx context.Context, citizenID int64) ([]WHO5SelfReport, error) {
	rows, _ := s.pool.Query(ctx, who5SelfReportSelect, citizenID)
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[WHO5SelfReport])
	if err != nil {
		return nil, fmt.Errorf("list WHO-5 self-reports: %w", err)
	}
	return rs, nil
}

// GoalRatings are the citizen's latest own ratings (1–5) of their goals, by goal id.
func (s *Store) GoalRatings(ctx context.Context, citizenID int64) (map[int64]int, error) {
	return goalRatings(citizenID).run(ctx, s.pool)
}

// GoalRatings queues Store.GoalRatings.
func (b *Batch) GoalRatings(citizenID int64) *Result[map[int64]int] {
	return queue(b, goalRatings(citizenID))
}

// goalRatings is GoalRatings's read.
func goalRatings(citizenID int64) query[map[int64]int] {
	return query[map[int64]int]{sql: `SELECT DISTINCT ON (goal_id) goal_id, rating FROM goal_self_ratings
		WHERE citizen_id = $1 ORDER BY goal_id, created_at DESC, id DESC`, args: []any{citizenID},
		read: func(rows pgx.Rows) (map[int64]int, error) {
			out := map[int64]int{}
			var goal int64
			var rating int
			_, err := pgx.ForEachRow(rows, []any{&goal, &rating}, func() error {
				out[goal] = rating
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("goal ratings: %w", err)
			}
			return out, nil
		}}
}

// RateGoal records the citizen's own rating (1–5) of a goal of their plan still in it.
func (s *Store) RateGoal(ctx context.Context, who Who, citizenID, goalID int64, rating int) error {
	if rating < 1 || rating > 5 {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Vælg, hvor langt du er nået", Fields: map[string]string{"rating": "Vælg, hvor langt du er nået"}}
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO goal_self_ratings (citizen_id, goal_id, rated_on, rating)
			SELECT p.citizen_id, g.id, $3, $4 FROM plan_goals g JOIN plans p ON p.id = g.plan_id
			WHERE g.id = $2 AND p.citizen_id = $1 AND g.removed_at IS NULL`, citizenID, goalID, helhed.DanishToday(s.Now()), rating)
		if err != nil {
			return fmt.Errorf("rate goal: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return helhed.ErrNotFound
		}
		return audit(ctx, tx, who, citizenID, AuditSelfGoalRating, fmt.Sprintf("delmål %d", goalID))
	})
}

// SelfComment is a comment the citizen wrote on their plan or on an indstilling.
type SelfComment struct {
	ID            int64     `db:"id"`
	MeetingCaseID *int64    `db:"meeting_case_id"`
	Text          string    `db:"text"`
	CreatedAt     time.Time `db:"created_at"`
}

// MaxSelfComment is the longest comment the citizen may write.
const MaxSelfComment = 4000

// AddSelfComment stores the citizen's comment on their plan (meetingCaseID 0) or on the
// indstilling of their case meetingCaseID, which must be theirs and have an indstilling.
func (s *Store) AddSelfComment(ctx context.Context, who Who, citizenID, meetingCaseID int64, text string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if meetingCaseID != 0 {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM meeting_cases WHERE id = $1 AND citizen_id = $2
				AND recorded_at IS NOT NULL AND withdrawn_at IS NULL)`, meetingCaseID, citizenID).Scan(&ok); err != nil {
				return fmt.Errorf("check case: %w", err)
			}
			if !ok {
				return helhed.ErrNotFound
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO self_comments (citizen_id, meeting_case_id, text) VALUES ($1, $2, $3)`,
			citizenID, nullInt(meetingCaseID), text); err != nil {
			return fmt.Errorf("insert comment: %w", err)
		}
		about := "indsatsplanen"
		if meetingCaseID != 0 {
			about = fmt.Sprintf("indstillingen i sag %d", meetingCaseID)
		}
		return audit(ctx, tx, who, citizenID, AuditSelfComment, "kommentar til "+about)
	})
}

// SelfComments is one page of the citizen's own comments, newest first, and how many there
// are (self_comments_citizen_idx).
func (s *Store) SelfComments(ctx context.Context, citizenID int64, pg Page) ([]SelfComment, int, error) {
	count, page := selfComments(citizenID, pg)
	total, err := count.run(ctx, s.pool)
	if err != nil {
		return nil, 0, err
	}
	cs, err := page.run(ctx, s.pool)
	if err != nil {
		return nil, 0, err
	}
	return cs, total, nil
}

// SelfComments queues Store.SelfComments: its two statements.
func (b *Batch) SelfComments(citizenID int64, pg Page) *Result[Counted[SelfComment]] {
	count, page := selfComments(citizenID, pg)
	total, rows := queue(b, count), queue(b, page)
	r := &Result[Counted[SelfComment]]{}
	b.after = append(b.after, func() error {
		r.fill(Counted[SelfComment]{Rows: rows.Value(), Total: total.Value()})
		return nil
	})
	return r
}

// selfComments is SelfComments's reads: the count and the page.
func selfComments(citizenID int64, pg Page) (query[int], query[[]SelfComment]) {
	pg = pg.normalize()
	count := query[int]{sql: `SELECT count(*) FROM self_comments WHERE citizen_id = $1`, args: []any{citizenID},
		read: func(rows pgx.Rows) (int, error) {
			total, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[int])
			if err != nil {
				return 0, fmt.Errorf("count comments: %w", err)
			}
			return total, nil
		}}
	page := query[[]SelfComment]{sql: `SELECT id, meeting_case_id, text, created_at FROM self_comments
		WHERE citizen_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`, args: []any{citizenID, pg.PerPage, pg.offset()},
		read: func(rows pgx.Rows) ([]SelfComment, error) {
			cs, err := pgx.CollectRows(rows, pgx.RowToStructByName[SelfComment])
			if err != nil {
				return nil, fmt.Errorf("list comments: %w", err)
			}
			return cs, nil
		}}
	return count, page
}

// Lookups is one page of the uses of the citizen's data by others, newest first: when and
// why, never by whom (as the art. 15 export: Lookup), and how many there are. The citizen's
// own actions are left out: they are not look-ups.
//
// The rows are found through the two indexes that name the citizen (audit_events_citizen_idx,
// and the GIN audit_events_citizen_ids_idx for list views) and only then sorted: the CTE is
// MATERIALIZED because, inlined, the planner walked the whole log backwards by time
// (audit_events_at_idx) looking for a rarely named citizen, which took seconds on a log of
// millions of rows (docs/queries.md). The total comes with the page; past the last page it is
// counted on its own.
func (s *Store) Lookups(ctx context.Context, citizenID int64, pg Page) ([]Lookup, int, error) {
	pg = pg.normalize()
	const hits = `WITH hits AS MATERIALIZED (
		SELECT a.id, a.at, a.action FROM audit_events a
		WHERE (a.citizen_id = $1 OR a.citizen_ids @> ARRAY[$1::bigint]) AND NOT starts_with(a.action, 'self.'))
	`
	rows, _ := s.pool.Query(ctx, hits+`SELECT at, action, count(*) OVER () FROM hits
		ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3`, citizenID, pg.PerPage, pg.offset())
	var out []Lookup
	var l Lookup
	total := 0
	_, err := pgx.ForEachRow(rows, []any{&l.At, &l.Action, &total}, func() error {
		out = append(out, Lookup{At: l.At, Action: AuditActionLabel(l.Action)})
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list look-ups: %w", err)
	}
	if len(out) == 0 && pg.offset() > 0 {
		if err := s.pool.QueryRow(ctx, hits+`SELECT count(*) FROM hits`, citizenID).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count look-ups: %w", err)
		}
	}
	return out, total, nil
}

// UpcomingSamtaler are the citizen's booked samtaler from from on, soonest first (at most
// limit; samtaler_citizen_idx).
func (s *Store) UpcomingSamtaler(ctx context.Context, citizenID int64, from time.Time, limit int) ([]Samtale, error) {
	rows, _ := s.pool.Query(ctx, samtaleColumns+` WHERE t.citizen_id = $1 AND t.starts_at >= $2 AND t.status = $3
		ORDER BY t.starts_at, t.id LIMIT $4`, citizenID, from, helhed.SamtaleBooked, limit)
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByName[Samtale])
	if err != nil {
		return nil, fmt.Errorf("upcoming samtaler: %w", err)
	}
	return ts, nil
}

// DemoCitizen is a citizen the demo's sign-in offers (only when the development sign-in is
// on: never with a MitID broker).
type DemoCitizen struct {
	CPR  helhed.CPR `db:"cpr"`
	Name string     `db:"name"`
}

// DemoCitizens are up to limit citizens with a plan, for the demo's sign-in page.
func (s *Store) DemoCitizens(ctx context.Context, limit int) ([]DemoCitizen, error) {
	rows, _ := s.pool.Query(ctx, `SELECT c.cpr, c.first_name || ' ' || c.last_name AS name
		FROM citizens c JOIN plans p ON p.citizen_id = c.id ORDER BY c.id LIMIT $1`, limit)
	cs, err := pgx.CollectRows(rows, pgx.RowToStructByName[DemoCitizen])
	if err != nil {
		return nil, fmt.Errorf("demo citizens: %w", err)
	}
	return cs, nil
}

// SelfDocumentByID loads a document the citizen may download from the citizen area: a
// letter to them, or one they sent themself. Any other document, or one of another
// citizen, is not found.
func (s *Store) SelfDocumentByID(ctx context.Context, citizenID, id int64) (Document, error) {
	var d Document
	if err := scanDocument(s.pool.QueryRow(ctx, documentSelect+`WHERE d.id = $1 AND d.citizen_id = $2
		AND (d.uploaded_by_citizen OR EXISTS (SELECT 1 FROM letters l WHERE l.document_id = d.id))`, id, citizenID), &d); err != nil {
		return Document{}, notFound(err, "Dokumentet")
	}
	return d, nil
}

// SelfDocuments are the latest documents the citizen sent themself, newest first (at most
// limit; documents_citizen_idx).
func (s *Store) SelfDocuments(ctx context.Context, citizenID int64, limit int) ([]Document, error) {
	rows, err := s.pool.Query(ctx, documentSelect+`WHERE d.citizen_id = $1 AND d.uploaded_by_citizen
		ORDER BY d.uploaded_at DESC, d.id DESC LIMIT $2`, citizenID, limit)
	if err != nil {
		return nil, fmt.Errorf("own documents: %w", err)
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		var d Document
		if err := scanDocument(rows, &d); err != nil {
			return nil, fmt.Errorf("own documents: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
