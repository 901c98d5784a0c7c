package service_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/report"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
	"github.com/custreg/custreg/internal/store/postgres"
	"github.com/custreg/custreg/internal/store/sqlite"
	"github.com/custreg/custreg/internal/store/storetest"
)

// BenchmarkReportAssetInventoryCSV runs the Asset Inventory over every
// customer as CSV into io.Discard: the store's sorted read of every asset
// with its customer and entity, the summary, and the CSV encoding, row by
// row. $CUSTREG_BENCH_ASSETS assets (default 100,000) over 100 customers
// of 3 entities, a quarter of them on no entity. B/op is what one run
// allocates in all; the report is never held, so it stays far below the
// output's size times the copies a buffered report would need.
//
//	CUSTREG_TEST_POSTGRES_URL=... go test -run X -bench ReportAssetInventoryCSV -benchtime 5x ./internal/service
func BenchmarkReportAssetInventoryCSV(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("CUSTREG_BENCH_ASSETS")); err == nil && v > 0 {
		n = v
	}
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			if kind == "postgres" && os.Getenv("CUSTREG_TEST_POSTGRES_URL") == "" {
				b.Skip("CUSTREG_TEST_POSTGRES_URL is not set")
			}
			app, analyze := benchApp(b, kind)
			seedAssets(b, app, n)
			analyze() // as autovacuum would after a bulk load
			ctx := app.AdminContext()
			var out countWriter
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			peak := samplePeakHeap()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				out = 0
				if err := app.Service.RunReport(ctx, domain.ReportAssetInventory, "", service.ReportOptions{}, report.NewCSV(&out)); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(out)/1e6, "MB-out")
			// The heap in use at its highest while the report ran, above
			// what it held before: what a run keeps at once.
			b.ReportMetric((float64(peak())-float64(before.HeapInuse))/1e6, "peak-heap-MB")
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// benchApp is a service over a fresh store of kind, and a function that
// refreshes the planner's statistics (PostgreSQL's ANALYZE).
func benchApp(b *testing.B, kind string) (*apptest.App, func()) {
	ctx := context.Background()
	var st store.Store
	var err error
	analyze := func() {}
	if kind == "sqlite" {
		st, err = sqlite.Open(ctx, filepath.Join(b.TempDir(), "b.db"))
	} else {
		url := storetest.NewPostgresDatabase(b, storetest.PostgresURL(b))
		st, err = postgres.Open(ctx, url)
		analyze = func() {
			db, err := sql.Open("pgx", url)
			if err == nil {
				_, err = db.Exec("ANALYZE")
				db.Close()
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	svc := service.New(st, service.Options{})
	if _, err := svc.Bootstrap(ctx, service.FirstStart{Admin: admin}); err != nil {
		b.Fatal(err)
	}
	_, p, err := svc.Login(ctx, admin.Email, admin.Password)
	if err != nil {
		b.Fatal(err)
	}
	return &apptest.App{Store: st, Service: svc, Admin: p}, analyze
}

// samplePeakHeap samples the heap in use every 5 ms until the returned
// function is called, which returns the highest sample.
func samplePeakHeap() func() uint64 {
	stop := make(chan struct{})
	done := make(chan uint64)
	go func() {
		var peak uint64
		var m runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-stop:
				done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(stop); return <-done }
}

// countWriter counts what is written and keeps none of it.
type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return io.Discard.Write(p)
}

// seedAssets creates 100 customers with 3 entities each through the
// service, then n assets straight through the store in batches (the
// create use case's checks are not what is measured).
func seedAssets(b testing.TB, app *apptest.App, n int) {
	b.Helper()
	svc, org := app.Service, app.AdminContext()
	type place struct{ customer, entity string }
	var places []place
	for i := range 100 {
		c, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: fmt.Sprintf("Bench %03d", i), Code: fmt.Sprintf("BENCH%03d", i)}})
		if err != nil {
			b.Fatal(err)
		}
		places = append(places, place{c.ID, ""})
		for j := range 3 {
			e, err := svc.CreateEntity(org, c.ID, domain.EntityInput{Name: fmt.Sprintf("Site %d", j)})
			if err != nil {
				b.Fatal(err)
			}
			places = append(places, place{c.ID, e.ID})
		}
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	classes := []string{domain.AssetIT, domain.AssetIT, domain.AssetIT, domain.AssetNonIT, domain.AssetMobile}
	const batch = 2000
	for start := 0; start < n; start += batch {
		err := app.Store.Write(context.Background(), func(tx store.Tx) error {
			for i := start; i < min(start+batch, n); i++ {
				pl := places[i%len(places)]
				a := domain.Asset{ID: uuid.Must(uuid.NewV7()).String(), Name: fmt.Sprintf("Asset %07d", i), Class: classes[i%len(classes)],
					CustomerID: pl.customer, EntityID: pl.entity, AvailabilityMonitoring: i%3 == 0, PerformanceMonitoring: i%5 == 0,
					Serial: fmt.Sprintf("SN%09d", i), IPAddress: fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255),
					CreatedAt: now, UpdatedAt: now, Version: 1}
				if err := tx.CreateAsset(context.Background(), a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
