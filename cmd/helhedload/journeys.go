package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"
)

// The rest of the mix: the plan and its follow-up, referring, the health centre's inbox, and
// the rehabiliteringsteam's board with live screens connected during the whole run.

var (
	reScore    = regexp.MustCompile(`name="(score_\d+)"`)
	reOfferOpt = regexp.MustCompile(`<option value="(\d+)"[^>]*>([^<]*)</option>`)
	// Offers of the jobcenter itself: a referral to them carries no health information across
	// administrations, so it needs no consent (the load does not fake consents).
	reJobcenterOffer = regexp.MustCompile(`IPS|Mentorhus|ADHD`)
)

// planSteps are the caseworker's plan and referral steps.
var planSteps = []step{
	{name: "view plan", weight: 10, run: func(ctx context.Context, v *vu) (bool, error) {
		s, _, err := v.do(ctx, http.MethodGet, "/borgere/"+v.citizen()+"/plan", nil)
		return s == http.StatusOK, err
	}},
	{name: "add follow-up", weight: 3, write: true, run: func(ctx context.Context, v *vu) (bool, error) {
		// The plan page gives the goals; only the POST is timed.
		cid := v.citizen()
		_, body, err := v.do(ctx, http.MethodGet, "/borgere/"+cid+"/plan", nil)
		if err != nil {
			return false, err
		}
		goals := reScore.FindAllStringSubmatch(body, -1)
		if len(goals) == 0 {
			return true, errSkip // no plan (or no goals) for this citizen
		}
		form := url.Values{"held_on": {time.Now().Format(time.DateOnly)}, "note": {"Opfølgning (belastningstest)"}}
		for _, g := range goals {
			form.Set(g[1], strconv.Itoa(1+v.rnd.IntN(10)))
		}
		start := time.Now()
		s, _, err := v.do(ctx, http.MethodPost, "/borgere/"+cid+"/plan/opfoelgning", form)
		return s == http.StatusSeeOther, timed{start, err}
	}},
	{name: "refer", weight: 3, write: true, run: func(ctx context.Context, v *vu) (bool, error) {
		cid := v.citizen()
		if len(v.offers) == 0 {
			_, body, err := v.do(ctx, http.MethodGet, "/borgere/"+cid+"/henvisninger/ny", nil)
			if err != nil {
				return false, err
			}
			for _, m := range reOfferOpt.FindAllStringSubmatch(body, -1) {
				if reJobcenterOffer.MatchString(m[2]) {
					v.offers = append(v.offers, m[1])
				}
			}
			if len(v.offers) == 0 {
				return false, fmt.Errorf("the referral form offers none of the jobcenter's own offers")
			}
		}
		s, _, err := v.do(ctx, http.MethodPost, "/borgere/"+cid+"/henvisninger/ny", url.Values{
			"offer": {v.offers[v.rnd.IntN(len(v.offers))]}, "note": {"Henvist under belastningstest"}, "citizen_accepted": {"true"}})
		return s == http.StatusSeeOther, err
	}},
	{name: "board page", weight: 2, run: func(ctx context.Context, v *vu) (bool, error) {
		if v.meeting == "" {
			return true, errSkip
		}
		s, _, err := v.do(ctx, http.MethodGet, v.meeting+"/skaerm", nil)
		return s == http.StatusOK, err
	}},
}

// healthSteps are the health centre's: the referral inbox, and a referral from it.
var healthSteps = []step{
	{name: "health inbox", weight: 3, run: func(ctx context.Context, v *vu) (bool, error) {
		s, body, err := v.do(ctx, http.MethodGet, "/indbakke", nil)
		if err == nil {
			v.referrals = reReferral.FindAllString(body, -1)
		}
		return s == http.StatusOK, err
	}},
	{name: "open referral", weight: 1, run: func(ctx context.Context, v *vu) (bool, error) {
		if len(v.referrals) == 0 {
			return true, errSkip
		}
		s, _, err := v.do(ctx, http.MethodGet, v.referrals[v.rnd.IntN(len(v.referrals))], nil)
		return s == http.StatusOK, err
	}},
}

var reReferral = regexp.MustCompile(`/borgere/\d+/henvisninger/\d+`)

func (v *vu) citizen() string { return v.citizens[v.rnd.IntN(len(v.citizens))] }

// liveBoard keeps screens connected to one meeting's board for the whole run while its chair
// moves the focus every two seconds, so the page mix runs beside live SSE traffic; the moves
// are timed as the step "board focus move".
func liveBoard(ctx context.Context, c config, screens int, rec *recorder) (meeting string, err error) {
	chair, err := loginClient(ctx, c.base, "leder001", c.password)
	if err != nil {
		return "", err
	}
	for _, list := range []string{"/moeder", "/moeder?afholdte=true"} {
		_, page, err := get(ctx, chair, c.base+list)
		if err != nil {
			return "", err
		}
		if m := reMeeting.FindStringSubmatch(page); m != nil {
			meeting = "/moeder/" + m[1]
			break
		}
	}
	if meeting == "" {
		return "", fmt.Errorf("leder001 sees no meetings")
	}
	for i := range screens {
		cl, err := loginClient(ctx, c.base, fmt.Sprintf("sagsbehandler%03d", c.users-i), c.password)
		if err != nil {
			return "", err
		}
		s := &boardScreen{arrivals: make(chan time.Time, 1024)}
		if err := s.open(ctx, cl, c.base+meeting+"/skaerm/stroem"); err != nil {
			return "", err
		}
		go func() { // drain
			for range s.arrivals {
			}
		}()
	}
	cases, err := boardCases(ctx, chair, c.base+meeting+"/skaerm")
	if err != nil {
		return "", err
	}
	go func() {
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			start := time.Now()
			s, _, err := post(ctx, chair, c.base+meeting+"/fokus", url.Values{"sag": {cases[i%2]}})
			if ctx.Err() != nil {
				return
			}
			rec.add("board focus move", time.Since(start), err == nil && s == http.StatusSeeOther)
		}
	}()
	return meeting, nil
}
