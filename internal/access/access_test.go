package access

import "testing"

func TestCanCitizen(t *testing.T) {
	const jobcenter, health, other = 1, 2, 3
	caseworker := User{ID: 10, UnitID: jobcenter, Role: RoleCaseworker}
	colleague := User{ID: 11, UnitID: jobcenter, Role: RoleCaseworker}
	strangerCW := User{ID: 12, UnitID: other, Role: RoleCaseworker}
	leader := User{ID: 13, UnitID: jobcenter, Role: RoleManager}
	otherLeader := User{ID: 14, UnitID: other, Role: RoleManager}
	nurse := User{ID: 20, UnitID: health, Role: RoleHealth}
	social := User{ID: 21, UnitID: other, Role: RoleSocial}
	rehab := User{ID: 30, UnitID: other, Role: RoleRehabTeam}
	admin := User{ID: 40, UnitID: other, Role: RoleAdmin}
	anonymous := User{}

	own := Relation{CitizenUnitID: jobcenter, CaseworkerID: 10}
	referred := Relation{CitizenUnitID: jobcenter, CaseworkerID: 10, ReferralToUnit: true}
	referredConsent := Relation{CitizenUnitID: jobcenter, CaseworkerID: 10, ReferralToUnit: true, HealthConsent: true}
	onAgenda := Relation{CitizenUnitID: jobcenter, OnAgenda: true}
	onAgendaConsent := Relation{CitizenUnitID: jobcenter, OnAgenda: true, HealthConsent: true}
	consentOnly := Relation{CitizenUnitID: jobcenter, HealthConsent: true}

	tests := []struct {
		name   string
		user   User
		action Action
		rel    Relation
		want   bool
	}{
		{"caseworker views own citizen", caseworker, ViewCitizen, own, true},
		{"caseworker edits own citizen", caseworker, EditCitizen, own, true},
		{"caseworker reveals CPR of own citizen", caseworker, RevealCPR, own, true},
		{"caseworker sees health data of own citizen", caseworker, ViewHealthData, own, true},
		{"colleague in same unit views", colleague, ViewCitizen, own, true},
		{"colleague in same unit edits (cover for absence)", colleague, EditCitizen, own, true},
		{"caseworker of another unit cannot view", strangerCW, ViewCitizen, own, false},
		{"caseworker of another unit cannot edit", strangerCW, EditCitizen, own, false},
		{"leader of the unit views", leader, ViewCitizen, own, true},
		{"leader of another unit cannot view", otherLeader, ViewCitizen, own, false},
		{"health staff without relation cannot view", nurse, ViewCitizen, own, false},
		{"health staff with consent but no referral cannot view", nurse, ViewCitizen, consentOnly, false},
		{"health staff with referral views", nurse, ViewCitizen, referred, true},
		{"health staff with referral cannot edit", nurse, EditCitizen, referred, false},
		{"health staff with referral cannot reveal CPR", nurse, RevealCPR, referred, false},
		{"health staff with referral but no consent: no health data", nurse, ViewHealthData, referred, false},
		{"health staff with referral and consent: health data", nurse, ViewHealthData, referredConsent, true},
		{"social staff with referral views", social, ViewCitizen, referred, true},
		{"rehab member off agenda cannot view", rehab, ViewCitizen, own, false},
		{"rehab member on agenda views", rehab, ViewCitizen, onAgenda, true},
		{"rehab member on agenda, no consent: no health data", rehab, ViewHealthData, onAgenda, false},
		{"rehab member on agenda with consent: health data", rehab, ViewHealthData, onAgendaConsent, true},
		{"rehab member cannot edit", rehab, EditCitizen, onAgendaConsent, false},
		{"caseworker screens own citizen", caseworker, RecordScreening, own, true},
		{"caseworker records consent", caseworker, ManageConsent, own, true},
		{"health staff cannot screen", nurse, RecordScreening, referredConsent, false},
		{"health staff cannot record consent", nurse, ManageConsent, referredConsent, false},
		{"caseworker of another unit cannot screen", strangerCW, RecordScreening, own, false},
		{"caseworker exports own citizen's data", caseworker, ExportCitizen, own, true},
		{"health staff cannot export", nurse, ExportCitizen, referredConsent, false},
		{"caseworker writes the TFA of own citizen", caseworker, WriteAssessment, own, true},
		{"colleague in same unit writes the TFA", colleague, WriteAssessment, own, true},
		{"caseworker edits the plan of own citizen", caseworker, EditPlan, own, true},
		{"leader of the unit edits the plan", leader, EditPlan, own, true},
		{"caseworker of another unit cannot write the TFA", strangerCW, WriteAssessment, own, false},
		{"caseworker of another unit cannot edit the plan", strangerCW, EditPlan, own, false},
		{"health staff with referral and consent cannot write the TFA", nurse, WriteAssessment, referredConsent, false},
		{"health staff with referral cannot edit the plan", nurse, EditPlan, referredConsent, false},
		{"rehab member on agenda cannot edit the plan", rehab, EditPlan, onAgendaConsent, false},
		{"admin cannot edit a plan", admin, EditPlan, own, false},
		{"admin cannot read case data", admin, ViewCitizen, own, false},
		{"admin cannot reveal CPR", admin, RevealCPR, own, false},
		{"anonymous gets nothing", anonymous, ViewCitizen, own, false},
		{"unknown action is refused", caseworker, Action("citizen.delete_everything"), own, false},
		{"function-level action is not object-level", caseworker, ManageUsers, own, false},
		{"caseworker refers own citizen", caseworker, ReferCitizen, own, true},
		{"caseworker of another unit cannot refer", strangerCW, ReferCitizen, own, false},
		{"health staff with referral cannot refer on", nurse, ReferCitizen, referredConsent, false},
		{"health member of a team views a citizen on the agenda", nurse, ViewCitizen, onAgenda, true},
		{"health member on agenda, no consent: no health data", nurse, ViewHealthData, onAgenda, false},
		{"health member on agenda with consent: health data", nurse, ViewHealthData, onAgendaConsent, true},
		{"social member of a team views a citizen on the agenda", social, ViewCitizen, onAgenda, true},
		{"caseworker prepares own citizen's meeting case", caseworker, PrepareMeetingCase, own, true},
		{"caseworker decides in own citizen's case", caseworker, RecordDecision, own, true},
		{"colleague in same unit decides (cover for absence)", colleague, RecordDecision, own, true},
		{"leader of the unit decides", leader, RecordDecision, own, true},
		{"leader of another unit cannot decide", otherLeader, RecordDecision, own, false},
		{"caseworker of another unit cannot decide", strangerCW, RecordDecision, own, false},
		{"rehab member on agenda with consent cannot decide", rehab, RecordDecision, onAgendaConsent, false},
		{"health member of the team cannot decide", nurse, RecordDecision, onAgendaConsent, false},
		{"social member of the team cannot decide", social, RecordDecision, onAgenda, false},
		{"admin cannot decide", admin, RecordDecision, own, false},
		{"caseworker of another unit cannot prepare the case", strangerCW, PrepareMeetingCase, own, false},
		{"rehab member on agenda cannot prepare the case", rehab, PrepareMeetingCase, onAgendaConsent, false},
		{"admin cannot read a citizen on an agenda", admin, ViewCitizen, onAgendaConsent, false},
		{"caseworker closes own citizen's case", caseworker, CloseCase, own, true},
		{"colleague in same unit closes the case", colleague, CloseCase, own, true},
		{"leader of the unit closes the case", leader, CloseCase, own, true},
		{"caseworker of another unit cannot close", strangerCW, CloseCase, own, false},
		{"health staff with referral cannot close", nurse, CloseCase, referredConsent, false},
		{"admin cannot close a case", admin, CloseCase, own, false},
		{"leader of the unit places a legal hold", leader, PlaceLegalHold, own, true},
		{"leader of another unit cannot place a legal hold", otherLeader, PlaceLegalHold, own, false},
		{"caseworker cannot place a legal hold", caseworker, PlaceLegalHold, own, false},
		{"health staff cannot place a legal hold", nurse, PlaceLegalHold, referredConsent, false},
		{"rehab member cannot place a legal hold", rehab, PlaceLegalHold, onAgendaConsent, false},
		{"admin places a legal hold without reading the case", admin, PlaceLegalHold, own, true},
		{"anonymous cannot place a legal hold", anonymous, PlaceLegalHold, own, false},
		{"caseworker lists own citizen's documents", caseworker, ViewDocuments, own, true},
		{"colleague in same unit lists the documents", colleague, ViewDocuments, own, true},
		{"caseworker uploads to own citizen's case", caseworker, UploadDocument, own, true},
		{"leader of the unit uploads", leader, UploadDocument, own, true},
		{"caseworker of another unit cannot list documents", strangerCW, ViewDocuments, own, false},
		{"caseworker of another unit cannot upload", strangerCW, UploadDocument, own, false},
		{"health staff without relation cannot list documents", nurse, ViewDocuments, consentOnly, false},
		{"health staff with referral lists documents (each by its class)", nurse, ViewDocuments, referred, true},
		{"health staff with referral and consent cannot upload", nurse, UploadDocument, referredConsent, false},
		{"rehab member on agenda lists documents (each by its class)", rehab, ViewDocuments, onAgenda, true},
		{"caseworker sends a letter to own citizen", caseworker, SendLetter, own, true},
		{"colleague in same unit sends a letter", colleague, SendLetter, own, true},
		{"leader of the unit sends a letter", leader, SendLetter, own, true},
		{"caseworker of another unit cannot send a letter", strangerCW, SendLetter, own, false},
		{"caseworker of another unit cannot list letters", strangerCW, ViewLetters, own, false},
		{"health staff with referral and consent cannot send a letter", nurse, SendLetter, referredConsent, false},
		{"health staff with referral lists letters (each by its document's class)", nurse, ViewLetters, referred, true},
		{"health staff without relation cannot list letters", nurse, ViewLetters, consentOnly, false},
		{"rehab member on agenda lists letters (each by its class)", rehab, ViewLetters, onAgenda, true},
		{"rehab member on agenda cannot send a letter", rehab, SendLetter, onAgenda, false},
		{"rehab member off agenda cannot list documents", rehab, ViewDocuments, own, false},
		{"rehab member on agenda cannot upload", rehab, UploadDocument, onAgendaConsent, false},
		{"admin cannot list documents", admin, ViewDocuments, own, false},
		{"admin cannot upload", admin, UploadDocument, own, false},
		{"anonymous cannot list documents", anonymous, ViewDocuments, own, false},
		// The journal: the case-holding unit keeps it; a provider with a referral reads and
		// writes about its own effort; a team member with the case on an agenda does neither.
		{"caseworker reads own citizen's journal", caseworker, ViewJournal, own, true},
		{"caseworker writes in own citizen's journal", caseworker, WriteJournal, own, true},
		{"colleague in same unit writes in the journal (cover for absence)", colleague, WriteJournal, own, true},
		{"leader of the unit writes in the journal (a decision)", leader, WriteJournal, own, true},
		{"caseworker of another unit cannot read the journal", strangerCW, ViewJournal, own, false},
		{"caseworker of another unit cannot write in the journal", strangerCW, WriteJournal, own, false},
		{"leader of another unit cannot read the journal", otherLeader, ViewJournal, own, false},
		{"health staff without referral cannot read the journal", nurse, ViewJournal, consentOnly, false},
		{"health staff with referral reads the journal", nurse, ViewJournal, referred, true},
		{"health staff with referral writes about its effort", nurse, WriteJournal, referred, true},
		{"social staff with referral writes in the journal", social, WriteJournal, referred, true},
		{"health member of a team, citizen only on the agenda: no journal", nurse, ViewJournal, onAgendaConsent, false},
		{"rehab member on agenda cannot read the journal", rehab, ViewJournal, onAgendaConsent, false},
		{"rehab member on agenda cannot write in the journal", rehab, WriteJournal, onAgendaConsent, false},
		{"admin cannot read the journal", admin, ViewJournal, own, false},
		{"admin cannot write in the journal", admin, WriteJournal, own, false},
		{"anonymous cannot read the journal", anonymous, ViewJournal, own, false},
		{"caseworker books a samtale with own citizen", caseworker, BookSamtale, own, true},
		{"colleague books a samtale (cover for absence)", colleague, BookSamtale, own, true},
		{"leader of the unit sees the samtaler", leader, ViewSamtaler, own, true},
		{"caseworker of another unit cannot see the samtaler", strangerCW, ViewSamtaler, own, false},
		{"caseworker of another unit cannot book", strangerCW, BookSamtale, own, false},
		{"health staff with referral cannot book (the kontaktforløb is the jobcenter's)", nurse, BookSamtale, referredConsent, false},
		{"health staff with referral does not list the samtaler", nurse, ViewSamtaler, referredConsent, false},
		{"rehab member on agenda cannot see the samtaler", rehab, ViewSamtaler, onAgendaConsent, false},
		{"admin cannot book", admin, BookSamtale, own, false},
		{"anonymous cannot see the samtaler", anonymous, ViewSamtaler, own, false},
		{"caseworker gives a task about own citizen", caseworker, CreateTask, own, true},
		{"caseworker of another unit cannot give a task", strangerCW, CreateTask, own, false},
		{"health staff with referral cannot give a task", nurse, CreateTask, referredConsent, false},
		{"caseworker hands over own citizen", caseworker, HandOverCitizen, own, true},
		{"colleague hands over a citizen of the unit", colleague, HandOverCitizen, own, true},
		{"leader hands over a citizen of the unit", leader, HandOverCitizen, own, true},
		{"caseworker of another unit cannot hand over", strangerCW, HandOverCitizen, own, false},
		{"health staff with referral cannot hand over", nurse, HandOverCitizen, referredConsent, false},
		{"rehab member on agenda cannot hand over", rehab, HandOverCitizen, onAgendaConsent, false},
		{"admin cannot hand over", admin, HandOverCitizen, own, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CanCitizen(tc.user, tc.action, tc.rel); got != tc.want {
				t.Errorf("CanCitizen(%s, %s) = %v; want %v", tc.user.Role, tc.action, got, tc.want)
			}
		})
	}
}

