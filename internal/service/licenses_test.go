package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

func n(v int64) *int64 { return &v }

// wantExcess checks a license refusal: 409, the type, the kind of limit,
// its value and the figure the change would have reached.
func wantExcess(t *testing.T, err error, typ, limit string, value, result int64) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.EConflict || de.License == nil {
		t.Fatalf("err = %v, want a license refusal", err)
	}
	x := de.License
	if x.Type != typ || x.Limit != limit || x.LimitValue != value || x.Result != result {
		t.Errorf("refusal = %+v, want %s %s %d → %d", *x, typ, limit, value, result)
	}
	if de.Message == "" {
		t.Error("the refusal has no message")
	}
}

func customerLicense(t *testing.T, svc *service.Service, ctx context.Context, id, typ string) domain.CustomerLicense {
	t.Helper()
	ls, err := svc.CustomerLicenses(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Type == typ {
			return l
		}
	}
	t.Fatalf("no %s", typ)
	return domain.CustomerLicense{}
}

func orgLicense(t *testing.T, svc *service.Service, ctx context.Context, typ string) domain.OrgLicense {
	t.Helper()
	ls, err := svc.OrgLicenses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Type == typ {
			return l
		}
	}
	t.Fatalf("no %s", typ)
	return domain.OrgLicense{}
}

