package web

import (
	"context"
	"slices"

	"github.com/helhed/helhed/internal/live"
	"github.com/helhed/helhed/internal/store"
)

// vocabulary keeps the reference data (benefit types, exit reasons, outcomes …) in memory:
// almost every page labels codes with it, and it changes a few times a year. A trigger on
// ref_values announces every change on the live channel (store.RefDataTopic), and the copy
// (live.Copy) is read again on the next use after a change on any instance — or after the
// live connection was lost, when a change may have been missed. While the live connection
// cannot be had, it reads the database every time rather than risk a stale copy.
type vocabulary struct {
	sets *live.Copy[map[string]store.RefSet]
}

func newVocabulary(st *store.Store, hub *live.Hub) *vocabulary {
	return &vocabulary{sets: live.NewCopy(hub, func(ctx context.Context) (map[string]store.RefSet, error) {
		sets, err := st.AllRefSets(ctx)
		for k, rs := range sets {
			sets[k] = slices.Clip(rs) // shared by every request: an append must copy
		}
		return sets, err
	}, store.RefDataTopic)}
}

// all returns every vocabulary, current as of the last announced change.
func (v *vocabulary) all(ctx context.Context) (map[string]store.RefSet, error) {
	return v.sets.Get(ctx)
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
