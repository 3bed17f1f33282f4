package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// demoPostTeam gives the first worked case the post-team records a fleksjob decision needs
// (lov nr. 1750 af 29.12.2025): the caseworker's samlet beskrivelse af borgerens forudsætninger,
// and the region's sundhedskoordinator's answer to the caseworker's question. The second
// worked case has a question still waiting for an answer, so the coordinator has one to give.
func demoPostTeam(ctx context.Context, st *store.Store, ids, units map[string]int64, citizens []int64, day time.Time) error {
	if len(citizens) < 2 {
		return nil
	}
	cw := store.Who{UserID: ids[demoCaseworker], RequestID: "demo"}
	coordinator := store.Who{UserID: ids["rehab"], RequestID: "demo"}
	// The description starts from the citizen's own forberedende del, its benefit history
	// written from the periods the citizen has, as the form's pre-fill would.
	desc := helhed.Preparation{}
	for _, s := range helhed.PrepSections {
		desc[s.Key] = demoCases[0].prep[s.Key]
	}
	var err error
	if desc["benefits"], err = prepBenefits(ctx, st, citizens[0], day); err != nil {
		return err
	}
	if _, err := st.SaveDescription(ctx, cw, citizens[0], 0, desc); err != nil {
		return fmt.Errorf("seed: samlet beskrivelse: %w", err)
	}
	id, err := st.RequestHealthAdvice(ctx, cw, citizens[0], units[unitRegion],
		"Hvor mange timer om ugen vurderes borgeren at kunne arbejde, og med hvilke skånehensyn?")
	if err != nil {
		return fmt.Errorf("seed: anmodning om rådgivning: %w", err)
	}
	if err := st.GiveHealthAdvice(ctx, coordinator, citizens[0], id, 1,
		"Ud fra lægeattesten og funktionsevneanalysen vurderes arbejdsevnen varigt nedsat. Borgeren kan forventes at arbejde 10-12 timer om ugen "+
			"fordelt på flere dage, uden tunge løft og med mulighed for pauser. Behandlingen for depression bør fortsætte sideløbende."); err != nil {
		return fmt.Errorf("seed: rådgivning: %w", err)
	}
	if _, err := st.RequestHealthAdvice(ctx, cw, citizens[1], units[unitRegion],
		"Er de helbredsmæssige forhold afklarede, så der kan tages stilling til fleksjob?"); err != nil {
		return fmt.Errorf("seed: anmodning om rådgivning: %w", err)
	}
	return nil
}
