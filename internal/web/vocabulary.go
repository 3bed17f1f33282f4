package web

import (
	"context"
	"slices"
	"sync"

	"github.com/helhed/helhed/internal/live"
	"github.com/helhed/helhed/internal/store"
)

// vocabulary keeps the reference data (benefit types, exit reasons, outcomes …) in memory:
// almost every page labels codes with it, and it changes a few times a year. A trigger on
// ref_values announces every change on the live channel (store.RefDataTopic), so the copy is
// read again on the next use after a change on any instance — or after the live connection
// was lost, when a change may have been missed. When the live connection cannot be had, it
// reads the database every time rather than risk a stale copy.
type vocabulary struct {
	store *store.Store
	hub   *live.Hub

	mu     sync.Mutex
	sub    *live.Sub
	seq    uint64
	sets   map[string]store.RefSet
	loaded bool
}

// all returns every vocabulary, current as of the last announced change.
func (v *vocabulary) all(ctx context.Context) (map[string]store.RefSet, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.sub == nil {
		sub, err := v.hub.Subscribe(ctx, store.RefDataTopic)
		if err != nil {
			return v.store.AllRefSets(ctx)
		}
		v.sub = sub
	}
	if v.loaded && v.sub.Seq() == v.seq {
		return v.sets, nil
	}
	seq := v.sub.Seq() // before the read: a change during it makes the next use read again
	sets, err := v.store.AllRefSets(ctx)
	if err != nil {
		return nil, err
	}
	for k, rs := range sets {
		sets[k] = slices.Clip(rs) // shared by every request: an append must copy
	}
	v.sets, v.seq, v.loaded = sets, seq, true
	return sets, nil
}

// Sets returns the vocabularies of the given kinds (like store.RefSets).
func (v *vocabulary) Sets(ctx context.Context, kinds ...string) (map[string]store.RefSet, error) {
	all, err := v.all(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]store.RefSet, len(kinds))
	for _, k := range kinds {
		out[k] = all[k]
	}
	return out, nil
}

// Values returns one vocabulary (like store.RefValues).
func (v *vocabulary) Values(ctx context.Context, kind string) (store.RefSet, error) {
	all, err := v.all(ctx)
	if err != nil {
		return nil, err
	}
	return all[kind], nil
}
