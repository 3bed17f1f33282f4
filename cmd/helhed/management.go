package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/helhed/helhed/internal/store"
)

// refreshManagement keeps the management figures fresh: at start and then every interval
// the materialised views are recomputed from the case data. Several instances may run it;
// an advisory lock lets one refresh at a time, and readers never wait for a refresh.
func refreshManagement(ctx context.Context, st *store.Store, log *slog.Logger, every time.Duration) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		start := time.Now()
		if ran, err := st.RefreshManagement(ctx); err != nil && ctx.Err() == nil {
			log.Error("management refresh", "err", err)
		} else if ran {
			log.Info("management refresh", "took", time.Since(start).Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
