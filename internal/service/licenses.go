package service

import (
	"context"
	"errors"
	"maps"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// The license rules (SPEC §3) are kept by the store's conditional updates,
// in the transaction of every write that changes an allocation, a pool or a
// record's use; the service computes what each write changes and turns a
// refusal into a problem that names the customer.

// OrgLicenses returns the organization's pool per type with what is
// allocated and used; organization users whose role may view licenses.
func (s *Service) OrgLicenses(ctx context.Context) ([]domain.OrgLicense, error) {
	ctx, _, err := begin(ctx, "OrgLicenses")
	if err != nil {
		return nil, err
	}
	var out []domain.OrgLicense
	err = s.store.Read(ctx, func(tx store.Tx) (err error) {
		out, err = tx.OrgLicenses(ctx)
		return err
	})
	return out, err
}

// SetOrgPool sets the pool of the given types (nil: unlimited); types not
// given keep theirs. Organization admins only. A pool below what customers
// are allocated plus what the organization's own records use is refused,
// and then nothing changes.
func (s *Service) SetOrgPool(ctx context.Context, in domain.LicenseCounts) ([]domain.OrgLicense, error) {
	return s.SetOrgPoolSeen(ctx, in, nil)
}

// SetOrgPoolSeen is SetOrgPool for a form that showed the pool: seen holds
// the pool it showed, by type (nil: unlimited). The pool has no version, so
// if any pool of seen differs from the stored one, nothing is set and the
// answer is EPrecondition (type "pool-changed"), as for a stale version.
// The organization's row is locked first, so that concurrent pool changes
// given what they saw are checked one after the other.
func (s *Service) SetOrgPoolSeen(ctx context.Context, in, seen domain.LicenseCounts) ([]domain.OrgLicense, error) {
	ctx, p, err := begin(ctx, "SetOrgPool")
	if err != nil {
		return nil, err
	}
	pool, err := in.Normalize("pool.", true)
	if err != nil {
		return nil, err
	}
	var out []domain.OrgLicense
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if seen != nil {
			if err := tx.LockOrg(ctx); err != nil {
				return err
			}
		}
		before, err := tx.OrgLicenses(ctx)
		if err != nil {
			return err
		}
		if seen != nil {
			now := poolSnapshot(before)
			for t, n := range seen {
				cur := now[t]
				if (n == nil) != (cur == nil) || (n != nil && *n != *cur) {
					return &domain.Error{Code: domain.EPrecondition, Type: "pool-changed",
						Message: "The license pool was changed by someone else since you loaded it; reload it and try again."}
				}
			}
		}
		for _, typ := range domain.LicenseTypes {
			if n, ok := pool[typ]; ok {
				if err := tx.SetPool(ctx, typ, n); err != nil {
					return err
				}
			}
		}
		if out, err = tx.OrgLicenses(ctx); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "licenses.pool", "organization", "", "", poolSnapshot(before), poolSnapshot(out))
	})
	return out, err
}

func poolSnapshot(ls []domain.OrgLicense) map[string]*int64 {
	m := map[string]*int64{}
	for _, l := range ls {
		m[l.Type] = l.Pool
	}
	return m
}

// CustomerLicenses returns a live customer's allocation and use per type.
// A customer-scoped caller sees its own customer's.
func (s *Service) CustomerLicenses(ctx context.Context, customerID string) ([]domain.CustomerLicense, error) {
	ctx, p, err := begin(ctx, "CustomerLicenses")
	if err != nil {
		return nil, err
	}
	var out []domain.CustomerLicense
	err = s.store.Read(ctx, func(tx store.Tx) error {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		// The store reads only a live customer's rows, in scope.
		out, err = tx.CustomerLicenses(ctx, p.Scope(), customerID)
		return err
	})
	return out, err
}

// SetCustomerLicenses sets a live customer's allocation of the given types;
// types not given keep theirs. Organization admins only. An allocation
// below what the customer uses, or beyond the pool, is refused, and then
// nothing changes.
func (s *Service) SetCustomerLicenses(ctx context.Context, customerID string, in domain.LicenseCounts) ([]domain.CustomerLicense, error) {
	ctx, p, err := begin(ctx, "SetCustomerLicenses")
	if err != nil {
		return nil, err
	}
	var out []domain.CustomerLicense
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		c, err := tx.Customer(ctx, p.Scope(), customerID)
		if err != nil {
			return err
		}
		alloc, err := allocation(in, "")
		if err != nil {
			return err
		}
		before, err := tx.CustomerLicenses(ctx, p.Scope(), customerID)
		if err != nil {
			return err
		}
		if err := named(tx.SetAllocation(ctx, customerID, alloc), c.Name); err != nil {
			return err
		}
		if out, err = tx.CustomerLicenses(ctx, p.Scope(), customerID); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "customer.licenses", "customer", customerID, customerID, allocSnapshot(before), allocSnapshot(out))
	})
	return out, err
}

func allocSnapshot(ls []domain.CustomerLicense) map[string]int64 {
	m := map[string]int64{}
	for _, l := range ls {
		m[l.Type] = l.Allocated
	}
	return m
}

// allocation checks an allocation request: known types, counts from 0.
func allocation(in domain.LicenseCounts, prefix string) (map[string]int64, error) {
	counts, err := in.Normalize(prefix, false)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(counts))
	for t, n := range counts {
		out[t] = *n
	}
	return out, nil
}

// moveUsage moves a record's use from one customer ("" for the
// organization) to another as it changes: the old use is given back first,
// so that a record changing class within its customer needs room for the
// new class only.
func moveUsage(ctx context.Context, tx store.Tx, fromCustomer string, from domain.Licenses, toCustomer string, to domain.Licenses) error {
	if fromCustomer == toCustomer {
		delta := domain.Licenses{}
		delta.Add(to, 1)
		delta.Add(from, -1)
		return usageErr(ctx, tx, tx.AddUsage(ctx, toCustomer, delta))
	}
	neg := domain.Licenses{}
	neg.Add(from, -1)
	give := func() error { return tx.AddUsage(ctx, fromCustomer, neg) }
	take := func() error { return usageErr(ctx, tx, tx.AddUsage(ctx, toCustomer, maps.Clone(to))) }
	// License rows are taken in the one lock order: customers' in id
	// order, the organization's ("") last.
	first, second := give, take
	if fromCustomer == "" || (toCustomer != "" && toCustomer < fromCustomer) {
		first, second = take, give
	}
	if err := first(); err != nil {
		return err
	}
	return second()
}

// usageErr names the customer in a license refusal.
func usageErr(ctx context.Context, tx store.Tx, err error) error {
	var de *domain.Error
	if !errors.As(err, &de) || de.License == nil || de.License.CustomerID == "" {
		return err
	}
	c, cerr := tx.Customer(ctx, domain.OrgScope, de.License.CustomerID)
	if cerr != nil {
		return err
	}
	return named(err, c.Name)
}

// named rebuilds a license refusal's message with the customer's name.
func named(err error, customerName string) error {
	var de *domain.Error
	if !errors.As(err, &de) || de.License == nil {
		return err
	}
	if len(de.Excesses) > 0 {
		return domain.ErrLicenses(de.Excesses, customerName)
	}
	return domain.ErrLicense(*de.License, customerName)
}
