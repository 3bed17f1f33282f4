package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// fetchFeed gets a feed address with a bare HTTP client: no cookie jar, no session.
func fetchFeed(t *testing.T, addr string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// The calendar feed is opened by its token alone — a client without a session gets it, sets
// no cookie — and holds the user's samtaler (held or taken part in) with their times, place
// and case reference. Parsed by an independent iCalendar parser (emersion/go-ical), it has
// each samtale at its time, the cancelled one as CANCELLED, and none of the citizens' names,
// CPR numbers or the cancellation's reason anywhere. Making a new address revokes the old;
// revoking ends the feed; the token never reaches the request log; all of it is audited.
func TestCalendarFeedByTokenOnly(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	nurse := app.User(t, "sund", access.RoleHealth, apptest.Health)
	ctx := context.Background()
	citizens := []struct{ cpr, first, last string }{{"020385-1233", "Anna", "Andersen"}, {"030486-1234", "Bo", "Berg"}}
	var ids []int64
	for _, c := range citizens {
		ids = append(ids, app.Citizen(t, c.cpr, c.first, c.last, apptest.Jobcenter, cw.ID))
	}
	w := store.Who{UserID: cw.ID, RequestID: "feed"}
	day := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	booked := map[int64]time.Time{}
	for i, id := range ids {
		start := day.Add(time.Duration(i) * time.Hour)
		sid, err := app.Store.BookSamtale(ctx, w, id, store.SamtaleInput{StartsAt: start, EndsAt: start.Add(45 * time.Minute),
			Form: "fysisk", Place: "Mødelokale " + strconv.Itoa(i+1), Participants: []string{"sund"}})
		if err != nil {
			t.Fatal(err)
		}
		booked[sid] = start
	}
	cancelled, err := app.Store.BookSamtale(ctx, w, ids[0], store.SamtaleInput{StartsAt: day.Add(24 * time.Hour), EndsAt: day.Add(25 * time.Hour), Form: "telefon"})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.CancelSamtale(ctx, w, ids[0], cancelled, 1, "Indlagt med lungebetændelse"); err != nil {
		t.Fatal(err)
	}
	booked[cancelled] = day.Add(24 * time.Hour)

	c := app.Login(t, "cw")
	if p := c.Get("/konto/kalender"); p.Status != http.StatusOK || p.Has("#feed_url") {
		t.Fatalf("account page before a feed: %d", p.Status)
	}
	p := c.Post("/konto/kalender", url.Values{})
	addr := p.Value("#feed_url")
	if p.Status != http.StatusOK || !strings.HasPrefix(addr, app.URL+"/kalender/feed/") || !strings.HasSuffix(addr, ".ics") {
		t.Fatalf("new feed: %d %q", p.Status, addr)
	}
	token := strings.TrimSuffix(strings.TrimPrefix(addr, app.URL+"/kalender/feed/"), ".ics")
	var stored int
	if err := app.Pool.QueryRow(ctx, `SELECT count(*) FROM calendar_feeds WHERE user_id = $1 AND token_hash = sha256(convert_to($2, 'UTF8'))
		AND revoked_at IS NULL`, cw.ID, token).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("stored hash of the token: %d, %v", stored, err)
	}
	if p := c.Get("/konto/kalender"); p.Has("#feed_url") || !strings.Contains(p.Text("main"), "Du har et kalenderfeed") {
		t.Error("the address is shown again after it was made")
	}

	resp, body := fetchFeed(t, addr)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") || len(resp.Cookies()) != 0 {
		t.Fatalf("feed: %d %q, cookies %v", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Cookies())
	}
	cal, err := goical.NewDecoder(strings.NewReader(body)).Decode()
	if err != nil {
		t.Fatalf("the feed is not iCalendar: %v\n%s", err, body)
	}
	events := cal.Events()
	if len(events) != len(booked) {
		t.Fatalf("%d events; want %d", len(events), len(booked))
	}
	for _, e := range events {
		uid := e.Props.Get(goical.PropUID).Value
		sid, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(uid, "samtale-"), "@helhed"), 10, 64)
		start, err := e.DateTimeStart(time.UTC)
		if err != nil || !start.Equal(booked[sid]) {
			t.Errorf("event %s starts %v (%v); want %v", uid, start, err, booked[sid])
		}
		if s := e.Props.Get(goical.PropSummary).Value; !strings.HasPrefix(s, "Samtale – Sag ") {
			t.Errorf("event %s summary %q", uid, s)
		}
		status, _ := e.Status()
		if (sid == cancelled) != (status == goical.EventCancelled) {
			t.Errorf("event %s status %q", uid, status)
		}
	}
	for _, c := range citizens {
		for _, secret := range []string{c.first, c.last, c.cpr, strings.ReplaceAll(c.cpr, "-", ""), c.cpr[:6]} {
			if strings.Contains(body, secret) {
				t.Errorf("the feed contains %q", secret)
			}
		}
	}
	if strings.Contains(body, "lungebetændelse") {
		t.Error("the feed contains a cancellation's reason (health data)")
	}
	if !strings.Contains(body, "Mødelokale 1") {
		t.Error("the feed lacks the place")
	}

	// A participant's own feed has the samtaler they take part in.
	n := app.Login(t, "sund")
	naddr := n.Post("/konto/kalender", url.Values{}).Value("#feed_url")
	if _, nbody := fetchFeed(t, naddr); strings.Count(nbody, "BEGIN:VEVENT") != 2 {
		t.Errorf("the participant's feed: %d events; want 2", strings.Count(nbody, "BEGIN:VEVENT"))
	}
	_ = nurse

	// A session opens no feed: a wrong token is a 404, for a logged-in user too.
	if p := c.Get("/kalender/feed/" + strings.Repeat("A", len(token)) + ".ics"); p.Status != http.StatusNotFound {
		t.Errorf("wrong token with a session: %d", p.Status)
	}
	// A new address revokes the old one.
	addr2 := c.Post("/konto/kalender", url.Values{}).Value("#feed_url")
	if resp, _ := fetchFeed(t, addr); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the old address after a new one: %d", resp.StatusCode)
	}
	if resp, _ := fetchFeed(t, addr2); resp.StatusCode != http.StatusOK {
		t.Errorf("the new address: %d", resp.StatusCode)
	}
	if p := c.Post("/konto/kalender/tilbagekald", url.Values{}); !strings.Contains(p.Text(".alert-success"), "tilbagekaldt") {
		t.Errorf("revoke: %d %q", p.Status, p.Text("main"))
	}
	if resp, _ := fetchFeed(t, addr2); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a revoked address: %d", resp.StatusCode)
	}
	if strings.Contains(app.Logs(), token) {
		t.Error("the request log holds a feed token")
	}
	if app.AuditCount(t, store.AuditFeedCreate, 0) != 3 || app.AuditCount(t, store.AuditFeedRevoke, 0) != 1 ||
		app.AuditCount(t, store.AuditFeedRead, ids[0]) < 1 {
		t.Errorf("audit rows: %d created, %d revoked, %d reads naming the first case", app.AuditCount(t, store.AuditFeedCreate, 0),
			app.AuditCount(t, store.AuditFeedRevoke, 0), app.AuditCount(t, store.AuditFeedRead, ids[0]))
	}
}
