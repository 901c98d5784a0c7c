package service

import (
	"cmp"
	"context"
	"fmt"
	"strconv"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// CreateCustomer validates in and creates the customer. Every invalid field,
// including a name or code already taken by a live customer, is reported in
// one EInvalid error, and nothing is written.
func (s *Service) CreateCustomer(ctx context.Context, in domain.CustomerInput) (domain.Customer, error) {
	return s.CreateCustomerWithEntities(ctx, in, nil)
}

// CreateCustomerWithEntities creates a customer and its first entities in
// one transaction (RegisterCustomer without licenses).
func (s *Service) CreateCustomerWithEntities(ctx context.Context, in domain.CustomerInput, entities []domain.EntityInput) (domain.Customer, error) {
	return s.RegisterCustomer(ctx, NewCustomer{Customer: in, Entities: entities})
}

// NewCustomer is everything the Add Customer wizard submits at once.
type NewCustomer struct {
	Customer domain.CustomerInput
	Entities []domain.EntityInput
	// Licenses is the customer's allocation per type; types not given are 0.
	Licenses domain.LicenseCounts
	// Logos are its full logo and logomark, at most one of each.
	Logos []LogoFile
}

// RegisterCustomer creates a customer, its first entities and its license
// allocation in one transaction: the Add Customer wizard's Submit. Every
// bad field — the customer's, "entities[1].name", "licenses.users" — is
// reported together; an allocation beyond the pool is a 409 naming the
// type; and then nothing is written.
func (s *Service) RegisterCustomer(ctx context.Context, nc NewCustomer) (domain.Customer, error) {
	in, entities := nc.Customer, nc.Entities
	ctx, p, err := begin(ctx, "RegisterCustomer")
	if err != nil {
		return domain.Customer{}, err
	}
	if len(entities) > domain.MaxEntitiesPerRequest {
		var fe domain.FieldErrors
		fe.Add("entities", domain.FieldTooLong, fmt.Sprintf("At most %d entities can be created with a customer; add more afterwards.", domain.MaxEntitiesPerRequest))
		return domain.Customer{}, fe.Err()
	}
	alloc, lerr := allocation(nc.Licenses, "licenses.")
	var lfe domain.FieldErrors
	if de, ok := lerr.(*domain.Error); ok {
		lfe = de.Fields
	} else if lerr != nil {
		return domain.Customer{}, lerr
	}
	prepared, logoFE, err := prepareLogos(ctx, nc.Logos)
	if err != nil {
		return domain.Customer{}, err
	}
	c, verr := in.Normalize()
	es, efe := normalizeEntities(entities)
	var out domain.Customer
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		fe, err := s.customerFieldErrors(ctx, tx, verr, in, c, "")
		if err != nil {
			return err
		}
		if err := append(append(append(fe, efe...), lfe...), logoFE...).Err(); err != nil {
			return err
		}
		now := s.clock()
		c.ID, c.CreatedAt, c.UpdatedAt, c.Version = newID(), now, now, 1
		// The customer's, its entities' and its allocation's audit entries
		// are written with it, before its allocation takes the
		// organization's license rows, which every allocation shares and
		// which are held to the commit.
		entries := make([]domain.AuditEntry, 0, len(es)+2)
		ce, err := s.auditEntry(ctx, p, "customer.create", "customer", c.ID, c.ID, nil, c)
		if err != nil {
			return err
		}
		entries = append(entries, ce)
		for i := range es {
			e := &es[i]
			e.CustomerID = c.ID
			e.ID, e.CreatedAt, e.UpdatedAt, e.Version = newID(), now, now, 1
			ee, err := s.auditEntry(ctx, p, "entity.create", "entity", e.ID, c.ID, nil, *e)
			if err != nil {
				return err
			}
			entries = append(entries, ee)
		}
		if len(alloc) > 0 {
			le, err := s.auditEntry(ctx, p, "customer.licenses", "customer", c.ID, c.ID, nil, domain.Licenses(alloc))
			if err != nil {
				return err
			}
			entries = append(entries, le)
		}
		if err := named(tx.CreateCustomer(ctx, store.NewCustomer{Customer: c, Entities: es, Licenses: alloc, Audit: entries}), c.Name); err != nil {
			return err
		}
		if err := s.putNewLogos(ctx, tx, p, &c, nc.Logos, prepared); err != nil {
			return err
		}
		c.EntitiesCount = int64(len(es))
		out = c
		return nil
	})
	return out, err
}

