package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
	"github.com/custreg/custreg/internal/store/sqlite"
)

// TestBackupRestoreRoundTrip backs up a running server's store while
// customers are being created, restores the copy elsewhere, and checks that
// it holds every customer that existed when the backup began, that its
// kept counts agree with its rows, and that the server goes on working from
// it. Restore refuses a store that holds data without --force, and a file
// that is not a backup, changing nothing.
func TestBackupRestoreRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	env := map[string]string{"CUSTREG_DB": db, "CUSTREG_ADMIN_EMAIL": "ops@example.com", "CUSTREG_ADMIN_PASSWORD": "a-long-enough-password"}
	addr, _, stop := startServe(t, env)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	post := func(path, body string) int {
		t.Helper()
		res, err := c.Post("http://"+addr+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	if st := post("/api/v1/auth/login", `{"email":"ops@example.com","password":"a-long-enough-password"}`); st != 200 {
		t.Fatalf("login: %d", st)
	}
	for i := range 40 {
		if st := post("/api/v1/customers", fmt.Sprintf(`{"name":"Before %d","code":"B%03d","entities":[{"name":"HQ"}]}`, i, i)); st != 201 {
			t.Fatalf("create: %d", st)
		}
	}
	// Writers go on during the backup.
	var wg sync.WaitGroup
	var during atomic.Int64
	stopWrites := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stopWrites:
				return
			default:
			}
			if post("/api/v1/customers", fmt.Sprintf(`{"name":"During %d","code":"D%04d"}`, i, i)) == 201 {
				during.Add(1)
			}
		}
	}()
	backup := filepath.Join(dir, "backup.db")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"backup", "--db", db, backup}, envOf(nil), &out, &errOut)
	close(stopWrites)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "backed up") {
		t.Errorf("backup said %q", out.String())
	}
	if err := run(context.Background(), []string{"backup", "--db", db, "--quiet", backup}, envOf(nil), io.Discard, io.Discard); err == nil {
		t.Errorf("a backup over an existing file was not refused")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	// Restore into a new place; flags may follow the file.
	restored := filepath.Join(dir, "restored.db")
	if err := run(context.Background(), []string{"restore", backup, "--db", restored, "--quiet"}, envOf(nil), io.Discard, io.Discard); err != nil {
		t.Fatalf("restore: %v", err)
	}
	st, err := sqlite.Open(context.Background(), restored)
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(st, service.Options{})
	_, p, err := svc.Login(context.Background(), "ops@example.com", "a-long-enough-password")
	if err != nil {
		t.Fatalf("the restored store does not know its admin: %v", err)
	}
	ctx := domain.WithPrincipal(context.Background(), p)
	names := map[string]bool{}
	var total int64
	for cur := (*domain.Cursor)(nil); ; {
		page, err := svc.ListCustomers(ctx, domain.CustomerFilter{Limit: domain.MaxPageSize, Cursor: cur})
		if err != nil {
			t.Fatal(err)
		}
		total = page.Total
		for _, cu := range page.Items {
			names[cu.Name] = true
			if strings.HasPrefix(cu.Name, "Before") && cu.EntitiesCount != 1 {
				t.Errorf("%s has %d entities in the backup", cu.Name, cu.EntitiesCount)
			}
		}
		if page.Next == nil {
			break
		}
		cur = page.Next
	}
	for i := range 40 {
		if !names[fmt.Sprintf("Before %d", i)] {
			t.Errorf("Before %d is missing from the backup", i)
		}
	}
	if int64(len(names)) != total {
		t.Errorf("the restored store counts %d customers and lists %d", total, len(names))
	}
	t.Logf("backup holds %d customers: 40 before it began, %d of the %d created while it ran", len(names), len(names)-40, during.Load())
	if _, err := svc.RegisterCustomer(ctx, service.NewCustomer{Customer: domain.CustomerInput{Name: "After restore", Code: "AFTER"}}); err != nil {
		t.Errorf("the restored store refuses a write: %v", err)
	}
	var n int64
	if err := st.Read(context.Background(), func(tx store.Tx) (err error) { n, err = tx.CountCustomers(context.Background()); return err }); err != nil || n != total+1 {
		t.Errorf("customers after one more: %d (%v)", n, err)
	}
	st.Close()

	// A store with data is not replaced without --force; nothing changes.
	before, _ := os.ReadFile(restored)
	err = run(context.Background(), []string{"restore", "--quiet", "--db", restored, backup}, envOf(nil), io.Discard, io.Discard)
	if !errors.Is(err, sqlite.ErrNotEmpty) {
		t.Errorf("restore over a store with data: %v", err)
	}
	if after, _ := os.ReadFile(restored); !bytes.Equal(before, after) {
		t.Errorf("a refused restore changed the store")
	}
	// A file that is not a backup is refused.
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("not a database at all, just some text that is long enough"), 0o644)
	if err := run(context.Background(), []string{"restore", "--quiet", "--db", filepath.Join(dir, "x.db"), junk}, envOf(nil), io.Discard, io.Discard); err == nil {
		t.Errorf("a text file was restored")
	}
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Errorf("a refused restore created the target")
	}
	// --force replaces it.
	if err := run(context.Background(), []string{"restore", "--quiet", "--force", "--db", restored, backup}, envOf(nil), io.Discard, io.Discard); err != nil {
		t.Fatalf("restore --force: %v", err)
	}
	st, err = sqlite.Open(context.Background(), restored)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Read(context.Background(), func(tx store.Tx) (err error) { n, err = tx.CountCustomers(context.Background()); return err }); err != nil || n != total {
		t.Errorf("customers after --force: %d, want the backup's %d (%v)", n, total, err)
	}
	// PostgreSQL is pg_dump's work.
	if err := run(context.Background(), []string{"backup", "--db", "postgres://x@127.0.0.1/db", "f"}, envOf(nil), io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup of a PostgreSQL DSN: %v", err)
	}
}
