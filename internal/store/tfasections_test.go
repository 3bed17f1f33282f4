package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// Two professions saving two different sections at the same moment both keep their text; two
// saves of the same section from the same version: one wins, the other is a conflict and
// changes nothing.
func TestTFASectionsLockOnTheirOwn(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	w := store.Who{UserID: uid, RequestID: "test"}
	id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Ole", LastName: "Hansen", CaseworkerID: uid})
	if err != nil {
		t.Fatal(err)
	}
	aid, _, err := st.StartAssessment(ctx, w, id, "Sagsbehandler")
	if err != nil {
		t.Fatal(err)
	}
	save := func(sec access.TFASection, version int, text string) error {
		_, err := st.SaveAssessmentSection(ctx, w, id, aid, sec, version, store.AssessmentInput{
			Tracks:    map[string]helhed.TrackAnswer{"livsstil": {Relevance: helhed.RelevanceRelevant, Description: text}},
			Resources: map[string]helhed.ResourceAnswer{"uddannelse": {Resources: text}, "helbred": {Resources: text}, "bolig_oekonomi": {Resources: text}},
		})
		return err
	}
	for round := range 10 {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		a, _ := st.ViewAssessment(ctx, w, id, aid, true)
		for i, sec := range []access.TFASection{access.SectionEmployment, access.SectionHealth} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = save(sec, a.Sections[string(sec)].Version, string(sec)+"-"+string(rune('a'+round)))
			}()
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("round %d: two sections saved at once: %v, %v; want both saved", round, errs[0], errs[1])
		}
		b, err := st.ViewAssessment(ctx, w, id, aid, true)
		if err != nil {
			t.Fatal(err)
		}
		suffix := "-" + string(rune('a'+round))
		if b.Resources["uddannelse"].Resources != "beskaeftigelse"+suffix || b.Resources["helbred"].Resources != "sundhed"+suffix ||
			b.Tracks["livsstil"].Description != "sundhed"+suffix {
			t.Fatalf("round %d: a section's text was lost: %+v %+v", round, b.Resources, b.Tracks)
		}
		if _, ok := b.Resources["bolig_oekonomi"]; ok {
			t.Fatal("a section wrote an element of another section")
		}
	}
	a, _ := st.ViewAssessment(ctx, w, id, aid, true)
	v := a.Sections[string(access.SectionSocial)].Version
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, text := range []string{"første", "anden"} {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = save(access.SectionSocial, v, text) }()
	}
	wg.Wait()
	conflicts := 0
	for _, err := range errs {
		if helhed.ErrorCode(err) == helhed.EConflict {
			conflicts++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if conflicts != 1 {
		t.Fatalf("two saves of the same section from one version: %d conflicts; want exactly 1 (%v)", conflicts, errs)
	}
	b, _ := st.ViewAssessment(ctx, w, id, aid, true)
	if got := b.Resources["bolig_oekonomi"].Resources; got != "første" && got != "anden" || b.Sections["social"].Version != v+1 {
		t.Fatalf("after the conflict: %q at version %d", got, b.Sections["social"].Version)
	}
	if b.Sections["social"].UpdatedBy == "" || b.Sections["social"].UpdatedAt.IsZero() {
		t.Fatal("the section does not say who wrote it when")
	}
}
