package helhed

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReferralTransitionsAllPairs(t *testing.T) {
	// The allowed moves, written out independently of the implementation's
	// table; every other pair must be refused.
	allowed := map[[2]ReferralState]bool{}
	allow := func(froms []ReferralState, tos ...ReferralState) {
		for _, f := range froms {
			for _, to := range tos {
				allowed[[2]ReferralState{f, to}] = true
			}
		}
	}
	S := func(s ...ReferralState) []ReferralState { return s }
	allow(S(ReferralSent), ReferralReceived)
	allow(S(ReferralSent, ReferralReceived), ReferralAccepted, ReferralWaitlisted, ReferralRejected)
	allow(S(ReferralWaitlisted), ReferralAccepted, ReferralRejected)
	allow(S(ReferralAccepted), ReferralStarted, ReferralNoShow, ReferralDiscontinued)
	allow(S(ReferralStarted), ReferralCompleted, ReferralDiscontinued, ReferralNoShow)
	allow(S(ReferralSent, ReferralReceived, ReferralWaitlisted, ReferralAccepted), ReferralCancelled)

	if len(ReferralStates) != 10 {
		t.Fatalf("%d states, want 10", len(ReferralStates))
	}
	pairs := 0
	for _, from := range ReferralStates {
		for _, to := range ReferralStates {
			pairs++
			want := allowed[[2]ReferralState{from, to}]
			if got := CanTransition(from, to); got != want {
				t.Errorf("CanTransition(%s, %s) = %v, want %v", from, to, got, want)
			}
			err := ValidateTransition(from, to, "Borgeren er flyttet")
			if want && err != nil {
				t.Errorf("ValidateTransition(%s, %s) = %v, want nil", from, to, err)
			}
			if !want {
				wantMsg := fmt.Sprintf("En henvisning kan ikke gå fra %s til %s", lowerLabel(from), lowerLabel(to))
				if ErrorMessage(err) != wantMsg || ErrorCode(err) != EConflict {
					t.Errorf("ValidateTransition(%s, %s) = %v (%s), want %q (conflict)", from, to, err, ErrorCode(err), wantMsg)
				}
			}
		}
	}
	if pairs != 100 {
		t.Fatalf("checked %d pairs, want 100", pairs)
	}
}

func lowerLabel(s ReferralState) string {
	return map[ReferralState]string{
		ReferralSent: "sendt", ReferralReceived: "modtaget", ReferralAccepted: "accepteret",
		ReferralWaitlisted: "på venteliste", ReferralRejected: "afvist", ReferralStarted: "startet",
		ReferralCompleted: "afsluttet", ReferralNoShow: "udeblevet", ReferralDiscontinued: "afbrudt",
		ReferralCancelled: "annulleret",
	}[s]
}

func TestValidateTransitionReason(t *testing.T) {
	tests := []struct {
		from, to ReferralState
		reason   string
		want     string
		code     Code
	}{
		{ReferralSent, ReferralRejected, "", "Begrundelse er påkrævet, når henvisningen sættes til afvist", EInvalid},
		{ReferralAccepted, ReferralDiscontinued, "  ", "Begrundelse er påkrævet, når henvisningen sættes til afbrudt", EInvalid},
		{ReferralStarted, ReferralNoShow, "", "Begrundelse er påkrævet, når henvisningen sættes til udeblevet", EInvalid},
		{ReferralSent, ReferralRejected, "Ingen ledige pladser", "", ""},
		{ReferralSent, ReferralCancelled, "", "", ""},
		{ReferralStarted, ReferralCompleted, "", "", ""},
		{ReferralCompleted, ReferralSent, "", "En henvisning kan ikke gå fra afsluttet til sendt", EConflict},
		{"ukendt", ReferralSent, "", `Ukendt status for henvisning: "ukendt"`, EInvalid},
		{ReferralSent, "", "", `Ukendt status for henvisning: ""`, EInvalid},
	}
	for _, tt := range tests {
		err := ValidateTransition(tt.from, tt.to, tt.reason)
		if got := ErrorMessage(err); got != tt.want || ErrorCode(err) != tt.code {
			t.Errorf("ValidateTransition(%q, %q, %q) = %q (%q), want %q (%q)", tt.from, tt.to, tt.reason, got, ErrorCode(err), tt.want, tt.code)
		}
	}
}

func TestReferralStateProperties(t *testing.T) {
	type props struct {
		Label                               string
		Terminal, HoldsSeat, RequiresReason bool
	}
	want := map[ReferralState]props{
		ReferralSent:         {"Sendt", false, false, false},
		ReferralReceived:     {"Modtaget", false, false, false},
		ReferralAccepted:     {"Accepteret", false, true, false},
		ReferralWaitlisted:   {"På venteliste", false, false, false},
		ReferralRejected:     {"Afvist", true, false, true},
		ReferralStarted:      {"Startet", false, true, false},
		ReferralCompleted:    {"Afsluttet", true, false, false},
		ReferralNoShow:       {"Udeblevet", true, false, true},
		ReferralDiscontinued: {"Afbrudt", true, false, true},
		ReferralCancelled:    {"Annulleret", true, false, false},
		"ukendt":             {"", false, false, false},
	}
	got := map[ReferralState]props{}
	for s := range want {
		got[s] = props{s.Label(), s.Terminal(), s.HoldsSeat(), s.RequiresReason()}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	for _, s := range ReferralStates {
		if s.Terminal() != (len(s.Next()) == 0) {
			t.Errorf("%s: Terminal() = %v but Next() = %v", s, s.Terminal(), s.Next())
		}
	}
	next := ReferralSent.Next()
	next[0] = ReferralCompleted
	if ReferralSent.Next()[0] != ReferralReceived {
		t.Error("Next() shares the transition table")
	}
}
