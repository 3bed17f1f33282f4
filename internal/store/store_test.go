package store_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/migrations"
)

// TestMain migrates the template as the owner; the tests' pools work as the runtime role, with
// exactly the application's rights.
func TestMain(m *testing.M) {
	os.Exit(testdb.Main(m, migrations.Up, testdb.AfterConnect(store.AsRuntimeRole)))
}

var who = store.Who{RequestID: "test"}

// fixture creates a jobcenter unit and a caseworker.
func fixture(t *testing.T) (*store.Store, int64, int64) {
	t.Helper()
	pool, _ := testdb.New(t)
	return fixtureOn(t, pool)
}

// fixtureOn is fixture on a pool of the test's own.
func fixtureOn(t *testing.T, pool *pgxpool.Pool) (*store.Store, int64, int64) {
	t.Helper()
	st := store.New(pool)
	ctx := context.Background()
	unit, err := st.CreateUnit(ctx, who, "Jobcenter Test", "jobcenter")
	if err != nil {
		t.Fatal(err)
	}
	uid, err := st.CreateUser(ctx, who, store.NewUser{Username: "cw", Name: "Case Worker", UnitID: unit, Role: "sagsbehandler", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return st, unit, uid
}

func mustCPR(t *testing.T, s string) helhed.CPR {
	t.Helper()
	c, err := helhed.ParseCPR(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAuditIsAppendOnly(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	st := store.New(pool)
	ctx := context.Background()
	// Two rows from the past, then one from now: the purge removes the oldest part of the
	// chain (TestAuditPurgeKeepsChainVerifiable).
	if _, err := pool.Exec(ctx, `INSERT INTO audit_events (at, action) VALUES (now() - interval '200 days', 'old'), (now() - interval '100 days', 'newer')`); err != nil {
		t.Fatal(err)
	}
	if err := st.Audit(ctx, who, 7, store.AuditCitizenView, "test"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE audit_events SET detail = 'forfalsket'`,
		`DELETE FROM audit_events`,
		`TRUNCATE audit_events`,
	} {
		if _, err := pool.Exec(ctx, q); err == nil {
			t.Errorf("%s succeeded as the app's role", q)
		}
	}
	// Even setting the purge flag by hand does not allow deleting recent rows.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT set_config('helhed.audit_purge', 'on', true)`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM audit_events`); err == nil {
		t.Error("recent audit rows could be deleted with the purge flag set")
	}
	_ = tx.Rollback(ctx)

	// The retention purge removes old rows and only old rows.
	n, err := st.PurgeAudit(ctx, time.Now().AddDate(0, 0, -183))
	if err != nil || n != 1 {
		t.Fatalf("PurgeAudit = %d, %v; want 1 row", n, err)
	}
	var left int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_events`).Scan(&left); err != nil || left != 2 {
		t.Fatalf("rows left: %d, %v; want 2", left, err)
	}
	if _, err := st.PurgeAudit(ctx, time.Now()); err == nil {
		t.Error("purging rows younger than 30 days succeeded")
	}
}

func TestCitizenCreateUpdateConflict(t *testing.T) {
	t.Parallel()
	st, unit, cw := fixture(t)
	ctx := context.Background()
	in := store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Ole", LastName: "Hansen", CaseworkerID: cw, VisitationCode: "jobparat"}
	id, err := st.CreateCitizen(ctx, who, unit, in)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.CreateCitizen(ctx, who, unit, in)
	var de *helhed.Error
	if !errors.As(err, &de) || de.Fields["cpr"] == "" {
		t.Fatalf("duplicate CPR: %v; want a field error on cpr", err)
	}
	c, err := st.CitizenByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Version != 1 || c.CPR != "0203851233" || c.UnitID != unit || *c.CaseworkerName != "Case Worker" {
		t.Fatalf("loaded %+v", c)
	}
	in.Phone = "11111111"
	if err := st.UpdateCitizen(ctx, who, id, 1, in); err != nil {
		t.Fatal(err)
	}
	in.Phone = "22222222"
	err = st.UpdateCitizen(ctx, who, id, 1, in)
	if helhed.ErrorCode(err) != helhed.EConflict {
		t.Fatalf("stale update: %v; want conflict", err)
	}
	c, _ = st.CitizenByID(ctx, id)
	if c.Phone != "11111111" || c.Version != 2 {
		t.Fatalf("after conflict: phone %q version %d", c.Phone, c.Version)
	}
	if err := st.UpdateCitizen(ctx, who, 999999, 1, in); !errors.Is(err, helhed.ErrNotFound) {
		t.Fatalf("update of a missing citizen: %v", err)
	}
	if _, err := st.CitizenByID(ctx, 999999); !errors.Is(err, helhed.ErrNotFound) {
		t.Fatalf("missing citizen: %v; want ErrNotFound", err)
	}
	var audits int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE citizen_id = $1`, id).Scan(&audits); err != nil || audits != 3 {
		t.Fatalf("audit rows for create, refused duplicate and update: %d, %v; want 3 (the conflicting update wrote none)", audits, err)
	}
}

func TestListCitizens(t *testing.T) {
	t.Parallel()
	st, unit, cw := fixture(t)
	ctx := context.Background()
	names := []struct{ cpr, first, last string }{
		{"020385-1233", "Ole", "Hansen"}, {"030486-1234", "Mette", "Olsen"}, {"040587-1235", "Søren", "Aagaard"},
		{"050688-1236", "Ida", "Bech"}, {"060789-1237", "Ole", "Bech"},
	}
	var ids []int64
	for i, n := range names {
		caseworker := cw
		if i == 4 {
			caseworker = 0
		}
		id, err := st.CreateCitizen(ctx, who, unit, store.CitizenInput{CPR: mustCPR(t, n.cpr), FirstName: n.first, LastName: n.last, CaseworkerID: caseworker})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	job := "job"
	for _, b := range []store.BenefitPeriod{
		{CitizenID: ids[0], BenefitCode: "kontanthjaelp", StartDate: start, EndDate: &end, ExitCode: &job},
		{CitizenID: ids[0], BenefitCode: "sygedagpenge", StartDate: start.AddDate(1, 0, 0)},
		{CitizenID: ids[1], BenefitCode: "dagpenge", StartDate: start},
	} {
		if _, err := st.AddBenefitPeriod(ctx, who, b); err != nil {
			t.Fatal(err)
		}
	}
	names2 := func(rows []store.CaseloadRow) []string {
		var out []string
		for _, r := range rows {
			out = append(out, r.FirstName+" "+r.LastName)
		}
		return out
	}

	rows, total, err := st.ListCitizens(ctx, store.CitizenFilter{CaseworkerID: cw}, store.Page{Number: 1, PerPage: 2})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Søren Aagaard", "Ida Bech"}, names2(rows)); diff != "" || total != 4 {
		t.Fatalf("own caseload page 1 (total %d): %s", total, diff)
	}
	rows, total, _ = st.ListCitizens(ctx, store.CitizenFilter{CaseworkerID: cw}, store.Page{Number: 2, PerPage: 2})
	if diff := cmp.Diff([]string{"Ole Hansen", "Mette Olsen"}, names2(rows)); diff != "" || total != 4 {
		t.Fatalf("own caseload page 2 (total %d): %s", total, diff)
	}
	if *rows[0].BenefitCode != "sygedagpenge" {
		t.Fatalf("current benefit of Ole Hansen = %v; want the running period", *rows[0].BenefitCode)
	}
	// A page past the end has no rows, and still the count (the page's rows carry it).
	if rows, total, err := st.ListCitizens(ctx, store.CitizenFilter{CaseworkerID: cw}, store.Page{Number: 5, PerPage: 2}); err != nil || len(rows) != 0 || total != 4 {
		t.Fatalf("page past the end: %d rows, total %d, %v; want none of 4", len(rows), total, err)
	}
	rows, _, _ = st.ListCitizens(ctx, store.CitizenFilter{CaseworkerID: cw, Sort: "newest"}, store.Page{Number: 1, PerPage: 3})
	if diff := cmp.Diff([]string{"Ida Bech", "Søren Aagaard", "Mette Olsen"}, names2(rows)); diff != "" {
		t.Fatalf("own caseload, newest first: %s", diff)
	}
	if rows[0].CaseworkerName == nil || *rows[0].CaseworkerName == "" {
		t.Fatalf("caseworker's name missing: %+v", rows[0])
	}
	rows, total, _ = st.ListCitizens(ctx, store.CitizenFilter{UnitID: unit, Name: "ole"}, store.Page{})
	if diff := cmp.Diff([]string{"Ole Bech", "Ole Hansen"}, names2(rows)); diff != "" || total != 2 {
		t.Fatalf("name search: %s", diff)
	}
	rows, _, _ = st.ListCitizens(ctx, store.CitizenFilter{UnitID: unit, Name: "%"}, store.Page{})
	if len(rows) != 0 {
		t.Fatalf("a %% in the search matched %d rows: LIKE wildcards must be escaped", len(rows))
	}
	rows, _, _ = st.ListCitizens(ctx, store.CitizenFilter{UnitID: unit, CPR: mustCPR(t, "030486-1234")}, store.Page{})
	if diff := cmp.Diff([]string{"Mette Olsen"}, names2(rows)); diff != "" {
		t.Fatalf("CPR search: %s", diff)
	}
	rows, _, _ = st.ListCitizens(ctx, store.CitizenFilter{UnitID: unit, Sort: "benefit"}, store.Page{})
	if got := names2(rows)[:2]; !cmp.Equal(got, []string{"Mette Olsen", "Ole Hansen"}) {
		t.Fatalf("sorted by benefit start: %v", got)
	}
	if rows[1].BenefitCode == nil || *rows[1].BenefitCode != "sygedagpenge" || rows[1].BenefitSince == nil {
		t.Fatalf("sorted by benefit start: Ole Hansen's current benefit is %v since %v; want sygedagpenge", rows[1].BenefitCode, rows[1].BenefitSince)
	}
	rows, _, _ = st.ListCitizens(ctx, store.CitizenFilter{UnitID: unit + 1000}, store.Page{})
	if len(rows) != 0 {
		t.Fatal("another unit's list is not empty")
	}
}

func TestRefValuesHaveValidity(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	st := store.New(pool)
	vs, err := st.RefValues(context.Background(), "visitation_category")
	if err != nil {
		t.Fatal(err)
	}
	rs := store.RefSet(vs)
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	if !rs.ValidOn("sdp_kategori_3", day("2024-12-31")) || rs.ValidOn("sdp_kategori_3", day("2025-01-01")) {
		t.Fatal("sygedagpenge kategori 3 must be valid until 31.12.2024 and not after")
	}
	if rs.Label("sdp_kategori_3") != "Sygedagpenge kategori 3" {
		t.Fatal("historic values must keep their label")
	}
	for _, v := range rs.Current(day("2026-11-25")) {
		if v.Code == "sdp_kategori_3" {
			t.Fatal("a value no longer in force is offered")
		}
	}
	// An edit form keeps the record's own value, in its place, and nothing else that ended.
	kept := rs.Keeping(day("2026-11-25"), "sdp_kategori_3", "findes_ikke")
	if !kept.Has("sdp_kategori_3") || kept.Has("findes_ikke") || len(kept) != len(rs) || kept[len(kept)-1].Code != "sdp_kategori_3" {
		t.Fatalf("kept for a record in kategori 3: %v", kept)
	}
}
