package web

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// Callers asking for the same key while it is being made, and after, get the one result;
// a failure is not kept.
func TestSharedRunsOncePerKey(t *testing.T) {
	var c shared[int]
	var calls atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	results := make([]int, 20)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = c.do("k", func(context.Context) (int, error) {
				calls.Add(1)
				<-release
				return 42, nil
			})
		}()
	}
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("made %d times; want once for 20 concurrent callers", n)
	}
	for i, r := range results {
		if r != 42 {
			t.Fatalf("caller %d got %d", i, r)
		}
	}
	if v, _ := c.do("k", func(context.Context) (int, error) { calls.Add(1); return 0, nil }); v != 42 || calls.Load() != 1 {
		t.Fatalf("a later caller re-made the value: %d, %d calls", v, calls.Load())
	}
	boom := errors.New("boom")
	if _, err := c.do("bad", func(context.Context) (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if v, err := c.do("bad", func(context.Context) (int, error) { return 7, nil }); err != nil || v != 7 {
		t.Fatalf("a failure was kept: %d, %v", v, err)
	}
}