// customerFieldErrors returns every field failure of a customer: those of
// validation (verr) and the name or code held by another live customer.
func (s *Service) customerFieldErrors(ctx context.Context, tx store.Tx, verr error, in domain.CustomerInput, c domain.Customer, exceptID string) (domain.FieldErrors, error) {
	var fe domain.FieldErrors
	if verr != nil {
		e, ok := verr.(*domain.Error)
		if !ok {
			return nil, verr
		}
		fe = e.Fields
		c = domain.Customer{Name: domain.CleanText(in.Name), Code: domain.CleanText(in.Code),
			AdminRole: cmp.Or(domain.CleanText(in.AdminRole), domain.RoleCustomerAdmin)}
	}
	c.ID = exceptID
	afe, err := checkAdminRole(ctx, tx, c, exceptID != "")
	if err != nil {
		return nil, err
	}
	fe = append(fe, afe...)
	probe := c
	if fe.Has("name") {
		probe.Name = "" // matches nothing: live names are never empty
	}
	if fe.Has("code") {
		probe.Code = ""
	}
	nameTaken, codeTaken, err := tx.CustomerTaken(ctx, probe.NameKey(), probe.CodeKey(), exceptID)
	if err != nil {
		return nil, err
	}
	if nameTaken {
		fe.Add("name", domain.FieldTaken, "A customer with this name already exists.")
	}
	if codeTaken {
		fe.Add("code", domain.FieldTaken, "A customer with this code already exists.")
	}
	return fe, nil
}

// Customer returns a live customer in the caller's scope.
func (s *Service) Customer(ctx context.Context, id string) (domain.Customer, error) {
	ctx, p, err := begin(ctx, "Customer")
	if err != nil {
		return domain.Customer{}, err
	}
	var c domain.Customer
	err = s.store.Read(ctx, func(tx store.Tx) (err error) {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		if c, err = tx.Customer(ctx, p.Scope(), id); err != nil {
			return err
		}
		one := []domain.Customer{c}
		if err := attachLogos(ctx, tx, p, one); err != nil {
			return err
		}
		c = one[0]
		return narrowCounts(ctx, tx, p, &c)
	})
	return c, err
}

// narrowCounts replaces a customer's kept counts, for a caller narrowed
// to some of its entities, with the counts of what that caller can open:
// the sizes of the other entities are not theirs to learn.
func narrowCounts(ctx context.Context, tx store.EntityTx, p domain.Principal, c *domain.Customer) (err error) {
	if len(p.EntityIDs) == 0 || c.ID != p.CustomerID {
		return nil
	}
	c.EntitiesCount, c.AssetsCount, c.UsersCount, err = tx.NarrowedCounts(ctx, p.Scope())
	return err
}

// UpdateCustomer changes a live customer. apply receives the customer's
// current writable fields and returns the new ones: the API applies a JSON
// merge patch there, the web UI its submitted form. If version is not zero it
// must equal the stored version (EPrecondition otherwise), so that two
// administrators cannot silently overwrite each other.
func (s *Service) UpdateCustomer(ctx context.Context, id string, version int64, apply func(domain.CustomerInput) (domain.CustomerInput, error)) (domain.Customer, error) {
	return s.UpdateCustomerWithLicenses(ctx, id, version, apply, nil)
}

// UpdateCustomerWithLicenses changes a live customer and, in the same
// transaction, the allocation of the license types given (the edit mode's
// Submit): the details are checked as UpdateCustomer checks them, the
// allocation as SetCustomerLicenses does (field errors "licenses.<type>",
// 409 beyond the pool or below use), and a refusal of either changes
// nothing.
func (s *Service) UpdateCustomerWithLicenses(ctx context.Context, id string, version int64, apply func(domain.CustomerInput) (domain.CustomerInput, error), licenses domain.LicenseCounts) (domain.Customer, error) {
	return s.UpdateCustomerWithLicensesSeen(ctx, id, version, apply, licenses, nil)
}

