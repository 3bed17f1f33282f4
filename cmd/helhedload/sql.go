package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/store"
)

// sqlBaseline runs, at the same concurrency and for the same time as the page run, exactly
// the store calls the citizen overview and caseload handlers make, without HTTP, sessions or
// templates. The difference between the two is what the app adds.
func sqlBaseline(ctx context.Context, c config) (*recorder, error) {
	pool, err := store.OpenPool(ctx, c.databaseURL)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	st := store.New(pool)
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
	kinds := []string{"benefit_type", "exit_reason", "visitation_category", "consent_information"}
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
					id := me.citizens[r.IntN(len(me.citizens))]
					if _, err = st.Relation(runCtx, me.user, id); err == nil {
						if _, err = st.ViewCitizen(runCtx, who, id); err == nil {
							if _, err = st.RefSets(runCtx, kinds...); err == nil {
								_, err = st.ListUnits(runCtx) // the consent form's recipients
							}
						}
					}
				} else {
					name = "sql: caseload"
					if _, err = st.RefSets(runCtx, kinds...); err == nil {
						if _, _, err = st.ListCitizens(runCtx, store.CitizenFilter{CaseworkerID: me.user.ID, UnitID: me.user.UnitID},
							store.Page{Number: 1, PerPage: 50}); err == nil {
							err = st.Audit(runCtx, who, 0, store.AuditCaseloadView, "bench")
						}
					}
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
