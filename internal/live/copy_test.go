package live_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/live"
	"github.com/helhed/helhed/internal/live/livetest"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/testlimit"
)

// source stands for a table: its value, and how many times it was read.
type source struct{ value, reads atomic.Int64 }

func (s *source) load(context.Context) (int64, error) {
	s.reads.Add(1)
	return s.value.Load(), nil
}

// get reads c and says whether that read the source.
func get(t *testing.T, c *live.Copy[int64], src *source) (v int64, read bool) {
	t.Helper()
	before := src.reads.Load()
	v, err := c.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v, src.reads.Load() > before
}

// eventually polls c until it holds want (after an announcement, which arrives when it does).
func eventually(t *testing.T, c *live.Copy[int64], src *source, want int64, what string) {
	t.Helper()
	testlimit.Eventually(t, 2*time.Second, what, func() bool { v, _ := get(t, c, src); return v == want })
}

// A copy is read once and kept; an announcement of any of its topics, a Drop, a lost
// connection make the next use read again; while the connection is down every use reads.
func TestCopyIsReadAgainAfterAnnouncements(t *testing.T) {
	t.Parallel()
	pool, url := testdb.New(t)
	h := livetest.New(t, url, channel)
	src := &source{}
	src.value.Store(1)
	c := live.NewCopy(h.Hub, src.load, "settings", "refdata")

	// Until the hub listens, nothing is kept: the first use starts it.
	if v, read := get(t, c, src); v != 1 || !read {
		t.Fatalf("first use: %d, read %v", v, read)
	}
	h.WaitListening(t)
	get(t, c, src)
	if v, read := get(t, c, src); v != 1 || read {
		t.Fatalf("kept copy: %d, read %v; want 1 from memory", v, read)
	}

	// A change is not seen until announced; then the next use reads it, for each topic.
	src.value.Store(2)
	if v, _ := get(t, c, src); v != 1 {
		t.Fatalf("before the announcement: %d; want the kept 1", v)
	}
	notify(t, pool, "settings")
	eventually(t, c, src, 2, "after settings")
	src.value.Store(3)
	notify(t, pool, "refdata")
	eventually(t, c, src, 3, "after refdata")
	if _, read := get(t, c, src); read {
		t.Fatal("read again without a change")
	}
	// Another topic leaves the copy alone.
	other, err := h.Subscribe(context.Background(), "units")
	if err != nil {
		t.Fatal(err)
	}
	src.value.Store(4)
	notify(t, pool, "units")
	wait(t, other, time.Second, "the other topic")
	if v, read := get(t, c, src); v != 3 || read {
		t.Fatalf("after another topic's announcement: %d, read %v; want the kept 3", v, read)
	}
	notify(t, pool, "settings")
	eventually(t, c, src, 4, "after settings again")

	// The instance that made a change drops its copy: its next use reads, unannounced.
	src.value.Store(5)
	c.Drop()
	if v, read := get(t, c, src); v != 5 || !read {
		t.Fatalf("after Drop: %d, read %v", v, read)
	}

	// While the connection is down, a change would go unannounced: every use reads.
	h.Cut(t)
	for want := int64(6); want < 9; want++ {
		src.value.Store(want)
		if v, read := get(t, c, src); v != want || !read {
			t.Fatalf("connection down: %d, read %v; want %d read from the source", v, read, want)
		}
	}
	// Back up, the copy is read again (the reconnect wakes every topic) and then kept.
	src.value.Store(9)
	h.Restore(t)
	if v, read := get(t, c, src); v != 9 || !read {
		t.Fatalf("after reconnecting: %d, read %v", v, read)
	}
	if v, read := get(t, c, src); v != 9 || read {
		t.Fatalf("kept after reconnecting: %d, read %v", v, read)
	}

	// A closed hub announces nothing any more: every use reads.
	h.Close()
	src.value.Store(10)
	if v, read := get(t, c, src); v != 10 || !read {
		t.Fatalf("hub closed: %d, read %v", v, read)
	}
}

// A copy made before the hub's connection is lost is read again after the reconnect, even
// when every change in between was made while nobody used it.
func TestCopyIsReadAgainAfterAnOutage(t *testing.T) {
	t.Parallel()
	_, url := testdb.New(t)
	h := livetest.New(t, url, channel)
	src := &source{}
	c := live.NewCopy(h.Hub, src.load, "units")
	get(t, c, src)
	h.WaitListening(t)
	get(t, c, src)
	h.Cut(t)
	src.value.Store(1) // missed: nobody listened
	h.Restore(t)
	if v, read := get(t, c, src); v != 1 || !read {
		t.Fatalf("after the outage: %d, read %v; want 1, read again", v, read)
	}
}
