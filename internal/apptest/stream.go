package apptest

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/testlimit"
)

// Event is one server-sent event as a browser's EventSource would see it.
type Event struct {
	Name string
	Data string
	At   time.Time // when the client read it
}

// Stream is an open server-sent event stream.
type Stream struct {
	Status int
	Header http.Header
	events chan Event
	cancel context.CancelFunc
}

// Stream opens path as an event stream and returns once the response headers have arrived.
// A refused request (403, 404, a redirect to the login page) has its status and no events.
func (c *Client) Stream(path string) *Stream {
	c.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		cancel()
		c.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	for k, vs := range c.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		cancel()
		c.t.Fatalf("stream %s: %v", path, err)
	}
	s := &Stream{Status: resp.StatusCode, Header: resp.Header, events: make(chan Event, 64), cancel: cancel}
	c.t.Cleanup(s.Close)
	go func() {
		defer resp.Body.Close()
		defer close(s.events)
		if resp.StatusCode != http.StatusOK {
			return
		}
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
		var ev Event
		var data []string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Name != "" || len(data) > 0 {
					ev.Data, ev.At = strings.Join(data, "\n"), time.Now()
					s.events <- ev
				}
				ev, data = Event{}, nil
			case strings.HasPrefix(line, ":"): // a comment (keep-alive)
			case strings.HasPrefix(line, "event: "):
				ev.Name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data = append(data, strings.TrimPrefix(line, "data: "))
			}
		}
	}()
	return s
}

// Next returns the next event, or false when none arrives within d or the stream ended.
// d is a limit for an idle machine, scaled for this one (testlimit.Scale); a latency the
// app promises is checked on Event.At, not by this wait.
func (s *Stream) Next(d time.Duration) (Event, bool) {
	select {
	case ev, ok := <-s.events:
		return ev, ok
	case <-time.After(testlimit.Scale(d)):
		return Event{}, false
	}
}

// Close ends the stream.
func (s *Stream) Close() { s.cancel() }

// Ended reports whether the server ends the stream within d, scaled like Next's (events
// still arriving are read and dropped).
func (s *Stream) Ended(d time.Duration) bool {
	deadline := time.After(testlimit.Scale(d))
	for {
		select {
		case _, ok := <-s.events:
			if !ok {
				return true
			}
		case <-deadline:
			return false
		}
	}
}
