package service_test

import (
	"context"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// TestCustomerRefs: a page's names come from one read in the caller's
// scope — an organization user is named every customer asked for with its
// entities, a customer's own person only its own (another customer is
// left out, as if it did not exist), a narrowed person only its entities —
// and too many ids at once are refused.
func TestCustomerRefs(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		org, _ := orgAdmin(t, svc, service.FirstStart{})
		a, err := createCustomerWith(svc, org, domain.CustomerInput{Name: "Alpha", Code: "ALPHA"},
			[]domain.EntityInput{{Name: "North"}, {Name: "South"}})
		if err != nil {
			t.Fatal(err)
		}
		b, err := createCustomerWith(svc, org, domain.CustomerInput{Name: "Beta", Code: "BETA"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		names := func(es []domain.Entity) []string {
			var out []string
			for _, e := range es {
				out = append(out, e.Name)
			}
			return out
		}

		got, err := svc.CustomerRefs(org, []string{a.ID, b.ID, a.ID, "no-such-id", ""}, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Customers) != 2 || got.Customers[a.ID].Name != "Alpha" || got.Customers[b.ID].Code != "BETA" {
			t.Errorf("organization: customers %v", got.Customers)
		}
		if n := names(got.Entities[a.ID]); len(n) != 2 || n[0] != "North" || n[1] != "South" {
			t.Errorf("organization: Alpha's entities %v, want North, South", n)
		}
		if got, err := svc.CustomerRefs(org, []string{a.ID}, false); err != nil || len(got.Entities) != 0 {
			t.Errorf("entities not asked for: %v, %v", got.Entities, err)
		}

		var north string
		for _, e := range got.Entities[a.ID] {
			if e.Name == "North" {
				north = e.ID
			}
		}
		for _, u := range []domain.UserInput{
			{Email: "whole@alpha.example", Name: "W", Role: domain.RoleCustomerUser, CustomerID: a.ID, Password: "correct-horse-battery"},
			{Email: "north@alpha.example", Name: "N", Role: domain.RoleCustomerUser, CustomerID: a.ID, EntityIDs: []string{north}, Password: "correct-horse-battery"},
		} {
			if _, err := svc.CreateUser(org, u); err != nil {
				t.Fatal(err)
			}
		}
		as := func(email string) context.Context {
			t.Helper()
			_, p, err := svc.Login(context.Background(), email, "correct-horse-battery")
			if err != nil {
				t.Fatal(err)
			}
			return domain.WithPrincipal(context.Background(), p)
		}
		got, err = svc.CustomerRefs(as("whole@alpha.example"), []string{a.ID, b.ID}, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, seen := got.Customers[b.ID]; seen || got.Customers[a.ID].Name != "Alpha" || len(got.Entities[a.ID]) != 2 {
			t.Errorf("Alpha's user: customers %v, Alpha's entities %v", got.Customers, names(got.Entities[a.ID]))
		}
		got, err = svc.CustomerRefs(as("north@alpha.example"), []string{a.ID}, true)
		if err != nil {
			t.Fatal(err)
		}
		if n := names(got.Entities[a.ID]); len(n) != 1 || n[0] != "North" {
			t.Errorf("narrowed user: entities %v, want North only", n)
		}

		many := make([]string, service.MaxRefs+1)
		if _, err := svc.CustomerRefs(org, many, false); domain.ErrorCode(err) != domain.EBadRequest {
			t.Errorf("%d ids: error %v, want bad request", len(many), err)
		}
	})
}
