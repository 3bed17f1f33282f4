package web

import (
	"testing"
	"time"

	"github.com/helhed/helhed/internal/store"
)

func TestCopyText(t *testing.T) {
	for _, c := range []struct {
		f    store.Freshness
		want string
	}{
		{store.Freshness{}, ""},
		{store.Freshness{Replica: true, NothingReplayed: true}, "Tallene er læst fra en kopi af databasen, som endnu ikke har modtaget ændringer; hvor gamle de er, vides ikke."},
		{store.Freshness{Replica: true, Lag: 300 * time.Millisecond}, "Tallene er læst fra en kopi af databasen og kan mangle ændringer fra det seneste sekund."},
		{store.Freshness{Replica: true, Lag: 1500 * time.Millisecond}, "Tallene er læst fra en kopi af databasen og kan mangle ændringer fra de seneste 2 sekunder."},
		{store.Freshness{Replica: true, Lag: 61 * time.Second}, "Tallene er læst fra en kopi af databasen og kan mangle ændringer fra de seneste 2 minutter."},
		{store.Freshness{Replica: true, Lag: time.Hour}, "Tallene er læst fra en kopi af databasen og kan mangle ændringer fra den seneste time."},
		{store.Freshness{Replica: true, Lag: 3*time.Hour + time.Second}, "Tallene er læst fra en kopi af databasen og kan mangle ændringer fra de seneste 4 timer."},
	} {
		if got := copyText(c.f); got != c.want {
			t.Errorf("%+v: %q, want %q", c.f, got, c.want)
		}
	}
}