func TestLicenseRules(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		org, _ := orgAdmin(t, svc, service.FirstStart{})
		on := true

		// A customer with no allocation holds nothing.
		bare, _ := svc.CreateCustomer(org, domain.CustomerInput{Name: "Bare", Code: "B0"})
		_, err := svc.CreateAsset(org, domain.AssetInput{Name: "Laptop", Class: domain.AssetIT, CustomerID: bare.ID})
		wantExcess(t, err, domain.LicenseITAssets, domain.LimitAllocation, 0, 1)
		if !strings.Contains(err.Error(), "Bare") {
			t.Errorf("the refusal does not name the customer: %v", err)
		}
		if c, _ := svc.Customer(org, bare.ID); c.AssetsCount != 0 {
			t.Errorf("a refused asset was counted: %d", c.AssetsCount)
		}

		// The wizard's allocation comes with the customer.
		a, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Alpha", Code: "A1"},
			Licenses: domain.LicenseCounts{domain.LicenseITAssets: n(2), domain.LicenseAvailability: n(1), domain.LicenseUsers: n(1)}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Gamma", Code: "G1"},
			Licenses: domain.LicenseCounts{"seats": n(1), domain.LicenseUsers: n(-1)}})
		fieldCode(t, err, "licenses.seats")
		fieldCode(t, err, "licenses.users")

		x1, err := svc.CreateAsset(org, domain.AssetInput{Name: "One", Class: domain.AssetIT, CustomerID: a.ID, AvailabilityMonitoring: &on})
		if err != nil {
			t.Fatal(err)
		}
		x2, err := svc.CreateAsset(org, domain.AssetInput{Name: "Two", Class: domain.AssetIT, CustomerID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.CreateAsset(org, domain.AssetInput{Name: "Three", Class: domain.AssetIT, CustomerID: a.ID})
		wantExcess(t, err, domain.LicenseITAssets, domain.LimitAllocation, 2, 3)
		// Turning monitoring on takes a licence; re-classifying needs room
		// in the new class; neither changes anything when refused.
		_, err = svc.UpdateAsset(org, x2.ID, 0, func(in domain.AssetInput) (domain.AssetInput, error) {
			in.AvailabilityMonitoring = &on
			return in, nil
		})
		wantExcess(t, err, domain.LicenseAvailability, domain.LimitAllocation, 1, 2)
		_, err = svc.UpdateAsset(org, x1.ID, 0, func(in domain.AssetInput) (domain.AssetInput, error) {
			in.Class = domain.AssetMobile
			return in, nil
		})
		wantExcess(t, err, domain.LicenseMobileDevices, domain.LimitAllocation, 0, 1)
		if got, _ := svc.Asset(org, x1.ID); got.Class != domain.AssetIT || got.Version != 1 {
			t.Errorf("a refused update changed the asset: %+v", got)
		}
		if l := customerLicense(t, svc, org, a.ID, domain.LicenseITAssets); l.Used != 2 || l.Allocated != 2 || l.Available() != 0 || l.PercentUsed() != 100 {
			t.Errorf("it_assets = %+v", l)
		}

		// An allocation below use is refused; freeing use makes room.
		_, err = svc.SetCustomerLicenses(org, a.ID, domain.LicenseCounts{domain.LicenseITAssets: n(1), domain.LicenseUsers: n(5)})
		wantExcess(t, err, domain.LicenseITAssets, domain.LimitAllocation, 1, 2)
		if l := customerLicense(t, svc, org, a.ID, domain.LicenseUsers); l.Allocated != 1 {
			t.Errorf("a refused allocation changed users: %+v", l)
		}
		if err := svc.DeleteAsset(org, x2.ID, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetCustomerLicenses(org, a.ID, domain.LicenseCounts{domain.LicenseITAssets: n(1)}); err != nil {
			t.Fatal(err)
		}

		// The edit's Submit: details and allocation together, or neither.
		_, err = svc.UpdateCustomerWithLicenses(org, a.ID, 0, func(in domain.CustomerInput) (domain.CustomerInput, error) {
			in.Name = "Alpha Renamed"
			return in, nil
		}, domain.LicenseCounts{domain.LicenseUsers: n(3), domain.LicenseITAssets: n(0)})
		wantExcess(t, err, domain.LicenseITAssets, domain.LimitAllocation, 0, 1)
		if c, _ := svc.Customer(org, a.ID); c.Name != "Alpha" {
			t.Errorf("a refused edit renamed the customer to %q", c.Name)
		}
		if l := customerLicense(t, svc, org, a.ID, domain.LicenseUsers); l.Allocated != 1 {
			t.Errorf("a refused edit allocated %d users", l.Allocated)
		}
		_, err = svc.UpdateCustomerWithLicenses(org, a.ID, 0, func(in domain.CustomerInput) (domain.CustomerInput, error) {
			in.Code = "!"
			return in, nil
		}, domain.LicenseCounts{"seats": n(1)})
		fieldCode(t, err, "code")
		fieldCode(t, err, "licenses.seats")

		// The pool: what customers are allocated plus what the organization's
		// own records use.
		if _, err := svc.SetOrgPool(org, domain.LicenseCounts{domain.LicenseITAssets: n(3)}); err != nil {
			t.Fatal(err)
		}
		b, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Beta", Code: "B1"},
			Licenses: domain.LicenseCounts{domain.LicenseITAssets: n(3)}})
		wantExcess(t, err, domain.LicenseITAssets, domain.LimitPool, 3, 4)
		if _, err := svc.Customer(org, b.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("a refused registration left a customer behind: %v", err)
		}
		b, err = svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Beta", Code: "B1"},
			Licenses: domain.LicenseCounts{domain.LicenseITAssets: n(1)}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateAsset(org, domain.AssetInput{Name: "HQ Router", Class: domain.AssetIT}); err != nil {
			t.Fatal(err) // the one unallocated unit
		}
		_, err = svc.CreateAsset(org, domain.AssetInput{Name: "HQ Switch", Class: domain.AssetIT})
		wantExcess(t, err, domain.LicenseITAssets, domain.LimitUnallocated, 1, 2)
		_, err = svc.SetOrgPool(org, domain.LicenseCounts{domain.LicenseITAssets: n(2)})
		wantExcess(t, err, domain.LicenseITAssets, domain.LimitPool, 2, 3)
		l := orgLicense(t, svc, org, domain.LicenseITAssets)
		if *l.Pool != 3 || l.Allocated != 2 || *l.Unallocated() != 1 || l.Used != 2 || l.OrgUsed != 1 {
			t.Errorf("org it_assets = pool %d, %+v", *l.Pool, l)
		}
		// Moving the organization's asset to Beta uses Beta's unit; moving
		// Alpha's there too is refused as a whole.
		orgAssets, _ := svc.ListAssets(org, domain.AssetFilter{})
		var hq, one string
		for _, x := range orgAssets.Items {
			switch x.Name {
			case "HQ Router":
				hq = x.ID
			case "One":
				one = x.ID
			}
		}
		// A bulk move takes its assets in id order (the lock order), so
		// One, created first, is placed first: Beta has no availability
		// monitoring for it.
		err = svc.MoveAssets(org, []string{hq, one}, b.ID, "")
		wantExcess(t, err, domain.LicenseAvailability, domain.LimitAllocation, 0, 1)
		if c, _ := svc.Customer(org, b.ID); c.AssetsCount != 0 {
			t.Errorf("a refused bulk move moved %d", c.AssetsCount)
		}
		if err := svc.MoveAssets(org, []string{hq}, b.ID, ""); err != nil {
			t.Fatal(err)
		}
		if l := orgLicense(t, svc, org, domain.LicenseITAssets); l.OrgUsed != 0 || l.Used != 2 {
			t.Errorf("after the move: %+v", l)
		}

		// Users: only active ones count, by kind.
		const pw = "a-long-enough-password"
		inactive := false
		u1, err := svc.CreateUser(org, domain.UserInput{Email: "u1@alpha.example", Name: "U1", Role: domain.RoleCustomerUser, CustomerID: a.ID, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		u2, err := svc.CreateUser(org, domain.UserInput{Email: "u2@alpha.example", Name: "U2", Role: domain.RoleCustomerUser, CustomerID: a.ID,
			IsActive: &inactive, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.UpdateUser(org, u2.ID, 0, func(in domain.UserInput) (domain.UserInput, error) {
			in.IsActive = &on
			return in, nil
		})
		wantExcess(t, err, domain.LicenseUsers, domain.LimitAllocation, 1, 2)
		_, err = svc.CreateUser(org, domain.UserInput{Email: "t@alpha.example", Name: "T", Kind: domain.KindTechnician, Role: domain.RoleCustomerTechnician,
			CustomerID: a.ID, Password: pw})
		wantExcess(t, err, domain.LicenseTechnicians, domain.LimitAllocation, 0, 1)
		if err := svc.DeleteUser(org, u1.ID, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.UpdateUser(org, u2.ID, 0, func(in domain.UserInput) (domain.UserInput, error) {
			in.IsActive = &on
			return in, nil
		}); err != nil {
			t.Fatalf("activating into the freed licence: %v", err)
		}

		// A customer in trash returns its allocation to the pool.
		if err := svc.DeleteCustomer(org, b.ID, 0); err != nil {
			t.Fatal(err)
		}
		if l := orgLicense(t, svc, org, domain.LicenseITAssets); l.Allocated != 1 || l.Used != 1 {
			t.Errorf("after deleting Beta: %+v", l)
		}
		// A customer-scoped caller sees its own customer's licenses, not the
		// organization's.
		_, p, err := svc.Login(context.Background(), "u2@alpha.example", pw)
		if err != nil {
			t.Fatal(err)
		}
		cu := domain.WithPrincipal(context.Background(), p)
		if _, err := svc.CustomerLicenses(cu, a.ID); err != nil {
			t.Errorf("own licenses: %v", err)
		}
		_, err = svc.OrgLicenses(cu)
		wantCode(t, err, domain.EForbidden)
		_, err = svc.CustomerLicenses(cu, bare.ID)
		wantCode(t, err, domain.ENotFound)
		_, err = svc.SetCustomerLicenses(cu, a.ID, domain.LicenseCounts{domain.LicenseUsers: n(9)})
		wantCode(t, err, domain.EForbidden)
	})
}

// TestLicensesSeen covers the checks of the counts a form showed, for the
// pool and an allocation, which have no version: a change made since is
// refused with EPrecondition and nothing is written; the counts as stored
// pass.
func TestLicensesSeen(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		org, _ := orgAdmin(t, svc, service.FirstStart{})

		// The pool: the form showed it unlimited, someone set it since.
		if _, err := svc.SetOrgPool(org, domain.LicenseCounts{domain.LicenseUsers: n(500)}); err != nil {
			t.Fatal(err)
		}
		_, err := svc.SetOrgPoolSeen(org, domain.LicenseCounts{domain.LicenseITAssets: n(40)},
			domain.LicenseCounts{domain.LicenseUsers: nil, domain.LicenseITAssets: nil})
		wantCode(t, err, domain.EPrecondition)
		if de, _ := err.(*domain.Error); de == nil || de.Type != "pool-changed" {
			t.Errorf("error %v, want type pool-changed", err)
		}
		if l := orgLicense(t, svc, org, domain.LicenseITAssets); l.Pool != nil {
			t.Errorf("a refused pool change set it_assets to %d", *l.Pool)
		}
		if _, err := svc.SetOrgPoolSeen(org, domain.LicenseCounts{domain.LicenseITAssets: n(40)},
			domain.LicenseCounts{domain.LicenseUsers: n(500), domain.LicenseITAssets: nil}); err != nil {
			t.Fatal(err)
		}
		if l := orgLicense(t, svc, org, domain.LicenseITAssets); l.Pool == nil || *l.Pool != 40 {
			t.Errorf("it_assets pool = %v", l.Pool)
		}

		// An allocation: the form showed 10, the API set 20 since, without
		// the customer's version.
		c, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Alpha", Code: "A1"},
			Licenses: domain.LicenseCounts{domain.LicenseUsers: n(10)}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetCustomerLicenses(org, c.ID, domain.LicenseCounts{domain.LicenseUsers: n(20)}); err != nil {
			t.Fatal(err)
		}
		rename := func(in domain.CustomerInput) (domain.CustomerInput, error) { in.Name = "Alpha Renamed"; return in, nil }
		_, err = svc.UpdateCustomerWithLicensesSeen(org, c.ID, c.Version, rename,
			domain.LicenseCounts{domain.LicenseUsers: n(10)}, domain.LicenseCounts{domain.LicenseUsers: n(10)})
		wantCode(t, err, domain.EPrecondition)
		if de, _ := err.(*domain.Error); de == nil || de.Type != "allocation-changed" {
			t.Errorf("error %v, want type allocation-changed", err)
		}
		if now, _ := svc.Customer(org, c.ID); now.Name != "Alpha" || now.Version != c.Version {
			t.Errorf("a refused edit wrote the customer: %+v", now)
		}
		if l := customerLicense(t, svc, org, c.ID, domain.LicenseUsers); l.Allocated != 20 {
			t.Errorf("a refused edit allocated %d", l.Allocated)
		}
		if _, err := svc.UpdateCustomerWithLicensesSeen(org, c.ID, c.Version, rename,
			domain.LicenseCounts{domain.LicenseUsers: n(10)}, domain.LicenseCounts{domain.LicenseUsers: n(20)}); err != nil {
			t.Fatal(err)
		}
		if l := customerLicense(t, svc, org, c.ID, domain.LicenseUsers); l.Allocated != 10 {
			t.Errorf("allocated %d, want 10", l.Allocated)
		}
	})
}
