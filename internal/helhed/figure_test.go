package helhed

import "testing"

// Small-cell suppression: a figure about 1–4 citizens never shows, whatever its kind.
func TestFigureSuppression(t *testing.T) {
	tests := []struct {
		name string
		f    Figure
		want string
		plot bool
	}{
		{"zero citizens is a fact, not a person", Count(0), "0", true},
		{"one citizen is hidden", Count(1), Suppressed, false},
		{"four citizens are hidden", Count(4), Suppressed, false},
		{"five citizens show", Count(5), "5", true},
		{"thousands get points", Count(12345), "12.345", true},
		{"a mean over four is hidden", Stat(FigureDays, 233.33, 4), Suppressed, false},
		{"a mean over five shows, decimal comma", Stat(FigureDays, 233.333, 5), "233,3", true},
		{"a median over nobody is empty", Stat(FigureDays, 0, 0), "–", false},
		{"a share of a small group is hidden", Share(2, 3), Suppressed, false},
		{"a share with a small numerator is hidden", Share(3, 100), Suppressed, false},
		{"a share of nobody of many shows", Share(0, 100), "0 %", true},
		{"a share shows whole percent", Share(50, 120), "42 %", true},
		{"a share of no one is empty", Share(0, 0), "–", false},
		{"a negative change keeps its sign", Stat(FigurePoints, -4.26, 40), "-4,3", true},
		{"a rounded negative zero loses its sign", Stat(FigurePoints, -0.04, 40), "0,0", true},
		{"large means group thousands", Stat(FigureDays, 1234.5, 10), "1.234,5", true},
		{"three seats describe nobody", Amount(3), "3", true},
		{"no seats is zero", Amount(0), "0", true},
	}
	for _, tc := range tests {
		if got := tc.f.Text(); got != tc.want {
			t.Errorf("%s: Text() = %q, want %q", tc.name, got, tc.want)
		}
		if _, ok := tc.f.Plot(); ok != tc.plot {
			t.Errorf("%s: Plot ok = %v, want %v", tc.name, ok, tc.plot)
		}
	}
}

func TestDurationGoal(t *testing.T) {
	if g, ok := DurationGoal(Stat(FigureDays, 700, 50), 365); !ok || g.Value != 335 {
		t.Errorf("goal from 700 days: %v, %v; want 335", g.Value, ok)
	}
	if g, ok := DurationGoal(Stat(FigureDays, 200, 50), 365); !ok || g.Value != 0 {
		t.Errorf("goal below zero: %v; want 0", g.Value)
	}
	if _, ok := DurationGoal(Stat(FigureDays, 700, 3), 365); ok {
		t.Error("a goal from a suppressed baseline would reveal it")
	}
}

// A reason written by fewer than five is never shown, however often others are.
func TestCommonReasons(t *testing.T) {
	rs := []ReasonCount{{"mødte ikke op", 40}, {"har netop mistet sin mand", 1}, {"flyttet", 5}, {"ønsker ikke", 12},
		{"fik job", 4}, {"", 9}}
	top, other := CommonReasons(rs, 2)
	if len(top) != 2 || top[0].Reason != "mødte ikke op" || top[1].Reason != "ønsker ikke" || other != 1+5+4+9 {
		t.Errorf("top 2: %v, other %d", top, other)
	}
	top, other = CommonReasons(rs, 10)
	if len(top) != 3 || top[2].Reason != "flyttet" || other != 1+4+9 {
		t.Errorf("top 10: %v, other %d", top, other)
	}
}
