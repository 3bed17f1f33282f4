package helhed

import (
	"strings"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func dayPtr(y int, m time.Month, d int) *time.Time { t := day(y, m, d); return &t }

func TestDanishToday(t *testing.T) {
	// 23:30 UTC on 31 December is already New Year's Day in Denmark.
	if got := DanishToday(time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)); !got.Equal(day(2027, 1, 1)) {
		t.Errorf("DanishToday = %v; want 2027-01-01", got)
	}
	if got := DanishToday(time.Date(2026, 7, 1, 21, 59, 0, 0, time.UTC)); !got.Equal(day(2026, 7, 1)) {
		t.Errorf("DanishToday = %v; want 2026-07-01 (23:59 summer time)", got)
	}
}

func TestHearingStatus(t *testing.T) {
	deadline := day(2026, 12, 21)
	for _, tc := range []struct {
		result   string
		today    time.Time
		want     HearingStatus
		complete bool
	}{
		{"", day(2026, 12, 7), HearingRunning, false},
		{"", day(2026, 12, 21), HearingRunning, false}, // the deadline day is the citizen's
		{"", day(2026, 12, 22), HearingOverdue, true},
		{HearingAnswered, day(2026, 12, 8), HearingReplied, true},
		{HearingNoResponse, day(2026, 12, 22), HearingNoReply, true},
		{"ukendt", day(2026, 12, 8), hearingNoStatus, false},
	} {
		got := HearingStatusOf(tc.result, deadline, tc.today)
		if got != tc.want || got.Complete() != tc.complete {
			t.Errorf("%q on %s: %q complete=%v; want %q complete=%v", tc.result, tc.today.Format(time.DateOnly), got, got.Complete(), tc.want, tc.complete)
		}
	}
	if HearingOverdue.Label() == "" || HearingRunning.Label() == "" {
		t.Error("statuses without a Danish label")
	}
}

