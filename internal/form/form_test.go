package form

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestDateIsMidnightInCopenhagenAroundDaylightSaving(t *testing.T) {
	// 2026: summer time begins 29 March at 02:00 (→ 03:00) and ends 25 October at 03:00 (→ 02:00).
	tests := []struct {
		in         string
		wantOffset int // seconds east of UTC at midnight
	}{
		{"2026-03-28", 3600},
		{"2026-03-29", 3600}, // the change is at 02:00: midnight is still winter time
		{"2026-03-30", 7200},
		{"2026-10-24", 7200},
		{"2026-10-25", 7200}, // midnight before the change back at 03:00
		{"2026-10-26", 3600},
		{"2024-02-29", 3600}, // a leap day
	}
	for _, tt := range tests {
		f := New(url.Values{"d": {tt.in}})
		d, ok := f.Date("d", "Dato")
		if !ok || !f.OK() {
			t.Fatalf("Date(%q): not ok, errors %v", tt.in, f.Errors)
		}
		if got := d.Format(time.DateOnly); got != tt.in {
			t.Errorf("Date(%q) formats as %q", tt.in, got)
		}
		if d.Hour() != 0 || d.Minute() != 0 || d.Location() != Zone {
			t.Errorf("Date(%q) = %v, want midnight in Europe/Copenhagen", tt.in, d)
		}
		if _, off := d.Zone(); off != tt.wantOffset {
			t.Errorf("Date(%q) offset %d, want %d", tt.in, off, tt.wantOffset)
		}
	}
}

func TestTodayIsTheDanishDate(t *testing.T) {
	tests := []struct {
		instant string // UTC
		want    string
	}{
		{"2026-03-28T22:59:00Z", "2026-03-28"}, // 23:59 CET
		{"2026-03-28T23:00:00Z", "2026-03-29"}, // 00:00 CET: already the next day in Denmark, not in UTC
		{"2026-03-29T01:30:00Z", "2026-03-29"}, // 03:30 CEST, just after the change
		{"2026-10-24T21:59:00Z", "2026-10-24"}, // 23:59 CEST
		{"2026-10-24T22:00:00Z", "2026-10-25"}, // 00:00 CEST
		{"2026-10-25T01:30:00Z", "2026-10-25"}, // 02:30 CET, the repeated hour
		{"2026-12-31T23:30:00Z", "2027-01-01"}, // New Year in Denmark, not yet in UTC
	}
	for _, tt := range tests {
		now, err := time.Parse(time.RFC3339, tt.instant)
		if err != nil {
			t.Fatal(err)
		}
		got := Today(now)
		if got.Format(time.DateOnly) != tt.want || got.Location() != Zone || got.Hour() != 0 {
			t.Errorf("Today(%s) = %v, want %s 00:00 in Europe/Copenhagen", tt.instant, got, tt.want)
		}
	}
}

// Adding a day to the eve of each change lands on the next calendar day at midnight, though
// that day is 23 or 25 hours long.
func TestNextDayAcrossDaylightSaving(t *testing.T) {
	for eve, want := range map[string]string{"2026-03-28": "2026-03-29", "2026-10-24": "2026-10-25", "2026-03-29": "2026-03-30"} {
		d, _ := ParseDate(eve)
		next := d.AddDate(0, 0, 1)
		if next.Hour() != 0 || next.Format(time.DateOnly) != want {
			t.Errorf("%s + 1 day = %v, want %s 00:00", eve, next, want)
		}
	}
}