// UpdateCustomerWithLicensesSeen is UpdateCustomerWithLicenses for a form
// that showed the allocation: seen holds the allocation it showed, by type.
// The allocation has no version of its own (SetCustomerLicenses changes it
// without changing the customer's), so if any count of seen differs from the
// stored one when the transaction holds the customer's row, nothing is
// written and the answer is EPrecondition (type "allocation-changed"), as
// for a stale version.
func (s *Service) UpdateCustomerWithLicensesSeen(ctx context.Context, id string, version int64, apply func(domain.CustomerInput) (domain.CustomerInput, error), licenses, seen domain.LicenseCounts) (domain.Customer, error) {
	ctx, p, err := begin(ctx, "UpdateCustomerWithLicenses")
	if err != nil {
		return domain.Customer{}, err
	}
	if licenses != nil && !useCases["SetCustomerLicenses"].Allows(p) {
		return domain.Customer{}, domain.Errorf(domain.EForbidden, "Your role does not allow this (licenses.edit).")
	}
	var out domain.Customer
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		before, err := tx.Customer(ctx, p.Scope(), id)
		if err != nil {
			return err
		}
		if version != 0 && version != before.Version {
			return domain.Errorf(domain.EPrecondition, "The customer was changed by someone else since you loaded it (version %d, now %d); reload it and try again.", version, before.Version)
		}
		if seen != nil {
			// The customer's row is held (tx.Customer), and every allocation
			// write holds it first, so the counts cannot change under us.
			cur, err := tx.CustomerLicenses(ctx, p.Scope(), id)
			if err != nil {
				return err
			}
			now := allocSnapshot(cur)
			for t, n := range seen {
				if n == nil || now[t] != *n {
					return &domain.Error{Code: domain.EPrecondition, Type: "allocation-changed",
						Message: "The customer's license allocation was changed by someone else since you loaded it; reload it and try again."}
				}
			}
		}
		in, err := apply(before.Input())
		if err != nil {
			return err
		}
		c, verr := in.Normalize()
		fe, err := s.customerFieldErrors(ctx, tx, verr, in, c, id)
		if err != nil {
			return err
		}
		alloc, lerr := allocation(licenses, "licenses.")
		if de, ok := lerr.(*domain.Error); ok {
			fe = append(fe, de.Fields...)
		} else if lerr != nil {
			return lerr
		}
		if err := fe.Err(); err != nil {
			return err
		}
		c.ID, c.CreatedAt = before.ID, before.CreatedAt
		c.EntitiesCount, c.AssetsCount, c.UsersCount = before.EntitiesCount, before.AssetsCount, before.UsersCount
		c.UpdatedAt, c.Version = s.clock(), before.Version+1
		if err := tx.UpdateCustomer(ctx, p.Scope(), c); err != nil {
			return err
		}
		if before.IsActive && !c.IsActive {
			// Deactivation leaves no session or token behind: reactivating
			// the customer does not revive them (SPEC §7).
			if err := tx.EndCustomerSessions(ctx, c.ID); err != nil {
				return err
			}
		}
		if err := s.audit(ctx, tx, p, "customer.update", "customer", c.ID, c.ID, before, c); err != nil {
			return err
		}
		if len(alloc) > 0 {
			prev, err := tx.CustomerLicenses(ctx, p.Scope(), id)
			if err != nil {
				return err
			}
			if err := named(tx.SetAllocation(ctx, id, alloc), before.Name); err != nil {
				return err
			}
			next, err := tx.CustomerLicenses(ctx, p.Scope(), id)
			if err != nil {
				return err
			}
			if err := s.audit(ctx, tx, p, "customer.licenses", "customer", id, id, allocSnapshot(prev), allocSnapshot(next)); err != nil {
				return err
			}
		}
		one := []domain.Customer{c}
		if err := attachLogos(ctx, tx, p, one); err != nil {
			return err
		}
		out = one[0]
		return nil
	})
	return out, err
}

