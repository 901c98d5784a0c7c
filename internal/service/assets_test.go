package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

func fieldCode(t *testing.T, err error, field string) string {
	t.Helper()
	e, ok := err.(*domain.Error)
	if !ok {
		t.Fatalf("error %v is not a domain error", err)
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Code
		}
	}
	t.Fatalf("error %v names no field %s", err, field)
	return ""
}

func TestAssetsScopeAndRoles(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		ctx := context.Background()
		org, _ := orgAdmin(t, svc, service.FirstStart{})
		a, err := createCustomerWith(svc, org, domain.CustomerInput{Name: "Alpha", Code: "A1"},
			[]domain.EntityInput{{Name: "North"}, {Name: "South"}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := createCustomer(svc, org, domain.CustomerInput{Name: "Beta", Code: "B1"})
		ents, _ := svc.ListEntities(org, a.ID, domain.EntityFilter{})
		north, south := ents.Items[0].ID, ents.Items[1].ID
		bEntity, _ := svc.CreateEntity(org, b.ID, domain.EntityInput{Name: "Beta HQ"})

		as := func(role, customerID string, entities ...string) context.Context {
			r, _ := domain.BuiltinRole(role)
			return domain.WithPrincipal(ctx, domain.Principal{UserID: "u-" + role, Email: role + "@example.com", Role: role,
				CustomerID: customerID, EntityIDs: entities, Permissions: r.Permissions, RoleScope: r.Scope})
		}
		cadmin := as(domain.RoleCustomerAdmin, a.ID)
		cuser := as(domain.RoleCustomerUser, a.ID)
		ctech := as(domain.RoleCustomerTechnician, a.ID, north)

		// The organization maps assets anywhere, but only to an entity of the
		// asset's own customer.
		if _, err := svc.CreateAsset(org, domain.AssetInput{Name: "Org firewall", Class: "it"}); err != nil {
			t.Fatal(err)
		}
		_, err = svc.CreateAsset(org, domain.AssetInput{Name: "X", Class: "it", CustomerID: a.ID, EntityID: bEntity.ID})
		if fieldCode(t, err, "entity_id") != domain.FieldUnknown {
			t.Errorf("another customer's entity: %v", err)
		}
		_, err = svc.CreateAsset(org, domain.AssetInput{Name: "X", Class: "it", CustomerID: "01900000-0000-7000-8000-000000000000"})
		if fieldCode(t, err, "customer_id") != domain.FieldUnknown {
			t.Errorf("unknown customer: %v", err)
		}
		_, err = svc.CreateAsset(org, domain.AssetInput{Name: "X", Class: "it", EntityID: north})
		if fieldCode(t, err, "entity_id") != domain.FieldUnknown {
			t.Errorf("an entity without its customer: %v", err)
		}
		bAsset, err := svc.CreateAsset(org, domain.AssetInput{Name: "Beta printer", Class: "non_it", CustomerID: b.ID})
		if err != nil {
			t.Fatal(err)
		}

		// A customer admin creates inside its customer without naming it,
		// and cannot reach the other customer.
		mine, err := svc.CreateAsset(cadmin, domain.AssetInput{Name: "Alpha laptop", Class: "mobile", EntityID: south})
		if err != nil || mine.CustomerID != a.ID {
			t.Fatalf("customer admin create = %+v, %v", mine, err)
		}
		_, err = svc.CreateAsset(cadmin, domain.AssetInput{Name: "Sneaky", Class: "it", CustomerID: b.ID})
		if fieldCode(t, err, "customer_id") != domain.FieldUnknown {
			t.Errorf("customer admin mapping to another customer: %v", err)
		}
		_, err = svc.Asset(cadmin, bAsset.ID)
		wantCode(t, err, domain.ENotFound)
		err = svc.MoveAssets(cadmin, []string{bAsset.ID}, a.ID, "")
		wantCode(t, err, domain.ENotFound)

		// A read-only customer user sees but cannot change.
		if page, err := svc.ListAssets(cuser, domain.AssetFilter{}); err != nil || page.Total != 1 {
			t.Errorf("customer user list = %+v, %v", page, err)
		}
		_, err = svc.CreateAsset(cuser, domain.AssetInput{Name: "X", Class: "it"})
		wantCode(t, err, domain.EForbidden)

		// A technician narrowed to North must place assets there and sees
		// only North's.
		_, err = svc.CreateAsset(ctech, domain.AssetInput{Name: "X", Class: "it"})
		if fieldCode(t, err, "entity_id") != domain.FieldRequired {
			t.Errorf("narrowed without entity: %v", err)
		}
		_, err = svc.CreateAsset(ctech, domain.AssetInput{Name: "X", Class: "it", EntityID: south})
		if fieldCode(t, err, "entity_id") != domain.FieldUnknown {
			t.Errorf("narrowed to another entity: %v", err)
		}
		nAsset, err := svc.CreateAsset(ctech, domain.AssetInput{Name: "North router", Class: "it", EntityID: north})
		if err != nil {
			t.Fatal(err)
		}
		if page, _ := svc.ListAssets(ctech, domain.AssetFilter{}); page.Total != 1 || page.Items[0].ID != nAsset.ID {
			t.Errorf("narrowed list = %+v", page)
		}
		err = svc.DeleteAsset(ctech, nAsset.ID, 0)
		wantCode(t, err, domain.EForbidden)

		// A bulk move is all or nothing.
		err = svc.MoveAssets(org, []string{mine.ID, nAsset.ID, "01900000-0000-7000-8000-000000000000"}, b.ID, "")
		wantCode(t, err, domain.ENotFound)
		if c, _ := svc.Customer(org, a.ID); c.AssetsCount != 2 {
			t.Errorf("a refused move changed counts: %d", c.AssetsCount)
		}
		if err := svc.MoveAssets(org, []string{mine.ID, nAsset.ID}, b.ID, ""); err != nil {
			t.Fatal(err)
		}
		ca, _ := svc.Customer(org, a.ID)
		cb, _ := svc.Customer(org, b.ID)
		if ca.AssetsCount != 0 || cb.AssetsCount != 3 {
			t.Errorf("after move: a %d, b %d; want 0, 3", ca.AssetsCount, cb.AssetsCount)
		}
		if err := svc.DeleteAsset(org, bAsset.ID, 0); err != nil {
			t.Fatal(err)
		}
		if cb, _ := svc.Customer(org, b.ID); cb.AssetsCount != 2 {
			t.Errorf("after delete: b %d, want 2", cb.AssetsCount)
		}
	})
}

