package service_test

import (
	"context"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// TestNarrowedCallerSeesItsOwnFigures: a user narrowed to one entity of its
// customer sees, on its customer's card and page, the counts of what it can
// open — its entity, that entity's assets, the users narrowed to it — and
// not the sizes of the customer's other entities.
func TestNarrowedCallerSeesItsOwnFigures(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		org, _ := orgAdmin(t, svc, service.FirstStart{})
		c, err := createCustomerWith(svc, org, domain.CustomerInput{Name: "Narrow Co", Code: "NARROW"},
			[]domain.EntityInput{{Name: "North"}, {Name: "South"}, {Name: "West"}})
		if err != nil {
			t.Fatal(err)
		}
		ents, err := svc.ListEntities(org, c.ID, domain.EntityFilter{})
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]string{}
		for _, e := range ents.Items {
			byName[e.Name] = e.ID
		}
		north, south := byName["North"], byName["South"]
		for i, ent := range []string{north, south, south, south, ""} {
			if _, err := svc.CreateAsset(org, domain.AssetInput{Name: "asset " + string(rune('a'+i)), Class: domain.AssetNonIT, CustomerID: c.ID, EntityID: ent}); err != nil {
				t.Fatal(err)
			}
		}
		mk := func(email string, entities ...string) {
			t.Helper()
			if _, err := svc.CreateUser(org, domain.UserInput{Email: email, Name: "N", Role: domain.RoleCustomerUser, CustomerID: c.ID,
				EntityIDs: entities, Password: "correct-horse-battery"}); err != nil {
				t.Fatal(err)
			}
		}
		mk("north@narrow.example", north)
		mk("south1@narrow.example", south)
		mk("south2@narrow.example", south)
		mk("whole@narrow.example")
		_, p, err := svc.Login(context.Background(), "north@narrow.example", "correct-horse-battery")
		if err != nil {
			t.Fatal(err)
		}
		me := domain.WithPrincipal(context.Background(), p)
		got, err := svc.Customer(me, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.EntitiesCount != 1 || got.AssetsCount != 1 || got.UsersCount != 1 {
			t.Errorf("narrowed caller's customer page: %d entities, %d assets, %d users; want 1, 1, 1 (North's)",
				got.EntitiesCount, got.AssetsCount, got.UsersCount)
		}
		page, err := svc.ListCustomers(me, domain.CustomerFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 || page.Items[0].AssetsCount != 1 || page.Items[0].EntitiesCount != 1 || page.Items[0].UsersCount != 1 {
			t.Errorf("narrowed caller's card = %+v", page.Items)
		}
		// Whoever sees the whole customer sees its whole figures.
		whole, err := svc.Customer(org, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if whole.EntitiesCount != 3 || whole.AssetsCount != 5 || whole.UsersCount != 4 {
			t.Errorf("organization admin sees %d entities, %d assets, %d users; want 3, 5, 4", whole.EntitiesCount, whole.AssetsCount, whole.UsersCount)
		}
	})
}
