package service

import (
	"context"
	"slices"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// placeAsset checks, inside the write transaction, where an asset may be
// mapped for the caller: the customer must be live and in scope, the entity
// one of that customer's (and of the caller's entities when narrowed), and
// with MSP mode off nothing can be mapped to a customer.
func placeAsset(ctx context.Context, tx store.Tx, p domain.Principal, a *domain.Asset) error {
	scope := p.Scope()
	if !scope.IsOrg() && a.CustomerID == "" {
		a.CustomerID = scope.CustomerID
	}
	var fe domain.FieldErrors
	if a.CustomerID == "" {
		if a.EntityID != "" {
			fe.Add("entity_id", domain.FieldUnknown, "An entity belongs to a customer: give customer_id too.")
			return fe.Err()
		}
		return nil
	}
	if err := requireMSP(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.Customer(ctx, scope, a.CustomerID); err != nil {
		if domain.ErrorCode(err) != domain.ENotFound {
			return err
		}
		fe.Add("customer_id", domain.FieldUnknown, "No such customer.")
		return fe.Err()
	}
	if len(scope.EntityIDs) > 0 && a.EntityID == "" {
		fe.Add("entity_id", domain.FieldRequired, "Choose one of your entities.")
		return fe.Err()
	}
	if a.EntityID != "" {
		if _, err := tx.Entity(ctx, scope, a.CustomerID, a.EntityID); err != nil {
			if domain.ErrorCode(err) != domain.ENotFound {
				return err
			}
			fe.Add("entity_id", domain.FieldUnknown, "No such entity of this customer.")
			return fe.Err()
		}
		if len(scope.EntityIDs) > 0 && !slices.Contains(scope.EntityIDs, a.EntityID) {
			fe.Add("entity_id", domain.FieldUnknown, "No such entity of this customer.")
			return fe.Err()
		}
	}
	return nil
}

// CreateAsset creates an asset mapped to the organization, a customer, or
// one of its entities, within the caller's scope.
func (s *Service) CreateAsset(ctx context.Context, in domain.AssetInput) (domain.Asset, error) {
	ctx, p, err := begin(ctx, "CreateAsset")
	if err != nil {
		return domain.Asset{}, err
	}
	a, err := in.Normalize()
	if err != nil {
		return domain.Asset{}, err
	}
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if err := placeAsset(ctx, tx, p, &a); err != nil {
			return err
		}
		now := s.clock()
		a.ID, a.CreatedAt, a.UpdatedAt, a.Version = newID(), now, now, 1
		if err := tx.CreateAsset(ctx, a); err != nil {
			return err
		}
		if err := moveUsage(ctx, tx, "", nil, a.CustomerID, a.Usage()); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "asset.create", "asset", a.ID, a.CustomerID, nil, a)
	})
	return a, err
}

// Asset returns a live asset in the caller's scope.
func (s *Service) Asset(ctx context.Context, id string) (domain.Asset, error) {
	return readAs(s, ctx, "Asset", func(ctx context.Context, tx store.Tx, p domain.Principal) (domain.Asset, error) {
		return tx.Asset(ctx, p.Scope(), id)
	})
}

// ListAssets returns a page of live assets in the caller's scope.
func (s *Service) ListAssets(ctx context.Context, f domain.AssetFilter) (domain.AssetPage, error) {
	return readAs(s, ctx, "ListAssets", func(ctx context.Context, tx store.Tx, p domain.Principal) (domain.AssetPage, error) {
		return tx.Assets(ctx, p.Scope(), f)
	})
}

// UpdateAsset changes a live asset in scope, possibly moving it to another
// customer or entity the caller may place it in.
func (s *Service) UpdateAsset(ctx context.Context, id string, version int64, apply func(domain.AssetInput) (domain.AssetInput, error)) (domain.Asset, error) {
	ctx, p, err := begin(ctx, "UpdateAsset")
	if err != nil {
		return domain.Asset{}, err
	}
	var out domain.Asset
	err = s.store.Write(ctx, func(tx store.Tx) error {
		before, in, err := assetsPlaced.change(ctx, s, tx, p, id, version, apply)
		if err != nil {
			return err
		}
		a, err := in.Normalize()
		if err != nil {
			return err
		}
		if err := placeAsset(ctx, tx, p, &a); err != nil {
			return err
		}
		a.ID, a.CreatedAt, a.UpdatedAt, a.Version = before.ID, before.CreatedAt, s.clock(), before.Version+1
		if err := tx.UpdateAsset(ctx, p.Scope(), a); err != nil {
			return err
		}
		if err := moveUsage(ctx, tx, before.CustomerID, before.Usage(), a.CustomerID, a.Usage()); err != nil {
			return err
		}
		out = a
		return s.audit(ctx, tx, p, "asset.update", "asset", a.ID, a.CustomerID, before, a)
	})
	return out, err
}

// MoveAssets maps several assets to one customer and entity in one
// transaction: all move, or none does.
func (s *Service) MoveAssets(ctx context.Context, ids []string, customerID, entityID string) error {
	ctx, p, err := begin(ctx, "MoveAssets")
	if err != nil {
		return err
	}
	if len(ids) == 0 || len(ids) > domain.MaxPageSize {
		var fe domain.FieldErrors
		fe.Add("ids", domain.FieldRequired, "Give from 1 to 200 asset ids.")
		return fe.Err()
	}
	return s.store.Write(ctx, func(tx store.Tx) error {
		held, err := holdAssets(ctx, tx, p.Scope(), ids, customerID, p.CustomerID)
		if err != nil {
			return err
		}
		for _, before := range held {
			a := before
			a.CustomerID, a.EntityID = customerID, entityID
			if err := placeAsset(ctx, tx, p, &a); err != nil {
				return err
			}
			a.UpdatedAt, a.Version = s.clock(), before.Version+1
			if err := tx.UpdateAsset(ctx, p.Scope(), a); err != nil {
				return err
			}
			if err := moveUsage(ctx, tx, before.CustomerID, before.Usage(), a.CustomerID, a.Usage()); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, p, "asset.move", "asset", a.ID, a.CustomerID, before, a); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteAsset moves a live asset in scope to trash.
func (s *Service) DeleteAsset(ctx context.Context, id string, version int64) error {
	ctx, p, err := begin(ctx, "DeleteAsset")
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx store.Tx) error {
		held, err := holdAssets(ctx, tx, p.Scope(), []string{id})
		if err != nil {
			return err
		}
		before := held[0]
		if version != 0 && version != before.Version {
			return domain.Errorf(domain.EPrecondition, "The asset was changed by someone else since you loaded it (version %d, now %d); reload it and try again.", version, before.Version)
		}
		now := s.clock()
		if err := tx.TrashAsset(ctx, p.Scope(), id, before.Version, now); err != nil {
			return err
		}
		if err := moveUsage(ctx, tx, before.CustomerID, before.Usage(), before.CustomerID, nil); err != nil {
			return err
		}
		after := before
		after.DeletedAt, after.UpdatedAt, after.Version = &now, now, before.Version+1
		return s.audit(ctx, tx, p, "asset.delete", "asset", id, before.CustomerID, before, after)
	})
}

func assetInput(a domain.Asset) domain.AssetInput {
	am, pm := a.AvailabilityMonitoring, a.PerformanceMonitoring
	return domain.AssetInput{Name: a.Name, Class: a.Class, CustomerID: a.CustomerID, EntityID: a.EntityID,
		AvailabilityMonitoring: &am, PerformanceMonitoring: &pm, Serial: a.Serial, IPAddress: a.IPAddress}
}
