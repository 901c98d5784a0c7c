package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
	"github.com/custreg/custreg/internal/store/sqlite"
	"github.com/google/uuid"
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
	actx := domain.WithPrincipal(ctx, p)
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

// BenchmarkLicenseContention measures allocation changes and asset
// creations racing for the same licences: 16 goroutines on 4 customers,
// a third of the operations setting a customer's allocation to about what
// it uses (a unit below, which is refused, to six above) and the rest
// creating assets in it (refused once it is full). It reports
// operations per second, the p99 of each kind, and the share refused.
//
//	go test -run X -bench LicenseContention -benchtime 4000x ./internal/service
func BenchmarkLicenseContention(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			st := apptest.OpenStore(b, kind)
			svc := service.New(st, service.Options{})
			ctx := context.Background()
			if _, err := svc.Bootstrap(ctx, service.FirstStart{Admin: admin}); err != nil {
				b.Fatal(err)
			}
			_, p, err := svc.Login(ctx, admin.Email, admin.Password)
			if err != nil {
				b.Fatal(err)
			}
			org := domain.WithPrincipal(ctx, p)
			if _, err := svc.SetOrgPool(org, domain.LicenseCounts{domain.LicenseITAssets: n(1 << 20)}); err != nil {
				b.Fatal(err)
			}
			var customers []string
			for i := range 4 {
				c, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: fmt.Sprintf("Racer %d", i), Code: fmt.Sprintf("R%d", i)}})
				if err != nil {
					b.Fatal(err)
				}
				customers = append(customers, c.ID)
			}
			created := map[string]*atomic.Int64{}
			for _, c := range customers {
				created[c] = &atomic.Int64{}
			}
			var mu sync.Mutex
			var allocLat, assetLat []time.Duration
			var refused, ops atomic.Int64
			var seq atomic.Int64
			b.SetParallelism(8) // 16 goroutines on 2 cores
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				r := rand.New(rand.NewPCG(uint64(seq.Add(1)), 7))
				var mine, myAssets []time.Duration
				for pb.Next() {
					cust := customers[r.IntN(len(customers))]
					t0 := time.Now()
					var err error
					alloc := r.IntN(3) == 0
					if alloc {
						// Allocations follow the assets created, a unit or two
						// ahead (or one behind, which is refused), so that
						// creations keep racing for a customer's last units.
						_, err = svc.SetCustomerLicenses(org, cust, domain.LicenseCounts{domain.LicenseITAssets: n(max(created[cust].Load()+int64(r.IntN(8))-1, 0))})
						mine = append(mine, time.Since(t0))
					} else {
						_, err = svc.CreateAsset(org, domain.AssetInput{Name: fmt.Sprintf("a%d", seq.Add(1)), Class: domain.AssetIT, CustomerID: cust})
						myAssets = append(myAssets, time.Since(t0))
						if err == nil {
							created[cust].Add(1)
						}
					}
					ops.Add(1)
					if err != nil {
						if de, ok := err.(*domain.Error); ok && de.License != nil {
							refused.Add(1)
							continue
						}
						b.Error(err)
						return
					}
				}
				mu.Lock()
				allocLat, assetLat = append(allocLat, mine...), append(assetLat, myAssets...)
				mu.Unlock()
			})
			elapsed := time.Since(start)
			b.StopTimer()
			p99 := func(d []time.Duration) float64 {
				if len(d) == 0 {
					return 0
				}
				slices.Sort(d)
				return float64(d[(len(d)-1)*99/100].Microseconds()) / 1000
			}
			b.ReportMetric(float64(ops.Load())/elapsed.Seconds(), "ops/s")
			b.ReportMetric(p99(allocLat), "alloc-p99-ms")
			b.ReportMetric(p99(assetLat), "asset-p99-ms")
			b.ReportMetric(100*float64(refused.Load())/float64(max(ops.Load(), 1)), "%refused")
		})
	}
}

