package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

type clock = apptest.Clock

func newService(t *testing.T, kind string) (*service.Service, *clock) {
	clk := apptest.NewClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	return service.New(apptest.OpenStore(t, kind), service.Options{Now: clk.Now}), clk
}

func wantCode(t *testing.T, err error, code domain.Code) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("error = %v (code %q), want %q", err, got, code)
	}
}

func forEachStore(t *testing.T, fn func(t *testing.T, kind string)) {
	for _, kind := range apptest.Stores(t) {
		t.Run(kind, func(t *testing.T) { fn(t, kind) })
	}
}

var admin = domain.AdminInput{Email: "Admin@Example.com", Name: "Ada", Password: "correct-horse-battery"}

func TestBootstrapSetupLink(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		ctx := context.Background()
		token, err := svc.Bootstrap(ctx, service.FirstStart{OrgName: "Acme MSP"})
		if err != nil || token == "" {
			t.Fatalf("Bootstrap = %q, %v; want a setup token", token, err)
		}
		// A restart before setup replaces the link; the old one stops working.
		token2, err := svc.Bootstrap(ctx, service.FirstStart{})
		if err != nil || token2 == "" || token2 == token {
			t.Fatalf("second Bootstrap = %q, %v", token2, err)
		}
		_, _, err = svc.CompleteSetup(ctx, token, admin)
		wantCode(t, err, domain.ENotFound)
		_, _, err = svc.CompleteSetup(ctx, token2, domain.AdminInput{Email: "bad", Name: "", Password: "short"})
		wantCode(t, err, domain.EInvalid)
		if pending, _ := svc.SetupPending(ctx); !pending {
			t.Fatal("a refused setup closed the setup")
		}
		secret, p, err := svc.CompleteSetup(ctx, token2, admin)
		if err != nil || secret == "" || p.Role != domain.RoleOrgAdmin || p.Email != "admin@example.com" {
			t.Fatalf("CompleteSetup = %q, %+v, %v", secret, p, err)
		}
		_, _, err = svc.CompleteSetup(ctx, token2, domain.AdminInput{Email: "x@example.com", Name: "X", Password: "another-long-password"})
		wantCode(t, err, domain.ENotFound)
		if pending, _ := svc.SetupPending(ctx); pending {
			t.Fatal("setup still pending")
		}
		// Later starts neither print a link nor change the settings.
		if token3, err := svc.Bootstrap(ctx, service.FirstStart{OrgName: "Renamed", MSPDisabled: true}); token3 != "" || err != nil {
			t.Fatalf("Bootstrap after setup = %q, %v", token3, err)
		}
		o, err := svc.OrgSettings(domain.WithPrincipal(ctx, p))
		if err != nil || o.Name != "Acme MSP" || !o.MSPEnabled {
			t.Errorf("settings = %+v, %v; first-start settings must apply once", o, err)
		}
	})
}

func TestSessionsExpireAndEnd(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, clk := newService(t, kind)
		ctx := context.Background()
		if _, err := svc.Bootstrap(ctx, service.FirstStart{Admin: admin}); err != nil {
			t.Fatal(err)
		}
		secret, _, err := svc.Login(ctx, "  admin@EXAMPLE.com ", admin.Password)
		if err != nil {
			t.Fatalf("login with a differently cased email: %v", err)
		}
		p, err := svc.AuthenticateSession(ctx, secret)
		if err != nil {
			t.Fatal(err)
		}
		clk.Add(domain.SessionLifetime - time.Minute)
		if _, err := svc.AuthenticateSession(ctx, secret); err != nil {
			t.Fatalf("session ended early: %v", err)
		}
		clk.Add(2 * time.Minute)
		_, err = svc.AuthenticateSession(ctx, secret)
		wantCode(t, err, domain.EUnauthorized)
		if n, err := svc.DeleteExpiredSessions(ctx); n != 1 || err != nil {
			t.Errorf("DeleteExpiredSessions = %d, %v", n, err)
		}

		secret, _, _ = svc.Login(ctx, admin.Email, admin.Password)
		p, _ = svc.AuthenticateSession(ctx, secret)
		if err := svc.Logout(domain.WithPrincipal(ctx, p)); err != nil {
			t.Fatal(err)
		}
		_, err = svc.AuthenticateSession(ctx, secret)
		wantCode(t, err, domain.EUnauthorized)

		_, _, err = svc.Login(ctx, admin.Email, "wrong-password-123")
		wantCode(t, err, domain.EUnauthorized)
		_, err = svc.AuthenticateToken(ctx, "crg_"+secret)
		wantCode(t, err, domain.EUnauthorized)
	})
}

func TestServiceRequiresPrincipal(t *testing.T) {
	svc, _ := newService(t, "sqlite")
	ctx := context.Background()
	_, err := svc.ListCustomers(ctx, domain.CustomerFilter{})
	wantCode(t, err, domain.EUnauthorized)
	_, err = createCustomer(svc, ctx, domain.CustomerInput{Name: "A", Code: "AA"})
	wantCode(t, err, domain.EUnauthorized)
	_, err = svc.OrgSettings(ctx)
	wantCode(t, err, domain.EUnauthorized)
	// A principal that is not an organization admin may not change customers.
	tech := domain.WithPrincipal(ctx, domain.Principal{UserID: "u", Role: "technician"})
	_, err = createCustomer(svc, tech, domain.CustomerInput{Name: "A", Code: "AA"})
	wantCode(t, err, domain.EForbidden)
	_, err = svc.UpdateOrgSettings(tech, service.OrgPatch{}, 0)
	wantCode(t, err, domain.EForbidden)
}

func TestAuditTrail(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		st := apptest.OpenStore(t, kind)
		svc := service.New(st, service.Options{})
		ctx := context.Background()
		actx, p := orgAdmin(t, svc, service.FirstStart{})
		c, err := svc.CreateCustomer(actx, domain.CustomerInput{Name: "Airtel", Code: "AIR001"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.UpdateCustomer(actx, c.ID, 1, func(in domain.CustomerInput) (domain.CustomerInput, error) {
			in.Name = "Airtel India"
			return in, nil
		}); err != nil {
			t.Fatal(err)
		}
		// A refused update leaves no entry.
		_, err = svc.UpdateCustomer(actx, c.ID, 1, func(in domain.CustomerInput) (domain.CustomerInput, error) { return in, nil })
		wantCode(t, err, domain.EPrecondition)
		if err := svc.DeleteCustomer(actx, c.ID, 0); err != nil {
			t.Fatal(err)
		}
		var entries []domain.AuditEntry
		if err := st.Read(ctx, func(tx storeTx) (err error) {
			entries, err = tx.Audit(ctx, c.ID, 10)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
			if e.ActorID != p.UserID || e.ActorEmail != p.Email {
				t.Errorf("entry %s actor = %s %s", e.Action, e.ActorID, e.ActorEmail)
			}
		}
		if len(actions) != 3 || actions[0] != "customer.delete" || actions[1] != "customer.update" || actions[2] != "customer.create" {
			t.Fatalf("actions = %v", actions)
		}
		if !contains(entries[1].Before, `"name":"Airtel"`) || !contains(entries[1].After, `"name":"Airtel India"`) {
			t.Errorf("update entry before/after = %s / %s", entries[1].Before, entries[1].After)
		}
		if entries[2].Before != nil || entries[0].After == nil || !contains(entries[0].After, "deleted_at") {
			t.Errorf("create/delete entries = %+v / %+v", entries[2], entries[0])
		}
	})
}
