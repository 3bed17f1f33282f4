package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// Team is a rehabiliteringsteam.
type Team struct {
	ID       int64  `db:"id"`
	Name     string `db:"name"`
	UnitID   int64  `db:"unit_id"`
	UnitName string `db:"unit_name"`
	Members  int    `db:"members"`
}

// TeamMember is one member of a team.
type TeamMember struct {
	UserID   int64  `db:"user_id"`
	Name     string `db:"name"`
	UnitName string `db:"unit_name"`
	Role     string `db:"role"`
	Area     string `db:"area"`
}

// ListTeams returns every team with its member count (a municipality has one to a few).
func (s *Store) ListTeams(ctx context.Context) ([]Team, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT t.id, t.name, t.unit_id, u.name AS unit_name,
		       (SELECT count(*) FROM rehab_team_members m WHERE m.team_id = t.id)::int AS members
		FROM rehab_teams t JOIN units u ON u.id = t.unit_id ORDER BY t.name`)
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByName[Team])
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	return ts, nil
}

// TeamByID returns a team and its members.
func (s *Store) TeamByID(ctx context.Context, id int64) (Team, []TeamMember, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT t.id, t.name, t.unit_id, u.name AS unit_name,
		       (SELECT count(*) FROM rehab_team_members m WHERE m.team_id = t.id)::int AS members
		FROM rehab_teams t JOIN units u ON u.id = t.unit_id WHERE t.id = $1`, id)
	t, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Team])
	if err != nil {
		return t, nil, notFound(err, "Teamet")
	}
	rows, _ = s.pool.Query(ctx, `
		SELECT m.user_id, u.name, n.name AS unit_name, u.role, m.area
		FROM rehab_team_members m JOIN users u ON u.id = m.user_id JOIN units n ON n.id = u.unit_id
		WHERE m.team_id = $1 ORDER BY m.area, u.name`, id)
	ms, err := pgx.CollectRows(rows, pgx.RowToStructByName[TeamMember])
	if err != nil {
		return t, nil, fmt.Errorf("team members: %w", err)
	}
	return t, ms, nil
}

// CreateTeam makes a team run by unitID. A name in use is a field error on "name".
func (s *Store) CreateTeam(ctx context.Context, who Who, name string, unitID int64) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO rehab_teams (name, unit_id, created_by) VALUES ($1, $2, $3) RETURNING id`,
			name, unitID, nullInt(who.UserID)).Scan(&id)
		if isUniqueViolation(err, "rehab_teams_name_key") {
			return &helhed.Error{Code: helhed.EInvalid, Message: "Teamet kan ikke oprettes",
				Fields: map[string]string{"name": "Der findes allerede et team med det navn"}}
		}
		if err != nil {
			return fmt.Errorf("insert team: %w", err)
		}
		return audit(ctx, tx, who, 0, AuditTeamChange, fmt.Sprintf("team %d oprettet i enhed %d", id, unitID))
	})
	return id, err
}

// SetTeamMember adds a user to a team with the area they represent, or changes the area of a
// member; area "" removes them.
func (s *Store) SetTeamMember(ctx context.Context, who Who, teamID, userID int64, area string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		detail := fmt.Sprintf("team %d: bruger %d ", teamID, userID)
		if area == "" {
			_, err = tx.Exec(ctx, `DELETE FROM rehab_team_members WHERE team_id = $1 AND user_id = $2`, teamID, userID)
			detail += "fjernet"
		} else {
			_, err = tx.Exec(ctx, `
				INSERT INTO rehab_team_members (team_id, user_id, area) VALUES ($1, $2, $3)
				ON CONFLICT (team_id, user_id) DO UPDATE SET area = EXCLUDED.area`, teamID, userID, area)
			detail += "som " + area
		}
		if err != nil {
			return fmt.Errorf("set team member: %w", err)
		}
		return audit(ctx, tx, who, 0, AuditTeamChange, detail)
	})
}
