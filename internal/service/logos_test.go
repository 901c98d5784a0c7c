package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo"
	"github.com/custreg/custreg/internal/logo/logotest"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
)

// TestLogoWritesGuardThemselves: the store's logo writes name the
// customer's liveness and the scope in their own statements, so a write
// aimed outside the scope, or at a customer trashed since it was read,
// changes nothing and is a 404 — whatever the service read before.
func TestLogoWritesGuardThemselves(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		st := apptest.OpenStore(t, kind)
		svc := service.New(st, service.Options{})
		ctx, _ := orgAdmin(t, svc, service.FirstStart{})
		a, err := createCustomer(svc, ctx, domain.CustomerInput{Name: "Guard A", Code: "GUARDA"})
		if err != nil {
			t.Fatal(err)
		}
		b, err := createCustomer(svc, ctx, domain.CustomerInput{Name: "Guard B", Code: "GUARDB"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetCustomerLogo(ctx, b.ID, domain.LogoMark, logotest.PNG(80, 80), "image/png"); err != nil {
			t.Fatal(err)
		}
		l, _, err := logo.Prepare(context.Background(), domain.LogoMark, logotest.PNG(60, 60), "")
		if err != nil {
			t.Fatal(err)
		}
		l.CustomerID, l.UploadedAt = b.ID, time.Now()
		onlyA := domain.Principal{UserID: "x", CustomerID: a.ID}.Scope()
		err = st.Write(context.Background(), func(tx store.Tx) error {
			if err := tx.PutLogo(context.Background(), onlyA, l); domain.ErrorCode(err) != domain.ENotFound {
				t.Errorf("PutLogo of B's logo in A's scope: %v", err)
			}
			if err := tx.DeleteLogo(context.Background(), onlyA, b.ID, domain.LogoMark); domain.ErrorCode(err) != domain.ENotFound {
				t.Errorf("DeleteLogo of B's logo in A's scope: %v", err)
			}
			if _, err := tx.LogoImage(context.Background(), onlyA, b.ID, domain.LogoMark, true, nil); domain.ErrorCode(err) != domain.ENotFound {
				t.Errorf("LogoImage of B's logo in A's scope: %v", err)
			}
			if infos, err := tx.CustomerLogos(context.Background(), onlyA, []string{a.ID, b.ID}); err != nil || len(infos) != 0 {
				t.Errorf("CustomerLogos in A's scope: %v %v", infos, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		before, err := svc.CustomerLogo(ctx, b.ID, domain.LogoMark, true, nil)
		if err != nil || before.SHA256 != logo.Hash(logotest.PNG(80, 80)) {
			t.Fatalf("B's logo after the writes out of scope: %v %v", before.SHA256, err)
		}
		// The If-None-Match read leaves the bytes out, and only then.
		if img, err := svc.CustomerLogo(ctx, b.ID, domain.LogoMark, true, []string{"nope", before.SHA256}); err != nil || img.Data != nil || img.SHA256 != before.SHA256 {
			t.Errorf("a matching tag: %d bytes, %v", len(img.Data), err)
		}
		if img, err := svc.CustomerLogo(ctx, b.ID, domain.LogoMark, true, []string{"nope"}); err != nil || len(img.Data) == 0 {
			t.Errorf("another tag: %d bytes, %v", len(img.Data), err)
		}

		// B goes to trash between a read and the write: the write's own
		// WHERE finds no live customer.
		if err := svc.DeleteCustomer(ctx, b.ID, 0); err != nil {
			t.Fatal(err)
		}
		err = st.Write(context.Background(), func(tx store.Tx) error {
			if err := tx.PutLogo(context.Background(), domain.Scope{}, l); domain.ErrorCode(err) != domain.ENotFound {
				t.Errorf("PutLogo for a customer in trash: %v", err)
			}
			if err := tx.DeleteLogo(context.Background(), domain.Scope{}, b.ID, domain.LogoMark); domain.ErrorCode(err) != domain.ENotFound {
				t.Errorf("DeleteLogo for a customer in trash: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CustomerLogo(ctx, b.ID, domain.LogoMark, false, nil); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("the logo of a customer in trash: %v", err)
		}
	})
}