func TestReaders(t *testing.T) {
	yes := func(v string) bool { return v == "a" || v == "b" }
	tests := []struct {
		name  string
		value string
		read  func(f *Form)
		want  string // the message beside the field, "" for none
	}{
		{"required text empty", "  ", func(f *Form) { f.RequiredText("x", "X", 10) }, MsgRequired},
		{"text at limit", strings.Repeat("æ", 10), func(f *Form) { f.Text("x", "X", 10) }, ""},
		{"text over limit counts characters, not bytes", strings.Repeat("æ", 11), func(f *Form) { f.Text("x", "X", 10) }, MsgMaxLength(10)},
		{"date wrong form", "1.2.2026", func(f *Form) { f.Date("x", "X") }, MsgDate},
		{"date not in the calendar", "2026-02-30", func(f *Form) { f.Date("x", "X") }, MsgDate},
		{"optional date empty", "", func(f *Form) { f.Date("x", "X") }, ""},
		{"required date empty", "", func(f *Form) { f.RequiredDate("x", "X") }, MsgRequired},
		{"int in range", "5", func(f *Form) { f.Int("x", "X", 1, 5) }, ""},
		{"int above range", "6", func(f *Form) { f.Int("x", "X", 1, 5) }, MsgRange(1, 5)},
		{"int not a number", "fem", func(f *Form) { f.Int("x", "X", 1, 5) }, MsgRange(1, 5)},
		{"int overflows", "99999999999999999999", func(f *Form) { f.Int("x", "X", 1, 5) }, MsgRange(1, 5)},
		{"required int empty", "", func(f *Form) { f.RequiredInt("x", "X", 1, 5) }, MsgRequired},
		{"choice allowed", "a", func(f *Form) { f.RequiredChoice("x", "X", yes) }, ""},
		{"choice tampered", "z", func(f *Form) { f.Choice("x", "X", yes) }, MsgChoose},
		{"required choice empty", "", func(f *Form) { f.RequiredChoice("x", "X", yes) }, MsgChoose},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := New(url.Values{"x": {tt.value}})
			tt.read(f)
			if got := f.Errors["x"]; got != tt.want {
				t.Errorf("message %q, want %q", got, tt.want)
			}
			if f.OK() != (tt.want == "") {
				t.Errorf("OK() = %v with errors %v", f.OK(), f.Errors)
			}
			if got := f.Values["x"]; got != strings.TrimSpace(tt.value) {
				t.Errorf("echo %q, want the value as typed %q", got, strings.TrimSpace(tt.value))
			}
		})
	}
}

func TestSummaryNamesTheFieldInReadingOrder(t *testing.T) {
	f := New(url.Values{"start": {"i morgen"}, "reason": {strings.Repeat("x", 1001)}})
	f.Text("reason", "Begrundelse", 1000)
	start, _ := f.Date("start", "Startdato")
	f.RequiredText("name", "Navn", 100)
	f.Fail("start", "Slutdatoen ligger før startdatoen") // a later check never hides the first
	f.Label("who5_3", "WHO-5, spørgsmål 3")
	f.Fail("who5_3", "Vælg et svar")
	_ = start
	got := f.Summary()
	want := []string{"Begrundelse: Højst 1000 tegn", "Startdato: " + MsgDate, "Navn: " + MsgRequired, "WHO-5, spørgsmål 3: Vælg et svar"}
	if len(got) != len(want) {
		t.Fatalf("summary %v, want %v", got, want)
	}
	for i, p := range got {
		if p.Text() != want[i] {
			t.Errorf("summary[%d] = %q, want %q", i, p.Text(), want[i])
		}
	}
	if f.SummaryTexts()["start"] != "Startdato: "+MsgDate {
		t.Errorf("SummaryTexts: %v", f.SummaryTexts())
	}
}

// FuzzReaders: no input makes a reader panic, and a value that passes is within its bounds.
func FuzzReaders(f *testing.F) {
	for _, s := range []string{"", "2026-03-29", "5", "-0", "+7", "٣", "2026-13-01", "\u00a05\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fm := New(url.Values{"d": {s}, "n": {s}, "t": {s}})
		if d, ok := fm.Date("d", "Dato"); ok {
			if d.Location() != Zone || d.Hour() != 0 || d.Format(time.DateOnly) != strings.TrimSpace(s) {
				t.Fatalf("Date(%q) = %v", s, d)
			}
		}
		if n, ok := fm.Int("n", "Tal", -3, 3); ok && (n < -3 || n > 3) {
			t.Fatalf("Int(%q) = %d outside bounds", s, n)
		}
		txt := fm.Text("t", "Tekst", 5)
		if _, bad := fm.Errors["t"]; !bad && len([]rune(txt)) > 5 {
			t.Fatalf("Text(%q) passed at %d runes", s, len([]rune(txt)))
		}
	})
}
