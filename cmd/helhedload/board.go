package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// The board scenario: many screens watch one rehabiliteringsteam meeting's board over
// server-sent events while the chair moves the focus; every move must reach every screen.
// It measures, per move and screen, the time from the chair's POST to the screen's event,
// and the server memory that the open streams cost.

var reMeeting = regexp.MustCompile(`href="/moeder/(\d+)"`)

// boardScreen is one open board stream; arrivals carries when each event came.
type boardScreen struct {
	arrivals chan time.Time
}

func runBoard(ctx context.Context, c config, out io.Writer) error {
	var rss rssSampler
	before := 0.0
	if c.serverPID != 0 {
		before = rss.once(c.serverPID)
	}
	chair, err := loginClient(ctx, c.base, "leder001", c.password)
	if err != nil {
		return fmt.Errorf("chair: %w", err)
	}
	_, page, err := get(ctx, chair, c.base+"/moeder")
	if err != nil {
		return err
	}
	m := reMeeting.FindStringSubmatch(page)
	if m == nil { // data seeded days ago: tomorrow's meeting has been held; a held one shows the same
		if _, page, err = get(ctx, chair, c.base+"/moeder?afholdte=true"); err != nil {
			return err
		}
		if m = reMeeting.FindStringSubmatch(page); m == nil {
			return fmt.Errorf("leder001 sees no meetings (helhed seed --scale makes them)")
		}
	}
	meeting := "/moeder/" + m[1]

	// Log every screen in first. A login's argon2id hashing grows the server's heap by far
	// more than a stream costs; the memory after the streams is read once the runtime has
	// had time to give that garbage back.
	clients := make([]*http.Client, c.boardScreens)
	if err := parallel(len(clients), func(i int) error {
		var err error
		clients[i], err = loginClient(ctx, c.base, fmt.Sprintf("sagsbehandler%03d", i%c.users+1), c.password)
		return err
	}); err != nil {
		return fmt.Errorf("log in the screens: %w", err)
	}
	loggedIn := 0.0
	if c.serverPID != 0 {
		time.Sleep(15 * time.Second)
		loggedIn = rss.once(c.serverPID)
	}
	screens := make([]*boardScreen, c.boardScreens)
	streamCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := parallel(len(screens), func(i int) error {
		screens[i] = &boardScreen{arrivals: make(chan time.Time, 64)}
		return screens[i].open(streamCtx, clients[i], c.base+meeting+"/skaerm/stroem")
	}); err != nil {
		return fmt.Errorf("open board streams: %w", err)
	}
	// Every screen gets the current board at once.
	for i, s := range screens {
		select {
		case <-s.arrivals:
		case <-time.After(30 * time.Second):
			return fmt.Errorf("screen %d got no first event", i)
		}
	}
	after := 0.0
	if c.serverPID != 0 {
		time.Sleep(15 * time.Second)
		after = rss.once(c.serverPID)
	}

	// The chair alternates between two cases of the agenda (the board's "Vis" buttons), so
	// every move changes what every screen shows.
	cases, err := boardCases(ctx, chair, c.base+meeting+"/skaerm")
	if err != nil {
		return err
	}
	var lat []time.Duration
	missed := 0
	for round := range c.boardRounds {
		sent := time.Now()
		status, _, err := post(ctx, chair, c.base+meeting+"/fokus", url.Values{"sag": {cases[round%2]}})
		if err != nil || status != http.StatusSeeOther {
			return fmt.Errorf("move focus: status %d, %v", status, err)
		}
		wait, cancel := context.WithTimeout(ctx, 5*time.Second)
		for _, s := range screens {
			select {
			case at := <-s.arrivals:
				lat = append(lat, at.Sub(sent))
			case <-wait.Done():
				missed++
			}
		}
		cancel()
		time.Sleep(300 * time.Millisecond) // let the screens settle between moves
	}
	cancel()

	fmt.Fprintf(out, "\nBoard: %d screens on %s, %d focus moves by the chair\n\n", len(screens), meeting, c.boardRounds)
	if c.markdown {
		fmt.Fprintln(out, "| events | p50 ms | p95 ms | p99 ms | max ms | missed |")
		fmt.Fprintln(out, "|---:|---:|---:|---:|---:|---:|")
		fmt.Fprintf(out, "| %d | %.1f | %.1f | %.1f | %.1f | %d |\n", len(lat), ms(percentile(lat, 0.5)), ms(percentile(lat, 0.95)),
			ms(percentile(lat, 0.99)), ms(percentile(lat, 1)), missed)
	} else {
		fmt.Fprintf(out, "events %d, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms, missed %d\n", len(lat), ms(percentile(lat, 0.5)),
			ms(percentile(lat, 0.95)), ms(percentile(lat, 0.99)), ms(percentile(lat, 1)), missed)
	}
	if c.serverPID != 0 {
		fmt.Fprintf(out, "\nServer resident memory: %.0f MB before the screens logged in, %.0f MB with their sessions, %.0f MB with their %d streams open: +%.0f MB for the streams\n",
			before, loggedIn, after, len(screens), after-loggedIn)
	}
	if missed > 0 {
		return fmt.Errorf("%d of %d screen updates did not arrive within 5 s", missed, len(screens)*c.boardRounds)
	}
	return nil
}

// open starts reading a board stream; it returns once the server has answered.
func (s *boardScreen) open(ctx context.Context, cl *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := cl.Do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return fmt.Errorf("stream: status %d", resp.StatusCode)
	}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64*1024), 8*1024*1024)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "event: board") {
				s.arrivals <- time.Now()
			}
		}
	}()
	return nil
}

// loginClient logs a user in with a client of its own (cookie jar, no redirects followed).
func loginClient(ctx context.Context, base, user, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	status, _, err := post(ctx, cl, base+"/login", url.Values{"username": {user}, "password": {password}})
	if err != nil {
		return nil, err
	}
	if status != http.StatusSeeOther {
		return nil, fmt.Errorf("login as %s: status %d", user, status)
	}
	return cl, nil
}

func get(ctx context.Context, cl *http.Client, u string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, "", err
	}
	return send(cl, req)
}

func post(ctx context.Context, cl *http.Client, u string, form url.Values) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return send(cl, req)
}

func send(cl *http.Client, req *http.Request) (int, string, error) {
	resp, err := cl.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// parallel runs fn(0) … fn(n-1) at once and returns the first error.
func parallel(n int, fn func(i int) error) error {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(i); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

var reShowCase = regexp.MustCompile(`name="sag" value="(\d+)"`)

// boardCases returns two case ids from the chair's board: the "Vis" buttons list every case
// not in focus.
func boardCases(ctx context.Context, chair *http.Client, board string) ([]string, error) {
	_, page, err := get(ctx, chair, board)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, m := range reShowCase.FindAllStringSubmatch(page, -1) {
		ids = append(ids, m[1])
	}
	if len(ids) < 2 {
		return nil, fmt.Errorf("the board at %s offers the chair %d cases to show; need two", board, len(ids))
	}
	return ids[:2], nil
}
