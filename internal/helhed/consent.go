package helhed

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The bounds of a consent (samtykke) to pass information between administrations.
//
// A consent is recorded when the citizen gives it, or shortly after from a signed paper form;
// one given more than ConsentYearsBack years ago would long since have been renewed, so an
// older date is a typing error (1990 for 2019). Consents for the helhedsorienteret indsats
// follow the course of action they serve, and the longest course in the law is a
// ressourceforløb of up to five years (LAB § 68 a): a consent is given for at most
// ConsentYearsAhead years from today, and renewed with the citizen if the work goes on.
const (
	ConsentYearsBack  = 10
	ConsentYearsAhead = 5
	// MaxConsentPurpose bounds the purpose, which is shown with the consent everywhere.
	MaxConsentPurpose = 500
)

// Fields of a consent used as keys in Error.Fields.
const (
	FieldConsentPurpose = "purpose"
	FieldConsentGiven   = "given_on"
	FieldConsentExpires = "expires_on"
)

// Consent is what the rules need to know about a consent being recorded.
type Consent struct {
	Purpose   string
	GivenOn   time.Time
	ExpiresOn *time.Time // nil: until withdrawn
}

// ValidateConsent checks a consent recorded on day today: a purpose of 1 to
// MaxConsentPurpose characters after trimming; given today or up to ConsentYearsBack years
// before, never in the future; expiring after the day it was given and no more than
// ConsentYearsAhead years from today. Dates compare as calendar days.
func ValidateConsent(c Consent, today time.Time) error {
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(strings.TrimSpace(c.Purpose)); {
	case n == 0:
		fields[FieldConsentPurpose] = "Beskriv formålet med samtykket"
	case n > MaxConsentPurpose:
		fields[FieldConsentPurpose] = "Højst 500 tegn"
	}
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	given := day(c.GivenOn)
	switch {
	case given > day(today):
		fields[FieldConsentGiven] = "Et samtykke kan ikke være givet i fremtiden"
	case given < day(today.AddDate(-ConsentYearsBack, 0, 0)):
		fields[FieldConsentGiven] = "Et samtykke kan højst registreres 10 år tilbage. Kontrollér årstallet"
	}
	if c.ExpiresOn != nil {
		switch exp := day(*c.ExpiresOn); {
		case exp <= given:
			fields[FieldConsentExpires] = "Udløbsdatoen skal ligge efter datoen for samtykket"
		case exp > day(today.AddDate(ConsentYearsAhead, 0, 0)):
			fields[FieldConsentExpires] = "Et samtykke kan højst gælde 5 år frem. Forny det med borgeren, hvis indsatsen fortsætter"
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Samtykket kan ikke registreres", Fields: fields}
}
