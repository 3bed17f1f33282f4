package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"time"
)

// dashboardPages are the management pages timed by -dashboards: each dashboard as a leader
// opens it (own unit, the last twelve months), the same for the whole municipality over
// five years (the most data a filter can ask for), the strategy and its printed report, and
// one CSV export.
func dashboardPages(now time.Time) []struct{ name, path string } {
	five := url.Values{"enhed": {"alle"}, "fra": {now.AddDate(-5, 1, 0).Format("2006-01")}, "til": {now.Format("2006-01")}}
	return []struct{ name, path string }{
		{"sagsstammer", "/ledelse/sagsstammer"},
		{"henvisninger", "/ledelse/henvisninger"},
		{"henvisninger, kommunen 5 år", "/ledelse/henvisninger?" + five.Encode()},
		{"risiko", "/ledelse/risiko"},
		{"risiko, kommunen 5 år", "/ledelse/risiko?" + five.Encode()},
		{"effekt", "/ledelse/effekt"},
		{"effekt, kommunen 5 år", "/ledelse/effekt?" + five.Encode()},
		{"strategi", "/ledelse/strategi"},
		{"strategi, rapport", "/ledelse/strategi/rapport"},
		{"eksport: tilbud (CSV)", "/ledelse/henvisninger.csv?tabel=tilbud"},
	}
}

// runDashboards logs in as the leader and requests every dashboard page rounds times, one
// request at a time after a warm-up round, and prints p50, p95 and max per page: how long a
// leader waits for each page, from request to the last byte.
func runDashboards(ctx context.Context, c config, out io.Writer) error {
	jar, _ := cookiejar.New(nil)
	v := &vu{c: c, client: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	status, _, err := v.do(ctx, http.MethodPost, "/login", url.Values{"username": {c.leader}, "password": {c.password}})
	if err != nil {
		return err
	}
	if status != http.StatusSeeOther {
		return fmt.Errorf("login as %s: status %d", c.leader, status)
	}
	pages := dashboardPages(time.Now())
	rec := newRecorder()
	for round := 0; round <= c.dashboards; round++ {
		for _, p := range pages {
			start := time.Now()
			status, _, err := v.do(ctx, http.MethodGet, p.path, nil)
			if err != nil {
				return fmt.Errorf("%s: %w", p.path, err)
			}
			if round == 0 {
				if status != http.StatusOK {
					return fmt.Errorf("%s: status %d", p.path, status)
				}
				continue // warm-up
			}
			rec.add(p.name, time.Since(start), status == http.StatusOK)
		}
	}
	fmt.Fprintf(out, "\nManagement dashboards: %d rounds as %s against %s, one request at a time\n\n", c.dashboards, c.leader, c.base)
	if c.markdown {
		fmt.Fprintln(out, "| page | requests | p50 ms | p95 ms | max ms | errors |")
		fmt.Fprintln(out, "|---|---:|---:|---:|---:|---:|")
	} else {
		fmt.Fprintf(out, "%-30s %9s %8s %8s %8s %7s\n", "page", "requests", "p50 ms", "p95 ms", "max ms", "errors")
	}
	for _, p := range pages {
		ds := rec.lat[p.name]
		row := []any{p.name, len(ds), ms(percentile(ds, 0.5)), ms(percentile(ds, 0.95)), ms(percentile(ds, 1)), rec.errors[p.name]}
		if c.markdown {
			fmt.Fprintf(out, "| %s | %d | %.1f | %.1f | %.1f | %d |\n", row...)
		} else {
			fmt.Fprintf(out, "%-30s %9d %8.1f %8.1f %8.1f %7d\n", row...)
		}
	}
	return nil
}
