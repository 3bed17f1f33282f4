package seed

import (
	"slices"
	"testing"

	"github.com/helhed/helhed/internal/helhed"
)

// Every focus entry names a demo offer and a focus code: a renamed offer would silently lose
// its focus, and the suggestions with it.
func TestDemoOfferFocusNamesOffers(t *testing.T) {
	for name, focus := range demoOfferFocus {
		if !slices.ContainsFunc(demoOffers, func(o demoOffer) bool { return o.name == name }) {
			t.Errorf("focus for %q, which is not a demo offer", name)
		}
		for _, f := range focus {
			if !slices.Contains(helhed.FocusCodes, f) {
				t.Errorf("%q: focus %q is not a focus code", name, f)
			}
		}
	}
}
