package service

import (
	"context"
	"fmt"
	"strconv"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// checkEntityTaken fails with EInvalid "taken" on prefix+name and/or
// prefix+code when another live entity of the customer holds them.
func checkEntityTaken(ctx context.Context, tx store.EntityTx, e domain.Entity, exceptID, prefix string) (domain.FieldErrors, error) {
	nameTaken, codeTaken, err := tx.EntityTaken(ctx, e.CustomerID, e.NameKey(), e.CodeKey(), exceptID)
	if err != nil {
		return nil, err
	}
	var fe domain.FieldErrors
	if nameTaken {
		fe.Add(prefix+"name", domain.FieldTaken, "This customer already has an entity with this name.")
	}
	if codeTaken {
		fe.Add(prefix+"code", domain.FieldTaken, "This customer already has an entity with this code.")
	}
	return fe, nil
}

// normalizeEntities checks a batch of new entities, including that no two
// share a name or code, and returns them with every failure.
func normalizeEntities(ins []domain.EntityInput) ([]domain.Entity, domain.FieldErrors) {
	var fe domain.FieldErrors
	out := make([]domain.Entity, len(ins))
	names, codes := map[string]int{}, map[string]int{}
	for i, in := range ins {
		prefix := "entities[" + strconv.Itoa(i) + "]."
		e, efe := in.Normalize(prefix)
		fe = append(fe, efe...)
		out[i] = e
		if k := e.NameKey(); k != "" && !efe.Has(prefix+"name") {
			if j, dup := names[k]; dup {
				fe.Add(prefix+"name", domain.FieldTaken, "Entity "+strconv.Itoa(j+1)+" already has this name.")
			} else {
				names[k] = i
			}
		}
		if k := e.CodeKey(); k != "" && !efe.Has(prefix+"code") {
			if j, dup := codes[k]; dup {
				fe.Add(prefix+"code", domain.FieldTaken, "Entity "+strconv.Itoa(j+1)+" already has this code.")
			} else {
				codes[k] = i
			}
		}
	}
	return out, fe
}

// liveCustomer returns the live customer id in the caller's scope, or
// ENotFound (or errMSPDisabled).
func liveCustomer(ctx context.Context, tx store.Tx, p domain.Principal, id string) (domain.Customer, error) {
	if err := requireMSP(ctx, tx); err != nil {
		return domain.Customer{}, err
	}
	return tx.Customer(ctx, p.Scope(), id)
}

// CreateEntity adds an entity to a live customer.
func (s *Service) CreateEntity(ctx context.Context, customerID string, in domain.EntityInput) (domain.Entity, error) {
	ctx, p, err := begin(ctx, "CreateEntity")
	if err != nil {
		return domain.Entity{}, err
	}
	e, fe := in.Normalize("")
	var out domain.Entity
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if _, err := liveCustomer(ctx, tx, p, customerID); err != nil {
			return err
		}
		e.CustomerID = customerID
		taken, err := checkEntityTaken(ctx, tx, e, "", "")
		if err != nil {
			return err
		}
		if err := mergeFieldErrors(fe, taken).Err(); err != nil {
			return err
		}
		now := s.clock()
		e.ID, e.CreatedAt, e.UpdatedAt, e.Version = newID(), now, now, 1
		if err := tx.CreateEntities(ctx, customerID, []domain.Entity{e}); err != nil {
			return err
		}
		out = e
		return s.audit(ctx, tx, p, "entity.create", "entity", e.ID, customerID, nil, e)
	})
	return out, err
}

// mergeFieldErrors joins validation failures with "taken" failures, leaving
// out a "taken" for a field that is already invalid.
func mergeFieldErrors(fe, taken domain.FieldErrors) domain.FieldErrors {
	out := append(domain.FieldErrors(nil), fe...)
	for _, t := range taken {
		if !fe.Has(t.Field) {
			out = append(out, t)
		}
	}
	return out
}

// Entity returns a live entity of a live customer in the caller's scope.
func (s *Service) Entity(ctx context.Context, customerID, id string) (domain.Entity, error) {
	ctx, p, err := begin(ctx, "Entity")
	if err != nil {
		return domain.Entity{}, err
	}
	var e domain.Entity
	err = s.store.Read(ctx, func(tx store.Tx) (err error) {
		if _, err := liveCustomer(ctx, tx, p, customerID); err != nil {
			return err
		}
		e, err = tx.Entity(ctx, p.Scope(), customerID, id)
		return err
	})
	return e, err
}

