package helhed

import (
	"math/rand/v2"
	"time"
)

// fictitiousLatestBirth is the last birth date FictitiousCPR will use: from
// 2007 on, numbers failing modulus 11 are issued to real newborns.
var fictitiousLatestBirth = time.Date(2006, time.December, 31, 0, 0, 0, 0, time.UTC)

// cprEarliestBirth is the first date the CPR century rule can express
// (seventh digit 5–8 with YY 58 means 1858).
var cprEarliestBirth = time.Date(1858, time.January, 1, 0, 0, 0, 0, time.UTC)

// FictitiousCPR returns a well-formed CPR number, born between minBirth and
// maxBirth (dates, inclusive), that cannot belong to a real person, for
// seeding demo and test databases with data that is safe to leak.
//
// Why such numbers cannot be real: until 2007 every CPR number issued
// satisfied modulus 11. Since then the CPR office has issued numbers that
// fail it, but only where the modulus 11 series for a birth date ran out —
// all of them 1 January dates (1960, 1964–66, 1969–70, 1980, 1982, 1984–90
// and 1992) — and for people born after 2007. So a number that fails
// modulus 11, with a birth date before 2007 that is not 1 January, has
// never been issued. FictitiousCPR therefore clamps maxBirth to 31 December
// 2006 (and minBirth to 1 January 1858, the earliest date the century rule
// can express), never picks 1 January, chooses a seventh digit consistent
// with the century of the birth date and picks the last digit so the number
// fails modulus 11.
//
// The result always passes ParseCPR. It panics if the clamped range holds no
// date other than 1 January, because the caller asked for the impossible.
func FictitiousCPR(r *rand.Rand, minBirth, maxBirth time.Time) CPR {
	lo := dateOnly(minBirth)
	if lo.Before(cprEarliestBirth) {
		lo = cprEarliestBirth
	}
	hi := dateOnly(maxBirth)
	if hi.After(fictitiousLatestBirth) {
		hi = fictitiousLatestBirth
	}
	days := daysBetween(lo, hi)
	if days < 0 || (days == 0 && lo.Month() == time.January && lo.Day() == 1) {
		panic("helhed: FictitiousCPR: no birth date in range other than 1 January before 2007")
	}

	birth := lo.AddDate(0, 0, r.IntN(days+1))
	for birth.Month() == time.January && birth.Day() == 1 {
		// Any range of two or more days holds a non-1-January date, so this
		// ends quickly.
		birth = lo.AddDate(0, 0, r.IntN(days+1))
	}

	var d [10]int
	day, month, year := birth.Day(), int(birth.Month()), birth.Year()
	yy := year % 100
	d[0], d[1] = day/10, day%10
	d[2], d[3] = month/10, month%10
	d[4], d[5] = yy/10, yy%10
	candidates := centuryDigits(year)
	d[6] = candidates[r.IntN(len(candidates))]
	d[7], d[8] = r.IntN(10), r.IntN(10)

	sum := 0
	for i := range 9 {
		sum += d[i] * cprWeights[i]
	}
	// The last digit has weight 1, so exactly one residue makes the sum
	// divisible by 11; at most one digit 0–9 hits it, and the next digit
	// (mod 10) cannot.
	d[9] = r.IntN(10)
	if (sum+d[9])%11 == 0 {
		d[9] = (d[9] + 1) % 10
	}

	b := make([]byte, 10)
	for i, v := range d {
		b[i] = byte('0' + v)
	}
	return CPR(b)
}

// centuryDigits lists the seventh digits that make cprCentury give the
// century of year, the inverse of the CPR office's table.
func centuryDigits(year int) []int {
	var out []int
	yy := year % 100
	for digit := range 10 {
		if cprCentury(byte(digit), yy)+yy == year {
			out = append(out, digit)
		}
	}
	return out
}

// dateOnly drops the time of day, keeping the calendar date as seen in t's
// location, at midnight UTC so day arithmetic ignores daylight saving.
func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysBetween returns the number of calendar days from a to b (negative if
// b is earlier). Both must be dateOnly values. It counts via Unix seconds
// rather than time.Duration, which saturates after 292 years.
func daysBetween(a, b time.Time) int {
	return int((b.Unix() - a.Unix()) / 86400)
}