// BenchmarkRegisterLayers measures a registration — a customer with three
// entities and an allocation of every license type — from eight
// goroutines, below the HTTP layer, on both stores: "service" calls
// RegisterCustomer (validation, uniqueness, audit, rules); "store" runs
// only the store's statements of one (the uniqueness check and
// CreateCustomer with its five audit entries) in one Write. Set beside custreg-load's HTTP figure and
// the floor's in the same hour (BENCHMARKS.md), they bound what making the
// layers above the store free could buy.
//
//	CUSTREG_TEST_POSTGRES_URL=... go test -run X -bench RegisterLayers -benchtime 4000x ./internal/service
func BenchmarkRegisterLayers(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		for _, layer := range []string{"service", "store"} {
			b.Run(kind+"/"+layer, func(b *testing.B) {
				if kind == "postgres" && os.Getenv("CUSTREG_TEST_POSTGRES_URL") == "" {
					b.Skip("CUSTREG_TEST_POSTGRES_URL is not set")
				}
				app, analyze := benchApp(b, kind)
				ctx := domain.WithPrincipal(context.Background(), app.Admin)
				alloc := domain.LicenseCounts{}
				licenses := map[string]int64{}
				for _, t := range domain.LicenseTypes {
					alloc[t], licenses[t] = n(50), 50
				}
				var seq atomic.Int64
				register := func(i int64) error {
					in := domain.CustomerInput{Name: fmt.Sprintf("Customer %d Systems", i), Code: fmt.Sprintf("C%07d", i),
						Domain: "example.com", BusinessEmail: "ops@example.com", Location: domain.Location{Country: "US", PinCode: "10036", City: "New York"}}
					es := []domain.EntityInput{{Name: "North"}, {Name: "South"}, {Name: "East"}}
					if layer == "service" {
						_, err := app.Service.RegisterCustomer(ctx, service.NewCustomer{Customer: in, Entities: es, Licenses: alloc})
						return err
					}
					c, err := in.Normalize()
					if err != nil {
						return err
					}
					now := time.Now()
					c.ID, c.CreatedAt, c.UpdatedAt, c.Version = uuid.Must(uuid.NewV7()).String(), now, now, 1
					nc := store.NewCustomer{Customer: c, Licenses: licenses}
					after, _ := json.Marshal(c)
					entries := []domain.AuditEntry{{ID: uuid.Must(uuid.NewV7()).String(), At: now, Action: "customer.create", TargetType: "customer", TargetID: c.ID, CustomerID: c.ID, After: after}}
					for _, e := range es {
						ent := domain.Entity{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: c.ID, Name: e.Name, Type: domain.EntityBranch, IsActive: true, CreatedAt: now, UpdatedAt: now, Version: 1}
						nc.Entities = append(nc.Entities, ent)
						after, _ := json.Marshal(ent)
						entries = append(entries, domain.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), At: now, Action: "entity.create", TargetType: "entity", TargetID: ent.ID, CustomerID: c.ID, After: after})
					}
					after, _ = json.Marshal(licenses)
					entries = append(entries, domain.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), At: now, Action: "customer.licenses", TargetType: "customer", TargetID: c.ID, CustomerID: c.ID, After: after})
					return app.Store.Write(ctx, func(tx store.Tx) error {
						if _, _, err := tx.CustomerTaken(ctx, c.NameKey(), c.CodeKey(), ""); err != nil {
							return err
						}
						nc.Audit = entries
						return tx.CreateCustomer(ctx, nc)
					})
				}
				// A thousand first, and the planner's statistics after them
				// (as autovacuum would): on an empty table PostgreSQL plans
				// the uniqueness checks as scans, and keeps those plans.
				for range 1000 {
					if err := register(seq.Add(1)); err != nil {
						b.Fatal(err)
					}
				}
				analyze()
				b.SetParallelism(max(1, 8/runtime.GOMAXPROCS(0)))
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := register(seq.Add(1)); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
			})
		}
	}
}
