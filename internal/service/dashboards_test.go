package service_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
	"github.com/custreg/custreg/internal/store/postgres"
	"github.com/custreg/custreg/internal/store/storetest"
)

// historyOf returns the license-usage history the License Utilization
// dashboard draws for customerID ("" for every customer), by day.
func historyOf(t *testing.T, svc *service.Service, ctx context.Context, customerID string) map[string][]domain.UsagePoint {
	t.Helper()
	d, err := svc.Dashboard(ctx, domain.DashboardLicenseUtilization, customerID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]domain.UsagePoint{}
	for _, p := range d.Utilization.History {
		out[p.Day] = append(out[p.Day], p)
	}
	return out
}

// snapshotWorld registers three customers with some use and returns them.
func snapshotWorld(t *testing.T, svc *service.Service, ctx context.Context) []domain.Customer {
	t.Helper()
	var cs []domain.Customer
	for i, name := range []string{"Snap One", "Snap Two", "Snap Three"} {
		c, err := createCustomer(svc, ctx, domain.CustomerInput{Name: name, Code: "SNAP" + string(rune('A'+i))})
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j <= i; j++ {
			if _, err := svc.CreateAsset(ctx, domain.AssetInput{Name: name + " box " + string(rune('a'+j)), Class: domain.AssetIT, CustomerID: c.ID}); err != nil {
				t.Fatal(err)
			}
		}
		cs = append(cs, c)
	}
	return cs
}

