package service_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// The integrity races: many callers write the same rows at once — trash the
// same assets and users, bulk-move the same assets back and forth between
// two customers, patch one asset with and without a version — and
// afterwards every kept count and license figure equals a recount from the
// records, every acknowledged write is stored, and no call failed with
// anything but the answers the rules give (not found once a row is gone,
// a stale version, a license refusal).

// integrityFixture is two customers with roomy allocations, and records in
// the first.
type integrityFixture struct {
	svc    *service.Service
	org    context.Context
	a, b   string   // customers
	assets []string // in a
	users  []string // in a
}

func newIntegrityFixture(t *testing.T, kind string, assets, users int) integrityFixture {
	t.Helper()
	svc, _ := newService(t, kind)
	org, _ := orgAdmin(t, svc, service.FirstStart{})
	f := integrityFixture{svc: svc, org: org}
	for i, code := range []string{"INTA", "INTB"} {
		c, err := createCustomer(svc, org, domain.CustomerInput{Name: fmt.Sprintf("Integrity %d", i), Code: code})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f.a = c.ID
		} else {
			f.b = c.ID
		}
	}
	yes := true
	for i := range assets {
		a, err := svc.CreateAsset(org, domain.AssetInput{Name: fmt.Sprintf("asset-%02d", i), Class: domain.AssetIT,
			CustomerID: f.a, AvailabilityMonitoring: &yes})
		if err != nil {
			t.Fatal(err)
		}
		f.assets = append(f.assets, a.ID)
	}
	for i := range users {
		u, err := svc.CreateUser(org, domain.UserInput{Email: fmt.Sprintf("racer%d@example.com", i), Name: "Racer",
			Kind: domain.KindUser, Role: domain.RoleCustomerUser, CustomerID: f.a, Password: "correct-horse-battery"})
		if err != nil {
			t.Fatal(err)
		}
		f.users = append(f.users, u.ID)
	}
	return f
}

// race runs fn from workers goroutines, each with its own random source,
// and returns the errors whose code is not in allowed.
func race(workers int, fn func(r *rand.Rand, w int) []error, allowed ...domain.Code) []error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var bad []error
	start := make(chan struct{})
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 9))
			<-start
			for _, err := range fn(r, w) {
				if err != nil && !slices.Contains(allowed, domain.ErrorCode(err)) {
					mu.Lock()
					bad = append(bad, err)
					mu.Unlock()
				}
			}
		})
	}
	close(start)
	wg.Wait()
	return bad
}

func shuffled(r *rand.Rand, ids []string) []string {
	out := slices.Clone(ids)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// recount checks every customer's kept counts and license use, and the
// organization's figures, against the records.
func recount(t *testing.T, svc *service.Service, org context.Context, customers ...string) {
	t.Helper()
	total := domain.Licenses{}
	for _, id := range customers {
		c, err := svc.Customer(org, id)
		if err != nil {
			t.Fatal(err)
		}
		use := domain.Licenses{}
		var assets, users int64
		for f := (domain.AssetFilter{CustomerID: id, Limit: domain.MaxPageSize}); ; {
			page, err := svc.ListAssets(org, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range page.Items {
				assets++
				use.Add(a.Usage(), 1)
			}
			if f.Cursor = page.Next; f.Cursor == nil {
				break
			}
		}
		for f := (domain.UserFilter{CustomerID: id, Limit: domain.MaxPageSize}); ; {
			page, err := svc.ListUsers(org, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range page.Items {
				users++
				use.Add(u.Usage(), 1)
			}
			if f.Cursor = page.Next; f.Cursor == nil {
				break
			}
		}
		if c.AssetsCount != assets || c.UsersCount != users {
			t.Errorf("customer %s: kept %d assets and %d users, recount %d and %d", c.Code, c.AssetsCount, c.UsersCount, assets, users)
		}
		ls, err := svc.CustomerLicenses(org, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			if l.Used != use[l.Type] {
				t.Errorf("customer %s: %s kept used %d, recount %d", c.Code, l.Type, l.Used, use[l.Type])
			}
			if l.Used > l.Allocated {
				t.Errorf("customer %s: %s uses %d of %d allocated", c.Code, l.Type, l.Used, l.Allocated)
			}
		}
		total.Add(use, 1)
	}
	ols, err := svc.OrgLicenses(org)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ols {
		if got := l.Used - l.OrgUsed; got != total[l.Type] {
			t.Errorf("organization: %s kept customers' use %d, recount %d", l.Type, got, total[l.Type])
		}
	}
}

func TestIntegrityRacingDeletes(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		f := newIntegrityFixture(t, kind, 10, 6)
		var deletedAssets, deletedUsers atomic.Int64
		bad := race(8, func(r *rand.Rand, w int) (errs []error) {
			for _, id := range shuffled(r, f.assets) {
				err := f.svc.DeleteAsset(f.org, id, 0)
				if err == nil {
					deletedAssets.Add(1)
				}
				errs = append(errs, err)
			}
			if w < 6 {
				for _, id := range shuffled(r, f.users) {
					err := f.svc.DeleteUser(f.org, id, 0)
					if err == nil {
						deletedUsers.Add(1)
					}
					errs = append(errs, err)
				}
			}
			return errs
		}, domain.ENotFound)
		for _, err := range bad {
			t.Errorf("unexpected: %v", err)
		}
		if deletedAssets.Load() != 10 || deletedUsers.Load() != 6 {
			t.Errorf("%d asset deletes and %d user deletes were acknowledged, want exactly 10 and 6", deletedAssets.Load(), deletedUsers.Load())
		}
		for _, id := range f.assets {
			if _, err := f.svc.Asset(f.org, id); domain.ErrorCode(err) != domain.ENotFound {
				t.Errorf("asset %s after every delete: %v", id, err)
			}
		}
		recount(t, f.svc, f.org, f.a, f.b)
	})
}

func TestIntegrityRacingMoves(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		f := newIntegrityFixture(t, kind, 10, 0)
		// Half the assets start in b, so that moves go both ways at once.
		if err := f.svc.MoveAssets(f.org, f.assets[5:], f.b, ""); err != nil {
			t.Fatal(err)
		}
		bad := race(6, func(r *rand.Rand, w int) (errs []error) {
			for i := range 6 {
				to := f.a
				if (w+i)%2 == 0 {
					to = f.b
				}
				ids := shuffled(r, f.assets)[:2+r.IntN(8)]
				errs = append(errs, f.svc.MoveAssets(f.org, ids, to, ""))
			}
			return errs
		})
		for _, err := range bad {
			t.Errorf("unexpected: %v", err)
		}
		recount(t, f.svc, f.org, f.a, f.b)
	})
}

