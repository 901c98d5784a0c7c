package archive_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/archive"
	"github.com/custreg/custreg/internal/domain"
)

// fakeSource yields fixed records; failAfter > 0 makes Assets fail after
// that many, and grow adds one asset on each call (a source that does not
// read one snapshot).
type fakeSource struct {
	users     []domain.User
	assets    []domain.Asset
	failAfter int
	grow      bool
	calls     int
}

var errStore = errors.New("the store went away")

func (f *fakeSource) Entities(ctx context.Context, fn func(domain.Entity) error) error { return nil }

func (f *fakeSource) Users(ctx context.Context, fn func(domain.User) error) error {
	for _, u := range f.users {
		if err := fn(u); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeSource) Assets(ctx context.Context, fn func(domain.Asset) error) error {
	f.calls++
	list := f.assets
	if f.grow && f.calls > 1 {
		list = append(list, domain.Asset{ID: "late", Name: "Late"})
	}
	for i, a := range list {
		if f.failAfter > 0 && i == f.failAfter {
			return errStore
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeSource) Audit(ctx context.Context, fn func(domain.AuditEntry) error) error { return nil }

func (f *fakeSource) Logo(ctx context.Context, kind string) (domain.LogoImage, error) {
	return domain.LogoImage{}, errors.New("no logo")
}

func customer() archive.Customer {
	return archive.Customer{Customer: domain.Customer{ID: "c1", Name: "Acme", Code: "ACME"}}
}

func manyAssets(n int) []domain.Asset {
	out := make([]domain.Asset, n)
	for i := range out {
		out[i] = domain.Asset{ID: "a" + strings.Repeat("x", i%7) + string(rune('A'+i%26)), Name: "Asset", Class: domain.AssetIT}
	}
	return out
}

func TestWrite(t *testing.T) {
	meta := archive.Meta{GeneratedAt: time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC), GeneratedBy: "ops@example.com"}

	t.Run("OK", func(t *testing.T) {
		src := &fakeSource{users: []domain.User{{ID: "u1", Email: "u@acme.example", PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$ZGlnZXN0ZGlnZXN0"}},
			assets: manyAssets(2500)}
		var buf bytes.Buffer
		if err := archive.Write(context.Background(), &buf, customer(), meta, src); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		for _, f := range zr.File {
			rc, _ := f.Open()
			files[f.Name], _ = io.ReadAll(rc)
			rc.Close()
			if !f.Modified.Equal(meta.GeneratedAt) {
				t.Errorf("%s is dated %v", f.Name, f.Modified)
			}
		}
		if string(files["entities.json"]) != "[]\n" {
			t.Errorf("an empty list is %q", files["entities.json"])
		}
		var assets []map[string]any
		if err := json.Unmarshal(files["assets.json"], &assets); err != nil || len(assets) != 2500 {
			t.Errorf("assets.json: %d, %v", len(assets), err)
		}
		if n := bytes.Count(files["assets.csv"], []byte("\n")); n != 2501 {
			t.Errorf("assets.csv has %d lines", n)
		}
		for name, b := range files {
			if bytes.Contains(b, []byte("argon2id")) || bytes.Contains(b, []byte("ZGlnZXN0")) {
				t.Errorf("%s holds the password hash", name)
			}
		}
		if _, ok := files["logos/full_logo.png"]; ok {
			t.Errorf("a logo the customer does not have")
		}
	})

	t.Run("ErrMidStream", func(t *testing.T) {
		// The store fails after the archive's first megabytes went out:
		// what was written is not a zip that opens.
		src := &fakeSource{assets: manyAssets(20000), failAfter: 15000}
		var buf bytes.Buffer
		err := archive.Write(context.Background(), &buf, customer(), meta, src)
		if !errors.Is(err, errStore) {
			t.Fatalf("err = %v", err)
		}
		if buf.Len() == 0 {
			t.Fatalf("nothing was written before the failure; the test proves nothing")
		}
		if _, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len())); err == nil {
			t.Errorf("an archive cut short (%d bytes) opens as a zip", buf.Len())
		}
	})

	t.Run("ErrInconsistent", func(t *testing.T) {
		var buf bytes.Buffer
		err := archive.Write(context.Background(), &buf, customer(), meta, &fakeSource{assets: manyAssets(3), grow: true})
		if !errors.Is(err, archive.ErrInconsistent) {
			t.Fatalf("err = %v", err)
		}
		if _, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len())); err == nil {
			t.Errorf("an inconsistent archive opens as a zip")
		}
	})

	t.Run("ErrCancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := archive.Write(ctx, io.Discard, customer(), meta, &fakeSource{}); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestFilename(t *testing.T) {
	at := time.Date(2026, 12, 2, 23, 59, 0, 0, time.FixedZone("x", -3600))
	for code, want := range map[string]string{
		"ACME-1":   "ACME-1-archive-2026-12-03.zip",
		"a b/\"c":  "a_b__c-archive-2026-12-03.zip",
		"":         "customer-archive-2026-12-03.zip",
		"ok_under": "ok_under-archive-2026-12-03.zip",
	} {
		if got := archive.Filename(code, at); got != want {
			t.Errorf("Filename(%q) = %q, want %q", code, got, want)
		}
	}
}
