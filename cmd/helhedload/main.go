// Command helhedload is Helhed's load generator: many virtual caseworkers (and, one in ten,
// health-centre staff) log in with real sessions and run a weighted mix of real journeys —
// caseload, search, citizen overview, screening, plan, follow-up, referral, the health
// centre's inbox, the meeting board — against a running server for a fixed time at a fixed
// concurrency, with board screens connected over SSE throughout, then print throughput and
// latency percentiles per step.
//
// With -database-url it also runs the SQL behind the citizen overview and caseload pages
// directly (the same store calls the handlers make) at the same concurrency, and prints the
// ratio page-p95 / SQL-p95: how close the app comes to what PostgreSQL alone can do.
//
//	helhedload -url http://localhost:8080 -password P -c 50 -d 60s -database-url postgres://…
//
// With -dashboards N it instead times the management dashboards as a leader, N rounds of
// one request at a time (make bench-management); with -board N it watches N screens follow
// the chair's focus moves on one board (make bench-board).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "helhedload:", err)
		os.Exit(1)
	}
}

type config struct {
	base        string
	password    string
	users       int
	concurrency int
	duration    time.Duration
	databaseURL string
	serverPID   int
	pgPID       int
	markdown    bool
	// boardScreens > 0 runs the board scenario (board.go) instead of the page mix.
	boardScreens int
	boardRounds  int
	liveScreens  int // board screens kept connected during the page mix
	warmup       time.Duration
	dashboards   int    // rounds of the management dashboards (runDashboards); 0 runs the load
	leader       string // the leader who opens them
	// rates, when set, run the page mix open-loop at each rate in turn, on the same sessions:
	// that many requests a second start on schedule, whether or not earlier ones have
	// finished (openLoop).
	rates []float64
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("helhedload", flag.ContinueOnError)
	var c config
	fs.StringVar(&c.base, "url", "http://localhost:8080", "base URL of the running server")
	fs.StringVar(&c.password, "password", os.Getenv("HELHED_BENCH_PASSWORD"), "password of the scale users (helhed seed --scale --password)")
	fs.IntVar(&c.users, "users", 400, "number of distinct caseworkers (sagsbehandler001 …) to log in as")
	fs.IntVar(&c.concurrency, "c", 50, "concurrent virtual users")
	fs.DurationVar(&c.duration, "d", 60*time.Second, "duration of the measured run")
	fs.StringVar(&c.databaseURL, "database-url", "", "also time the pages' SQL directly against this database")
	fs.IntVar(&c.serverPID, "server-pid", 0, "sample this process's resident memory during the run, and count its CPU time")
	fs.IntVar(&c.pgPID, "pg-pid", 0, "count the CPU time of this PostgreSQL postmaster and its processes during the run")
	fs.BoolVar(&c.markdown, "markdown", false, "print tables as Markdown")
	fs.IntVar(&c.boardScreens, "board", 0, "instead of the page mix: open this many board screens on one meeting and time the chair's focus moves reaching them")
	fs.IntVar(&c.boardRounds, "board-moves", 20, "focus moves in the board scenario")
	fs.DurationVar(&c.warmup, "warmup", 10*time.Second, "page mix: run this long first without recording")
	fs.IntVar(&c.liveScreens, "live-screens", 5, "page mix: board screens kept connected (SSE) while the chair moves the focus every 2 s")
	fs.IntVar(&c.dashboards, "dashboards", 0, "instead of the load, time every management dashboard this many rounds, one request at a time")
	fs.StringVar(&c.leader, "leader", "leder001", "-dashboards: the leader who opens them")
	rates := fs.String("rate", "", "page mix open-loop: start this many requests a second on schedule (latency counted from the scheduled start), or several rates run in turn on the same sessions (\"50,100,200\"); -c is then the number of logged-in sessions they share")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.password == "" {
		return fmt.Errorf("-password (or HELHED_BENCH_PASSWORD) is required")
	}
	for _, f := range strings.FieldsFunc(*rates, func(r rune) bool { return r == ',' || r == ' ' }) {
		r, err := strconv.ParseFloat(f, 64)
		if err != nil || r <= 0 {
			return fmt.Errorf("-rate: %q is not a positive number of requests a second", f)
		}
		c.rates = append(c.rates, r)
	}
	if c.boardScreens > 0 {
		return runBoard(ctx, c, out)
	}
	if c.dashboards > 0 {
		return runDashboards(ctx, c, out)
	}

	vus := make([]*vu, c.concurrency)
	var wg sync.WaitGroup
	errs := make(chan error, c.concurrency)
	for i := range vus {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := newVU(ctx, c, i)
			if err != nil {
				errs <- err
				return
			}
			vus[i] = v
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return fmt.Errorf("log in: %w", err)
	}

	// Warm up first (caches, connection pools, plans), unrecorded, so the figures describe a
	// server in steady state and are comparable from run to run.
	if c.warmup > 0 {
		warmCtx, cancel := context.WithTimeout(ctx, c.warmup)
		scratch := newRecorder()
		if len(c.rates) > 0 {
			openLoop(ctx, warmCtx, vus, c.rates[0], scratch)
		} else {
			for _, v := range vus {
				wg.Add(1)
				go func() {
					defer wg.Done()
					v.loop(warmCtx, scratch)
				}()
			}
			wg.Wait()
		}
		cancel()
	}
	rec := newRecorder()
	var rss rssSampler
	// The run (board screens, memory sampling) lasts one duration, or one per open-loop rate.
	runCtx, cancel := context.WithTimeout(ctx, c.duration*time.Duration(max(1, len(c.rates))))
	defer cancel()
	if c.serverPID != 0 {
		go rss.sample(runCtx, c.serverPID)
	}
	var meeting string
	if c.liveScreens > 0 {
		var err error
		if meeting, err = liveBoard(runCtx, c, c.liveScreens, rec); err != nil {
			return fmt.Errorf("board screens: %w", err)
		}
	}
	start := time.Now()
	for _, v := range vus {
		v.meeting = meeting
	}
	cpuBefore := readCPU(c.serverPID, c.pgPID)
	countCPU := c.serverPID != 0 || c.pgPID != 0
	if len(c.rates) > 0 {
		for i, rate := range c.rates {
			if i > 0 { // each rate gets its own recorder
				rec = newRecorder()
			}
			schedule, stop := context.WithTimeout(runCtx, c.duration)
			queued := openLoop(ctx, schedule, vus, rate, rec)
			stop()
			cpuAfter := readCPU(c.serverPID, c.pgPID)
			fmt.Fprintf(out, "\nPages: open loop, %.0f requests/s scheduled for %s over %d sessions against %s\n", rate, c.duration, c.concurrency, c.base)
			fmt.Fprintf(out, "Latency counts from each request's scheduled start; %d requests waited for a free session.\n\n", queued)
			rec.print(out, c.duration, c.markdown)
			if countCPU {
				printCPU(out, cpuBefore, cpuAfter, rec.count(), runtime.NumCPU())
			}
			cpuBefore = cpuAfter
		}
	} else {
		for _, v := range vus {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v.loop(runCtx, rec)
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		cpuAfter := readCPU(c.serverPID, c.pgPID)
		fmt.Fprintf(out, "\nPages: %d virtual users for %s against %s\n\n", c.concurrency, elapsed.Round(time.Second), c.base)
		rec.print(out, elapsed, c.markdown)
		if countCPU {
			printCPU(out, cpuBefore, cpuAfter, rec.count(), runtime.NumCPU())
		}
	}
	if c.serverPID != 0 {
		fmt.Fprintf(out, "\nServer resident memory: max %.0f MB during the run\n", rss.maxMB())
	}

	if c.databaseURL != "" {
		sql, err := sqlBaseline(ctx, c)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\nSQL alone (the store calls each page makes), same concurrency and duration:\n\n")
		sql.print(out, c.duration, c.markdown)
		fmt.Fprintln(out)
		for _, pair := range [][2]string{{"citizen overview", "sql: citizen overview"}, {"caseload", "sql: caseload"}} {
			pp, sp := rec.p(pair[0], 0.95), sql.p(pair[1], 0.95)
			if sp > 0 {
				fmt.Fprintf(out, "page-p95 / SQL-p95 for %s: %.2f (%.1f ms / %.1f ms)\n", pair[0], float64(pp)/float64(sp), ms(pp), ms(sp))
			}
		}
	}
	return nil
}

// vu is one virtual caseworker with its own session.
type vu struct {
	c         config
	client    *http.Client
	rnd       *rand.Rand
	steps     []step
	citizens  []string // ids from the caseworker's caseload
	offers    []string // the jobcenter's own offers in the referral form
	referrals []string // links from the health centre's inbox
	meeting   string   // the board's meeting, "/moeder/N"
}

var reCitizen = regexp.MustCompile(`href="/borgere/(\d+)"`)

func newVU(ctx context.Context, c config, i int) (*vu, error) {
	jar, _ := cookiejar.New(nil)
	v := &vu{c: c, rnd: newRand(i), client: &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		// Stop at redirects so a POST is timed on its own (303 See Other).
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{MaxIdleConnsPerHost: 4},
	}}
	// One virtual user in ten works in the health centre: the referral inbox.
	user := fmt.Sprintf("sagsbehandler%03d", i%c.users+1)
	v.steps = append(slices.Clone(steps), planSteps...)
	if i%10 == 9 {
		user, v.steps = fmt.Sprintf("sundhed%03d", i/10+1), healthSteps
	}
	status, _, err := v.do(ctx, http.MethodPost, "/login", url.Values{"username": {user}, "password": {c.password}})
	if err != nil {
		return nil, err
	}
	if status != http.StatusSeeOther {
		return nil, fmt.Errorf("login as %s: status %d", user, status)
	}
	if i%10 == 9 {
		return v, nil
	}
	_, body, err := v.do(ctx, http.MethodGet, "/borgere", nil)
	if err != nil {
		return nil, err
	}
	for _, m := range reCitizen.FindAllStringSubmatch(body, -1) {
		v.citizens = append(v.citizens, m[1])
	}
	if len(v.citizens) == 0 {
		return nil, fmt.Errorf("%s has no citizens in the caseload", user)
	}
	return v, nil
}

