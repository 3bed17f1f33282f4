package access

import "testing"

func TestSightOf(t *testing.T) {
	const jobcenter, health, social, region = 1, 2, 3, 4
	caseworker := User{ID: 10, UnitID: jobcenter, Role: RoleCaseworker}
	nurse := User{ID: 20, UnitID: health, Role: RoleHealth}
	socialWorker := User{ID: 21, UnitID: social, Role: RoleSocial}
	coordinator := User{ID: 30, UnitID: region, Role: RoleRehabTeam}
	admin := User{ID: 40, UnitID: 9, Role: RoleAdmin}

	own := Relation{CitizenUnitID: jobcenter}
	referred := Relation{CitizenUnitID: jobcenter, ReferralToUnit: true}
	onAgenda := Relation{CitizenUnitID: jobcenter, OnAgenda: true}
	withHealth := func(r Relation) Relation { r.HealthConsent = true; return r }
	withSocial := func(r Relation) Relation { r.SocialConsent = true; return r }

	type sees struct{ identity, caseData, health, social, mixed bool }
	tests := []struct {
		name string
		u    User
		rel  Relation
		want sees
	}{
		{"case-holding unit sees everything", caseworker, own, sees{true, true, true, true, true}},
		{"provider without consent: identity and case only", nurse, referred, sees{true, true, false, false, false}},
		{"provider with health consent", nurse, withHealth(referred), sees{true, true, true, false, false}},
		{"social worker with social consent only: no health", socialWorker, withSocial(referred), sees{true, true, false, true, false}},
		{"both consents: mixed too", socialWorker, withSocial(withHealth(referred)), sees{true, true, true, true, true}},
		{"team member on the agenda without consent", coordinator, onAgenda, sees{true, true, false, false, false}},
		{"team member with health consent", coordinator, withHealth(onAgenda), sees{true, true, true, false, false}},
		{"consent without a relation opens nothing", nurse, withHealth(own), sees{}},
		{"administrator sees nothing", admin, withHealth(own), sees{}},
		{"anonymous sees nothing", User{}, own, sees{}},
	}
	for _, tc := range tests {
		s := SightOf(tc.u, tc.rel)
		got := sees{s.Sees(Identity), s.Sees(Case), s.Sees(Health), s.Sees(Social), s.Sees(Mixed)}
		if got != tc.want {
			t.Errorf("%s: sees %+v, want %+v", tc.name, got, tc.want)
		}
		if s.Sees(ByRow) || s.Sees(Class(99)) {
			t.Errorf("%s: a class without a row, or an unknown class, is visible", tc.name)
		}
		if want := tc.want.health && tc.want.social && tc.want.caseData && tc.u.Role == RoleCaseworker; s.Whole() != want {
			t.Errorf("%s: Whole = %v", tc.name, s.Whole())
		}
	}
}

func TestRoomSight(t *testing.T) {
	const jobcenter, health, region = 1, 2, 4
	chair := SightOf(User{ID: 1, UnitID: jobcenter, Role: RoleManager}, Relation{CitizenUnitID: jobcenter})
	nurse := func(consent bool) Sight {
		return SightOf(User{ID: 2, UnitID: health, Role: RoleHealth}, Relation{CitizenUnitID: jobcenter, OnAgenda: true, HealthConsent: consent})
	}
	coordinator := func(consent bool) Sight {
		return SightOf(User{ID: 3, UnitID: region, Role: RoleRehabTeam}, Relation{CitizenUnitID: jobcenter, OnAgenda: true, HealthConsent: consent})
	}
	stranger := SightOf(User{ID: 4, UnitID: 9, Role: RoleCaseworker}, Relation{CitizenUnitID: jobcenter, OnAgenda: true})
	tests := []struct {
		name            string
		room            []Sight
		citizen, health bool
	}{
		{"every member has consent", []Sight{chair, nurse(true), coordinator(true)}, true, true},
		{"one member unit lacks consent", []Sight{chair, nurse(false), coordinator(true)}, true, false},
		{"the chair alone holds the case", []Sight{chair}, true, true},
		{"a member who may not see the citizen darkens the case", []Sight{chair, stranger}, false, false},
		{"an empty room sees nothing", nil, false, false},
	}
	for _, tc := range tests {
		r := RoomSight(tc.room)
		if r.Citizen() != tc.citizen || r.Sees(Health) != tc.health {
			t.Errorf("%s: citizen %v health %v, want %v %v", tc.name, r.Citizen(), r.Sees(Health), tc.citizen, tc.health)
		}
	}
	// The chair's screen shows no more than the room, and a unit's own rows are not its own
	// on the shared screen.
	room := RoomSight([]Sight{chair, nurse(false)})
	if s := chair.Within(room); s.Sees(Health) || s.Whole() {
		t.Error("the chair's screen shows more than the room may see")
	}
	if s := nurse(false).Within(RoomSight([]Sight{nurse(false)})); s.SeesRow(Row{Class: Health, Unit: health}) {
		t.Error("on the shared screen, a unit's own health row is shown to the room")
	}
	if !nurse(false).SeesRow(Row{Class: Health, Unit: health}) {
		t.Error("on its own screen, the health centre does not see its own effort")
	}
}