func TestCan(t *testing.T) {
	roles := []string{RoleCaseworker, RoleHealth, RoleSocial, RoleRehabTeam, RoleManager, RoleAdmin, "ukendt"}
	want := map[Action][]string{
		ListOwnCaseload:   {RoleCaseworker},
		ListUnitCitizens:  {RoleCaseworker, RoleManager},
		SearchCitizens:    {RoleCaseworker, RoleManager},
		CreateCitizen:     {RoleCaseworker, RoleManager},
		ManageUsers:       {RoleAdmin},
		ManageUnits:       {RoleAdmin},
		ManageRoles:       {RoleAdmin},
		ManageReference:   {RoleAdmin},
		ViewAuditLog:      {RoleAdmin},
		ManageRetention:   {RoleAdmin},
		ViewCatalogue:     {RoleCaseworker, RoleHealth, RoleSocial, RoleRehabTeam, RoleManager, RoleAdmin},
		CreateOffer:       {RoleHealth, RoleSocial, RoleAdmin},
		ViewInbox:         {RoleHealth, RoleSocial, RoleManager},
		ListOwnReferrals:  {RoleCaseworker, RoleManager},
		ListMeetings:      {RoleCaseworker, RoleHealth, RoleSocial, RoleRehabTeam, RoleManager},
		PlanMeetings:      {RoleManager},
		ManageTeams:       {RoleManager, RoleAdmin},
		ViewManagement:    {RoleManager},
		ViewStrategy:      {RoleManager, RoleAdmin},
		EditInitiative:    {RoleManager, RoleAdmin},
		ViewLawCalendar:   {RoleManager, RoleAdmin},
		ViewCalendar:      {RoleCaseworker, RoleHealth, RoleSocial, RoleManager},
		ViewTasks:         {RoleCaseworker, RoleManager},
		HandOverCaseload:  {RoleManager},
		ViewUnitCaseloads: {}, // unit-level: never granted without a unit
		ViewCitizen:       {}, // object-level: never granted without an object
		EditOffer:         {}, // object-level
	}
	for action, allowed := range want {
		for _, role := range roles {
			exp := false
			for _, a := range allowed {
				exp = exp || a == role
			}
			if got := Can(User{ID: 1, UnitID: 1, Role: role}, action); got != exp {
				t.Errorf("Can(%s, %s) = %v; want %v", role, action, got, exp)
			}
		}
	}
}