func TestAssetsWithMSPOff(t *testing.T) {
	svc, _ := newService(t, "sqlite")
	org, _ := orgAdmin(t, svc, service.FirstStart{MSPDisabled: true})
	if _, err := svc.CreateAsset(org, domain.AssetInput{Name: "Server", Class: "it"}); err != nil {
		t.Fatalf("an organization asset with MSP off: %v", err)
	}
	_, err := svc.CreateAsset(org, domain.AssetInput{Name: "Server", Class: "it", CustomerID: "01900000-0000-7000-8000-000000000000"})
	if e, ok := err.(*domain.Error); !ok || e.Type != "msp-disabled" {
		t.Errorf("a customer asset with MSP off: %v", err)
	}
}

func TestDeleteEntityInUse(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		org, _ := orgAdmin(t, svc, service.FirstStart{})
		a, _ := createCustomerWith(svc, org, domain.CustomerInput{Name: "Alpha", Code: "A1"}, []domain.EntityInput{{Name: "North"}})
		ents, _ := svc.ListEntities(org, a.ID, domain.EntityFilter{})
		north := ents.Items[0].ID
		x, err := svc.CreateAsset(org, domain.AssetInput{Name: "Switch", Class: domain.AssetIT, CustomerID: a.ID, EntityID: north})
		if err != nil {
			t.Fatal(err)
		}
		u, err := svc.CreateUser(org, domain.UserInput{Email: "n@alpha.example", Name: "N", Role: domain.RoleCustomerUser, CustomerID: a.ID,
			EntityIDs: []string{north}, Password: "a-long-enough-password"})
		if err != nil {
			t.Fatal(err)
		}
		err = svc.DeleteEntity(org, a.ID, north, 0)
		wantCode(t, err, domain.EConflict)
		if !strings.Contains(err.Error(), "1 asset is mapped") || !strings.Contains(err.Error(), "1 user is narrowed") {
			t.Errorf("the refusal does not say what holds the entity: %v", err)
		}
		if err := svc.MoveAssets(org, []string{x.ID}, a.ID, ""); err != nil {
			t.Fatal(err)
		}
		wantCode(t, svc.DeleteEntity(org, a.ID, north, 0), domain.EConflict)
		if err := svc.MoveUsers(org, []string{u.ID}, a.ID, nil); err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteEntity(org, a.ID, north, 0); err != nil {
			t.Fatalf("delete once nothing is mapped to it: %v", err)
		}
		if c, _ := svc.Customer(org, a.ID); c.EntitiesCount != 0 || c.AssetsCount != 1 || c.UsersCount != 1 {
			t.Errorf("counts after delete: %d entities, %d assets, %d users", c.EntitiesCount, c.AssetsCount, c.UsersCount)
		}
	})
}