func TestGate(t *testing.T) {
	nurse := SightOf(User{ID: 2, UnitID: 2, Role: RoleHealth}, Relation{CitizenUnitID: 1, ReferralToUnit: true})
	if v, ok := Gate(nurse, AssessmentConclusion, "diagnose").Get(); ok || v != "" {
		t.Errorf("health text reached a unit without consent: %q", v)
	}
	if g := Gate(nurse, AssessmentConclusion, "x"); g.Class() != Health || !g.Withheld() || g.Or("–") != "–" {
		t.Errorf("withheld value: class %s, withheld %v", g.Class(), g.Withheld())
	}
	// A ByRow column without a row fails closed.
	if Gate(nurse, PlanEffort, "Praktik").Shown() {
		t.Error("a ByRow column gated without its row was shown")
	}
	if !GateRow(nurse, EffortRow("beskaeftigelse", 1, "jobcenter"), PlanEffort, "Praktik").Shown() {
		t.Error("an employment effort was withheld from a unit that may see the citizen")
	}
	if !GateRow(nurse, EffortRow("sundhed", 2, "sundhedscenter"), PlanEffort, "Angstforløb").Shown() {
		t.Error("the health centre does not see the effort it delivers")
	}
	if GateRow(nurse, EffortRow("social", 3, "socialforvaltning"), PlanEffort, "Bostøtte").Shown() {
		t.Error("a social effort reached the health centre without consent")
	}
	// The note on a referral to the health centre crosses only under consent, even to it.
	if GateRow(nurse, ReferralNoteRow(ReferralRow(2, "sundhedscenter")), ReferralNote, "note").Shown() {
		t.Error("the referral note reached the receiving unit without consent")
	}
}

func TestClassificationIsComplete(t *testing.T) {
	for _, c := range Classified() {
		switch c.Class {
		case Identity, Case, Social, Health, Mixed, ByRow:
		default:
			t.Errorf("%s has no valid class", c)
		}
	}
	for code, want := range map[string]Class{"helbred": Health, "bolig_oekonomi": Social, "uddannelse": Case, "nyt_element": Health} {
		if got := ResourceElement(code).Class; got != want {
			t.Errorf("resource element %s: %s, want %s", code, got, want)
		}
	}
	if PrepSection("unknown").Class != Health {
		t.Error("an unknown section of the forberedende del is not health data")
	}
	if Combine(Row{Class: Health, Unit: 2}, Row{Class: Social, Unit: 2}) != (Row{Class: Mixed, Unit: 2}) {
		t.Error("health with social does not need both")
	}
}

// NoteScope is the WHERE clause of the journal's queries: it must let through exactly the
// notes SeesRow lets through, for every sight, class and unit.
func TestNoteScopeIsSeesRow(t *testing.T) {
	const jobcenter, health, social = 1, 2, 3
	nurse := User{ID: 20, UnitID: health, Role: RoleHealth}
	referred := Relation{CitizenUnitID: jobcenter, ReferralToUnit: true}
	sights := map[string]Sight{
		"case-holding unit":         SightOf(User{ID: 10, UnitID: jobcenter, Role: RoleCaseworker}, Relation{CitizenUnitID: jobcenter}),
		"provider without consent":  SightOf(nurse, referred),
		"provider, health consent":  SightOf(nurse, Relation{CitizenUnitID: jobcenter, ReferralToUnit: true, HealthConsent: true}),
		"social worker, no consent": SightOf(User{ID: 21, UnitID: social, Role: RoleSocial}, referred),
		"no relation":               SightOf(nurse, Relation{CitizenUnitID: jobcenter, HealthConsent: true}),
		"administrator":             SightOf(User{ID: 40, UnitID: 9, Role: RoleAdmin}, Relation{CitizenUnitID: jobcenter}),
	}
	for name, s := range sights {
		all, classes, unit := s.NoteScope()
		for _, code := range []string{"sag", "helbred", "social"} { // the CHECK allows no other
			for _, u := range []int64{jobcenter, health, social, 9} {
				want := s.SeesRow(NoteRow(code, u))
				got := all || (unit != 0 && u == unit)
				for _, c := range classes {
					got = got || c == code
				}
				if got != want {
					t.Errorf("%s: note of class %q from unit %d: scope lets it through = %v; SeesRow = %v", name, code, u, got, want)
				}
			}
		}
	}
	if _, classes, _ := sights["provider without consent"].NoteScope(); len(classes) != 1 || classes[0] != "sag" {
		t.Errorf("a provider without consent sees note classes %v; want only sag", classes)
	}
	if NoteRow("ukendt", 0).Class != Health {
		t.Error("a note of an unknown class is not health data")
	}
}
