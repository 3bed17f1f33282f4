package helhed

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func TestParseCPR(t *testing.T) {
	type result struct {
		CPR       string
		Err       string
		BadFormat bool
		BadDate   bool
	}
	tests := []struct {
		name string
		in   string
		want result
	}{
		{"with dash", "010190-1234", result{CPR: "0101901234"}},
		{"without dash", "0101901234", result{CPR: "0101901234"}},
		{"with space", "010190 1234", result{CPR: "0101901234"}},
		{"surrounding spaces", "  010190-1234\t", result{CPR: "0101901234"}},
		{"month 13", "311399-1234", result{Err: "CPR-nummerets dato findes ikke (31.13.99)", BadDate: true}},
		{"day 0", "000190-1234", result{Err: "CPR-nummerets dato findes ikke (00.01.90)", BadDate: true}},
		{"31 April", "310490-1234", result{Err: "CPR-nummerets dato findes ikke (31.04.90)", BadDate: true}},
		{"letters", "abc", result{Err: "CPR-nummeret skal have formen DDMMÅÅ-XXXX", BadFormat: true}},
		{"empty", "", result{Err: "CPR-nummeret skal have formen DDMMÅÅ-XXXX", BadFormat: true}},
		{"too short", "010190-123", result{Err: "CPR-nummeret skal have formen DDMMÅÅ-XXXX", BadFormat: true}},
		{"too long", "01019012345", result{Err: "CPR-nummeret skal have formen DDMMÅÅ-XXXX", BadFormat: true}},
		{"wrong separator", "010190/1234", result{Err: "CPR-nummeret skal have formen DDMMÅÅ-XXXX", BadFormat: true}},
		{"dash misplaced", "01019-01234", result{Err: "CPR-nummeret skal have formen DDMMÅÅ-XXXX", BadFormat: true}},
		{"letter in sequence", "010190-12a4", result{Err: "CPR-nummeret skal have formen DDMMÅÅ-XXXX", BadFormat: true}},
		{"two separators", "010190--1234", result{Err: "CPR-nummeret skal have formen DDMMÅÅ-XXXX", BadFormat: true}},
		{"non-ASCII digits", "٠١٠١٩٠١٢٣٤", result{Err: "CPR-nummeret skal have formen DDMMÅÅ-XXXX", BadFormat: true}},
		// Digit 1 puts 00 in 1900, which was not a leap year.
		{"29 Feb 1900", "290200-1234", result{Err: "CPR-nummerets dato findes ikke (29.02.00)", BadDate: true}},
		// Digit 4 puts 00 in 2000, which was.
		{"29 Feb 2000", "290200-4234", result{CPR: "2902004234"}},
		{"30 Feb 2000", "300200-4234", result{Err: "CPR-nummerets dato findes ikke (30.02.00)", BadDate: true}},
		{"29 Feb 1896", "290296-5234", result{CPR: "2902965234"}},
		{"29 Feb 1897", "290297-5234", result{Err: "CPR-nummerets dato findes ikke (29.02.97)", BadDate: true}},
		{"not mod 11 accepted", "010190-1235", result{CPR: "0101901235"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCPR(tt.in)
			got := result{CPR: string(c)}
			if err != nil {
				got.Err = err.Error()
				got.BadFormat = errors.Is(err, ErrCPRFormat)
				got.BadDate = errors.Is(err, ErrCPRDate)
				if code := ErrorCode(err); code != EInvalid {
					t.Errorf("ErrorCode = %q, want %q", code, EInvalid)
				}
				if msg := ErrorMessage(err); msg != got.Err {
					t.Errorf("ErrorMessage = %q, want %q", msg, got.Err)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseCPR(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestCPRCentury(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"010100-0000", date(1900, 1, 1)},
		{"010199-3999", date(1999, 1, 1)},
		{"010136-4000", date(2036, 1, 1)},
		{"010137-4000", date(1937, 1, 1)},
		{"010136-9000", date(2036, 1, 1)},
		{"010137-9000", date(1937, 1, 1)},
		{"010157-5000", date(2057, 1, 1)},
		{"010158-5000", date(1858, 1, 1)},
		{"010199-8000", date(1899, 1, 1)},
		{"010100-8000", date(2000, 1, 1)},
	}
	for _, tt := range tests {
		c, err := ParseCPR(tt.in)
		if err != nil {
			t.Fatalf("ParseCPR(%q): %v", tt.in, err)
		}
		if got := c.BirthDate(); !got.Equal(tt.want) {
			t.Errorf("%s: BirthDate = %s, want %s", tt.in, got.Format(time.DateOnly), tt.want.Format(time.DateOnly))
		}
	}
}

func TestCPRMethods(t *testing.T) {
	c, err := ParseCPR("150385-1236")
	if err != nil {
		t.Fatal(err)
	}
	type view struct {
		Masked, Formatted, String string
		BirthDate                 string
		Female                    bool
	}
	want := view{"150385-XXXX", "150385-1236", "150385-XXXX", "1985-03-15", true}
	got := view{c.Masked(), c.Formatted(), c.String(), c.BirthDate().Format(time.DateOnly), c.Female()}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if CPR("1503851237").Female() {
		t.Error("odd last digit should be male")
	}

	var zero CPR
	if zero.Masked() != "" || zero.Formatted() != "" || !zero.BirthDate().IsZero() || zero.Age(date(2020, 1, 1)) != 0 || zero.Female() {
		t.Error("methods on an invalid CPR should return zero values")
	}
}

func TestCPRAge(t *testing.T) {
	born85 := CPR("1503851236")   // 15.03.1985
	leapling := CPR("2902004234") // 29.02.2000
	tests := []struct {
		name string
		c    CPR
		on   time.Time
		want int
	}{
		{"day before birthday", born85, date(2025, 3, 14), 39},
		{"on birthday", born85, date(2025, 3, 15), 40},
		{"late in the day keeps the calendar date", born85, time.Date(2025, 3, 14, 23, 59, 0, 0, time.UTC), 39},
		{"before birth", born85, date(1980, 1, 1), 0},
		{"leapling 28 Feb non-leap year", leapling, date(2023, 2, 28), 22},
		{"leapling 1 Mar non-leap year", leapling, date(2023, 3, 1), 23},
		{"leapling 29 Feb leap year", leapling, date(2024, 2, 29), 24},
	}
	for _, tt := range tests {
		if got := tt.c.Age(tt.on); got != tt.want {
			t.Errorf("%s: Age = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestIsModulus11(t *testing.T) {
	// 070761-4285 is the well-known textbook example that passes.
	tests := map[CPR]bool{
		"0707614285": true,
		"0707614286": false,
		"":           false,
		"abcdefghij": false,
	}
	for c, want := range tests {
		if got := IsModulus11(c); got != want {
			t.Errorf("IsModulus11(%q) = %v, want %v", string(c), got, want)
		}
	}
}

func TestFictitiousCPR(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ranges := []struct{ lo, hi, wantHi time.Time }{
		{date(1940, 1, 1), date(2005, 12, 31), date(2005, 12, 31)},
		// maxBirth is clamped to the last pre-2007 date.
		{date(1990, 6, 1), date(2030, 1, 1), date(2006, 12, 31)},
		// 1800s births exercise seventh digits 5–8.
		{date(1858, 1, 1), date(1899, 12, 31), date(1899, 12, 31)},
		// A two-day range that starts on 1 January must always pick 2 January.
		{date(1970, 1, 1), date(1970, 1, 2), date(1970, 1, 2)},
	}
	for _, rg := range ranges {
		for i := 0; i < 10000; i++ {
			c := FictitiousCPR(r, rg.lo, rg.hi)
			parsed, err := ParseCPR(string(c))
			if err != nil {
				t.Fatalf("FictitiousCPR gave %q which does not parse: %v", string(c), err)
			}
			if parsed != c {
				t.Fatalf("ParseCPR(%q) = %q", string(c), string(parsed))
			}
			if IsModulus11(c) {
				t.Fatalf("FictitiousCPR gave %q which passes modulus 11", string(c))
			}
			b := c.BirthDate()
			if b.Month() == time.January && b.Day() == 1 {
				t.Fatalf("FictitiousCPR gave %q born on 1 January", string(c))
			}
			if b.Before(rg.lo) || b.After(rg.wantHi) {
				t.Fatalf("FictitiousCPR gave %q born %s, outside %s..%s", string(c), b.Format(time.DateOnly), rg.lo.Format(time.DateOnly), rg.wantHi.Format(time.DateOnly))
			}
		}
	}
}

func TestFictitiousCPRImpossibleRangePanics(t *testing.T) {
	for _, rg := range [][2]time.Time{
		{date(1970, 1, 1), date(1970, 1, 1)},
		{date(2008, 1, 1), date(2010, 1, 1)},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("FictitiousCPR(%s, %s) did not panic", rg[0].Format(time.DateOnly), rg[1].Format(time.DateOnly))
				}
			}()
			FictitiousCPR(rand.New(rand.NewPCG(1, 2)), rg[0], rg[1])
		}()
	}
}

func FuzzParseCPR(f *testing.F) {
	for _, s := range []string{
		"010190-1234", "0101901234", "010190 1234", " 290200-4234 ", "290200-1234",
		"311399-1234", "abc", "", "010158-5000", "999999-9999", "0101-901234",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCPR(s)
		if err != nil {
			if c != "" {
				t.Fatalf("ParseCPR(%q) returned %q with error %v", s, string(c), err)
			}
			if !errors.Is(err, ErrCPRFormat) && !errors.Is(err, ErrCPRDate) {
				t.Fatalf("ParseCPR(%q) error %v matches no sentinel", s, err)
			}
			return
		}
		again, err := ParseCPR(c.Formatted())
		if err != nil || again != c {
			t.Fatalf("round trip of %q via %q gave %q, %v", s, c.Formatted(), string(again), err)
		}
		b := c.BirthDate()
		if b.IsZero() {
			t.Fatalf("accepted %q has no birth date", s)
		}
		if b.Format("020106") != string(c[:6]) {
			t.Fatalf("accepted %q: birth date %s does not match its digits", s, b.Format(time.DateOnly))
		}
		if b.Year() < 1858 || b.Year() > 2057 {
			t.Fatalf("accepted %q: birth year %d outside the CPR range", s, b.Year())
		}
	})
}