// ListEntities returns a page of a live customer's entities, by name.
func (s *Service) ListEntities(ctx context.Context, customerID string, f domain.EntityFilter) (domain.EntityPage, error) {
	ctx, p, err := begin(ctx, "ListEntities")
	if err != nil {
		return domain.EntityPage{}, err
	}
	if f.Limit == 0 {
		f.Limit = domain.DefaultPageSize
	}
	if f.Limit < 1 || f.Limit > domain.MaxPageSize {
		return domain.EntityPage{}, domain.Errorf(domain.EBadRequest, "limit must be between 1 and %d.", domain.MaxPageSize)
	}
	var page domain.EntityPage
	err = s.store.Read(ctx, func(tx store.Tx) (err error) {
		if _, err := liveCustomer(ctx, tx, p, customerID); err != nil {
			return err
		}
		page, err = tx.Entities(ctx, p.Scope(), customerID, f)
		return err
	})
	return page, err
}

// UpdateEntity changes a live entity; apply and version work as in
// UpdateCustomer.
func (s *Service) UpdateEntity(ctx context.Context, customerID, id string, version int64, apply func(domain.EntityInput) (domain.EntityInput, error)) (domain.Entity, error) {
	ctx, p, err := begin(ctx, "UpdateEntity")
	if err != nil {
		return domain.Entity{}, err
	}
	var out domain.Entity
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if _, err := liveCustomer(ctx, tx, p, customerID); err != nil {
			return err
		}
		before, err := tx.Entity(ctx, p.Scope(), customerID, id)
		if err != nil {
			return err
		}
		if version != 0 && version != before.Version {
			return domain.Errorf(domain.EPrecondition, "The entity was changed by someone else since you loaded it (version %d, now %d); reload it and try again.", version, before.Version)
		}
		in, err := apply(before.Input())
		if err != nil {
			return err
		}
		e, fe := in.Normalize("")
		e.CustomerID = customerID
		taken, err := checkEntityTaken(ctx, tx, e, id, "")
		if err != nil {
			return err
		}
		if err := mergeFieldErrors(fe, taken).Err(); err != nil {
			return err
		}
		e.ID, e.CreatedAt = before.ID, before.CreatedAt
		e.UpdatedAt, e.Version = s.clock(), before.Version+1
		if err := tx.UpdateEntity(ctx, p.Scope(), e); err != nil {
			return err
		}
		out = e
		return s.audit(ctx, tx, p, "entity.update", "entity", e.ID, customerID, before, e)
	})
	return out, err
}

// DeleteEntity removes a live entity from its customer (kept, marked
// deleted, in the audit log's before image). An entity that live assets
// are mapped to, or live users are narrowed to, is not removed (409): they
// would point at nothing; move them first.
func (s *Service) DeleteEntity(ctx context.Context, customerID, id string, version int64) error {
	ctx, p, err := begin(ctx, "DeleteEntity")
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx store.Tx) error {
		if _, err := liveCustomer(ctx, tx, p, customerID); err != nil {
			return err
		}
		before, err := tx.Entity(ctx, p.Scope(), customerID, id)
		if err != nil {
			return err
		}
		if version != 0 && version != before.Version {
			return domain.Errorf(domain.EPrecondition, "The entity was changed by someone else since you loaded it (version %d, now %d); reload it and try again.", version, before.Version)
		}
		assets, users, err := tx.EntityHolders(ctx, id)
		if err != nil {
			return err
		}
		if assets > 0 || users > 0 {
			return &domain.Error{Code: domain.EConflict,
				Message: fmt.Sprintf("%s cannot be deleted: %s mapped to it and %s narrowed to it. Move them to another entity or to the whole customer first.",
					before.Name, countOf(assets, "asset is", "assets are"), countOf(users, "user is", "users are"))}
		}
		now := s.clock()
		if err := tx.TrashEntity(ctx, p.Scope(), customerID, id, now); err != nil {
			return err
		}
		after := before
		after.DeletedAt, after.UpdatedAt, after.Version = &now, now, before.Version+1
		return s.audit(ctx, tx, p, "entity.delete", "entity", id, customerID, before, after)
	})
}

// countOf writes n with the singular or plural words after it.
func countOf(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}
