package helhed

import (
	"fmt"
	"strings"
)

// ReferralState is where a referral to a health or social offer stands.
// The states and transitions are the municipality's workflow, not law.
type ReferralState string

// The referral states.
const (
	ReferralSent         ReferralState = "sendt"
	ReferralReceived     ReferralState = "modtaget"
	ReferralAccepted     ReferralState = "accepteret"
	ReferralWaitlisted   ReferralState = "venteliste"
	ReferralRejected     ReferralState = "afvist"
	ReferralStarted      ReferralState = "startet"
	ReferralCompleted    ReferralState = "afsluttet"
	ReferralNoShow       ReferralState = "udeblevet"
	ReferralDiscontinued ReferralState = "afbrudt"
	ReferralCancelled    ReferralState = "annulleret"
)

// ReferralStates lists every state in workflow order, for filters and
// legends; use Label for the Danish text.
var ReferralStates = []ReferralState{
	ReferralSent, ReferralReceived, ReferralAccepted, ReferralWaitlisted, ReferralRejected,
	ReferralStarted, ReferralCompleted, ReferralNoShow, ReferralDiscontinued, ReferralCancelled,
}

// referralLabels are the Danish names of the states.
var referralLabels = map[ReferralState]string{
	ReferralSent:         "Sendt",
	ReferralReceived:     "Modtaget",
	ReferralAccepted:     "Accepteret",
	ReferralWaitlisted:   "På venteliste",
	ReferralRejected:     "Afvist",
	ReferralStarted:      "Startet",
	ReferralCompleted:    "Afsluttet",
	ReferralNoShow:       "Udeblevet",
	ReferralDiscontinued: "Afbrudt",
	ReferralCancelled:    "Annulleret",
}

// referralTransitions maps each state to the states it may move to; a
// state missing here is terminal.
var referralTransitions = map[ReferralState][]ReferralState{
	ReferralSent:       {ReferralReceived, ReferralAccepted, ReferralWaitlisted, ReferralRejected, ReferralCancelled},
	ReferralReceived:   {ReferralAccepted, ReferralWaitlisted, ReferralRejected, ReferralCancelled},
	ReferralWaitlisted: {ReferralAccepted, ReferralRejected, ReferralCancelled},
	ReferralAccepted:   {ReferralStarted, ReferralNoShow, ReferralDiscontinued, ReferralCancelled},
	ReferralStarted:    {ReferralCompleted, ReferralDiscontinued, ReferralNoShow},
}

// Label returns the Danish name of the state, or "" for an unknown code.
func (s ReferralState) Label() string { return referralLabels[s] }

// Valid reports whether s is one of ReferralStates.
func (s ReferralState) Valid() bool { return s.Label() != "" }

// Terminal reports whether nothing more can happen to the referral:
// afvist, afsluttet, udeblevet, afbrudt or annulleret. A new referral is
// needed to try again.
func (s ReferralState) Terminal() bool {
	return s.Valid() && len(referralTransitions[s]) == 0
}

// HoldsSeat reports whether the referral occupies a place in the offer
// (accepteret or startet), so capacity counts include it.
func (s ReferralState) HoldsSeat() bool {
	return s == ReferralAccepted || s == ReferralStarted
}

// RequiresReason reports whether moving into s needs a reason (afvist,
// afbrudt, udeblevet): the caseworker must know why the offer did not help
// before choosing the next one.
func (s ReferralState) RequiresReason() bool {
	return s == ReferralRejected || s == ReferralDiscontinued || s == ReferralNoShow
}

// Next returns the states s may move to, in workflow order, so the UI can
// offer only the actions that are allowed. The slice is a copy.
func (s ReferralState) Next() []ReferralState {
	return append([]ReferralState(nil), referralTransitions[s]...)
}

// CanTransition reports whether a referral may move from one state to the
// other, ignoring the reason requirement.
func CanTransition(from, to ReferralState) bool {
	for _, s := range referralTransitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// FieldReferralReason is the form field of the reason for a transition.
const FieldReferralReason = "reason"

// ValidateTransition checks a state change and returns nil or an error
// with a Danish message: EInvalid for an unknown state or a missing
// reason, EConflict for a move the workflow does not allow (typically
// because someone else changed the referral meanwhile).
func ValidateTransition(from, to ReferralState, reason string) error {
	for _, s := range []ReferralState{from, to} {
		if !s.Valid() {
			return Errorf(EInvalid, "Ukendt status for henvisning: %q", string(s))
		}
	}
	if !CanTransition(from, to) {
		return Errorf(EConflict, "En henvisning kan ikke gå fra %s til %s",
			strings.ToLower(from.Label()), strings.ToLower(to.Label()))
	}
	if to.RequiresReason() && strings.TrimSpace(reason) == "" {
		return invalidField(FieldReferralReason, fmt.Sprintf(
			"Begrundelse er påkrævet, når henvisningen sættes til %s", strings.ToLower(to.Label())))
	}
	return nil
}

// Effort statuses (reference data kind effort_status, migration 0005) that a referral's state
// moves its plan effort to.
const (
	EffortReferred     = "henvist"
	EffortRunning      = "i_gang"
	EffortCompleted    = "afsluttet"
	EffortDiscontinued = "afbrudt"
)

// EffortStatus is the status of the plan effort a referral in state s stands for: henvist
// while the provider has not started it (sendt, modtaget, accepteret, venteliste), i gang
// when started, afsluttet when completed, and afbrudt when it ended without being completed
// (afvist, udeblevet, afbrudt, annulleret). The referral is the one place the state is
// keyed; the effort follows it in the same transaction.
func (s ReferralState) EffortStatus() string {
	switch s {
	case ReferralStarted:
		return EffortRunning
	case ReferralCompleted:
		return EffortCompleted
	case ReferralRejected, ReferralNoShow, ReferralDiscontinued, ReferralCancelled:
		return EffortDiscontinued
	}
	return EffortReferred
}
