package service

import (
	"context"
	"strconv"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// CreateCustomer validates in and creates the customer. Every invalid field,
// including a name or code already taken by a live customer, is reported in
// one EInvalid error, and nothing is written.
func (s *Service) CreateCustomer(ctx context.Context, in domain.CustomerInput) (domain.Customer, error) {
	p, err := requireOrgAdmin(ctx)
	if err != nil {
		return domain.Customer{}, err
	}
	c, verr := in.Normalize()
	var out domain.Customer
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		if verr != nil {
			// Add uniqueness failures to the validation failures so one
			// response names every bad field.
			return s.withTaken(ctx, tx, verr, in, "")
		}
		if err := s.checkTaken(ctx, tx, c, ""); err != nil {
			return err
		}
		now := s.clock()
		c.ID, c.CreatedAt, c.UpdatedAt, c.Version = newID(), now, now, 1
		if err := tx.CreateCustomer(ctx, c); err != nil {
			return err
		}
		out = c
		return s.audit(ctx, tx, p, "customer.create", "customer", c.ID, c.ID, nil, c)
	})
	return out, err
}

// checkTaken fails with EInvalid "taken" on name and/or code when a live
// customer other than exceptID holds them.
func (s *Service) checkTaken(ctx context.Context, tx store.Tx, c domain.Customer, exceptID string) error {
	nameTaken, codeTaken, err := tx.CustomerTaken(ctx, c.NameKey(), c.CodeKey(), exceptID)
	if err != nil {
		return err
	}
	var fe domain.FieldErrors
	if nameTaken {
		fe.Add("name", domain.FieldTaken, "A customer with this name already exists.")
	}
	if codeTaken {
		fe.Add("code", domain.FieldTaken, "A customer with this code already exists.")
	}
	return fe.Err()
}

// withTaken adds "taken" failures for a valid-looking name or code to the
// validation error verr.
func (s *Service) withTaken(ctx context.Context, tx store.Tx, verr error, in domain.CustomerInput, exceptID string) error {
	e, ok := verr.(*domain.Error)
	if !ok {
		return verr
	}
	probe := domain.Customer{Name: domain.CleanText(in.Name), Code: domain.CleanText(in.Code)}
	fields := domain.FieldErrors(e.Fields)
	if probe.Name == "" || fields.Has("name") {
		probe.Name = "" // matches nothing: live names are never empty
	}
	if probe.Code == "" || fields.Has("code") {
		probe.Code = ""
	}
	if terr := s.checkTaken(ctx, tx, probe, exceptID); terr != nil {
		if te, ok := terr.(*domain.Error); ok && te.Code == domain.EInvalid {
			fields = append(fields, te.Fields...)
			return fields.Err()
		}
		return terr
	}
	return verr
}

// Customer returns a live customer in the caller's scope.
func (s *Service) Customer(ctx context.Context, id string) (domain.Customer, error) {
	p, err := principal(ctx)
	if err != nil {
		return domain.Customer{}, err
	}
	var c domain.Customer
	err = s.store.Read(ctx, func(tx store.Tx) (err error) {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		c, err = tx.Customer(ctx, p.Scope(), id)
		return err
	})
	return c, err
}

// UpdateCustomer changes a live customer. apply receives the customer's
// current writable fields and returns the new ones: the API applies a JSON
// merge patch there, the web UI its submitted form. If version is not zero it
// must equal the stored version (EPrecondition otherwise), so that two
// administrators cannot silently overwrite each other.
func (s *Service) UpdateCustomer(ctx context.Context, id string, version int64, apply func(domain.CustomerInput) (domain.CustomerInput, error)) (domain.Customer, error) {
	p, err := requireOrgAdmin(ctx)
	if err != nil {
		return domain.Customer{}, err
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
		in, err := apply(before.Input())
		if err != nil {
			return err
		}
		c, verr := in.Normalize()
		if verr != nil {
			return s.withTaken(ctx, tx, verr, in, id)
		}
		if err := s.checkTaken(ctx, tx, c, id); err != nil {
			return err
		}
		c.ID, c.CreatedAt = before.ID, before.CreatedAt
		c.UpdatedAt, c.Version = s.clock(), before.Version+1
		if err := tx.UpdateCustomer(ctx, p.Scope(), c); err != nil {
			return err
		}
		out = c
		return s.audit(ctx, tx, p, "customer.update", "customer", c.ID, c.ID, before, c)
	})
	return out, err
}

// DeleteCustomer moves a live customer to trash: it leaves every list, read
// and uniqueness check, and is kept for restore. If version is not zero it
// must equal the stored version.
func (s *Service) DeleteCustomer(ctx context.Context, id string, version int64) error {
	p, err := requireOrgAdmin(ctx)
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
		after := before
		after.DeletedAt, after.UpdatedAt, after.Version = &now, now, before.Version+1
		return s.audit(ctx, tx, p, "customer.delete", "customer", id, id, before, after)
	})
}

// ListCustomers returns a page of live customers in the caller's scope.
func (s *Service) ListCustomers(ctx context.Context, f domain.CustomerFilter) (domain.CustomerPage, error) {
	p, err := principal(ctx)
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
		page, err = tx.Customers(ctx, p.Scope(), f)
		return err
	})
	return page, err
}
