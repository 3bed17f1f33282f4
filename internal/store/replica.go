package store

import (
	"context"
	"fmt"
	"time"
)

// Freshness says how old figures read through a store may be.
type Freshness struct {
	// Replica: the store reads a standby (READ_DATABASE_URL), not the primary.
	Replica bool
	// Lag is, on a replica, the time since the last transaction it replayed was committed on
	// the primary: the figures miss at most the changes of the last Lag. It overstates the
	// lag when the primary has been quiet (nothing to replay), never understates it.
	Lag time.Duration
	// NothingReplayed: the replica has replayed no transaction since it started, so its age
	// is unknown.
	NothingReplayed bool
}

// Freshness asks the server this store reads how old its data may be: a primary is live; a
// standby is as old as the last transaction it replayed (pg_last_xact_replay_timestamp).
func (s *Store) Freshness(ctx context.Context) (Freshness, error) {
	var f Freshness
	var lag *float64
	err := s.pool.QueryRow(ctx, `
		SELECT pg_is_in_recovery(), extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8`).Scan(&f.Replica, &lag)
	if err != nil {
		return Freshness{}, fmt.Errorf("replica lag: %w", err)
	}
	if f.Replica {
		if lag == nil {
			f.NothingReplayed = true
		} else {
			f.Lag = time.Duration(max(*lag, 0) * float64(time.Second))
		}
	}
	return f, nil
}
