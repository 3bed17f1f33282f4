package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/migrations"
)

// `helhed retention run` deletes a case closed long ago, keeps a closed case on legal hold,
// and says what it did.
func TestRetentionRunCommand(t *testing.T) {
	ctx := context.Background()
	c := startCluster(t)
	url := c.URL("helhed")
	if err := migrations.Up(ctx, url); err != nil {
		t.Fatal(err)
	}
	pool, err := store.OpenPool(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := store.New(pool)
	w := store.Who{RequestID: "test"}
	unit, err := st.CreateUnit(ctx, w, "Jobcenter Test", "jobcenter")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, cpr := range []string{"0203851233", "0304861234"} {
		id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: helhed.CPR(cpr), FirstName: "A", LastName: "B"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if _, err := pool.Exec(ctx, `UPDATE citizens SET closed_at = now() - interval '10 years', closed_reason = 'Flyttet'`); err != nil {
		t.Fatal(err)
	}
	if err := st.SetLegalHold(ctx, w, ids[1], "Klagesag"); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	env := func(k string) string { return map[string]string{"DATABASE_URL": url}[k] }
	if err := run(ctx, []string{"retention", "run"}, env, &out, os.Stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "1 afsluttede sager slettet") {
		t.Fatalf("output %q", out.String())
	}
	if _, err := st.CitizenByID(ctx, ids[0]); !errors.Is(err, helhed.ErrNotFound) {
		t.Fatalf("the expired case is still there: %v", err)
	}
	if _, err := st.CitizenByID(ctx, ids[1]); err != nil {
		t.Fatalf("the case on legal hold is gone: %v", err)
	}
	if err := run(ctx, []string{"retention", "forkert"}, env, &out, os.Stderr); err == nil {
		t.Fatal("an unknown subcommand was accepted")
	}
}
