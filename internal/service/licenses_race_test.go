package service_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store/postgres"
	"github.com/custreg/custreg/internal/store/storetest"
)

// The race for licenses: many writers at once allocate IT-asset licences
// to customers and create assets, in customers and in the organization,
// all competing for a small pool. Afterwards every invariant of SPEC §3
// holds, the kept counts equal a recount of the records, and every asset
// that exists was reported created (refused requests left nothing behind).

const (
	racePool      = 24
	raceCustomers = 4
)

// raceSetup gives the organization a pool of racePool IT-asset licences
// and raceCustomers customers with 4 each.
func raceSetup(t *testing.T, svc *service.Service, org context.Context) []string {
	t.Helper()
	if _, err := svc.SetOrgPool(org, domain.LicenseCounts{domain.LicenseITAssets: n(racePool)}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range raceCustomers {
		c, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: fmt.Sprintf("Racer %d", i), Code: fmt.Sprintf("R%d", i)},
			Licenses: domain.LicenseCounts{domain.LicenseITAssets: n(4)}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	return ids
}

// raceWork runs ops operations from workers goroutines: allocation changes,
// asset creations in a customer and in the organization, and deletions of
// assets it created. It returns how many assets it created and deleted.
func raceWork(org context.Context, svc *service.Service, customers []string, workers, ops int, seed uint64) (created, deleted int64, unexpected error) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var c, d atomic.Int64
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(w)))
			var mine []string
			for i := range ops {
				cust := customers[r.IntN(len(customers))]
				var err error
				switch k := r.IntN(10); {
				case k < 3:
					_, err = svc.SetCustomerLicenses(org, cust, domain.LicenseCounts{domain.LicenseITAssets: n(int64(r.IntN(9)))})
				case k < 7:
					var a domain.Asset
					a, err = svc.CreateAsset(org, domain.AssetInput{Name: fmt.Sprintf("w%d-%d-%d", seed, w, i), Class: domain.AssetIT, CustomerID: cust})
					if err == nil {
						c.Add(1)
						mine = append(mine, a.ID)
					}
				case k < 8:
					var a domain.Asset
					a, err = svc.CreateAsset(org, domain.AssetInput{Name: fmt.Sprintf("w%d-%d-%d org", seed, w, i), Class: domain.AssetIT})
					if err == nil {
						c.Add(1)
						mine = append(mine, a.ID)
					}
				default:
					if len(mine) > 0 {
						j := r.IntN(len(mine))
						if err = svc.DeleteAsset(org, mine[j], 0); err == nil {
							d.Add(1)
							mine = append(mine[:j], mine[j+1:]...)
						}
					}
				}
				var de *domain.Error
				if err != nil && !(errors.As(err, &de) && de.License != nil) {
					mu.Lock()
					unexpected = fmt.Errorf("worker %d op %d: %w", w, i, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return c.Load(), d.Load(), unexpected
}

// checkLicenseInvariants recounts the records and checks SPEC §3's three
// invariants and the kept counts against the recount.
func checkLicenseInvariants(t *testing.T, svc *service.Service, org context.Context, customers []string, live int64) {
	t.Helper()
	count := func(f domain.AssetFilter) int64 {
		var total int64
		f.Limit = domain.MaxPageSize
		for {
			page, err := svc.ListAssets(org, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range page.Items {
				if f.CustomerID != "" || a.CustomerID == "" {
					total++
				}
			}
			if page.Next == nil {
				return total
			}
			f.Cursor = page.Next
		}
	}
	var allocated, used int64
	for _, id := range customers {
		l := customerLicense(t, svc, org, id, domain.LicenseITAssets)
		recount := count(domain.AssetFilter{CustomerID: id})
		if l.Used != recount {
			t.Errorf("customer %s: kept used %d, recount %d", id, l.Used, recount)
		}
		if l.Used > l.Allocated {
			t.Errorf("invariant 2 broken: customer %s uses %d of %d", id, l.Used, l.Allocated)
		}
		allocated += l.Allocated
		used += recount
	}
	o := orgLicense(t, svc, org, domain.LicenseITAssets)
	orgRecount := count(domain.AssetFilter{})
	if o.Allocated != allocated {
		t.Errorf("kept allocated %d, sum of allocations %d", o.Allocated, allocated)
	}
	if allocated > racePool {
		t.Errorf("invariant 1 broken: %d allocated of a pool of %d", allocated, racePool)
	}
	if o.OrgUsed != orgRecount || orgRecount > racePool-allocated {
		t.Errorf("invariant 3: the organization uses %d (kept %d) of the %d unallocated", orgRecount, o.OrgUsed, racePool-allocated)
	}
	if o.Used != used+orgRecount {
		t.Errorf("kept total used %d, recount %d", o.Used, used+orgRecount)
	}
	if used+orgRecount != live {
		t.Errorf("%d assets exist, %d were reported created and not deleted", used+orgRecount, live)
	}
	t.Logf("after the race: %d allocated of %d, %d used by customers, %d by the organization", allocated, racePool, used, orgRecount)
}

func TestLicenseRace(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		org, _ := orgAdmin(t, svc, service.FirstStart{})
		customers := raceSetup(t, svc, org)
		created, deleted, err := raceWork(org, svc, customers, 16, 40, 1)
		if err != nil {
			t.Fatal(err)
		}
		if created == 0 {
			t.Fatal("no asset was created: the race raced nothing")
		}
		checkLicenseInvariants(t, svc, org, customers, created-deleted)
	})
}

// TestLicenseRaceTwoProcesses runs the race from two operating-system
// processes — this test binary, started twice — each with its own service
// and connection pool on one PostgreSQL database, as two stateless custreg
// nodes behind a load balancer would.
func TestLicenseRaceTwoProcesses(t *testing.T) {
	dsn := storetest.NewPostgresDatabase(t, storetest.PostgresURL(t))
	st, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := service.New(st, service.Options{})
	org, _ := orgAdmin(t, svc, service.FirstStart{})
	customers := raceSetup(t, svc, org)

	type report struct{ Created, Deleted, Start, End int64 }
	reports := make([]report, 2)
	errs := make([]error, 2)
	// Each process opens the database and signs in, says READY, and waits
	// for a line on its standard input: both then begin together.
	var ready, wg sync.WaitGroup
	begin := make(chan struct{})
	for i := range 2 {
		wg.Add(1)
		ready.Add(1)
		go func() {
			defer wg.Done()
			signalled := false
			defer func() {
				if !signalled {
					ready.Done()
				}
			}()
			cmd := exec.Command(os.Args[0], "-test.run=^TestLicenseRaceWorker$", "-test.v")
			cmd.Env = append(os.Environ(), "CUSTREG_RACE_WORKER_DSN="+dsn, "CUSTREG_RACE_WORKER_SEED="+strconv.Itoa(i+10),
				"CUSTREG_RACE_WORKER_CUSTOMERS="+strings.Join(customers, ","))
			stdin, err := cmd.StdinPipe()
			if err != nil {
				errs[i] = err
				return
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				errs[i] = err
				return
			}
			cmd.Stderr = cmd.Stdout
			if err := cmd.Start(); err != nil {
				errs[i] = err
				return
			}
			var out strings.Builder
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				line := sc.Text()
				out.WriteString(line + "\n")
				switch {
				case line == "READY":
					signalled = true
					ready.Done()
					<-begin
					fmt.Fprintln(stdin, "GO")
				case strings.HasPrefix(line, "RACE-REPORT "):
					if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "RACE-REPORT ")), &reports[i]); err != nil {
						errs[i] = err
					}
				}
			}
			if err := cmd.Wait(); err != nil {
				errs[i] = fmt.Errorf("worker process %d: %v\n%s", i, err, out.String())
			} else if reports[i].End == 0 && errs[i] == nil {
				errs[i] = fmt.Errorf("worker process %d printed no report:\n%s", i, out.String())
			}
		}()
	}
	ready.Wait()
	close(begin)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var live int64
	for _, r := range reports {
		live += r.Created - r.Deleted
	}
	if live == 0 {
		t.Error("the processes created nothing: they raced for nothing")
	}
	if max(reports[0].Start, reports[1].Start) >= min(reports[0].End, reports[1].End) {
		t.Errorf("the two processes did not run at the same time: %+v", reports)
	}
	checkLicenseInvariants(t, svc, org, customers, live)
}

// TestLicenseRaceWorker is one process of TestLicenseRaceTwoProcesses; run
// on its own it has nothing to do.
func TestLicenseRaceWorker(t *testing.T) {
	dsn := os.Getenv("CUSTREG_RACE_WORKER_DSN")
	if dsn == "" {
		return
	}
	seed, _ := strconv.ParseUint(os.Getenv("CUSTREG_RACE_WORKER_SEED"), 10, 64)
	customers := strings.Split(os.Getenv("CUSTREG_RACE_WORKER_CUSTOMERS"), ",")
	st, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := service.New(st, service.Options{})
	_, p, err := svc.Login(context.Background(), admin.Email, admin.Password)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("READY")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	created, deleted, err := raceWork(domain.WithPrincipal(context.Background(), p), svc, customers, 8, 40, seed)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]int64{"Created": created, "Deleted": deleted, "Start": begin.UnixNano(), "End": time.Now().UnixNano()})
	fmt.Printf("RACE-REPORT %s\n", b)
}
