package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/migrations"
)

// The Digital Post integration's round through `helhed outbox`: the waiting letters as JSON
// lines, a letter's PDF, a failure and a delivery reported back; a second delivery report is
// refused, and a reported letter leaves the list.
func TestOutboxCommand(t *testing.T) {
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
	cw, err := st.CreateUser(ctx, w, store.NewUser{Username: "cw", Name: "Case Worker", UnitID: unit, Role: "sagsbehandler", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: helhed.CPR("0203851233"), FirstName: "Søren", LastName: "Østergård"})
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n% brev\n%%EOF\n")
	var ids []int64
	for _, subject := range []string{"Indkaldelse", "Indkaldelse igen"} {
		l, err := st.SendLetter(ctx, store.Who{UserID: cw}, id, store.LetterInput{Kind: store.LetterIndkaldelse, Subject: subject}, bytes.NewReader(pdf))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, l.ID)
	}
	env := func(k string) string { return map[string]string{"DATABASE_URL": url}[k] }
	outbox := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append([]string{"outbox"}, args...), env, &out, os.Stderr)
		return out.String(), err
	}

	out, err := outbox("list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("list: %q", out)
	}
	var first store.OutboxLetter
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.ID != ids[0] || first.CPR != "0203851233" || first.Name != "Søren Østergård" || first.ContentType != "application/pdf" ||
		first.Size != int64(len(pdf)) || first.Kind != "indkaldelse" {
		t.Fatalf("first letter: %+v", first)
	}
	file := filepath.Join(t.TempDir(), "brev.pdf")
	if _, err := outbox("pdf", strconv.FormatInt(ids[0], 10), "-out", file); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(file); !bytes.Equal(got, pdf) {
		t.Fatalf("pdf: %q", got)
	}
	if _, err := outbox("failed", strconv.FormatInt(ids[0], 10), "Borgeren", "er", "fritaget", "for", "Digital", "Post"); err != nil {
		t.Fatal(err)
	}
	if out, err := outbox("sent", strconv.FormatInt(ids[1], 10), "DP-0001"); err != nil || !strings.Contains(out, "afsendt") {
		t.Fatalf("sent: %q %v", out, err)
	}
	if _, err := outbox("sent", strconv.FormatInt(ids[1], 10), "DP-0002"); !errors.Is(err, store.ErrLetterAlreadySent) {
		t.Fatalf("sent twice: %v", err)
	}
	if out, err := outbox("list"); err != nil || strings.TrimSpace(out) != "" {
		t.Fatalf("list after the reports: %q %v", out, err)
	}
	l, err := st.LetterByID(ctx, id, ids[0])
	if err != nil || l.State != store.LetterFailed || l.DeliveryError != "Borgeren er fritaget for Digital Post" {
		t.Fatalf("the failed letter: %+v %v", l, err)
	}
	for _, args := range [][]string{{"sent", "1"}, {"failed", "x", "besked"}, {"forkert"}, {}} {
		if _, err := outbox(args...); err == nil {
			t.Errorf("outbox %v was accepted", args)
		}
	}
}