func TestCanUnit(t *testing.T) {
	const jobcenter, other, health = 1, 2, 3
	tests := []struct {
		name   string
		user   User
		action Action
		unit   int64
		want   bool
	}{
		{"leader sees own unit's caseloads", User{ID: 13, UnitID: jobcenter, Role: RoleManager}, ViewUnitCaseloads, jobcenter, true},
		{"leader of another unit does not", User{ID: 14, UnitID: other, Role: RoleManager}, ViewUnitCaseloads, jobcenter, false},
		{"caseworker does not, even in the unit", User{ID: 10, UnitID: jobcenter, Role: RoleCaseworker}, ViewUnitCaseloads, jobcenter, false},
		{"admin does not", User{ID: 40, UnitID: jobcenter, Role: RoleAdmin}, ViewUnitCaseloads, jobcenter, false},
		{"health staff do not", User{ID: 20, UnitID: health, Role: RoleHealth}, ViewUnitCaseloads, health, false},
		{"no unit is no unit", User{ID: 13, UnitID: jobcenter, Role: RoleManager}, ViewUnitCaseloads, 0, false},
		{"anonymous gets nothing", User{}, ViewUnitCaseloads, jobcenter, false},
		{"function-level action is not unit-level", User{ID: 13, UnitID: jobcenter, Role: RoleManager}, ViewManagement, jobcenter, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CanUnit(tc.user, tc.action, tc.unit); got != tc.want {
				t.Errorf("CanUnit(%s, %s, %d) = %v; want %v", tc.user.Role, tc.action, tc.unit, got, tc.want)
			}
		})
	}
}

