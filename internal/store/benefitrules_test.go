package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// The benefit rules as migration 0024 seeds them, through store.AddBenefitPeriod: the store
// refuses what a rule refuses, asks for a reason where a rule warns, and keeps the reason with
// the period and the warned rule in the audit log. Sources: LAB § 112, stk. 3 (L 209, 2020-21);
// lov om social pension § 1 a (70 år for født 1.1.1971 eller senere, L 149, 2024-25);
// sygedagpengeloven §§ 24 og 24 a; one forsørgelsesydelse at a time (docs/law.md).
func TestBenefitRulesAsSeeded(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	citizen := func(cpr, name string) int64 {
		id, err := st.CreateCitizen(ctx, who, unit, store.CitizenInput{CPR: mustCPR(t, cpr), FirstName: name, LastName: "Regel", CaseworkerID: uid})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	add := func(cid int64, code, start, end, reason string) error {
		b := store.BenefitPeriod{CitizenID: cid, BenefitCode: code, StartDate: date(start), RuleReason: reason}
		if end != "" {
			e, exit := date(end), "andet"
			b.EndDate, b.ExitCode = &e, &exit
		}
		_, err := st.AddBenefitPeriod(ctx, who, b)
		return err
	}

	// LAB § 112, stk. 3: born 31.12.1962 reaches 67 on 31.12.2029; six years before is 31.12.2023.
	rita := citizen("311262-1234", "Rita")
	if err := add(rita, "ressourceforloeb", "2023-12-31", "2024-06-30", ""); err != nil {
		t.Errorf("ressourceforløb exactly 6 years before folkepensionsalderen: %v; want accepted", err)
	}
	err := add(rita, "ressourceforloeb", "2024-07-01", "", "")
	fe := helhed.FieldErrorsOf(err)
	if helhed.ErrorCode(err) != helhed.EInvalid || !strings.Contains(fe[store.BenefitFieldType], "LAB § 112, stk. 3") ||
		fe[store.BenefitFieldReason] == "" {
		t.Fatalf("ressourceforløb less than 6 years before: %v %v; want a warning asking for the reason", err, fe)
	}
	if err := add(rita, "ressourceforloeb", "2024-07-01", "", "Borgeren ønsker det selv"); err != nil {
		t.Fatalf("with the citizen's wish as reason: %v", err)
	}
	bs, err := st.BenefitPeriods(ctx, rita)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 || bs[0].RuleReason != "Borgeren ønsker det selv" || bs[1].RuleReason != "" {
		t.Errorf("stored periods %+v; want the reason on the warned period only", bs)
	}
	var detail string
	if err := st.Pool().QueryRow(ctx, `SELECT detail FROM audit_events WHERE citizen_id = $1 AND action = $2 ORDER BY id DESC LIMIT 1`,
		rita, store.AuditCitizenUpdate).Scan(&detail); err != nil || !strings.Contains(detail, "ressourceforloeb_6_aar") {
		t.Errorf("audit detail %q (%v); want the warned rule named", detail, err)
	}

	// One forsørgelsesydelse at a time: the running ressourceforløb refuses kontanthjælp.
	err = add(rita, "kontanthjaelp", "2025-01-01", "", "Borgeren ønsker det selv")
	if fe := helhed.FieldErrorsOf(err); helhed.ErrorCode(err) != helhed.EInvalid || !strings.Contains(fe[helhed.RuleFieldStart], "overlapper ressourceforløb") {
		t.Errorf("overlapping kontanthjælp: %v %v; want refused beside the start date, a reason does not help", err, fe)
	}

	// Folkepensionsalderen: 69 for born 31.12.1970, 70 for born 1.1.1971 (L 149).
	for _, tc := range []struct {
		cpr, start string
		ok         bool
	}{
		{"311270-1236", "2039-12-30", true},
		{"311270-1238", "2039-12-31", false},
		{"010171-1231", "2040-12-31", true},
		{"010171-1233", "2041-01-01", false},
	} {
		err := add(citizen(tc.cpr, "Pia"), "kontanthjaelp", tc.start, "", "")
		if (err == nil) != tc.ok || !tc.ok && !strings.Contains(helhed.FieldErrorsOf(err)[helhed.RuleFieldStart], "folkepensionsalderen") {
			t.Errorf("born %s, kontanthjælp from %s: %v; want accepted %v", tc.cpr[:6], tc.start, err, tc.ok)
		}
	}

	// A jobafklaringsforløb follows sygedagpenge: without them in Helhed, a warning.
	jens := citizen("150580-1235", "Jens")
	if err := add(jens, "jobafklaringsforloeb", "2024-06-01", "", ""); helhed.FieldErrorsOf(err)[store.BenefitFieldReason] == "" {
		t.Errorf("jobafklaring without sygedagpenge: %v; want a reason asked for", err)
	}
	if err := add(jens, "sygedagpenge", "2023-12-01", "2024-05-31", ""); err != nil {
		t.Fatal(err)
	}
	if err := add(jens, "jobafklaringsforloeb", "2024-06-01", "", ""); err != nil {
		t.Errorf("jobafklaring the day after sygedagpenge: %v; want accepted", err)
	}
}

// A change of benefit in one step: the new period ends the running one on the day before it,
// with the exit reason given, and the overlap rule then sees the history as it will be.
// Without the exit reason the running period makes the new one overlap and it is refused.
func TestNewBenefitEndsTheRunningOne(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	cid, err := st.CreateCitizen(ctx, who, unit, store.CitizenInput{CPR: mustCPR(t, "150580-1235"), FirstName: "Jens", LastName: "Skift", CaseworkerID: uid})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddBenefitPeriod(ctx, who, store.BenefitPeriod{CitizenID: cid, BenefitCode: "kontanthjaelp", StartDate: date("2025-08-01")}); err != nil {
		t.Fatal(err)
	}
	sdp := store.BenefitPeriod{CitizenID: cid, BenefitCode: "sygedagpenge", StartDate: date("2026-03-01")}
	if _, err := st.AddBenefitPeriod(ctx, who, sdp); helhed.FieldErrorsOf(err)[helhed.RuleFieldStart] == "" {
		t.Fatalf("sygedagpenge beside running kontanthjælp: %v; want the overlap refused", err)
	}
	sdp.EndRunningExit = "andet"
	if _, err := st.AddBenefitPeriod(ctx, who, sdp); err != nil {
		t.Fatalf("ending the running kontanthjælp: %v", err)
	}
	bs, err := st.BenefitPeriods(ctx, cid)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 || bs[1].EndDate == nil || bs[1].EndDate.Format(time.DateOnly) != "2026-02-28" || bs[1].ExitCode == nil || *bs[1].ExitCode != "andet" {
		t.Fatalf("periods %+v; want kontanthjælp ended 28.2.2026 (andet) and sygedagpenge running", bs)
	}
	// Nothing running began before: the field says so, and nothing changes.
	early := store.BenefitPeriod{CitizenID: cid, BenefitCode: "dagpenge", StartDate: date("2025-01-01"), EndRunningExit: "job"}
	if _, err := st.AddBenefitPeriod(ctx, who, early); helhed.FieldErrorsOf(err)[store.BenefitFieldEndRunning] == "" {
		t.Errorf("ending a running period that begins after the new one: %v; want refused beside the field", err)
	}
}

// The seeded folkepensionsalder bands cover every birth date exactly once on every day a
// version of § 1 a changes, and give the ages of lov om social pension § 1 a.
func TestPensionAgesAsSeeded(t *testing.T) {
	t.Parallel()
	st, _, _ := fixture(t)
	law, err := st.BenefitLaw(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(law.Rules) < 6 || len(law.PensionAges) < 10 {
		t.Fatalf("law %+v", law)
	}
	var days, births []time.Time
	for _, b := range law.PensionAges {
		days = append(days, b.ValidFrom)
		if b.ValidTo != nil {
			days = append(days, b.ValidTo.AddDate(0, 0, 1))
		}
		births = append(births, b.BornFrom, b.BornFrom.AddDate(0, 0, -1))
		if b.BornTo != nil {
			births = append(births, *b.BornTo, b.BornTo.AddDate(0, 0, 1))
		}
	}
	for _, day := range days {
		for _, birth := range births {
			if birth.Year() < 1900 {
				continue
			}
			n := 0
			for _, b := range law.PensionAges {
				if !day.Before(b.ValidFrom) && (b.ValidTo == nil || !day.After(*b.ValidTo)) &&
					!birth.Before(b.BornFrom) && (b.BornTo == nil || !birth.After(*b.BornTo)) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("on %s, born %s: %d bands; want exactly one", day.Format(time.DateOnly), birth.Format(time.DateOnly), n)
			}
		}
	}
	for _, r := range law.Rules {
		if r.Source == "" || r.Kind == "" {
			t.Errorf("rule %s without source or kind", r.Code)
		}
	}
}