func (v *vu) do(ctx context.Context, method, path string, form url.Values) (int, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, v.c.base+path, body)
	if err != nil {
		return 0, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := v.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// newRand gives virtual user i its own reproducible random sequence.
func newRand(i int) *rand.Rand { return rand.New(rand.NewPCG(uint64(i), 42)) }

// step is one weighted journey step.
type step struct {
	name   string
	weight int
	write  bool
	run    func(ctx context.Context, v *vu) (ok bool, err error)
}

var lastNames = []string{"jensen", "nielsen", "hansen", "pedersen", "andersen", "larsen", "olsen", "madsen"}

var reScreening = regexp.MustCompile(`href="(/borgere/\d+/screeninger/\d+)"`)

func screeningForm(r *rand.Rand) url.Values {
	v := url.Values{"diet": {"middel"}, "smoking": {"aldrig"}, "drinks_week": {strconv.Itoa(r.IntN(15))}, "drinks_day": {"2"},
		"active_minutes": {strconv.Itoa(r.IntN(60))}, "sleep": {"nogle_gange"}, "self_health": {"godt"}, "work_impact": {"lang"},
		"height_cm": {strconv.Itoa(155 + r.IntN(40))}, "weight_kg": {strconv.Itoa(55 + r.IntN(50))}, "hash": {"aldrig"}, "drugs": {"aldrig"}}
	for i := 1; i <= 5; i++ {
		v.Set("who5_"+strconv.Itoa(i), strconv.Itoa(r.IntN(6)))
	}
	return v
}

var steps = []step{
	{name: "caseload", weight: 25, run: func(ctx context.Context, v *vu) (bool, error) {
		s, _, err := v.do(ctx, http.MethodGet, "/borgere?side="+strconv.Itoa(1+v.rnd.IntN(3)), nil)
		return s == http.StatusOK, err
	}},
	{name: "search", weight: 10, run: func(ctx context.Context, v *vu) (bool, error) {
		s, _, err := v.do(ctx, http.MethodPost, "/borgere/soeg", url.Values{"q": {lastNames[v.rnd.IntN(len(lastNames))]}})
		return s == http.StatusOK, err
	}},
	{name: "citizen overview", weight: 40, run: func(ctx context.Context, v *vu) (bool, error) {
		s, _, err := v.do(ctx, http.MethodGet, "/borgere/"+v.citizens[v.rnd.IntN(len(v.citizens))], nil)
		return s == http.StatusOK, err
	}},
	{name: "screening result", weight: 15, run: func(ctx context.Context, v *vu) (bool, error) {
		// The link comes from the overview; only the screening page itself is timed here.
		_, body, err := v.do(ctx, http.MethodGet, "/borgere/"+v.citizens[v.rnd.IntN(len(v.citizens))], nil)
		if err != nil {
			return false, err
		}
		m := reScreening.FindStringSubmatch(body)
		if m == nil {
			return true, errSkip
		}
		start := time.Now()
		s, _, err := v.do(ctx, http.MethodGet, m[1], nil)
		return s == http.StatusOK, timed{start, err}
	}},
	{name: "create screening", weight: 10, write: true, run: func(ctx context.Context, v *vu) (bool, error) {
		s, _, err := v.do(ctx, http.MethodPost, "/borgere/"+v.citizens[v.rnd.IntN(len(v.citizens))]+"/screeninger/ny", screeningForm(v.rnd))
		return s == http.StatusSeeOther, err
	}},
}

// errSkip means the step had nothing to do this time (e.g. a citizen without screenings).
var errSkip = fmt.Errorf("skip")

// timed is returned by steps that time only part of their work.
type timed struct {
	start time.Time
	err   error
}

func (t timed) Error() string { return fmt.Sprint(t.err) }

func (v *vu) loop(ctx context.Context, rec *recorder) {
	for ctx.Err() == nil {
		v.once(ctx, rec, time.Now())
	}
}

// pick chooses the next step by weight.
func (v *vu) pick() step {
	total := 0
	for _, s := range v.steps {
		total += s.weight
	}
	n := v.rnd.IntN(total)
	var s step
	for _, s = range v.steps {
		if n < s.weight {
			break
		}
		n -= s.weight
	}
	return s
}

// once runs one step that was due at scheduled and records its latency: the time from
// scheduled to the response, less any untimed preparation the step did first (timed). In
// the closed loop scheduled is now; in the open loop a request that waited for a free
// session or a slow server counts that wait — the queueing a closed loop hides. A step with
// nothing to do is replaced by another, and the time it took is not counted.
func (v *vu) once(ctx context.Context, rec *recorder, scheduled time.Time) {
	for ctx.Err() == nil {
		s := v.pick()
		began := time.Now()
		ok, err := s.run(ctx, v)
		if err == errSkip {
			scheduled = scheduled.Add(time.Since(began))
			continue
		}
		start := began
		if t, isTimed := err.(timed); isTimed {
			start, err = t.start, t.err
		}
		if ctx.Err() != nil {
			return // the run ended mid-request: neither a sample nor an error
		}
		rec.add(s.name, time.Since(start)+began.Sub(scheduled), ok && err == nil)
		return
	}
}

// openLoop starts rate requests a second on a fixed schedule until schedule ends, each on a
// free session of vus, and waits for the last to finish (under ctx). A request starts on
// time whether or not earlier ones have finished, so when the server falls behind the
// latency grows as users would feel it, instead of the load generator slowing down with the
// server ("coordinated omission"). It returns how many requests had to wait for a free
// session; that wait is counted too, but many of them mean -c is too small for the rate.
func openLoop(ctx, schedule context.Context, vus []*vu, rate float64, rec *recorder) (queued int64) {
	free := make(chan *vu, len(vus))
	for _, v := range vus {
		free <- v
	}
	var waited atomic.Int64
	var wg sync.WaitGroup
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		timer.Reset(time.Until(at))
		select {
		case <-schedule.Done():
			wg.Wait()
			return waited.Load()
		case <-timer.C:
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var v *vu
			select {
			case v = <-free:
			default:
				waited.Add(1)
				select {
				case v = <-free:
				case <-ctx.Done():
					return
				}
			}
			v.once(ctx, rec, at)
			free <- v
		}()
	}
}