func TestCanOffer(t *testing.T) {
	const jobcenter, health, social, otherHealth = 1, 2, 3, 4
	caseworker := User{ID: 10, UnitID: jobcenter, Role: RoleCaseworker}
	nurse := User{ID: 20, UnitID: health, Role: RoleHealth}
	otherNurse := User{ID: 21, UnitID: otherHealth, Role: RoleHealth}
	socialWorker := User{ID: 22, UnitID: social, Role: RoleSocial}
	leader := User{ID: 13, UnitID: jobcenter, Role: RoleManager}
	rehab := User{ID: 30, UnitID: health, Role: RoleRehabTeam}
	admin := User{ID: 40, UnitID: 9, Role: RoleAdmin}
	healthOffer := OfferRelation{ProviderUnitID: health}
	socialOffer := OfferRelation{ProviderUnitID: social}
	jobOffer := OfferRelation{ProviderUnitID: jobcenter}

	tests := []struct {
		name   string
		user   User
		action Action
		rel    OfferRelation
		want   bool
	}{
		{"health staff edit own unit's offer", nurse, EditOffer, healthOffer, true},
		{"health staff cannot edit a jobcenter offer", nurse, EditOffer, jobOffer, false},
		{"health staff cannot edit another health centre's offer", otherNurse, EditOffer, healthOffer, false},
		{"health staff cannot edit a social offer", nurse, EditOffer, socialOffer, false},
		{"social staff edit own unit's offer", socialWorker, EditOffer, socialOffer, true},
		{"social staff cannot edit a health offer", socialWorker, EditOffer, healthOffer, false},
		{"caseworker reads only, even own unit's offer", caseworker, EditOffer, jobOffer, false},
		{"leader reads only", leader, EditOffer, jobOffer, false},
		{"rehab member in the unit cannot edit", rehab, EditOffer, healthOffer, false},
		{"admin edits any offer", admin, EditOffer, jobOffer, true},
		{"admin edits health offer", admin, EditOffer, healthOffer, true},
		{"provider staff see who is referred", nurse, ViewOfferReferrals, healthOffer, true},
		{"jobcenter staff see referrals to own offers", caseworker, ViewOfferReferrals, jobOffer, true},
		{"other unit does not see who is referred", otherNurse, ViewOfferReferrals, healthOffer, false},
		{"admin does not see who is referred", admin, ViewOfferReferrals, healthOffer, false},
		{"rehab member does not see who is referred", rehab, ViewOfferReferrals, healthOffer, false},
		{"anonymous gets nothing", User{}, EditOffer, OfferRelation{}, false},
		{"unknown action is refused", admin, Action("offer.delete"), healthOffer, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CanOffer(tc.user, tc.action, tc.rel); got != tc.want {
				t.Errorf("CanOffer(%s, %s) = %v; want %v", tc.user.Role, tc.action, got, tc.want)
			}
		})
	}
}