// TestIntegrityOrgMovesRaceAllocations moves organization assets to a
// customer while the customer's allocation changes: the two take the same
// rows, and must take them in the same order.
func TestIntegrityOrgMovesRaceAllocations(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		f := newIntegrityFixture(t, kind, 0, 0)
		var orgAssets []string
		for i := range 12 {
			a, err := f.svc.CreateAsset(f.org, domain.AssetInput{Name: fmt.Sprintf("org-%02d", i), Class: domain.AssetIT})
			if err != nil {
				t.Fatal(err)
			}
			orgAssets = append(orgAssets, a.ID)
		}
		bad := race(6, func(r *rand.Rand, w int) (errs []error) {
			for i := range 6 {
				if w%2 == 0 {
					_, err := f.svc.SetCustomerLicenses(f.org, f.a, domain.LicenseCounts{domain.LicenseITAssets: n(int64(500 + r.IntN(500)))})
					errs = append(errs, err)
					continue
				}
				to := f.a
				if i%2 == 1 {
					to = ""
				}
				errs = append(errs, f.svc.MoveAssets(f.org, shuffled(r, orgAssets)[:3], to, ""))
			}
			return errs
		})
		for _, err := range bad {
			t.Errorf("unexpected: %v", err)
		}
		recount(t, f.svc, f.org, f.a, f.b)
	})
}

// TestIntegrityRacingPatches patches one asset from many callers: without a
// version every patch is applied in turn; with the version all of them
// read, exactly one wins and the others are told it changed.
func TestIntegrityRacingPatches(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		f := newIntegrityFixture(t, kind, 1, 0)
		id := f.assets[0]
		const workers, each = 8, 5
		bad := race(workers, func(r *rand.Rand, w int) (errs []error) {
			for i := range each {
				_, err := f.svc.UpdateAsset(f.org, id, 0, func(in domain.AssetInput) (domain.AssetInput, error) {
					in.Serial = fmt.Sprintf("S%d-%d", w, i)
					return in, nil
				})
				errs = append(errs, err)
			}
			return errs
		})
		for _, err := range bad {
			t.Errorf("unversioned patch: %v", err)
		}
		a, err := f.svc.Asset(f.org, id)
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(1 + workers*each); a.Version != want {
			t.Errorf("version after %d acknowledged patches = %d, want %d", workers*each, a.Version, want)
		}
		var won atomic.Int64
		bad = race(workers, func(r *rand.Rand, w int) []error {
			_, err := f.svc.UpdateAsset(f.org, id, a.Version, func(in domain.AssetInput) (domain.AssetInput, error) {
				in.Serial = fmt.Sprintf("V%d", w)
				return in, nil
			})
			if err == nil {
				won.Add(1)
			}
			return []error{err}
		}, domain.EPrecondition)
		for _, err := range bad {
			t.Errorf("versioned patch: %v", err)
		}
		if won.Load() != 1 {
			t.Errorf("%d patches of version %d won, want exactly 1", won.Load(), a.Version)
		}
		recount(t, f.svc, f.org, f.a, f.b)
	})
}
