package helhed

import (
	"strings"
	"testing"
	"time"
)

func TestNoteLocked(t *testing.T) {
	created := time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC)
	for _, tc := range []struct {
		after time.Duration
		want  bool
	}{
		{0, false},
		{23*time.Hour + 59*time.Minute, false},
		{24*time.Hour - time.Nanosecond, false},
		{24 * time.Hour, true},
		{24*time.Hour + time.Minute, true},
		{-time.Hour, false}, // a clock behind the note's time: still open
	} {
		if got := NoteLocked(created, created.Add(tc.after), DefaultNoteLock); got != tc.want {
			t.Errorf("%v after writing: locked = %v; want %v", tc.after, got, tc.want)
		}
	}
}

func TestNoteLockPeriod(t *testing.T) {
	for d, want := range map[time.Duration]string{
		24 * time.Hour: "24 timer", time.Hour: "1 time", 2 * time.Hour: "2 timer", 72 * time.Hour: "3 døgn",
		90 * time.Minute: "90 minutter", time.Minute: "1 minut",
	} {
		if got := NoteLockPeriod(d); got != want {
			t.Errorf("NoteLockPeriod(%v) = %q; want %q", d, got, want)
		}
	}
	if msg := NoteLockedMessage(DefaultNoteLock); !strings.Contains(msg, "24 timer") || !strings.Contains(msg, "rettelse") {
		t.Errorf("locked message %q does not name the period and the way out", msg)
	}
}

func TestNoteTextProblem(t *testing.T) {
	if NoteTextProblem("Samtale om praktik.") != "" {
		t.Error("an ordinary note is refused")
	}
	if NoteTextProblem(strings.Repeat("æ", MaxNoteText)) != "" {
		t.Error("a note of exactly the limit (in characters, not bytes) is refused")
	}
	if NoteTextProblem("") == "" {
		t.Error("an empty note is accepted")
	}
	msg := NoteTextProblem(strings.Repeat("x", 1<<20))
	if !strings.Contains(msg, "1.048.576 tegn") || !strings.Contains(msg, "20.000") {
		t.Errorf("a 1 MB note: %q; want the length and the limit in Danish figures", msg)
	}
}

func TestNoteDateProblem(t *testing.T) {
	today := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		d  time.Time
		ok bool
	}{
		{today, true},
		{today.AddDate(0, 0, -1), true},
		{today.AddDate(-MaxNoteAge, 0, 0), true},
		{today.AddDate(0, 0, 1), false},
		{today.AddDate(-MaxNoteAge, 0, -1), false},
	} {
		if got := NoteDateProblem(tc.d, today) == ""; got != tc.ok {
			t.Errorf("%s: accepted = %v; want %v", tc.d.Format(time.DateOnly), got, tc.ok)
		}
	}
}