func TestCanReferral(t *testing.T) {
	const jobcenter, health, other = 1, 2, 3
	caseworker := User{ID: 10, UnitID: jobcenter, Role: RoleCaseworker}
	strangerCW := User{ID: 12, UnitID: other, Role: RoleCaseworker}
	nurse := User{ID: 20, UnitID: health, Role: RoleHealth}
	otherNurse := User{ID: 21, UnitID: other, Role: RoleHealth}
	admin := User{ID: 40, UnitID: health, Role: RoleAdmin}
	rehab := User{ID: 30, UnitID: health, Role: RoleRehabTeam}
	citizen := Relation{CitizenUnitID: jobcenter, CaseworkerID: 10, ReferralToUnit: true}
	toHealth := ReferralRelation{ToUnitID: health, Citizen: citizen}
	toJobcenter := ReferralRelation{ToUnitID: jobcenter, Citizen: citizen}

	tests := []struct {
		name   string
		user   User
		action Action
		rel    ReferralRelation
		want   bool
	}{
		{"provider works the referral", nurse, WorkReferral, toHealth, true},
		{"provider sees the referral", nurse, ViewReferral, toHealth, true},
		{"provider cannot cancel it", nurse, CancelReferral, toHealth, false},
		{"another unit cannot work it", otherNurse, WorkReferral, toHealth, false},
		{"another unit cannot see it", otherNurse, ViewReferral, toHealth, false},
		{"caseworker cancels", caseworker, CancelReferral, toHealth, true},
		{"caseworker sees it", caseworker, ViewReferral, toHealth, true},
		{"caseworker cannot accept for the health centre", caseworker, WorkReferral, toHealth, false},
		{"jobcenter works referrals to its own offers", caseworker, WorkReferral, toJobcenter, true},
		{"caseworker of another unit sees nothing", strangerCW, ViewReferral, toHealth, false},
		{"admin in the provider unit cannot work it", admin, WorkReferral, toHealth, false},
		{"rehab member in the provider unit cannot work it", rehab, WorkReferral, toHealth, false},
		{"anonymous gets nothing", User{}, ViewReferral, toHealth, false},
		{"unknown action is refused", nurse, Action("referral.delete"), toHealth, false},
		// Attendance, status reports and the afslutningsnotat: the provider unit only.
		{"provider reports on the referral", nurse, ReportOnReferral, toHealth, true},
		{"another unit's health staff cannot report", otherNurse, ReportOnReferral, toHealth, false},
		{"the case holder cannot report for the provider", caseworker, ReportOnReferral, toHealth, false},
		{"jobcenter reports on referrals to its own offers", caseworker, ReportOnReferral, toJobcenter, true},
		{"admin in the provider unit cannot report", admin, ReportOnReferral, toHealth, false},
		{"rehab member in the provider unit cannot report", rehab, ReportOnReferral, toHealth, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CanReferral(tc.user, tc.action, tc.rel); got != tc.want {
				t.Errorf("CanReferral(%s, %s) = %v; want %v", tc.user.Role, tc.action, got, tc.want)
			}
		})
	}
}

