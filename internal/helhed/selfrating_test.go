package helhed_test

import (
	"testing"

	"github.com/helhed/helhed/internal/helhed"
)

// The 50 % goal on the citizens' own answers: "meget" and "noget bedre" are an improvement,
// "nogenlunde det samme" is not; exactly half meets a goal of 50 %, one citizen fewer does not.
func TestSelfRatingImprovedShareBoundary(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		counts    helhed.SelfRatingCounts
		goal      int
		part, n   int
		met, show bool
	}{
		{"exactly half", helhed.SelfRatingCounts{helhed.RatingMuchBetter: 2, helhed.RatingSomewhatBetter: 3, helhed.RatingSame: 5}, 50, 5, 10, true, true},
		{"one short of half", helhed.SelfRatingCounts{helhed.RatingMuchBetter: 2, helhed.RatingSomewhatBetter: 3, helhed.RatingSame: 6}, 50, 5, 11, false, true},
		{"worse does not count", helhed.SelfRatingCounts{helhed.RatingSomewhatBetter: 6, helhed.RatingSomewhatWorse: 3, helhed.RatingMuchWorse: 3}, 50, 6, 12, true, true},
		{"above a goal of 51 %", helhed.SelfRatingCounts{helhed.RatingMuchBetter: 5, helhed.RatingSame: 5}, 51, 5, 10, false, true},
		{"too few to show", helhed.SelfRatingCounts{helhed.RatingMuchBetter: 3, helhed.RatingSame: 3}, 50, 3, 6, false, false},
		{"nobody answered", helhed.SelfRatingCounts{}, 50, 0, 0, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.counts.ImprovedShare()
			met, ok := helhed.MeetsShareGoal(f, tc.goal)
			if f.Part != tc.part || f.N != tc.n || tc.counts.N() != tc.n || met != tc.met || ok != tc.show {
				t.Errorf("%d of %d (n %d): met %v shown %v; want %d of %d, met %v shown %v", f.Part, f.N, tc.counts.N(), met, ok, tc.part, tc.n, tc.met, tc.show)
			}
		})
	}
	for _, r := range helhed.SelfRatings {
		if !r.Valid() || r.Label() == string(r) {
			t.Errorf("%s: valid %v, label %q", r, r.Valid(), r.Label())
		}
	}
	if helhed.SelfRating("bedre").Valid() {
		t.Error("an answer off the scale is valid")
	}
}

// The "one year shorter" goal: the current mean against the baseline's less the reduction.
func TestCompareDurations(t *testing.T) {
	t.Parallel()
	base := helhed.Durations{800, 800, 700, 900, 800}
	c := helhed.CompareDurations(base, helhed.Durations{435, 435, 435, 435, 435}, 365)
	if c.Baseline.Value != 800 || c.Target.Value != 435 || c.Change.Value != -365 || !c.HasTarget || !c.Met {
		t.Errorf("at the target: %+v", c)
	}
	c = helhed.CompareDurations(base, helhed.Durations{436, 436, 436, 436, 436}, 365)
	if c.Met {
		t.Error("one day over the target meets it")
	}
	c = helhed.CompareDurations(helhed.Durations{800, 800}, helhed.Durations{100, 100, 100, 100, 100}, 365)
	if c.HasTarget || c.Met {
		t.Errorf("a baseline of 2 spells gives a target: %+v", c)
	}
	c = helhed.CompareDurations(base, nil, 365)
	if c.Met || !c.Change.Empty() {
		t.Errorf("no current spells: %+v", c)
	}
}

// Exits by category: job and uddannelse are selvforsørgelse; an uncategorised code and no
// recorded reason count as "andet".
func TestExitCategoryShare(t *testing.T) {
	t.Parallel()
	cats := helhed.ExitCategories{"job": "selvforsoergelse", "uddannelse": "selvforsoergelse", "fleksjob": "varig_stoette"}
	g := helhed.OutcomeGroup{Days: make(helhed.Durations, 10), Exits: map[string]int{"job": 3, "uddannelse": 2, "fleksjob": 1, "ny_kode": 1, "": 3}}
	if s := g.CategoryShare(cats, helhed.ExitSelfSupporting); s.Part != 5 || s.N != 10 {
		t.Errorf("selvforsørgelse %d of %d; want 5 of 10", s.Part, s.N)
	}
	if s := g.CategoryShare(cats, helhed.ExitOther); s.Part != 4 {
		t.Errorf("andet %d; want 4 (an uncategorised code and no reason)", s.Part)
	}
}
