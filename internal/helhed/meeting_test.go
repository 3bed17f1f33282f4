package helhed

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestValidateMeeting(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   MeetingInput
		want map[string]string // fields with an error; nil = valid
	}{
		{"tomorrow", MeetingInput{Start: now.AddDate(0, 0, 1), SlotMinutes: 30}, nil},
		{"right now is not the past", MeetingInput{Start: now, SlotMinutes: 30}, nil},
		{"a minute ago is the past", MeetingInput{Start: now.Add(-time.Minute), SlotMinutes: 30},
			map[string]string{FieldMeetingStart: "Mødet ligger i fortiden. Vælg et tidspunkt fra nu af"}},
		{"no start", MeetingInput{SlotMinutes: 30}, map[string]string{FieldMeetingStart: "Angiv dato og klokkeslæt for mødet"}},
		{"slot 9 minutes", MeetingInput{Start: now, SlotMinutes: 9}, map[string]string{FieldMeetingSlot: "Tid pr. sag skal være mellem 10 og 120 minutter"}},
		{"slot 10 minutes", MeetingInput{Start: now, SlotMinutes: 10}, nil},
		{"slot 120 minutes", MeetingInput{Start: now, SlotMinutes: 120}, nil},
		{"slot 121 minutes", MeetingInput{Start: now, SlotMinutes: 121}, map[string]string{FieldMeetingSlot: "Tid pr. sag skal være mellem 10 og 120 minutter"}},
		{"long location", MeetingInput{Start: now, SlotMinutes: 30, Location: strings.Repeat("æ", 201)}, map[string]string{FieldMeetingLocation: "Højst 200 tegn"}},
		{"two years ahead", MeetingInput{Start: now.AddDate(2, 0, 0), SlotMinutes: 30}, nil},
		{"two years and a minute ahead", MeetingInput{Start: now.AddDate(2, 0, 0).Add(time.Minute), SlotMinutes: 30},
			map[string]string{FieldMeetingStart: "Et møde kan højst planlægges 2 år frem. Kontrollér årstallet"}},
		{"year 9999", MeetingInput{Start: time.Date(9999, 12, 31, 9, 0, 0, 0, time.UTC), SlotMinutes: 30},
			map[string]string{FieldMeetingStart: "Et møde kan højst planlægges 2 år frem. Kontrollér årstallet"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, fieldsOf(ValidateMeeting(tc.in, now))); diff != "" {
				t.Errorf("ValidateMeeting fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMeetingHeld(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for start, want := range map[time.Time]bool{now.Add(-time.Hour): true, now: true, now.Add(time.Minute): false} {
		if got := MeetingHeld(start, now); got != want {
			t.Errorf("MeetingHeld(%s) = %v; want %v", start.Format(time.TimeOnly), got, want)
		}
	}
}

func TestValidatePreparation(t *testing.T) {
	full := Preparation{}
	for _, s := range PrepSections {
		full[s.Key] = "Tekst om " + s.Label
	}
	partial := Preparation{"wishes": "Vil gerne arbejde i en butik"}
	tooLong := Preparation{"health": strings.Repeat("x", MaxPrepSection+1)}

	if err := ValidatePreparation(partial, false); err != nil {
		t.Errorf("a draft may be incomplete: %v", err)
	}
	if err := ValidatePreparation(full, true); err != nil {
		t.Errorf("a complete preparation is ready: %v", err)
	}
	got := fieldsOf(ValidatePreparation(partial, true))
	if len(got) != len(PrepSections)-1 || got["wishes"] != "" {
		t.Errorf("ready with one section filled: errors on %v; want every section but wishes", got)
	}
	if got := fieldsOf(ValidatePreparation(tooLong, false)); got["health"] != "Højst 4.000 tegn" {
		t.Errorf("too long section: %v", got)
	}
	if diff := cmp.Diff(len(PrepSections)-1, len(partial.Missing())); diff != "" {
		t.Errorf("Missing: %s", diff)
	}
	if n := len(full.Missing()); n != 0 {
		t.Errorf("full.Missing() = %d sections", n)
	}
	whitespace := Preparation{"wishes": "   \n"}
	if n := len(whitespace.Missing()); n != len(PrepSections) {
		t.Errorf("whitespace counts as empty: Missing = %d", n)
	}
}

func TestValidateIndstilling(t *testing.T) {
	tests := []struct {
		name  string
		in    Indstilling
		valid bool
		want  []string // fields with an error
	}{
		{"complete", Indstilling{Outcome: "fleksjob", Reasons: "Varige begrænsninger"}, true, nil},
		{"no reasons", Indstilling{Outcome: "fleksjob"}, true, []string{FieldReasons}},
		{"blank reasons", Indstilling{Outcome: "fleksjob", Reasons: "  \n "}, true, []string{FieldReasons}},
		{"no outcome", Indstilling{Reasons: "Fordi"}, true, []string{FieldOutcome}},
		{"retired or tampered outcome", Indstilling{Outcome: "ressourceforloeb", Reasons: "Fordi"}, false, []string{FieldOutcome}},
		{"nothing", Indstilling{}, false, []string{FieldOutcome, FieldReasons}},
		{"reasons too long", Indstilling{Outcome: "andet", Reasons: strings.Repeat("a", 4001)}, true, []string{FieldReasons}},
		{"efforts too long", Indstilling{Outcome: "andet", Reasons: "a", RecommendedEfforts: strings.Repeat("a", 4001)}, true, []string{FieldEfforts}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for k := range fieldsOf(ValidateIndstilling(tc.in, tc.valid)) {
				got = append(got, k)
			}
			if diff := cmp.Diff(tc.want, got, sortStrings); diff != "" {
				t.Errorf("fields with errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateCaseQuestion(t *testing.T) {
	for q, ok := range map[string]bool{"Skal borgeren have et ressourceforløb?": true, "": false, "   ": false, strings.Repeat("ø", 1001): false, strings.Repeat("ø", 1000): true} {
		if got := ValidateCaseQuestion(q) == nil; got != ok {
			t.Errorf("ValidateCaseQuestion(%.20q) ok = %v; want %v", q, got, ok)
		}
	}
}

func TestAgendaAccessAndSlots(t *testing.T) {
	cph := time.FixedZone("CET", 3600)
	start := time.Date(2026, 12, 3, 9, 0, 0, 0, cph)
	if got, want := AgendaAccessUntil(start, 7), time.Date(2026, 12, 10, 9, 0, 0, 0, cph); !got.Equal(want) {
		t.Errorf("AgendaAccessUntil = %v; want %v", got, want)
	}
	if got, want := AgendaAccessUntil(start, 0), start; !got.Equal(want) {
		t.Errorf("AgendaAccessUntil(0) = %v; want the meeting's start", got)
	}
	for pos, want := range map[int]string{1: "09:00", 2: "09:30", 4: "10:30"} {
		if got := SlotStart(start, 30, pos).Format("15:04"); got != want {
			t.Errorf("SlotStart(%d) = %s; want %s", pos, got, want)
		}
	}
}

// sortStrings compares field lists regardless of map order.
var sortStrings = cmpopts.SortSlices(func(a, b string) bool { return a < b })