func TestConsentInformation(t *testing.T) {
	for kind, want := range map[string]string{
		"sundhedscenter": "helbred", "region": "helbred", "socialforvaltning": "sociale_forhold",
		"jobcenter": "", "uddannelse": "", "ekstern": "", "": "",
	} {
		if got := ConsentInformation(kind); got != want {
			t.Errorf("ConsentInformation(%q) = %q; want %q", kind, got, want)
		}
	}
}

func TestCanMeeting(t *testing.T) {
	const jobcenter, region, other = 1, 2, 3
	caseworker := User{ID: 10, UnitID: other, Role: RoleCaseworker}
	leader := User{ID: 13, UnitID: jobcenter, Role: RoleManager}
	otherLeader := User{ID: 14, UnitID: other, Role: RoleManager}
	rehab := User{ID: 30, UnitID: region, Role: RoleRehabTeam}
	nurse := User{ID: 20, UnitID: region, Role: RoleHealth}
	admin := User{ID: 40, UnitID: jobcenter, Role: RoleAdmin}

	stranger := MeetingRelation{TeamUnitID: jobcenter}
	member := MeetingRelation{TeamUnitID: jobcenter, Member: true}
	chair := MeetingRelation{TeamUnitID: jobcenter, Member: true, Chair: true}
	minutes := MeetingRelation{TeamUnitID: jobcenter, Member: true, MinuteTaker: true}

	tests := []struct {
		name   string
		user   User
		action Action
		rel    MeetingRelation
		want   bool
	}{
		{"member sees the agenda", rehab, ViewMeeting, member, true},
		{"rehab user off the team sees nothing", rehab, ViewMeeting, stranger, false},
		{"health user off the team sees nothing", nurse, ViewMeeting, stranger, false},
		{"caseworker who brings cases sees the agenda", caseworker, ViewMeeting, stranger, true},
		{"leader sees the agenda", otherLeader, ViewMeeting, stranger, true},
		{"admin does not see meetings", admin, ViewMeeting, chair, false},
		{"team unit's leader edits the meeting", leader, EditMeeting, stranger, true},
		{"another unit's leader cannot edit", otherLeader, EditMeeting, stranger, false},
		{"chair edits the meeting", rehab, EditMeeting, chair, true},
		{"member cannot edit the meeting", rehab, EditMeeting, member, false},
		{"chair moves focus", rehab, MoveFocus, chair, true},
		{"leader of the team's unit moves focus", leader, MoveFocus, stranger, true},
		{"member cannot move focus", nurse, MoveFocus, member, false},
		{"minute-taker cannot move focus", rehab, MoveFocus, minutes, false},
		{"caseworker cannot move focus", caseworker, MoveFocus, stranger, false},
		{"minute-taker records the indstilling", rehab, RecordIndstilling, minutes, true},
		{"chair records the indstilling", rehab, RecordIndstilling, chair, true},
		{"member cannot record the indstilling", nurse, RecordIndstilling, member, false},
		{"leader off the team cannot record the indstilling", leader, RecordIndstilling, stranger, false},
		{"unknown action is refused", leader, Action("meeting.delete"), chair, false},
		{"anonymous gets nothing", User{}, ViewMeeting, member, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CanMeeting(tc.user, tc.action, tc.rel); got != tc.want {
				t.Errorf("CanMeeting(%s, %s, %+v) = %v; want %v", tc.user.Role, tc.action, tc.rel, got, tc.want)
			}
		})
	}
}

