package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
)

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// An administrator's life with reference data: add a value for a coming law, correct it,
// retire another one as of a date — each one transaction with its audit row — and the rules
// that keep records safe: codes are well-formed and unique within the kind (expired values
// included), a stale version changes nothing, and a save that changes nothing writes nothing.
func TestRefValueAddEditRetire(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	st := store.New(pool)
	ctx := context.Background()
	auditRows := func(action string) []string {
		t.Helper()
		rows, _ := pool.Query(ctx, `SELECT detail FROM audit_events WHERE action = $1 ORDER BY id`, action)
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	// Add the successor of a benefit, in force from the new main law, with its source.
	in := store.RefValueInput{Label: "Ny ydelse", Description: "Hovedloven 2027", Source: "Lov nr. 1 af 1.1.2027", SortOrder: 95,
		ValidFrom: date("2027-01-01")}
	if err := st.AddRefValue(ctx, who, "benefit_type", "ny_ydelse", in); err != nil {
		t.Fatal(err)
	}
	v, err := st.RefValueByCode(ctx, "benefit_type", "ny_ydelse")
	if err != nil {
		t.Fatal(err)
	}
	if v.Label != "Ny ydelse" || v.Source != "Lov nr. 1 af 1.1.2027" || v.SortOrder != 95 || v.Version != 1 || v.ValidTo != nil ||
		!v.ValidOn(date("2027-01-01")) || v.ValidOn(date("2026-12-31")) {
		t.Fatalf("added value: %+v", v)
	}

	// Bad input: every field error at once; nothing written.
	bad := store.RefValueInput{Label: " ", Description: strings.Repeat("x", 1001), Source: strings.Repeat("§", 301), SortOrder: 2_000_000,
		ValidFrom: date("2026-01-01"), ValidTo: ptr(date("2025-01-01"))}
	err = st.AddRefValue(ctx, who, "benefit_type", "Ny Kode", bad)
	wantFields := []string{"code", "description", "label", "sort_order", "source", "valid_to"}
	if got := fieldNames(helhed.FieldErrorsOf(err)); !cmp.Equal(got, wantFields) {
		t.Fatalf("bad input: fields %v (%v); want %v", got, err, wantFields)
	}
	for _, dup := range []struct{ kind, code string }{
		{"benefit_type", "kontanthjaelp"},
		{"visitation_category", "sdp_kategori_3"}, // expired, still a code records use
	} {
		err := st.AddRefValue(ctx, who, dup.kind, dup.code, store.RefValueInput{Label: "Igen", ValidFrom: date("2026-01-01")})
		if helhed.FieldErrorsOf(err)["code"] == "" {
			t.Errorf("duplicate %s/%s: %v; want a field error on the code", dup.kind, dup.code, err)
		}
	}
	if err := st.AddRefValue(ctx, who, "findes_ikke", "x", in); !errors.Is(err, helhed.ErrNotFound) {
		t.Fatalf("unknown kind: %v; want not found", err)
	}

	// Edit on the version read; a second edit on the same, now stale, version is a conflict.
	in.Label, in.SortOrder, in.Source = "Ny forsørgelsesydelse", 96, "Lov nr. 2 af 1.1.2027"
	if err := st.UpdateRefValue(ctx, who, "benefit_type", "ny_ydelse", 1, in); err != nil {
		t.Fatal(err)
	}
	stale := in
	stale.Label = "Overskrevet"
	if err := st.UpdateRefValue(ctx, who, "benefit_type", "ny_ydelse", 1, stale); helhed.ErrorCode(err) != helhed.EConflict {
		t.Fatalf("stale edit: %v; want conflict", err)
	}
	if v, _ = st.RefValueByCode(ctx, "benefit_type", "ny_ydelse"); v.Label != "Ny forsørgelsesydelse" || v.Version != 2 {
		t.Fatalf("after the conflict: %+v", v)
	}
	// Saving what is already stored writes nothing, not even a version.
	if err := st.UpdateRefValue(ctx, who, "benefit_type", "ny_ydelse", 2, in); err != nil {
		t.Fatal(err)
	}
	if v, _ = st.RefValueByCode(ctx, "benefit_type", "ny_ydelse"); v.Version != 2 {
		t.Fatalf("a save with no change made version %d", v.Version)
	}
	bad = in
	bad.ValidTo = ptr(date("2026-12-31"))
	if err := st.UpdateRefValue(ctx, who, "benefit_type", "ny_ydelse", 2, bad); helhed.FieldErrorsOf(err)["valid_to"] == "" {
		t.Fatalf("valid_to before valid_from: %v", err)
	}
	if err := st.UpdateRefValue(ctx, who, "benefit_type", "findes_ikke", 1, in); !errors.Is(err, helhed.ErrNotFound) {
		t.Fatalf("unknown code: %v; want not found", err)
	}

	// Retire ressourceforløb as of the law: in force until and including 31.12.2025.
	r0, err := st.RefValueByCode(ctx, "benefit_type", "ressourceforloeb")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RetireRefValue(ctx, who, "benefit_type", "ressourceforloeb", r0.Version, date("2025-12-31")); err != nil {
		t.Fatal(err)
	}
	r, _ := st.RefValueByCode(ctx, "benefit_type", "ressourceforloeb")
	if !r.ValidOn(date("2025-12-31")) || r.ValidOn(date("2026-01-01")) || r.Version != r0.Version+1 || r.Label != "Ressourceforløb" ||
		r.Source != r0.Source {
		t.Fatalf("retired value: %+v", r)
	}
	if err := st.RetireRefValue(ctx, who, "benefit_type", "ressourceforloeb", r0.Version, date("2026-06-30")); helhed.ErrorCode(err) != helhed.EConflict {
		t.Fatalf("stale retirement: %v; want conflict", err)
	}
	if err := st.RetireRefValue(ctx, who, "benefit_type", "ny_ydelse", 2, date("2026-06-30")); helhed.FieldErrorsOf(err)["last_day"] == "" {
		t.Fatalf("retired before it began: %v; want a field error on last_day", err)
	}

	kinds, err := st.RefKinds(ctx, date("2026-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	var benefit store.RefKind
	for _, k := range kinds {
		if k.Kind == "benefit_type" {
			benefit = k
		}
	}
	// Uddannelseshjælp and integrationsydelse ended on 30.6.2025 (lov nr. 1655 af 30.12.2024),
	// ressourceforløb by the retirement above; ny_ydelse starts in 2027.
	if benefit.Label != "Ydelsestyper" || benefit.Values != 10 || benefit.InForce != 6 {
		t.Fatalf("benefit types on 1.6.2026: %+v; want 10 values, 6 in force", benefit)
	}

	// One audit row per change, saying which value and what changed.
	if got := auditRows(store.AuditRefDataCreate); len(got) != 1 || !strings.HasPrefix(got[0], "benefit_type/ny_ydelse oprettet: betegnelse: \"Ny ydelse\"") {
		t.Errorf("create audit rows: %q", got)
	}
	want := []string{
		`benefit_type/ny_ydelse: betegnelse: "Ny ydelse" → "Ny forsørgelsesydelse"; kilde: "Lov nr. 1 af 1.1.2027" → "Lov nr. 2 af 1.1.2027"; sortering: 95 → 96`,
		`benefit_type/ressourceforloeb: gyldig til: ingen → 2025-12-31`,
	}
	if diff := cmp.Diff(want, auditRows(store.AuditRefDataChange)); diff != "" {
		t.Errorf("change audit rows (-want +got):\n%s", diff)
	}
}

// Two administrators saving the same version at the same moment: one wins, the other gets a
// conflict — the row lock makes the version check and the write one step.
func TestRefValueConcurrentEdits(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	st := store.New(pool)
	ctx := context.Background()
	v, err := st.RefValueByCode(ctx, "visitation_category", "jobparat")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, label := range []string{"Jobparat (A)", "Jobparat (B)"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = st.UpdateRefValue(ctx, who, "visitation_category", "jobparat", v.Version,
				store.RefValueInput{Label: label, SortOrder: 10, ValidFrom: date("1900-01-01")})
		}()
	}
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case helhed.ErrorCode(err) == helhed.EConflict:
			conflicts++
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 || conflicts != 1 {
		t.Fatalf("%d saved, %d conflicts; want 1 and 1", ok, conflicts)
	}
}

func ptr[T any](v T) *T { return &v }

func fieldNames(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
