package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo/logotest"
	"github.com/custreg/custreg/internal/service"
)

// TestLogoDrafts covers logos staged in the Add Customer wizard: checked at
// once, readable only by who staged them, moved into the customer by the
// create's transaction, gone after a day, and at most a few per person.
func TestLogoDrafts(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		clock := apptest.NewClock(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
		svc := service.New(apptest.OpenStore(t, kind), service.Options{Now: clock.Now})
		ctx, _ := orgAdmin(t, svc, service.FirstStart{})
		other, err := svc.CreateUser(ctx, domain.UserInput{Email: "second@msp.example", Name: "Second Admin", Role: domain.RoleOrgAdmin, Password: "a long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		otherCtx := domain.WithPrincipal(context.Background(), domain.Principal{UserID: other.ID, Email: other.Email, Role: domain.RoleOrgAdmin})

		// A refused file stages nothing and says why on "file".
		if _, err := svc.StageLogo(ctx, domain.LogoMark, logotest.GIF(80, 80), "image/gif"); fieldCode(t, err, "file") != domain.FieldFormat {
			t.Errorf("staging a GIF: %v", err)
		}
		full, err := svc.StageLogo(ctx, domain.LogoFull, logotest.PNG(640, 640), "image/png")
		if err != nil || full.Warning == "" || full.Width != 640 {
			t.Fatalf("staging a square full logo = %+v, %v (want a warning)", full, err)
		}
		img, err := svc.LogoDraftImage(ctx, full.ID)
		if err != nil || img.Format != "png" || len(img.Data) == 0 {
			t.Fatalf("preview = %v, %v", img.Format, err)
		}
		if _, err := svc.LogoDraftImage(otherCtx, full.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("another admin read the draft: %v", err)
		}
		// Another person's draft cannot be used: a field error, nothing created.
		_, err = svc.RegisterCustomer(otherCtx, service.NewCustomer{Customer: domain.CustomerInput{Name: "Taken Draft", Code: "TAKEN"},
			Logos: []service.LogoFile{{Kind: domain.LogoFull, DraftID: full.ID}}})
		if fieldCode(t, err, domain.LogoFull) != domain.FieldRequired {
			t.Errorf("create with another's draft: %v", err)
		}
		// The owner's create takes the draft in: the customer has the logo,
		// and the draft is gone.
		c, err := svc.RegisterCustomer(ctx, service.NewCustomer{Customer: domain.CustomerInput{Name: "Drafted", Code: "DRAFTED"},
			Logos: []service.LogoFile{{Kind: domain.LogoFull, DraftID: full.ID}}})
		if err != nil || c.FullLogo == nil || c.FullLogo.Width != 640 {
			t.Fatalf("create with a draft = %+v, %v", c.FullLogo, err)
		}
		stored, err := svc.CustomerLogo(ctx, c.ID, domain.LogoFull, false, nil)
		if err != nil || stored.SHA256 != img.SHA256 {
			t.Errorf("stored rendition %q, the preview was %q (%v)", stored.SHA256, img.SHA256, err)
		}
		if _, err := svc.LogoDraftImage(ctx, full.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("the draft outlived its use: %v", err)
		}
		// A draft of the wrong kind is refused as gone.
		mark, err := svc.StageLogo(ctx, domain.LogoMark, logotest.PNG(80, 80), "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.RegisterCustomer(ctx, service.NewCustomer{Customer: domain.CustomerInput{Name: "Wrong Kind", Code: "WRONGKIND"},
			Logos: []service.LogoFile{{Kind: domain.LogoFull, DraftID: mark.ID}}})
		if fieldCode(t, err, domain.LogoFull) != domain.FieldRequired {
			t.Errorf("a logomark draft used as full logo: %v", err)
		}
		// After a day the draft is gone.
		clock.Add(25 * time.Hour)
		if _, err := svc.LogoDraftImage(ctx, mark.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("a day-old draft is still served: %v", err)
		}
		_, err = svc.RegisterCustomer(ctx, service.NewCustomer{Customer: domain.CustomerInput{Name: "Late", Code: "LATE"},
			Logos: []service.LogoFile{{Kind: domain.LogoMark, DraftID: mark.ID}}})
		if fieldCode(t, err, domain.LogoMark) != domain.FieldRequired {
			t.Errorf("create with a day-old draft: %v", err)
		}
		// A person holds at most four drafts: the oldest go.
		var ids []string
		for range 6 {
			clock.Add(time.Second)
			d, err := svc.StageLogo(ctx, domain.LogoMark, logotest.PNG(40, 40), "")
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, d.ID)
		}
		for i, id := range ids {
			_, err := svc.LogoDraftImage(ctx, id)
			if kept := i >= 2; kept != (err == nil) {
				t.Errorf("draft %d of 6: kept = %v (%v)", i+1, err == nil, err)
			}
		}
		if n := len(customerIDs(t, svc, ctx)); n != 1 {
			t.Errorf("%d customers, want only the one created", n)
		}
	})
}

func customerIDs(t *testing.T, svc *service.Service, ctx context.Context) []string {
	t.Helper()
	page, err := svc.ListCustomers(ctx, domain.CustomerFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range page.Items {
		ids = append(ids, c.ID)
	}
	return ids
}
