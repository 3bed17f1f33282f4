package helhed

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func datePtr(y int, m time.Month, d int) *time.Time {
	t := date(y, m, d)
	return &t
}

func TestValidateMentorPeriod(t *testing.T) {
	rules := DefaultMentorRules()
	first := MentorPeriod{Start: date(2025, 1, 1), End: date(2025, 6, 30)}
	tests := []struct {
		name     string
		p        MentorPeriod
		previous []MentorPeriod
		want     string // "" for valid
	}{
		{"exactly 6 months", MentorPeriod{Start: date(2025, 1, 1), End: date(2025, 6, 30)}, nil, ""},
		{"6 months and 1 day", MentorPeriod{Start: date(2025, 1, 1), End: date(2025, 7, 1)}, nil,
			"En mentorperiode kan højst vare 6 måneder ad gangen (til og med 30.06.2025)"},
		{"6 months from 31 August ends at end of February", MentorPeriod{Start: date(2025, 8, 31), End: date(2026, 2, 28)}, nil, ""},
		{"6 months from 31 August, 1 day too many", MentorPeriod{Start: date(2025, 8, 31), End: date(2026, 3, 1)}, nil,
			"En mentorperiode kan højst vare 6 måneder ad gangen (til og med 28.02.2026)"},
		{"6 months from 15 March", MentorPeriod{Start: date(2025, 3, 15), End: date(2025, 9, 14)}, nil, ""},
		{"6 months from 15 March, 1 day too many", MentorPeriod{Start: date(2025, 3, 15), End: date(2025, 9, 15)}, nil,
			"En mentorperiode kan højst vare 6 måneder ad gangen (til og med 14.09.2025)"},
		{"one day", MentorPeriod{Start: date(2025, 1, 1), End: date(2025, 1, 1)}, nil, ""},
		{"time of day ignored", MentorPeriod{Start: time.Date(2025, 1, 1, 15, 0, 0, 0, time.UTC), End: time.Date(2025, 6, 30, 8, 0, 0, 0, time.UTC)}, nil, ""},
		{"end before start", MentorPeriod{Start: date(2025, 2, 1), End: date(2025, 1, 31)}, nil, "Slutdatoen ligger før startdatoen"},
		{"no start", MentorPeriod{End: date(2025, 1, 31)}, nil, "Angiv en startdato"},
		{"no end", MentorPeriod{Start: date(2025, 1, 31)}, nil, "Angiv en slutdato"},

		{"renewal without assessment", MentorPeriod{Start: date(2025, 7, 1), End: date(2025, 12, 31)}, []MentorPeriod{first},
			"Forlængelse kræver en ny vurdering"},
		{"renewal after assessment", MentorPeriod{Start: date(2025, 7, 1), End: date(2025, 12, 31), RenewedAfterAssessment: true}, []MentorPeriod{first}, ""},
		{"renewal is capped too", MentorPeriod{Start: date(2025, 7, 1), End: date(2026, 1, 1), RenewedAfterAssessment: true}, []MentorPeriod{first},
			"En mentorperiode kan højst vare 6 måneder ad gangen (til og med 31.12.2025)"},
		{"new period after a gap", MentorPeriod{Start: date(2025, 7, 2), End: date(2025, 12, 31)}, []MentorPeriod{first}, ""},
		{"overlap by one day", MentorPeriod{Start: date(2025, 6, 30), End: date(2025, 12, 29), RenewedAfterAssessment: true}, []MentorPeriod{first},
			"Perioden overlapper en anden mentorperiode (01.01.2025–30.06.2025)"},
		{"earlier period inside", MentorPeriod{Start: date(2024, 12, 1), End: date(2025, 1, 1)}, []MentorPeriod{first},
			"Perioden overlapper en anden mentorperiode (01.01.2025–30.06.2025)"},

		// Discharge on 15 June 2025: the earliest start is 15 March.
		{"discharge: 3 months before + 6 after = 9 months", MentorPeriod{Start: date(2025, 3, 15), End: date(2025, 12, 14), Discharge: datePtr(2025, 6, 15)}, nil, ""},
		{"discharge: 9 months and 1 day", MentorPeriod{Start: date(2025, 3, 15), End: date(2025, 12, 15), Discharge: datePtr(2025, 6, 15)}, nil,
			"Udslusningsmentor kan højst vare 6 måneder efter udskrivningen (til og med 14.12.2025)"},
		{"discharge: start more than 3 months before", MentorPeriod{Start: date(2025, 3, 14), End: date(2025, 12, 14), Discharge: datePtr(2025, 6, 15)}, nil,
			"Udslusningsmentor kan tidligst starte 3 måneder før udskrivningen (15.03.2025)"},
		{"discharge: exactly 6 months in total, started before", MentorPeriod{Start: date(2025, 3, 15), End: date(2025, 9, 14), Discharge: datePtr(2025, 6, 15)}, nil, ""},
		{"discharge: 1 day short of 6 months", MentorPeriod{Start: date(2025, 3, 15), End: date(2025, 9, 13), Discharge: datePtr(2025, 6, 15)}, nil,
			"Udslusningsmentor skal vare mindst 6 måneder i alt"},
		{"discharge: 3 months only", MentorPeriod{Start: date(2025, 6, 15), End: date(2025, 9, 14), Discharge: datePtr(2025, 6, 15)}, nil,
			"Udslusningsmentor skal vare mindst 6 måneder i alt"},
		{"discharge: from discharge day, 6 months", MentorPeriod{Start: date(2025, 6, 15), End: date(2025, 12, 14), Discharge: datePtr(2025, 6, 15)}, nil, ""},
		{"discharge: from discharge day, 6 months and 1 day", MentorPeriod{Start: date(2025, 6, 15), End: date(2025, 12, 15), Discharge: datePtr(2025, 6, 15)}, nil,
			"En mentorperiode kan højst vare 6 måneder ad gangen (til og med 14.12.2025)"},
		{"discharge: starting after discharge", MentorPeriod{Start: date(2025, 7, 1), End: date(2025, 12, 31), Discharge: datePtr(2025, 6, 15)}, nil, ""},
		{"discharge: earliest start clamped to end of February", MentorPeriod{Start: date(2025, 2, 28), End: date(2025, 11, 30), Discharge: datePtr(2025, 5, 31)}, nil, ""},
		{"discharge: 27 February is too early for 31 May", MentorPeriod{Start: date(2025, 2, 27), End: date(2025, 11, 30), Discharge: datePtr(2025, 5, 31)}, nil,
			"Udslusningsmentor kan tidligst starte 3 måneder før udskrivningen (28.02.2025)"},
		{"discharge: continuing period still needs assessment", MentorPeriod{Start: date(2025, 7, 1), End: date(2025, 12, 31), Discharge: datePtr(2025, 7, 1)}, []MentorPeriod{first},
			"Forlængelse kræver en ny vurdering"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateMentorPeriod(tt.p, tt.previous, rules)
			got := ""
			if err != nil {
				got = ErrorMessage(err)
				if ErrorCode(err) != EInvalid {
					t.Errorf("code = %q, want %q", ErrorCode(err), EInvalid)
				}
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidateMentorPeriodUsesRules(t *testing.T) {
	// A law change to 12-month periods is a data change only.
	rules := DefaultMentorRules()
	rules.MaxPeriodMonths = 12
	p := MentorPeriod{Start: date(2025, 1, 1), End: date(2025, 12, 31)}
	if err := ValidateMentorPeriod(p, nil, rules); err != nil {
		t.Errorf("12 months under 12-month rules: %v", err)
	}
	if err := ValidateMentorPeriod(p, nil, DefaultMentorRules()); err == nil {
		t.Error("12 months under default rules was accepted")
	}
}

func TestMentorWarning(t *testing.T) {
	rules := DefaultMentorRules()
	p := MentorPeriod{Start: date(2025, 1, 1), End: date(2025, 6, 30)}
	tests := []struct {
		today    time.Time
		warn     bool
		daysLeft int
	}{
		{date(2025, 5, 30), false, 31},
		{date(2025, 5, 31), true, 30},
		{date(2025, 6, 30), true, 0},
		{time.Date(2025, 6, 30, 23, 59, 0, 0, time.UTC), true, 0},
		{date(2025, 7, 1), false, -1},
	}
	for _, tt := range tests {
		warn, days := MentorWarning(p, tt.today, rules)
		if warn != tt.warn || days != tt.daysLeft {
			t.Errorf("on %s: (%v, %d), want (%v, %d)", tt.today.Format(time.DateOnly), warn, days, tt.warn, tt.daysLeft)
		}
	}
	// Across the change to daylight saving time, days are still whole.
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err == nil {
		p := MentorPeriod{Start: date(2025, 1, 1), End: time.Date(2025, 4, 1, 0, 0, 0, 0, cph)}
		if _, days := MentorWarning(p, time.Date(2025, 3, 2, 0, 0, 0, 0, cph), rules); days != 30 {
			t.Errorf("across DST: daysLeft = %d, want 30", days)
		}
	}
}

func TestMentorRulesValidate(t *testing.T) {
	if err := DefaultMentorRules().Validate(); err != nil {
		t.Fatalf("default rules: %v", err)
	}
	r := DefaultMentorRules()
	r.MaxPeriodMonths = 0
	r.WarnDaysBefore = -1
	var e *Error
	if err := r.Validate(); !errors.As(err, &e) {
		t.Fatalf("Validate() = %v, want *Error", err)
	}
	want := map[string]string{
		"max_period_months": "Skal være et helt tal mellem 1 og 60",
		"warn_days_before":  "Skal være et helt tal mellem 0 og 365",
	}
	if diff := cmp.Diff(want, e.Fields); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	r = DefaultMentorRules()
	r.DischargeMinTotalMonths = 7
	if r.Validate() == nil {
		t.Error("minimum above maximum accepted")
	}
}
