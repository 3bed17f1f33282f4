package citizens

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/web/components"
)

// BenchmarkOverviewRender renders a full citizen page body with a realistic amount of data.
func BenchmarkOverviewRender(b *testing.B) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	p := OverviewProps{ID: 42, Name: "Karen Testesen", CPR: "010190-XXXX", Age: 36, Address: "Algade 12, 4640 Faxe",
		Unit: "Jobcenter Faxe", Caseworker: "Camilla Holm", Visitation: "Aktivitetsparat", CanEdit: true, CanRevealCPR: true,
		CanScreen: true, CanConsent: true, RiskGroup: access.Shown("mellem"), Today: now,
		BenefitTypes: []components.Option{{Value: "kontanthjaelp", Label: "Kontanthjælp"}}, ExitReasons: []components.Option{{Value: "job", Label: "Job"}}}
	for i := range 4 {
		start := now.AddDate(-i-1, 0, 0)
		end := start.AddDate(0, 10, 0)
		p.Benefits = append(p.Benefits, Benefit{Label: "Kontanthjælp", Start: start, End: &end, Exit: "Job"})
	}
	cur := p.Benefits[0]
	p.Current = &cur
	var scs []ScreeningRow
	for i := range 6 {
		scs = append(scs, ScreeningRow{ID: int64(i), On: now.AddDate(0, -i*4, 0), WHO5: 20 + i*8, Group: "mellem", By: "Camilla Holm"})
	}
	p.Screenings = access.Shown(scs)
	for i := range 3 {
		p.Consents = append(p.Consents, ConsentRow{ID: int64(i), Information: "Helbredsoplysninger", Unit: "Sundhedscenter Faxe",
			Purpose: "Henvisning til sundhedstilbud", Given: now.AddDate(0, -i, 0), RecordedBy: "Camilla Holm", Current: true})
	}
	for i := range 8 {
		p.ConsentUnitOptions = append(p.ConsentUnitOptions, components.Option{Value: "1", Label: "Enhed " + string(rune('A'+i))})
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := Overview(p).Render(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
