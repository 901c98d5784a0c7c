package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store/sqlite"
)

// TestReportCommand runs reports from the command line on an SQLite store:
// as the organization's admin over one customer or all, as a customer's
// user (its own customer only), to stdout or a new file, and refuses what
// it cannot do without writing anything.
func TestReportCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(st, service.Options{})
	if _, err := svc.Bootstrap(ctx, service.FirstStart{Admin: domain.AdminInput{Email: "ops@example.com", Name: "Ops", Password: "a-long-enough-password"}}); err != nil {
		t.Fatal(err)
	}
	_, p, err := svc.Login(ctx, "ops@example.com", "a-long-enough-password")
	if err != nil {
		t.Fatal(err)
	}
	org := domain.WithPrincipal(ctx, p)
	var ids []string
	for _, c := range []domain.CustomerInput{{Name: "Alpha", Code: "ALPHA"}, {Name: "Bravo", Code: "BRAVO"}} {
		cu, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: c, Licenses: apptest.Roomy()})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, cu.ID)
	}
	for i, n := range []int{3, 2} {
		for k := range n {
			if _, err := svc.CreateAsset(org, domain.AssetInput{Name: "Asset " + string(rune('A'+k)), Class: domain.AssetIT, CustomerID: ids[i]}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := svc.CreateUser(org, domain.UserInput{Email: "user@bravo.example", Name: "B", Role: domain.RoleCustomerUser, CustomerID: ids[1], Password: "a-long-enough-password"}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	rows := func(args ...string) [][]string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(ctx, append([]string{"report", "--db", db}, args...), envOf(nil), &out, &errOut); err != nil {
			t.Fatalf("report %v: %v\n%s", args, err, errOut.String())
		}
		recs, err := csv.NewReader(&out).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	if got := rows("--as", "ops@example.com", "--customer", "alpha", "asset_inventory"); len(got) != 1+3 {
		t.Errorf("Alpha's inventory: %d lines", len(got))
	}
	if got := rows("--as", "ops@example.com", "asset_inventory"); len(got) != 1+5 {
		t.Errorf("every customer's inventory: %d lines", len(got))
	}
	// A customer's user gets its own customer's, whatever it names.
	for _, r := range rows("--as", "user@bravo.example", "asset_inventory")[1:] {
		if !slices.Contains(r, "Bravo") {
			t.Errorf("a Bravo user sees %v", r)
		}
	}
	var errOut bytes.Buffer
	if err := run(ctx, []string{"report", "--db", db, "--as", "user@bravo.example", "--customer", "ALPHA", "users"}, envOf(nil), io.Discard, &errOut); err == nil {
		t.Errorf("a Bravo user ran Alpha's report")
	}
	// A PDF to a new file; an existing file is not overwritten.
	pdf := filepath.Join(dir, "inv.pdf")
	if err := run(ctx, []string{"report", "--db", db, "--as", "ops@example.com", "--format", "pdf", "-o", pdf, "asset_inventory"}, envOf(nil), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Errorf("the PDF file starts %q", b[:min(8, len(b))])
	}
	if err := run(ctx, []string{"report", "--db", db, "--as", "ops@example.com", "-o", pdf, "users"}, envOf(nil), io.Discard, io.Discard); err == nil {
		t.Errorf("an existing output file was overwritten")
	}
	for _, bad := range [][]string{
		{"--as", "nobody@example.com", "users"},
		{"--as", "ops@example.com", "policy_audit"},
		{"--as", "ops@example.com", "--format", "xlsx", "users"},
		{"users"},
	} {
		if err := run(ctx, append([]string{"report", "--db", db}, bad...), envOf(nil), io.Discard, io.Discard); err == nil {
			t.Errorf("report %v succeeded", bad)
		}
	}
	if err := run(ctx, []string{"report", "--db", db, "--as", "ops@example.com", "--format", "pdf", "-o", filepath.Join(dir, "bad.pdf"), "policy_audit"}, envOf(nil), io.Discard, io.Discard); err == nil {
		t.Errorf("an unknown report succeeded")
	}
	for _, left := range []string{"bad.pdf", "bad.pdf.part"} {
		if _, err := os.Stat(filepath.Join(dir, left)); err == nil {
			t.Errorf("a failed report left %s behind", left)
		}
	}
	// The refused overwrite left the first PDF whole.
	if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF")) || !bytes.Contains(b, []byte("%%EOF")) {
		t.Errorf("the existing PDF was changed")
	}
}
