package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// A server that answers one request at a time in 20 ms, loaded with 100 requests a second,
// is overloaded twice over. The closed loop with one user cannot see it: it waits for each
// answer before asking again, so it reports the 20 ms service time. The open loop starts
// the requests on schedule, and the queue it builds up is the latency users would feel.
func TestOpenLoopCountsTheQueueAClosedLoopHides(t *testing.T) {
	const service = 20 * time.Millisecond
	busy := make(chan struct{}, 1) // the server serves one request at a time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		busy <- struct{}{}
		time.Sleep(service)
		<-busy
	}))
	defer srv.Close()
	newVUs := func(n int) []*vu {
		vus := make([]*vu, n)
		for i := range vus {
			vus[i] = &vu{c: config{base: srv.URL}, client: srv.Client(), rnd: newRand(i), steps: []step{{name: "page", weight: 1,
				run: func(ctx context.Context, v *vu) (bool, error) {
					s, _, err := v.do(ctx, http.MethodGet, "/", nil)
					return s == http.StatusOK, err
				}}}}
		}
		return vus
	}
	ctx := context.Background()

	closed := newRecorder()
	run, cancel := context.WithTimeout(ctx, time.Second)
	newVUs(1)[0].loop(run, closed)
	cancel()

	open := newRecorder()
	run, cancel = context.WithTimeout(ctx, time.Second)
	openLoop(ctx, run, newVUs(20), 100, open)
	cancel()

	closedP95, openP95 := closed.p("page", 0.95), open.p("page", 0.95)
	t.Logf("p95: closed loop %v, open loop %v (service time %v)", closedP95, openP95, service)
	if n := len(open.lat["page"]); n < 90 {
		t.Fatalf("open loop made %d requests in a second at 100/s; want about 100", n)
	}
	if open.errors["page"] != 0 {
		t.Fatalf("open loop: %d errors", open.errors["page"])
	}
	// 100 requests scheduled over a second take at least two seconds to serve; the last one
	// waits about a second. Whatever the machine's speed, that wait is in the open-loop figure.
	if openP95 < 300*time.Millisecond {
		t.Errorf("open-loop p95 %v: the queue behind an overloaded server is missing from the latency", openP95)
	}
	if openP95 < 5*closedP95 {
		t.Errorf("open-loop p95 %v is not well above the closed loop's %v", openP95, closedP95)
	}
}

// When the sessions are all busy, a request waits for one, and that wait is counted from its
// scheduled start; openLoop reports how many waited, so a too-small -c shows.
func TestOpenLoopReportsRequestsWaitingForASession(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(30 * time.Millisecond)
	}))
	defer srv.Close()
	v := &vu{c: config{base: srv.URL}, client: srv.Client(), rnd: newRand(1), steps: []step{{name: "page", weight: 1,
		run: func(ctx context.Context, v *vu) (bool, error) {
			s, _, err := v.do(ctx, http.MethodGet, "/", nil)
			return s == http.StatusOK, err
		}}}}
	rec := newRecorder()
	run, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	queued := openLoop(context.Background(), run, []*vu{v}, 100, rec)
	if queued == 0 {
		t.Fatalf("one session at 100 requests/s against a 30 ms page: no request waited")
	}
	if got := len(rec.lat["page"]); int64(got) < queued {
		t.Fatalf("%d requests recorded, %d waited: the waiting ones must finish and be recorded", got, queued)
	}
}