// A document crosses by the class its uploader gave it: a lægeattest (health) reaches another
// unit only under a current health consent, a letter (case data) whoever may see the citizen;
// a class the code does not know counts as health data. No unit owns a document.
func TestDocumentRow(t *testing.T) {
	const jobcenter, health = 1, 2
	nurse := User{ID: 20, UnitID: health, Role: RoleHealth}
	caseworker := User{ID: 10, UnitID: jobcenter, Role: RoleCaseworker}
	referred := Relation{CitizenUnitID: jobcenter, ReferralToUnit: true}
	healthConsent := Relation{CitizenUnitID: jobcenter, ReferralToUnit: true, HealthConsent: true}
	socialConsent := Relation{CitizenUnitID: jobcenter, ReferralToUnit: true, SocialConsent: true}
	tests := []struct {
		name  string
		user  User
		rel   Relation
		class string
		want  bool
	}{
		{"case-holding unit sees a lægeattest", caseworker, Relation{CitizenUnitID: jobcenter}, "helbred", true},
		{"case-holding unit sees a social document", caseworker, Relation{CitizenUnitID: jobcenter}, "social", true},
		{"referred unit sees a letter", nurse, referred, "sag", true},
		{"referred unit without consent does not see a lægeattest", nurse, referred, "helbred", false},
		{"referred unit with health consent sees a lægeattest", nurse, healthConsent, "helbred", true},
		{"health consent does not open a social document", nurse, healthConsent, "social", false},
		{"social consent opens a social document", nurse, socialConsent, "social", true},
		{"social consent does not open a lægeattest", nurse, socialConsent, "helbred", false},
		{"an unknown class is health data", nurse, referred, "hemmelig", false},
		{"an unknown class still reaches a consented unit", nurse, healthConsent, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := SightOf(tc.user, tc.rel)
			if got := s.SeesRow(DocumentRow(tc.class)); got != tc.want {
				t.Errorf("SeesRow(DocumentRow(%q)) = %v; want %v", tc.class, got, tc.want)
			}
			if got := GateRow(s, DocumentRow(tc.class), DocumentTitle, "titel").Shown(); got != tc.want {
				t.Errorf("GateRow(title of %q) shown = %v; want %v", tc.class, got, tc.want)
			}
		})
	}
	for _, c := range DocumentClasses {
		if got, ok := ParseDocumentClass(c.String()); !ok || got != c {
			t.Errorf("ParseDocumentClass(%q) = %v, %v", c.String(), got, ok)
		}
	}
	for code, want := range map[string]Class{"laegeattest": Health, "statusrapport": Health, "udtalelse": Health,
		"brev_fra_borger": Case, "brev_til_borger": Case, "andet": Health, "ny_type_fra_2027": Health} {
		if got := DocumentTypeClass(code); got != want {
			t.Errorf("DocumentTypeClass(%q) = %s; want %s", code, got, want)
		}
	}
}
