package service_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
)

type storeTx = store.Tx

// contains reports whether the JSON document b, re-encoded compactly,
// contains s.
func contains(b []byte, s string) bool {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return false
	}
	c, _ := json.Marshal(v)
	return strings.Contains(string(c), s)
}

// orgAdmin bootstraps svc with the test admin (and fs's other first-start
// settings) and returns a context signed in as that admin, with its
// principal.
func orgAdmin(t *testing.T, svc *service.Service, fs service.FirstStart) (context.Context, domain.Principal) {
	t.Helper()
	ctx := context.Background()
	fs.Admin = admin
	if _, err := svc.Bootstrap(ctx, fs); err != nil {
		t.Fatal(err)
	}
	_, p, err := svc.Login(ctx, admin.Email, admin.Password)
	if err != nil {
		t.Fatal(err)
	}
	return domain.WithPrincipal(ctx, p), p
}

// roomy is an allocation with room for every test's records, for tests
// about something other than licenses.
func roomy() domain.LicenseCounts {
	out := domain.LicenseCounts{}
	for _, t := range domain.LicenseTypes {
		out[t] = n(1000)
	}
	return out
}

// createCustomer registers a customer with a roomy allocation.
func createCustomer(svc *service.Service, ctx context.Context, in domain.CustomerInput) (domain.Customer, error) {
	return svc.RegisterCustomer(ctx, service.NewCustomer{Customer: in, Licenses: roomy()})
}

// createCustomerWith registers a customer and its entities with a roomy
// allocation.
func createCustomerWith(svc *service.Service, ctx context.Context, in domain.CustomerInput, entities []domain.EntityInput) (domain.Customer, error) {
	return svc.RegisterCustomer(ctx, service.NewCustomer{Customer: in, Entities: entities, Licenses: roomy()})
}