// TestSnapshotUsage: the job writes one row per live customer and license
// type a day, once however often and however concurrently it runs; the
// next day adds a row; a customer in trash is not snapshotted; the figures
// are the live ones; days past retention are deleted.
func TestSnapshotUsage(t *testing.T) {
	for _, kind := range apptest.Stores(t) {
		t.Run(kind, func(t *testing.T) {
			clock := apptest.NewClock(time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC))
			st := apptest.OpenStore(t, kind)
			svc := service.New(st, service.Options{Now: clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			ctx, _ := orgAdmin(t, svc, service.FirstStart{})
			cs := snapshotWorld(t, svc, ctx)
			types := int64(len(domain.LicenseTypes))

			// Concurrent runs of one day write each row once.
			var wg sync.WaitGroup
			written := make([]int64, 4)
			for i := range written {
				wg.Add(1)
				go func() {
					defer wg.Done()
					snap, err := svc.SnapshotUsage(context.Background())
					if err != nil {
						t.Error(err)
					}
					if snap.Day != "2026-03-01" {
						t.Errorf("day = %s", snap.Day)
					}
					written[i] = snap.Written
				}()
			}
			wg.Wait()
			var total int64
			for _, w := range written {
				total += w
			}
			if want := int64(len(cs)) * types; total != want {
				t.Errorf("concurrent runs wrote %v rows, %d in all, want %d", written, total, want)
			}
			if snap, err := svc.SnapshotUsage(context.Background()); err != nil || snap.Written != 0 {
				t.Errorf("a run later the same day = %+v, %v; want nothing written", snap, err)
			}

			// The figures are the live ones.
			for i, c := range cs {
				h := historyOf(t, svc, ctx, c.ID)
				if len(h) != 1 || len(h["2026-03-01"]) != len(domain.LicenseTypes) {
					t.Fatalf("%s: history = %v", c.Name, h)
				}
				live, err := svc.CustomerLicenses(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				for j, p := range h["2026-03-01"] {
					if p.Type != live[j].Type || p.Allocated != live[j].Allocated || p.Used != live[j].Used {
						t.Errorf("%s: snapshot %+v, live %+v", c.Name, p, live[j])
					}
					if p.Type == domain.LicenseITAssets && p.Used != int64(i+1) {
						t.Errorf("%s: it_assets used %d, want %d", c.Name, p.Used, i+1)
					}
				}
			}

			// The next day (past midnight UTC) adds a row per customer and
			// type, with the use of that day; a customer in trash is left out.
			if _, err := svc.CreateAsset(ctx, domain.AssetInput{Name: "Late box", Class: domain.AssetIT, CustomerID: cs[0].ID}); err != nil {
				t.Fatal(err)
			}
			trashed, err := svc.Customer(ctx, cs[2].ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := svc.DeleteCustomer(ctx, trashed.ID, trashed.Version); err != nil {
				t.Fatal(err)
			}
			clock.Add(time.Hour)
			snap, err := svc.SnapshotUsage(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if want := 2 * types; snap.Day != "2026-03-02" || snap.Written != want {
				t.Errorf("next day = %+v, want %d rows of 2026-03-02", snap, want)
			}
			h := historyOf(t, svc, ctx, cs[0].ID)
			if len(h) != 2 {
				t.Fatalf("history over two days = %v", h)
			}
			for _, p := range h["2026-03-02"] {
				if p.Type == domain.LicenseITAssets && p.Used != 2 {
					t.Errorf("day 2 it_assets used %d, want 2", p.Used)
				}
			}
			for _, p := range h["2026-03-01"] {
				if p.Type == domain.LicenseITAssets && p.Used != 1 {
					t.Errorf("day 1 it_assets used %d after a later change, want 1 (history is not rewritten)", p.Used)
				}
			}
			// The organization's trend is the sum over the customers
			// snapshotted each day: the trashed one counted on day 1.
			all := historyOf(t, svc, ctx, "")
			for day, want := range map[string]int64{"2026-03-01": 1 + 2 + 3, "2026-03-02": 2 + 2} {
				for _, p := range all[day] {
					if p.Type == domain.LicenseITAssets && p.Used != want {
						t.Errorf("%s: organization it_assets used %d, want %d", day, p.Used, want)
					}
				}
			}

			// Retention: a run UsageRetentionDays after day 1 deletes it.
			clock.Add(time.Duration(domain.UsageRetentionDays-1) * 24 * time.Hour)
			snap, err = svc.SnapshotUsage(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if snap.Pruned != int64(len(cs))*types || snap.Written != 2*types {
				t.Errorf("a run %d days on = %+v, want day 1's %d rows pruned", domain.UsageRetentionDays, snap, int64(len(cs))*types)
			}
			clock.Add(-time.Duration(domain.UsageRetentionDays-1) * 24 * time.Hour)
			if h := historyOf(t, svc, ctx, cs[0].ID); len(h) != 1 || h["2026-03-02"] == nil {
				t.Errorf("after pruning, history = %v", h)
			}
		})
	}
}

// TestSnapshotUsageNodes: two nodes sharing one PostgreSQL database (two
// stores, each with its own connections) run the job at once, over and
// over; every (customer, type, day) row is written once.
func TestSnapshotUsageNodes(t *testing.T) {
	ctx := context.Background()
	url := storetest.NewPostgresDatabase(t, storetest.PostgresURL(t))
	clock := apptest.NewClock(time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC))
	var nodes []*service.Service
	for range 2 {
		st, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		nodes = append(nodes, service.New(st, service.Options{Now: clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	}
	admin, _ := orgAdmin(t, nodes[0], service.FirstStart{})
	cs := snapshotWorld(t, nodes[0], admin)
	types := int64(len(domain.LicenseTypes))
	for day := range 3 {
		var mu sync.Mutex
		var total int64
		var wg sync.WaitGroup
		for _, node := range nodes {
			for range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					snap, err := node.SnapshotUsage(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					total += snap.Written
					mu.Unlock()
				}()
			}
		}
		wg.Wait()
		if want := int64(len(cs)) * types; total != want {
			t.Errorf("day %d: six runs on two nodes wrote %d rows, want %d", day, total, want)
		}
		clock.Add(24 * time.Hour)
	}
	if h := historyOf(t, nodes[1], admin, cs[1].ID); len(h) != 3 {
		t.Errorf("history read on the other node = %d days, want 3", len(h))
	}
}

// TestRunUsageSnapshots: the job takes a snapshot as soon as it starts and
// returns once its context is done.
func TestRunUsageSnapshots(t *testing.T) {
	st := apptest.OpenStore(t, "sqlite")
	svc := service.New(st, service.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	admin, _ := orgAdmin(t, svc, service.FirstStart{})
	snapshotWorld(t, svc, admin)
	ctx, cancel := context.WithCancel(context.Background())
	var runs []domain.UsageSnapshot
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.RunUsageSnapshots(ctx, time.Hour, func(s domain.UsageSnapshot, err error) {
			if err != nil {
				t.Error(err)
			}
			runs = append(runs, s)
			cancel()
		})
	}()
	<-done
	if len(runs) != 1 || runs[0].Written != 3*int64(len(domain.LicenseTypes)) {
		t.Errorf("runs = %+v, want one that wrote every row", runs)
	}
}

// TestSnapshotUsageIgnoresCaller: the job is the system's: a context
// confined to a customer (as a customer user's would be) does not narrow
// what it writes.
func TestSnapshotUsageIgnoresCaller(t *testing.T) {
	for _, kind := range apptest.Stores(t) {
		t.Run(kind, func(t *testing.T) {
			st := apptest.OpenStore(t, kind)
			svc := service.New(st, service.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			admin, _ := orgAdmin(t, svc, service.FirstStart{})
			cs := snapshotWorld(t, svc, admin)
			snap, err := svc.SnapshotUsage(store.WithTenant(context.Background(), cs[0].ID))
			if err != nil {
				t.Fatal(err)
			}
			if want := int64(len(cs)) * int64(len(domain.LicenseTypes)); snap.Written != want {
				t.Errorf("written %d, want %d", snap.Written, want)
			}
		})
	}
}
