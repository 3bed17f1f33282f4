package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/live"
	"github.com/helhed/helhed/internal/store"
)

// sqlBaseline runs, at the same concurrency and for the same time as the page run, exactly
// the store calls the citizen overview and caseload handlers make, without HTTP, sessions or
// templates. The difference between the two is what the app adds.
//
// Keep overviewSQL in step with internal/web's renderOverviewWith when the page changes.
func sqlBaseline(ctx context.Context, c config) (*recorder, error) {
	pool, err := store.OpenPool(ctx, c.databaseURL)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	st := store.New(pool)
	// The settings and units from memory, as in the app (web.New).
	hub := live.NewHub(pool, store.LiveChannel, slog.New(slog.DiscardHandler))
	defer hub.Close()
	st.KeepCopies(hub)
	type cw struct {
		user     access.User
		citizens []int64
	}
	rows, err := pool.Query(ctx, `
		SELECT u.id, u.unit_id, array_agg(c.id ORDER BY c.id)
		FROM users u JOIN citizens c ON c.caseworker_id = u.id
		WHERE u.role = 'sagsbehandler' GROUP BY u.id, u.unit_id ORDER BY u.id LIMIT $1`, c.users)
	if err != nil {
		return nil, err
	}
	var cws []cw
	for rows.Next() {
		var x cw
		x.user.Role = access.RoleCaseworker
		if err := rows.Scan(&x.user.ID, &x.user.UnitID, &x.citizens); err != nil {
			return nil, err
		}
		cws = append(cws, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(cws) == 0 {
		return nil, fmt.Errorf("sql baseline: no caseworkers with citizens")
	}
	rec := newRecorder()
	runCtx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	var wg sync.WaitGroup
	for i := range c.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), 7))
			me := cws[i%len(cws)]
			who := store.Who{UserID: me.user.ID, RequestID: "bench"}
			for runCtx.Err() == nil {
				start := time.Now()
				var err error
				name := "sql: citizen overview"
				if r.IntN(2) == 0 {
					err = overviewSQL(runCtx, st, me.user, who, me.citizens[r.IntN(len(me.citizens))])
				} else {
					name = "sql: caseload"
					err = caseloadSQL(runCtx, st, me.user, who)
				}
				if runCtx.Err() != nil {
					return
				}
				rec.add(name, time.Since(start), err == nil)
			}
		}()
	}
	wg.Wait()
	return rec, nil
}

// overviewSQL makes the store calls of the citizen page for a caseworker of the citizen's
// unit, in the handler's order: the user, the access relation, the citizen with benefits,
// screenings, consents and the audit row (ViewCitizen), the sections' reads in one batch, and
// the navigation's counts. (The vocabularies come from the app's memory; so do the units and
// settings, from the store's copies.)
func overviewSQL(ctx context.Context, st *store.Store, u access.User, who store.Who, id int64) error {
	if _, err := st.UserByID(ctx, u.ID); err != nil { // loadUser
		return err
	}
	rel, err := st.Relation(ctx, u, id)
	if err != nil {
		return err
	}
	if _, err := st.ViewCitizen(ctx, who, id); err != nil {
		return err
	}
	sight := access.SightOf(u, rel)
	var classes []string // the classes of documents the viewer sees (web's seenDocumentClasses)
	for _, c := range access.DocumentClasses {
		if sight.SeesRow(access.DocumentRow(c.String())) {
			classes = append(classes, c.String())
		}
	}
	b := st.Batch()
	b.ListReferrals(store.ReferralFilter{CitizenID: id}, store.Page{Number: 1, PerPage: 100})
	b.ReferralsWithRepeatedNoShows([]int64{id}, 3)
	b.ListDocuments(id, classes, store.Page{Number: 1, PerPage: 3})
	b.ListLetters(id, classes, store.Page{Number: 1, PerPage: 1})
	b.ListAssessments(id)
	b.PlanForOverview(id)
	b.CaseDescriptionOf(id)
	b.CitizenHealthAdvice(id)
	b.CitizenMeetings(id)
	b.UpcomingMeetings(time.Now(), 30)
	b.NoteSummary(id, sight, 3)
	b.NextContact(id)
	if err := b.Send(ctx); err != nil {
		return err
	}
	_, err = st.NavBadges(ctx, u.ID, u.UnitID, true, false, true)
	return err
}

// caseloadSQL makes the store calls of "Mine borgere": the user, the first page with its
// count, the audit row, and the navigation's badge.
func caseloadSQL(ctx context.Context, st *store.Store, u access.User, who store.Who) error {
	if _, err := st.UserByID(ctx, u.ID); err != nil {
		return err
	}
	rows, _, err := st.ListCitizens(ctx, store.CitizenFilter{CaseworkerID: u.ID, UnitID: u.UnitID}, store.Page{Number: 1, PerPage: 50})
	if err != nil {
		return err
	}
	shown := make([]int64, len(rows))
	for i, c := range rows {
		shown[i] = c.ID
	}
	if err := st.AuditList(ctx, who, store.AuditCaseloadView, "liste: mine", shown); err != nil {
		return err
	}
	_, _, err = st.ReferralBadge(ctx, u.ID, u.UnitID, false, true)
	return err
}
