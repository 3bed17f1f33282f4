package store_test

import (
	"testing"

	"github.com/helhed/helhed/internal/store"
)

// Rettidighed counts each required conversation whose deadline fell in the period, and how
// many were held by their deadline. Kontanthjælp before 1.7.2026 (LAB, lov nr. 548 af
// 7.5.2019, kap. 7: four jobsamtaler in the first 6 months): a period from 5.1.2026 has the
// window 5.1.–4.7.2026, the 1st due by 19.2., the 2nd by 5.4., the 3rd by 20.5. (Helhed's
// even spread, contact_due). In February–April: the first citizen held the 1st on 10.2. (on
// time) and the 2nd on 20.4. (late); the second citizen was exempt through February, so only
// the 2nd (not held) counts; a citizen of another unit counts for that unit only.
func TestContactRettidighed(t *testing.T) {
	t.Parallel()
	f := newContactFixture(t, "kontanthjaelp", date("2026-01-05"))
	f.hold(t, "2026-02-10")
	f.hold(t, "2026-04-20")
	exempt := f.citizen2(t)
	if _, err := f.st.AddBenefitPeriod(f.ctx, f.cwWho, store.BenefitPeriod{CitizenID: exempt, BenefitCode: "kontanthjaelp", StartDate: date("2026-01-05")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Pool().Exec(f.ctx, `INSERT INTO contact_exemptions (citizen_id, reason, from_date, to_date, created_by)
		VALUES ($1, 'konkret_vurdering', '2026-02-01', '2026-02-28', $2)`, exempt, f.cw); err != nil {
		t.Fatal(err)
	}
	r, err := f.st.ContactRettidighed(f.ctx, f.jobcenter, date("2026-02-01"), date("2026-05-01"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Due != 3 || r.OnTime != 1 {
		t.Errorf("February–April: %d of %d on time; want 1 of 3", r.OnTime, r.Due)
	}
	// Only February: the 1st of the first citizen, on time; the second's was exempt.
	if r, _ := f.st.ContactRettidighed(f.ctx, f.jobcenter, date("2026-02-01"), date("2026-03-01")); r.Due != 1 || r.OnTime != 1 {
		t.Errorf("February: %d of %d on time; want 1 of 1", r.OnTime, r.Due)
	}
	// The boundary: a deadline on the period's last day counts, the day after does not.
	if r, _ := f.st.ContactRettidighed(f.ctx, f.jobcenter, date("2026-02-01"), date("2026-02-19")); r.Due != 0 {
		t.Errorf("period ending 18.2.: %d due; want 0 (the 1st is due 19.2.)", r.Due)
	}
	if r, _ := f.st.ContactRettidighed(f.ctx, f.jobcenter, date("2026-02-01"), date("2026-02-20")); r.Due != 1 {
		t.Errorf("period ending 19.2.: %d due; want 1", r.Due)
	}
	if r, _ := f.st.ContactRettidighed(f.ctx, f.health, date("2026-02-01"), date("2026-05-01")); r.Due != 0 {
		t.Errorf("another unit: %d due; want 0", r.Due)
	}
}
