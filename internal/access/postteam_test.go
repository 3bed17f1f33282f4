package access

import "testing"

// The post-team records (lov nr. 1750 af 29.12.2025): the case-holding unit writes the samlet
// beskrivelse and asks for sundhedsfaglig rådgivning; only the health staff of the unit asked
// (the region's sundhedskoordinator) give it, and they see the citizen's health data only
// under consent, as any other unit.
func TestPostTeamRecords(t *testing.T) {
	const jobcenter, region, healthCentre = 1, 2, 3
	caseworker := User{ID: 10, UnitID: jobcenter, Role: RoleCaseworker}
	leader := User{ID: 11, UnitID: jobcenter, Role: RoleManager}
	coordinator := User{ID: 20, UnitID: region, Role: RoleRehabTeam} // the region's sundhedskoordinator
	regionNurse := User{ID: 21, UnitID: region, Role: RoleHealth}
	regionSocial := User{ID: 22, UnitID: region, Role: RoleSocial}
	nurse := User{ID: 30, UnitID: healthCentre, Role: RoleHealth}
	admin := User{ID: 40, UnitID: 9, Role: RoleAdmin}

	own := Relation{CitizenUnitID: jobcenter}
	asked := Relation{CitizenUnitID: jobcenter, AdviceRequested: true}
	askedConsent := Relation{CitizenUnitID: jobcenter, AdviceRequested: true, HealthConsent: true}
	referred := Relation{CitizenUnitID: jobcenter, ReferralToUnit: true}

	tests := []struct {
		name   string
		user   User
		action Action
		rel    Relation
		want   bool
	}{
		{"caseworker writes the samlet beskrivelse", caseworker, WriteDescription, own, true},
		{"leader writes the samlet beskrivelse", leader, WriteDescription, own, true},
		{"coordinator asked cannot write the samlet beskrivelse", coordinator, WriteDescription, askedConsent, false},
		{"health centre with referral cannot write the samlet beskrivelse", nurse, WriteDescription, referred, false},
		{"caseworker asks for advice", caseworker, RequestHealthAdvice, own, true},
		{"coordinator cannot ask for advice", coordinator, RequestHealthAdvice, askedConsent, false},
		{"coordinator asked writes the advice", coordinator, WriteHealthAdvice, asked, true},
		{"region health staff asked writes the advice", regionNurse, WriteHealthAdvice, asked, true},
		{"region social staff asked cannot write advice", regionSocial, WriteHealthAdvice, asked, false},
		{"caseworker cannot write advice as the coordinator", caseworker, WriteHealthAdvice, own, false},
		{"caseworker cannot write advice even with a request on the case", caseworker, WriteHealthAdvice, asked, false},
		{"leader cannot write advice", leader, WriteHealthAdvice, asked, false},
		{"coordinator not asked cannot write advice", coordinator, WriteHealthAdvice, own, false},
		{"health centre with a referral cannot write advice", nurse, WriteHealthAdvice, referred, false},
		{"admin cannot write advice", admin, WriteHealthAdvice, asked, false},
		{"coordinator asked sees the citizen", coordinator, ViewCitizen, asked, true},
		{"coordinator not asked does not see the citizen", coordinator, ViewCitizen, own, false},
		{"coordinator asked, no consent: no health data", coordinator, ViewHealthData, asked, false},
		{"coordinator asked with consent: health data", coordinator, ViewHealthData, askedConsent, true},
		{"coordinator asked cannot edit the citizen", coordinator, EditCitizen, askedConsent, false},
		{"coordinator asked cannot decide", coordinator, RecordDecision, askedConsent, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanCitizen(tt.user, tt.action, tt.rel); got != tt.want {
				t.Errorf("CanCitizen(%s, %s) = %v; want %v", tt.user.Role, tt.action, got, tt.want)
			}
		})
	}
}

// The advice is the asked unit's own row: the region reads what it was asked and answered
// whatever its consents; a health centre on the case (a referral) sees it only under a health
// consent; the case-holding unit always.
func TestAdviceRowFollowsConsent(t *testing.T) {
	const jobcenter, region, healthCentre = 1, 2, 3
	row := AdviceRow(region)
	for _, tt := range []struct {
		name string
		u    User
		rel  Relation
		want bool
	}{
		{"case-holding unit", User{ID: 1, UnitID: jobcenter, Role: RoleCaseworker}, Relation{CitizenUnitID: jobcenter}, true},
		{"region asked, no consent (its own row)", User{ID: 2, UnitID: region, Role: RoleRehabTeam},
			Relation{CitizenUnitID: jobcenter, AdviceRequested: true}, true},
		{"health centre with referral, no consent", User{ID: 3, UnitID: healthCentre, Role: RoleHealth},
			Relation{CitizenUnitID: jobcenter, ReferralToUnit: true}, false},
		{"health centre with referral and health consent", User{ID: 3, UnitID: healthCentre, Role: RoleHealth},
			Relation{CitizenUnitID: jobcenter, ReferralToUnit: true, HealthConsent: true}, true},
		{"social centre with referral and social consent only", User{ID: 4, UnitID: healthCentre, Role: RoleSocial},
			Relation{CitizenUnitID: jobcenter, ReferralToUnit: true, SocialConsent: true}, false},
		{"unrelated unit", User{ID: 5, UnitID: 9, Role: RoleCaseworker}, Relation{CitizenUnitID: jobcenter}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := GateRow(SightOf(tt.u, tt.rel), row, AdviceText, "råd")
			if g.Shown() != tt.want {
				t.Errorf("advice shown = %v; want %v", g.Shown(), tt.want)
			}
		})
	}
}
