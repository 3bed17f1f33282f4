package helhed

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestValidateConsent(t *testing.T) {
	today := time.Date(2026, 3, 15, 14, 0, 0, 0, time.UTC)
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	p := func(s string) *time.Time { t := d(s); return &t }
	for _, tc := range []struct {
		name string
		c    Consent
		want []string // fields with an error
	}{
		{"today, open-ended", Consent{Purpose: "Koordinering", GivenOn: today}, nil},
		{"the edges", Consent{Purpose: strings.Repeat("æ", 500), GivenOn: d("2016-03-15"), ExpiresOn: p("2031-03-15")}, nil},
		{"a day in the future", Consent{Purpose: "x", GivenOn: d("2026-03-16")}, []string{FieldConsentGiven}},
		{"1990", Consent{Purpose: "x", GivenOn: d("1990-01-01")}, []string{FieldConsentGiven}},
		{"ten years and a day", Consent{Purpose: "x", GivenOn: d("2016-03-14")}, []string{FieldConsentGiven}},
		{"expires 2999", Consent{Purpose: "x", GivenOn: today, ExpiresOn: p("2999-12-31")}, []string{FieldConsentExpires}},
		{"expires five years and a day ahead", Consent{Purpose: "x", GivenOn: today, ExpiresOn: p("2031-03-16")}, []string{FieldConsentExpires}},
		{"expires the day it is given", Consent{Purpose: "x", GivenOn: d("2026-03-01"), ExpiresOn: p("2026-03-01")}, []string{FieldConsentExpires}},
		{"blank purpose", Consent{Purpose: " \n\t", GivenOn: today}, []string{FieldConsentPurpose}},
		{"purpose of 501", Consent{Purpose: strings.Repeat("æ", 501), GivenOn: today}, []string{FieldConsentPurpose}},
	} {
		var got []string
		for f := range FieldErrorsOf(ValidateConsent(tc.c, today)) {
			got = append(got, f)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: fields with errors (-want +got):\n%s", tc.name, diff)
		}
	}
}
