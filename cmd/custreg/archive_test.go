package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/server"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store/sqlite"
)

// TestArchiveCommand writes customer archives from the command line on an
// SQLite store: as the organization's admin by code or by id, as the
// customer's own admin, flags before or after FILE; the file is the zip
// the API serves (the same files, the same records); and it refuses what it
// cannot do — another customer's archive, a role without the history, an
// existing file, an unknown customer — leaving no file behind.
func TestArchiveCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
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
		cu, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: c, Licenses: apptest.Roomy(),
			Entities: []domain.EntityInput{{Name: c.Name + " Head Office"}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, cu.ID)
		for k := range 3 {
			if _, err := svc.CreateAsset(org, domain.AssetInput{Name: c.Name + " asset " + string(rune('A'+k)), Class: domain.AssetIT, CustomerID: cu.ID}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, u := range []domain.UserInput{
		{Email: "admin@alpha.example", Role: domain.RoleCustomerAdmin, CustomerID: ids[0]},
		{Email: "user@alpha.example", Role: domain.RoleCustomerUser, CustomerID: ids[0]},
		{Email: "admin@bravo.example", Role: domain.RoleCustomerAdmin, CustomerID: ids[1]},
	} {
		u.Name, u.Password = "Person", "a-long-enough-password"
		if _, err := svc.CreateUser(org, u); err != nil {
			t.Fatal(err)
		}
	}

	archiveOf := func(file string, args ...string) map[string][]byte {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(ctx, append([]string{"archive"}, args...), envOf(map[string]string{"CUSTREG_DB": db}), &out, &errOut); err != nil {
			t.Fatalf("archive %v: %v\n%s", args, err, errOut.String())
		}
		if !strings.Contains(out.String(), "archived customer") || !strings.Contains(out.String(), "assets 3") {
			t.Errorf("archive %v says %q", args, out.String())
		}
		zr, err := zip.OpenReader(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		defer zr.Close()
		files := map[string][]byte{}
		for _, f := range zr.File {
			rc, _ := f.Open()
			files[f.Name], _ = io.ReadAll(rc)
			rc.Close()
		}
		if _, err := os.Stat(file + ".part"); err == nil {
			t.Errorf("%s.part is left", file)
		}
		return files
	}
	names := func(files map[string][]byte) string {
		var out []string
		for n := range files {
			out = append(out, n)
		}
		return strings.Join(slices.Sorted(slices.Values(out)), " ")
	}

	byCode := archiveOf(filepath.Join(dir, "alpha.zip"), "--as", "ops@example.com", "--customer", "alpha", filepath.Join(dir, "alpha.zip"))
	byID := archiveOf(filepath.Join(dir, "alpha-id.zip"), filepath.Join(dir, "alpha-id.zip"), "--customer", ids[0], "--as", "ops@example.com", "--db", db)
	own := archiveOf(filepath.Join(dir, "own.zip"), "--as", "admin@alpha.example", "--customer", "ALPHA", filepath.Join(dir, "own.zip"))
	for _, files := range []map[string][]byte{byCode, byID, own} {
		if !bytes.Contains(files["customer.json"], []byte(ids[0])) {
			t.Errorf("customer.json: %s", files["customer.json"])
		}
		for name, b := range files {
			if bytes.Contains(b, []byte(ids[1])) || bytes.Contains(b, []byte("Bravo")) || bytes.Contains(b, []byte("bravo.example")) {
				t.Errorf("Alpha's archive holds Bravo in %s", name)
			}
		}
	}
	// The same zip as the API's: the same files, the same records.
	srv := httptest.NewServer(server.Handler(svc, server.Options{}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/customers/"+ids[0]+"/archive", nil)
	_, token, err := svc.CreateToken(org, "archive-test")
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("the API's archive: %d %v", res.StatusCode, err)
	}
	api := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		api[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	if names(api) != names(byCode) {
		t.Errorf("the API's files %s, the command's %s", names(api), names(byCode))
	}
	for _, n := range []string{"entities.json", "users.json", "assets.json", "usage.json", "assets.csv", "users.csv"} {
		if !bytes.Equal(api[n], byCode[n]) {
			t.Errorf("%s differs between the API's archive and the command's", n)
		}
	}
	var m struct {
		GeneratedBy string `json:"generated_by"`
	}
	if err := json.Unmarshal(own["manifest.json"], &m); err != nil || m.GeneratedBy != "admin@alpha.example" {
		t.Errorf("the customer admin's manifest: %s", own["manifest.json"])
	}

	// Refusals leave no file.
	existing := filepath.Join(dir, "alpha.zip")
	before, _ := os.ReadFile(existing)
	for _, bad := range []struct {
		file string
		args []string
	}{
		{filepath.Join(dir, "x1.zip"), []string{"--as", "admin@bravo.example", "--customer", "ALPHA"}},
		{filepath.Join(dir, "x2.zip"), []string{"--as", "admin@bravo.example", "--customer", ids[0]}},
		{filepath.Join(dir, "x3.zip"), []string{"--as", "user@alpha.example", "--customer", "ALPHA"}},
		{filepath.Join(dir, "x4.zip"), []string{"--as", "ops@example.com", "--customer", "NOPE"}},
		{filepath.Join(dir, "x5.zip"), []string{"--as", "nobody@example.com", "--customer", "ALPHA"}},
		{filepath.Join(dir, "x6.zip"), []string{"--as", "ops@example.com"}},
		{filepath.Join(dir, "x7.zip"), []string{"--customer", "ALPHA"}},
		{existing, []string{"--as", "ops@example.com", "--customer", "ALPHA"}},
	} {
		args := append([]string{"archive", "--db", db}, bad.args...)
		if err := run(ctx, append(args, bad.file), envOf(nil), io.Discard, io.Discard); err == nil {
			t.Errorf("archive %v succeeded", bad.args)
		}
		if bad.file != existing {
			if _, err := os.Stat(bad.file); err == nil {
				t.Errorf("archive %v left %s", bad.args, bad.file)
			}
		}
		if _, err := os.Stat(bad.file + ".part"); err == nil {
			t.Errorf("archive %v left %s.part", bad.args, bad.file)
		}
	}
	if after, _ := os.ReadFile(existing); !bytes.Equal(before, after) {
		t.Errorf("an existing file was overwritten")
	}
	if err := run(ctx, []string{"archive", "--db", db, "--as", "ops@example.com", "--customer", "ALPHA"}, envOf(nil), io.Discard, io.Discard); err == nil {
		t.Errorf("archive without FILE succeeded")
	}
}