// DeleteCustomer moves a live customer to trash: it leaves every list, read
// and uniqueness check, and is kept for restore. If version is not zero it
// must equal the stored version.
func (s *Service) DeleteCustomer(ctx context.Context, id string, version int64) error {
	ctx, p, err := begin(ctx, "DeleteCustomer")
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx store.Tx) error {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		before, err := tx.Customer(ctx, p.Scope(), id)
		if err != nil {
			return err
		}
		if version != 0 && version != before.Version {
			return domain.Errorf(domain.EPrecondition, "The customer was changed by someone else since you loaded it (version %d, now %d); reload it and try again.", version, before.Version)
		}
		now := s.clock()
		if err := tx.TrashCustomer(ctx, p.Scope(), id, now); err != nil {
			return err
		}
		if err := tx.EndCustomerSessions(ctx, id); err != nil {
			return err
		}
		after := before
		after.DeletedAt, after.UpdatedAt, after.Version = &now, now, before.Version+1
		return s.audit(ctx, tx, p, "customer.delete", "customer", id, id, before, after)
	})
}

// ListCustomers returns a page of live customers in the caller's scope.
func (s *Service) ListCustomers(ctx context.Context, f domain.CustomerFilter) (domain.CustomerPage, error) {
	ctx, p, err := begin(ctx, "ListCustomers")
	if err != nil {
		return domain.CustomerPage{}, err
	}
	if f.Sort == "" {
		f.Sort = domain.SortNameAsc
	}
	if !f.Sort.Valid() {
		return domain.CustomerPage{}, domain.Errorf(domain.EBadRequest, "Unknown sort %q: use name, -name, code, -code, created_at or -created_at.", string(f.Sort))
	}
	if f.Limit == 0 {
		f.Limit = domain.DefaultPageSize
	}
	if f.Limit < 1 || f.Limit > domain.MaxPageSize {
		return domain.CustomerPage{}, domain.Errorf(domain.EBadRequest, "limit must be between 1 and %d.", domain.MaxPageSize)
	}
	var page domain.CustomerPage
	err = s.store.Read(ctx, func(tx store.Tx) (err error) {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		if page, err = tx.Customers(ctx, p.Scope(), f); err != nil {
			return err
		}
		if err := attachLogos(ctx, tx, p, page.Items); err != nil {
			return err
		}
		for i := range page.Items {
			if err := narrowCounts(ctx, tx, p, &page.Items[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return page, err
}

// CheckCustomer checks a customer's fields as RegisterCustomer (exceptID
// "") or an update of customer exceptID would, without writing anything:
// every format, the name and code against the live customers, the admin
// role and the catalog keys. It returns nil when they would pass, else the
// same EInvalid error with every field. The wizard's Next asks it.
func (s *Service) CheckCustomer(ctx context.Context, in domain.CustomerInput, exceptID string) error {
	ctx, _, err := begin(ctx, "CheckCustomer")
	if err != nil {
		return err
	}
	c, verr := in.Normalize()
	return s.store.Read(ctx, func(tx store.Tx) error {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		fe, err := s.customerFieldErrors(ctx, tx, verr, in, c, exceptID)
		if err != nil {
			return err
		}
		return fe.Err()
	})
}

// DeleteImpact is what deleting a customer takes with it: its entities,
// its users (who can no longer sign in), its assets, and the allocation
// returned to the organization's pool.
type DeleteImpact struct {
	Customer                domain.Customer
	Entities, Users, Assets int64
	Returned                []domain.CustomerLicense // the types it is allocated any of
}

// DeletePreview says what DeleteCustomer would take with the customer,
// for the delete dialog; it changes nothing.
func (s *Service) DeletePreview(ctx context.Context, id string) (DeleteImpact, error) {
	ctx, p, err := begin(ctx, "DeletePreview")
	if err != nil {
		return DeleteImpact{}, err
	}
	var out DeleteImpact
	err = s.store.Read(ctx, func(tx store.Tx) error {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		c, err := tx.Customer(ctx, p.Scope(), id)
		if err != nil {
			return err
		}
		ls, err := tx.CustomerLicenses(ctx, p.Scope(), id)
		if err != nil {
			return err
		}
		out = DeleteImpact{Customer: c, Entities: c.EntitiesCount, Users: c.UsersCount, Assets: c.AssetsCount}
		for _, l := range ls {
			if l.Allocated > 0 {
				out.Returned = append(out.Returned, l)
			}
		}
		return nil
	})
	return out, err
}
