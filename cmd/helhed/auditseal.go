package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/helhed/helhed/internal/store"
)

// sealAudit puts the audit rows written since the last round into the audit hash chain
// (store.SealAudit), every interval until ctx ends. Audited requests insert their rows
// unsealed and never wait for the chain's lock; this job is the one writer of the chain.
// Several instances may run it: audit_seal's lock makes them take turns, and the one that
// comes second finds nothing left. The server also seals once more as it shuts down.
func sealAudit(ctx context.Context, st *store.Store, log *slog.Logger, every time.Duration) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := st.SealAudit(ctx); err != nil && ctx.Err() == nil {
			log.Error("audit seal", "err", err)
		} else if n > 0 {
			log.Debug("audit seal", "rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sealAuditAtShutdown seals what the last requests wrote, so the chain covers them before
// the server stops (the next start's job would otherwise).
func sealAuditAtShutdown(st *store.Store, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if n, err := st.SealAudit(ctx); err != nil {
		log.Error("audit seal at shutdown", "err", err)
	} else if n > 0 {
		log.Info("audit seal at shutdown", "rows", n)
	}
}
