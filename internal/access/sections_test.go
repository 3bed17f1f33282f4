package access

import "testing"

// Every profession writes its own TFA section, and only under the consent its kind of
// information needs: health staff invited to the TFA write the health section but never the
// employment section or the conclusion; without a current health consent they write nothing.
func TestCanWriteSection(t *testing.T) {
	const jobcenter, health, social, region = 1, 2, 3, 4
	caseworker := User{ID: 10, UnitID: jobcenter, Role: RoleCaseworker}
	leader := User{ID: 11, UnitID: jobcenter, Role: RoleManager}
	stranger := User{ID: 12, UnitID: 9, Role: RoleCaseworker}
	nurse := User{ID: 20, UnitID: health, Role: RoleHealth}
	regionNurse := User{ID: 22, UnitID: region, Role: RoleHealth}
	socialWorker := User{ID: 21, UnitID: social, Role: RoleSocial}
	rehab := User{ID: 30, UnitID: region, Role: RoleRehabTeam}
	admin := User{ID: 40, UnitID: 9, Role: RoleAdmin}

	own := Relation{CitizenUnitID: jobcenter}
	invitedHealth := Relation{CitizenUnitID: jobcenter, TFAUnitKind: "sundhedscenter"}
	invitedHealthConsent := Relation{CitizenUnitID: jobcenter, TFAUnitKind: "sundhedscenter", HealthConsent: true}
	invitedRegionConsent := Relation{CitizenUnitID: jobcenter, TFAUnitKind: "region", HealthConsent: true}
	invitedSocial := Relation{CitizenUnitID: jobcenter, TFAUnitKind: "socialforvaltning"}
	invitedSocialConsent := Relation{CitizenUnitID: jobcenter, TFAUnitKind: "socialforvaltning", SocialConsent: true}
	bothConsents := Relation{CitizenUnitID: jobcenter, TFAUnitKind: "sundhedscenter", HealthConsent: true, SocialConsent: true}
	referredOnly := Relation{CitizenUnitID: jobcenter, ReferralToUnit: true, HealthConsent: true}
	onAgendaMember := Relation{CitizenUnitID: jobcenter, OnAgenda: true, HealthConsent: true, TFAUnitKind: "region"}

	tests := []struct {
		name string
		user User
		rel  Relation
		sec  TFASection
		want bool
	}{
		{"caseworker writes the employment section", caseworker, own, SectionEmployment, true},
		{"caseworker writes the health section", caseworker, own, SectionHealth, true},
		{"caseworker writes the social section", caseworker, own, SectionSocial, true},
		{"caseworker writes goals and conclusion", caseworker, own, SectionSummary, true},
		{"leader of the unit writes a section", leader, own, SectionHealth, true},
		{"caseworker of another unit writes nothing", stranger, own, SectionEmployment, false},
		{"invited health staff with consent write the health section", nurse, invitedHealthConsent, SectionHealth, true},
		{"invited health staff never write the employment section", nurse, invitedHealthConsent, SectionEmployment, false},
		{"invited health staff never write the conclusion", nurse, invitedHealthConsent, SectionSummary, false},
		{"invited health staff do not write the social section even with both consents", nurse, bothConsents, SectionSocial, false},
		{"invited health staff without consent write no health section", nurse, invitedHealth, SectionHealth, false},
		{"the region's health staff with consent write the health section", regionNurse, invitedRegionConsent, SectionHealth, true},
		{"health staff referred but not invited write nothing", nurse, referredOnly, SectionHealth, false},
		{"invited social staff with consent write the social section", socialWorker, invitedSocialConsent, SectionSocial, true},
		{"invited social staff without consent write no social section", socialWorker, invitedSocial, SectionSocial, false},
		{"invited social staff never write the health section", socialWorker, invitedSocialConsent, SectionHealth, false},
		{"invited social staff never write the employment section", socialWorker, invitedSocialConsent, SectionEmployment, false},
		{"a rehab team member writes no section", rehab, onAgendaMember, SectionHealth, false},
		{"admin writes no section", admin, own, SectionEmployment, false},
		{"anonymous writes no section", User{}, own, SectionEmployment, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanWriteSection(tt.user, tt.rel, tt.sec); got != tt.want {
				t.Errorf("CanWriteSection = %v, want %v", got, tt.want)
			}
		})
	}
}

// An invitation to the TFA lets the professional see the citizen (and so the TFA, by their
// Sight) but not the documents or letters, which follow a referral or an agenda; only the
// case-holding unit concludes the TFA and chooses its participants.
func TestTFAInvitationActions(t *testing.T) {
	const jobcenter, health = 1, 2
	nurse := User{ID: 20, UnitID: health, Role: RoleHealth}
	caseworker := User{ID: 10, UnitID: jobcenter, Role: RoleCaseworker}
	invited := Relation{CitizenUnitID: jobcenter, TFAUnitKind: "sundhedscenter", HealthConsent: true}
	tests := []struct {
		name   string
		user   User
		action Action
		rel    Relation
		want   bool
	}{
		{"invited health staff view the citizen", nurse, ViewCitizen, invited, true},
		{"invited health staff write a section", nurse, WriteAssessmentSection, invited, true},
		{"invited health staff do not conclude or invite", nurse, WriteAssessment, invited, false},
		{"invited health staff do not list documents", nurse, ViewDocuments, invited, false},
		{"invited health staff do not list letters", nurse, ViewLetters, invited, false},
		{"invited health staff do not read the journal", nurse, ViewJournal, invited, false},
		{"uninvited health staff write no section", nurse, WriteAssessmentSection, Relation{CitizenUnitID: jobcenter, HealthConsent: true}, false},
		{"the case holder concludes", caseworker, WriteAssessment, Relation{CitizenUnitID: jobcenter}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanCitizen(tt.user, tt.action, tt.rel); got != tt.want {
				t.Errorf("CanCitizen(%s) = %v, want %v", tt.action, got, tt.want)
			}
		})
	}
	for _, code := range []string{"helbred", "bolig_oekonomi", "uddannelse", "nyt_element"} {
		want := map[string]TFASection{"helbred": SectionHealth, "bolig_oekonomi": SectionSocial, "uddannelse": SectionEmployment, "nyt_element": SectionHealth}[code]
		if got := SectionOfElement(code); got != want {
			t.Errorf("SectionOfElement(%s) = %s, want %s", code, got, want)
		}
	}
}
