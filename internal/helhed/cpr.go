package helhed

import (
	"fmt"
	"strings"
	"time"
)

// CPR is a Danish personal identification number (CPR-nummer) held as ten
// digits without separator: DDMMYY followed by a four-digit sequence number
// whose first digit, together with YY, gives the century of birth.
//
// Only ParseCPR and FictitiousCPR produce valid values; the methods return
// zero values instead of panicking on anything else. String masks the
// sequence number, so a CPR number that slips into a log line or an error
// message does not disclose the full number; use Formatted or string(c)
// where the full number is really needed.
type CPR string

// CPRErrorKind tells why a CPR number was rejected.
type CPRErrorKind int

// The ways a CPR number can be rejected.
const (
	// CPRBadFormat: not six digits, an optional dash or space, four digits.
	CPRBadFormat CPRErrorKind = iota + 1
	// CPRBadDate: the digits are well-formed but the birth date does not
	// exist in the century the seventh digit points to.
	CPRBadDate
)

// CPRError reports why ParseCPR rejected its input. Its Error text is a
// Danish message to show beside the form field; ErrorCode classifies it as
// EInvalid.
type CPRError struct {
	// Kind tells which rule the input broke.
	Kind CPRErrorKind
	// Date is the date part as typed ("DD.MM.YY"), set for CPRBadDate so the
	// message can show which date does not exist.
	Date string
}

// Sentinels for errors.Is: errors.Is(err, ErrCPRDate) is true for every
// rejected date, whatever the date.
var (
	// ErrCPRFormat matches any *CPRError of kind CPRBadFormat.
	ErrCPRFormat = &CPRError{Kind: CPRBadFormat}
	// ErrCPRDate matches any *CPRError of kind CPRBadDate.
	ErrCPRDate = &CPRError{Kind: CPRBadDate}
)

// Error returns the Danish message.
func (e *CPRError) Error() string {
	if e.Kind == CPRBadDate {
		return fmt.Sprintf("CPR-nummerets dato findes ikke (%s)", e.Date)
	}
	return "CPR-nummeret skal have formen DDMMÅÅ-XXXX"
}

// Is matches the sentinels by kind, ignoring the date.
func (e *CPRError) Is(target error) bool {
	t, ok := target.(*CPRError)
	return ok && t.Kind == e.Kind
}

// ErrorCode classifies a rejected CPR number as the user's input error.
func (e *CPRError) ErrorCode() Code { return EInvalid }

// ParseCPR accepts "DDMMYY-SSSS", "DDMMYYSSSS" and "DDMMYY SSSS", with
// surrounding spaces, and checks that the birth date exists in the century
// given by the seventh digit (so 29.02.00 needs a seventh digit that puts it
// in 2000).
//
// It deliberately does not check modulus 11: numbers issued since 2007 need
// not satisfy it, and rejecting a real citizen's number would block the case.
func ParseCPR(s string) (CPR, error) {
	s = strings.TrimSpace(s)
	var digits string
	switch {
	case len(s) == 10:
		digits = s
	case len(s) == 11 && (s[6] == '-' || s[6] == ' '):
		digits = s[:6] + s[7:]
	default:
		return "", &CPRError{Kind: CPRBadFormat}
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return "", &CPRError{Kind: CPRBadFormat}
		}
	}
	c := CPR(digits)
	if _, ok := c.birthDate(); !ok {
		return "", &CPRError{Kind: CPRBadDate, Date: digits[0:2] + "." + digits[2:4] + "." + digits[4:6]}
	}
	return c, nil
}

// valid reports whether c has the shape ParseCPR produces; the methods
// check it so a hand-made CPR value cannot make them panic.
func (c CPR) valid() bool {
	if len(c) != 10 {
		return false
	}
	for i := 0; i < len(c); i++ {
		if c[i] < '0' || c[i] > '9' {
			return false
		}
	}
	return true
}

// String returns the masked form, see the type's doc comment.
func (c CPR) String() string { return c.Masked() }

// Masked returns "DDMMYY-XXXX": enough to recognise a citizen on a list
// without displaying the full number to everyone who sees the screen.
func (c CPR) Masked() string {
	if !c.valid() {
		return ""
	}
	return string(c[:6]) + "-XXXX"
}

// Formatted returns the full number as "DDMMYY-SSSS".
func (c CPR) Formatted() string {
	if !c.valid() {
		return ""
	}
	return string(c[:6]) + "-" + string(c[6:])
}

// BirthDate returns the birth date at midnight UTC (a date, not an
// instant), or the zero time if c is not a valid CPR number.
func (c CPR) BirthDate() time.Time {
	t, _ := c.birthDate()
	return t
}

// Age returns the age in whole years on the calendar date of on (in on's
// location). Someone born on 29 February turns a year older on 1 March in
// years that have no 29 February. It returns 0 for an invalid c and before
// the birth date.
func (c CPR) Age(on time.Time) int {
	b, ok := c.birthDate()
	if !ok {
		return 0
	}
	y, m, d := on.Date()
	age := y - b.Year()
	if m < b.Month() || (m == b.Month() && d < b.Day()) {
		age--
	}
	return max(age, 0)
}

// Female reports whether the number was issued to a woman: the last digit
// is even (odd for men).
func (c CPR) Female() bool {
	return c.valid() && (c[9]-'0')%2 == 0
}

// birthDate derives the full date from DDMMYY and the century rule, and
// reports false if the date does not exist.
func (c CPR) birthDate() (time.Time, bool) {
	if !c.valid() {
		return time.Time{}, false
	}
	day := num2(string(c[0:2]))
	month := num2(string(c[2:4]))
	year := cprCentury(c[6]-'0', num2(string(c[4:6]))) + num2(string(c[4:6]))
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	// time.Date normalises 31.02 to 3.03; a changed date means it did not
	// exist.
	if t.Day() != day || int(t.Month()) != month || t.Year() != year {
		return time.Time{}, false
	}
	return t, true
}

// cprCentury implements the CPR office's table from the seventh digit and
// the two-digit year to the century of birth.
func cprCentury(digit7 byte, yy int) int {
	switch digit7 {
	case 0, 1, 2, 3:
		return 1900
	case 4, 9:
		if yy <= 36 {
			return 2000
		}
		return 1900
	default: // 5–8
		if yy <= 57 {
			return 2000
		}
		return 1800
	}
}

// num2 converts two ASCII digits (already checked) to an int.
func num2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// cprWeights are the modulus 11 weights of the ten digits.
var cprWeights = [10]int{4, 3, 2, 7, 6, 5, 4, 3, 2, 1}

// IsModulus11 reports whether c passes the modulus 11 check (weighted digit
// sum divisible by 11). A failing number is still a valid CPR number; see
// FictitiousCPR for why the check is useful anyway.
func IsModulus11(c CPR) bool {
	if !c.valid() {
		return false
	}
	sum := 0
	for i, w := range cprWeights {
		sum += int(c[i]-'0') * w
	}
	return sum%11 == 0
}