// recorder keeps every latency per step; a 60-second run is well under a million samples.
type recorder struct {
	mu     sync.Mutex
	order  []string
	lat    map[string][]time.Duration
	errors map[string]int
}

func newRecorder() *recorder {
	return &recorder{lat: map[string][]time.Duration{}, errors: map[string]int{}}
}

func (r *recorder) add(name string, d time.Duration, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, seen := r.lat[name]; !seen {
		r.order = append(r.order, name)
	}
	r.lat[name] = append(r.lat[name], d)
	if !ok {
		r.errors[name]++
	}
}

// count is how many requests were recorded.
func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, ds := range r.lat {
		n += len(ds)
	}
	return n
}

func (r *recorder) p(name string, q float64) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return percentile(r.lat[name], q)
}

func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (r *recorder) print(w io.Writer, elapsed time.Duration, markdown bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := slices.Clone(r.order)
	slices.Sort(names)
	if markdown {
		fmt.Fprintln(w, "| step | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|")
	} else {
		fmt.Fprintf(w, "%-24s %9s %8s %8s %8s %8s %8s %7s\n", "step", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors")
	}
	var all int
	for _, n := range names {
		ds := r.lat[n]
		all += len(ds)
		row := []any{n, len(ds), float64(len(ds)) / elapsed.Seconds(), ms(percentile(ds, 0.5)), ms(percentile(ds, 0.95)),
			ms(percentile(ds, 0.99)), ms(percentile(ds, 1)), r.errors[n]}
		if markdown {
			fmt.Fprintf(w, "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %d |\n", row...)
		} else {
			fmt.Fprintf(w, "%-24s %9d %8.0f %8.1f %8.1f %8.1f %8.1f %7d\n", row...)
		}
	}
	fmt.Fprintf(w, "\nall steps: %d requests, %.0f req/s\n", all, float64(all)/elapsed.Seconds())
}

// rssSampler records the largest resident set size of a process.
type rssSampler struct {
	mu  sync.Mutex
	max int64 // kB
}

func (s *rssSampler) sample(ctx context.Context, pid int) {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
		if err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
					kb, _ := strconv.ParseInt(f[1], 10, 64)
					s.mu.Lock()
					s.max = max(s.max, kb)
					s.mu.Unlock()
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// once reads the process's resident memory now, in MB.
func (s *rssSampler) once(pid int) float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return float64(kb) / 1024
		}
	}
	return 0
}

func (s *rssSampler) maxMB() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return float64(s.max) / 1024
}