func TestValidateHearing(t *testing.T) {
	today := day(2026, 12, 7)
	ok := HearingInput{Subject: "Lægeattest af 1.12.2026", SentOn: today, Deadline: today.AddDate(0, 0, 14)}
	if err := ValidateHearing(ok, today); err != nil {
		t.Fatalf("valid hearing refused: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*HearingInput)
		field string
	}{
		{"no subject", func(h *HearingInput) { h.Subject = " " }, FieldHearingSubject},
		{"long subject", func(h *HearingInput) { h.Subject = strings.Repeat("x", MaxHearingText+1) }, FieldHearingSubject},
		{"not sent", func(h *HearingInput) { h.SentOn = time.Time{} }, FieldHearingSent},
		{"sent tomorrow", func(h *HearingInput) { h.SentOn = today.AddDate(0, 0, 1); h.Deadline = today.AddDate(0, 0, 15) }, FieldHearingSent},
		{"no deadline", func(h *HearingInput) { h.Deadline = time.Time{} }, FieldHearingDeadline},
		{"deadline on the day sent", func(h *HearingInput) { h.Deadline = h.SentOn }, FieldHearingDeadline},
		{"deadline before sent", func(h *HearingInput) { h.Deadline = h.SentOn.AddDate(0, 0, -1) }, FieldHearingDeadline},
		{"deadline a year and more", func(h *HearingInput) { h.Deadline = h.SentOn.AddDate(0, 0, MaxHearingDeadlineDays+1) }, FieldHearingDeadline},
	} {
		in := ok
		tc.edit(&in)
		if fe := FieldErrorsOf(ValidateHearing(in, today)); fe[tc.field] == "" {
			t.Errorf("%s: errors %v; want one on %s", tc.name, fe, tc.field)
		}
	}
}

func TestValidateHearingResult(t *testing.T) {
	sent, deadline := day(2026, 12, 7), day(2026, 12, 21)
	for _, tc := range []struct {
		name  string
		in    HearingResultInput
		today time.Time
		field string // "" = valid
	}{
		{"reply", HearingResultInput{Result: HearingAnswered, ResponseOn: day(2026, 12, 10), Summary: "Enig"}, day(2026, 12, 10), ""},
		{"reply after the deadline", HearingResultInput{Result: HearingAnswered, ResponseOn: day(2026, 12, 23), Summary: "Sent svar"}, day(2026, 12, 23), ""},
		{"reply without date", HearingResultInput{Result: HearingAnswered, Summary: "Enig"}, day(2026, 12, 10), FieldResponseOn},
		{"reply before sending", HearingResultInput{Result: HearingAnswered, ResponseOn: day(2026, 12, 6), Summary: "Enig"}, day(2026, 12, 10), FieldResponseOn},
		{"reply tomorrow", HearingResultInput{Result: HearingAnswered, ResponseOn: day(2026, 12, 11), Summary: "Enig"}, day(2026, 12, 10), FieldResponseOn},
		{"reply without summary", HearingResultInput{Result: HearingAnswered, ResponseOn: day(2026, 12, 10)}, day(2026, 12, 10), FieldResponseSummary},
		{"no reply on the deadline day", HearingResultInput{Result: HearingNoResponse}, deadline, FieldHearingResult},
		{"no reply the day after", HearingResultInput{Result: HearingNoResponse}, day(2026, 12, 22), ""},
		{"no result", HearingResultInput{}, day(2026, 12, 22), FieldHearingResult},
	} {
		fe := FieldErrorsOf(ValidateHearingResult(tc.in, sent, deadline, tc.today))
		switch {
		case tc.field == "" && len(fe) > 0:
			t.Errorf("%s: refused %v", tc.name, fe)
		case tc.field != "" && fe[tc.field] == "":
			t.Errorf("%s: errors %v; want one on %s", tc.name, fe, tc.field)
		}
	}
}

func TestValidateDecision(t *testing.T) {
	today := day(2026, 12, 22)
	answered := []HearingState{{Result: HearingAnswered, Deadline: day(2026, 12, 21)}}
	rules := DecisionRules{OutcomeValid: true, Indstilling: day(2026, 12, 1), Today: today, RevurderingRequired: true, Hearings: answered}
	follows := Decision{Outcome: "fleksjob", IndstillingOutcome: "fleksjob", Reasons: "LAB § 116 …", DecidedOn: today}
	departs := Decision{Outcome: "ressourceforloeb", IndstillingOutcome: "fleksjob", Reasons: "LAB § 68 …", DecidedOn: today,
		DepartureReasons: strings.Repeat("Arbejdsevnen er ikke afklaret. ", 3), RevurderingOn: dayPtr(2026, 12, 15)}
	if !follows.Follows() || departs.Follows() {
		t.Fatal("Follows is wrong")
	}
	for _, d := range []Decision{follows, departs} {
		if err := ValidateDecision(d, rules); err != nil {
			t.Errorf("valid decision %s refused: %v", d.Outcome, err)
		}
	}
	noRevurdering := rules
	noRevurdering.RevurderingRequired = false
	for _, tc := range []struct {
		name  string
		d     Decision
		r     DecisionRules
		field string // "" = valid
	}{
		{"outcome not in force", follows, DecisionRules{Indstilling: rules.Indstilling, Today: today, Hearings: answered}, FieldDecisionOutcome},
		{"no reasons", func() Decision { d := follows; d.Reasons = ""; return d }(), rules, FieldDecisionReasons},
		{"no date", func() Decision { d := follows; d.DecidedOn = time.Time{}; return d }(), rules, FieldDecidedOn},
		{"dated tomorrow", func() Decision { d := follows; d.DecidedOn = today.AddDate(0, 0, 1); return d }(), rules, FieldDecidedOn},
		{"before the indstilling", func() Decision { d := follows; d.DecidedOn = day(2026, 11, 30); return d }(), rules, FieldDecidedOn},
		{"follows, with departure text", func() Decision { d := follows; d.DepartureReasons = "x"; return d }(), rules, FieldDeparture},
		{"follows, with revurdering", func() Decision { d := follows; d.RevurderingOn = dayPtr(2026, 12, 15); return d }(), rules, FieldRevurdering},
		{"departs without its reasons", func() Decision { d := departs; d.DepartureReasons = ""; return d }(), rules, FieldDeparture},
		{"departs with a word", func() Decision { d := departs; d.DepartureReasons = "Uenig"; return d }(), rules, FieldDeparture},
		{"departs without revurdering", func() Decision { d := departs; d.RevurderingOn = nil; return d }(), rules, FieldRevurdering},
		{"departs without revurdering, not required", func() Decision { d := departs; d.RevurderingOn = nil; return d }(), noRevurdering, ""},
		{"revurdering after the decision", func() Decision { d := departs; d.DecidedOn = day(2026, 12, 10); return d }(), rules, FieldRevurdering},
		{"revurdering before the indstilling", func() Decision { d := departs; d.RevurderingOn = dayPtr(2026, 11, 1); return d }(), rules, FieldRevurdering},
		{"deadline running", follows, func() DecisionRules {
			r := rules
			r.Hearings = append([]HearingState{{Deadline: today}}, answered...)
			return r
		}(), FieldHearing},
		{"deadline passed without reply", follows, func() DecisionRules {
			r := rules
			r.Hearings = []HearingState{{Deadline: today.AddDate(0, 0, -1)}}
			return r
		}(), ""},
		{"no partshøring, no reason", follows, func() DecisionRules { r := rules; r.Hearings = nil; return r }(), FieldHearingOmitted},
		{"no partshøring, with reason", func() Decision {
			d := follows
			d.HearingOmittedReason = "Afgørelsen giver borgeren fuldt medhold"
			return d
		}(), func() DecisionRules { r := rules; r.Hearings = nil; return r }(), ""},
	} {
		fe := FieldErrorsOf(ValidateDecision(tc.d, tc.r))
		switch {
		case tc.field == "" && len(fe) > 0:
			t.Errorf("%s: refused %v", tc.name, fe)
		case tc.field != "" && fe[tc.field] == "":
			t.Errorf("%s: errors %v; want one on %s", tc.name, fe, tc.field)
		}
	}
	// The refusal names the running deadline.
	r := rules
	r.Hearings = []HearingState{{Deadline: day(2026, 12, 30)}}
	if msg := FieldErrorsOf(ValidateDecision(follows, r))[FieldHearing]; !strings.Contains(msg, "30.12.2026") {
		t.Errorf("running deadline message %q; want the date", msg)
	}
}
