package helhed

// KRAMSCodes lists the KRAMS factors in their customary order (Kost, Rygning, Alkohol, Motion,
// Søvn), for catalogue filters and the offer form.
var KRAMSCodes = []string{KRAMSDiet, KRAMSSmoking, KRAMSAlcohol, KRAMSExercise, KRAMSSleep}

// KRAMSLabel returns the Danish name of a KRAMS factor code, or "" for an unknown code.
func KRAMSLabel(code string) string { return kramsLabels[code] }

// OfferRiskGroups are the risk groups an offer can target: an offer is for citizens with a
// health challenge, so "ingen" is not a target.
var OfferRiskGroups = []RiskGroup{RiskHigh, RiskMedium, RiskLow}

// ReferralStatesWhere returns the codes of the states for which keep reports true, in workflow
// order. The store passes these to SQL, so the rules (HoldsSeat, Terminal) live only here.
func ReferralStatesWhere(keep func(ReferralState) bool) []string {
	var out []string
	for _, s := range ReferralStates {
		if keep(s) {
			out = append(out, string(s))
		}
	}
	return out
}
