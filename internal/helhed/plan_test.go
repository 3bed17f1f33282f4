package helhed

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func fieldsOf(err error) map[string]string {
	if err == nil {
		return nil
	}
	e, ok := err.(*Error)
	if !ok || e.Code != EInvalid {
		return map[string]string{"?": err.Error()}
	}
	return e.Fields
}

func TestValidateEffort(t *testing.T) {
	const jobcenter, health = 1, 2
	motion := &EffortOffer{Name: "Motion på recept", ProviderUnitID: health, Active: true}
	retired := &EffortOffer{Name: "Gammelt forløb", ProviderUnitID: health, Active: false}
	tests := []struct {
		name string
		e    Effort
		want map[string]string
	}{
		{"free text, open-ended", Effort{Title: "Virksomhedspraktik", Start: date(2026, 1, 5), ResponsibleUnitID: jobcenter}, nil},
		{"free text with end", Effort{Title: "Praktik", Start: date(2026, 1, 5), End: datePtr(2026, 3, 31), ResponsibleUnitID: jobcenter}, nil},
		{"one-day effort", Effort{Title: "Samtale", Start: date(2026, 1, 5), End: datePtr(2026, 1, 5), ResponsibleUnitID: jobcenter}, nil},
		{"end before start", Effort{Title: "Praktik", Start: date(2026, 2, 1), End: datePtr(2026, 1, 31), ResponsibleUnitID: jobcenter},
			map[string]string{FieldEffortEnd: "Slutdatoen ligger før startdatoen"}},
		{"time of day ignored", Effort{Title: "Praktik", Start: time.Date(2026, 2, 1, 23, 0, 0, 0, time.UTC), End: datePtr(2026, 2, 1), ResponsibleUnitID: jobcenter}, nil},
		{"nothing given", Effort{}, map[string]string{
			FieldEffortTitle: "Beskriv indsatsen eller vælg et tilbud fra kataloget",
			FieldEffortStart: "Angiv en startdato",
			FieldEffortUnit:  "Vælg den ansvarlige enhed"}},
		{"offer delivered by its provider", Effort{Start: date(2026, 1, 5), ResponsibleUnitID: health, Offer: motion}, nil},
		{"offer the unit cannot deliver", Effort{Start: date(2026, 1, 5), ResponsibleUnitID: jobcenter, Offer: motion},
			map[string]string{FieldEffortUnit: "Den valgte enhed leverer ikke tilbuddet »Motion på recept«. Vælg tilbudets egen enhed"}},
		{"retired offer", Effort{Start: date(2026, 1, 5), ResponsibleUnitID: health, Offer: retired},
			map[string]string{FieldEffortOffer: "Tilbuddet »Gammelt forløb« er lukket og tager ikke imod nye borgere"}},
		{"title too long", Effort{Title: string(make([]byte, 201)), Start: date(2026, 1, 5), ResponsibleUnitID: jobcenter},
			map[string]string{FieldEffortTitle: "Højst 200 tegn"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, fieldsOf(ValidateEffort(tc.e))); diff != "" {
				t.Errorf("ValidateEffort fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseGoalScore(t *testing.T) {
	tests := []struct {
		raw    string
		score  int
		scored bool
		bad    bool
	}{
		{"", 0, false, false},
		{"  ", 0, false, false},
		{"1", 1, true, false},
		{"10", 10, true, false},
		{" 7 ", 7, true, false},
		{"0", 0, false, true},
		{"11", 0, false, true},
		{"-3", 0, false, true},
		{"5.5", 0, false, true},
		{"fem", 0, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			n, ok, err := ParseGoalScore(tc.raw)
			if n != tc.score || ok != tc.scored || (err != nil) != tc.bad {
				t.Fatalf("ParseGoalScore(%q) = %d, %v, %v; want %d, %v, error %v", tc.raw, n, ok, err, tc.score, tc.scored, tc.bad)
			}
			if tc.bad && fieldsOf(err)[FieldGoalScore] != "Angiv et helt tal fra 1 til 10" {
				t.Fatalf("message %v", fieldsOf(err))
			}
		})
	}
}

func TestNextFollowUp(t *testing.T) {
	tests := []struct {
		last   time.Time
		months int
		want   time.Time
	}{
		{date(2026, 1, 15), 3, date(2026, 4, 15)},
		{date(2025, 11, 30), 3, date(2026, 2, 28)}, // shorter month: its last day
		{date(2026, 1, 31), 1, date(2026, 2, 28)},
		{date(2026, 1, 15), 6, date(2026, 7, 15)},
	}
	for _, tc := range tests {
		if got := NextFollowUp(tc.last, tc.months); !got.Equal(tc.want) {
			t.Errorf("NextFollowUp(%s, %d) = %s; want %s", DanishDate(tc.last), tc.months, DanishDate(got), DanishDate(tc.want))
		}
	}
	today := date(2026, 4, 16)
	if !FollowUpOverdue(datePtr(2026, 4, 15), today) || FollowUpOverdue(datePtr(2026, 4, 16), today) || FollowUpOverdue(nil, today) {
		t.Error("FollowUpOverdue: due yesterday is overdue, due today and no plan are not")
	}
}

func TestValidateConclusion(t *testing.T) {
	tests := []struct {
		name  string
		kinds []string
		goals string
		concl string
		want  map[string]string
	}{
		{"jobcenter and health centre", []string{"jobcenter", "sundhedscenter"}, "Arbejde", "Ressourceforløb", nil},
		{"jobcenter and region", []string{"region", "jobcenter"}, "Arbejde", "Afklaring", nil},
		{"only jobcenter", []string{"jobcenter", "jobcenter"}, "Arbejde", "x", map[string]string{
			FieldParticipants: "TFA'en mangler en sundhedsfaglig deltager (sundhedscenter eller region). Tilføj deltageren, før TFA'en afsluttes."}},
		{"social is neither side", []string{"socialforvaltning", "sundhedscenter"}, "Arbejde", "x", map[string]string{
			FieldParticipants: "TFA'en mangler en beskæftigelsesfaglig deltager (jobcenter). Tilføj deltageren, før TFA'en afsluttes."}},
		{"nobody, nothing written", nil, " ", "", map[string]string{
			FieldParticipants: "TFA'en mangler en beskæftigelsesfaglig deltager (jobcenter) og en sundhedsfaglig deltager (sundhedscenter eller region). Tilføj deltageren, før TFA'en afsluttes.",
			FieldCitizenGoals: "Skriv borgerens egne mål, før TFA'en afsluttes",
			FieldConclusion:   "Skriv en konklusion, før TFA'en afsluttes"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, fieldsOf(ValidateConclusion(tc.kinds, tc.goals, tc.concl))); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGoalLines(t *testing.T) {
	got := GoalLines("Jeg vil have et job i et lager\n\n- Sove bedre\n • Gå en tur hver dag  \n")
	want := []string{"Jeg vil have et job i et lager", "Sove bedre", "Gå en tur hver dag"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}

func TestDiffPlans(t *testing.T) {
	walk := SnapEffort{ID: 1, Title: "Gåhold", Area: "Sundhed", Status: "Planlagt", Unit: "Sundhedscenter", Start: "01.02.2026"}
	walkStarted := walk
	walkStarted.Status = "I gang"
	practice := SnapEffort{ID: 2, Title: "Praktik", Area: "Beskæftigelse", Status: "Planlagt", Unit: "Jobcenter", Start: "01.03.2026", End: "31.05.2026"}
	a := PlanSnapshot{CitizenGoal: "Et job", Goals: []SnapGoal{{1, "Sove bedre"}, {2, "Gå ture"}}, Efforts: []SnapEffort{walk}}
	b := PlanSnapshot{CitizenGoal: "Et job på lager", Goals: []SnapGoal{{1, "Sove bedre om natten"}, {3, "Søge job"}},
		Efforts: []SnapEffort{walkStarted, practice}}
	want := []PlanChange{
		{Kind: Changed, What: "Borgerens mål", Before: "Et job", After: "Et job på lager"},
		{Kind: Changed, What: "Delmål", Before: "Sove bedre", After: "Sove bedre om natten"},
		{Kind: Added, What: "Delmål", After: "Søge job"},
		{Kind: Removed, What: "Delmål", Before: "Gå ture"},
		{Kind: Changed, What: "Indsats", Before: walk.Describe(), After: walkStarted.Describe(), Efforts: []SnapEffort{walk, walkStarted}},
		{Kind: Added, What: "Indsats", After: "Praktik (Beskæftigelse, Planlagt, Jobcenter, 01.03.2026–31.05.2026)", Efforts: []SnapEffort{practice}},
	}
	if diff := cmp.Diff(want, DiffPlans(a, b)); diff != "" {
		t.Errorf("DiffPlans (-want +got):\n%s", diff)
	}
	if d := DiffPlans(b, b); len(d) != 0 {
		t.Errorf("no change gave %v", d)
	}
}
