package service_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/custreg/custreg/internal/auth"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store/sqlite"
)

// BenchmarkCreateCustomer measures the whole create use case (validation,
// uniqueness checks, the customer and three entities, audit entries) on
// SQLite, one writer.
func BenchmarkCreateCustomer(b *testing.B) {
	for _, n := range []int{0, 3} {
		b.Run(fmt.Sprintf("entities=%d", n), func(b *testing.B) { benchmarkCreate(b, n) })
	}
}

func benchmarkCreate(b *testing.B, entities int) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	svc := service.New(st, service.Options{})
	if _, err := svc.Bootstrap(ctx, service.FirstStart{Admin: admin}); err != nil {
		b.Fatal(err)
	}
	_, p, err := svc.Login(ctx, admin.Email, admin.Password)
	if err != nil {
		b.Fatal(err)
	}
	actx := auth.WithPrincipal(ctx, p)
	b.ResetTimer()
	for i := range b.N {
		in := domain.CustomerInput{Name: fmt.Sprintf("Customer %d Systems", i), Code: fmt.Sprintf("C%07d", i),
			Domain: "example.com", BusinessEmail: "ops@example.com", Location: domain.Location{Country: "US", PinCode: "10036", City: "New York"}}
		es := []domain.EntityInput{{Name: "North"}, {Name: "South"}, {Name: "East"}}[:entities]
		if _, err := svc.CreateCustomerWithEntities(actx, in, es); err != nil {
			b.Fatal(err)
		}
	}
}
