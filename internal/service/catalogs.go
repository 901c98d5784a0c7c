package service

import (
	"context"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// Reports returns the report catalog as the caller may use it: every
// report for organization users, the ones its customer supports for a
// customer-scoped caller.
func (s *Service) Reports(ctx context.Context) ([]domain.CatalogEntry, error) {
	return s.supportedCatalog(ctx, "Reports", domain.Reports, func(c domain.Customer) []string { return c.Reports })
}

// Dashboards returns the dashboard catalog as the caller may use it, as
// Reports does the report catalog.
func (s *Service) Dashboards(ctx context.Context) ([]domain.CatalogEntry, error) {
	return s.supportedCatalog(ctx, "Dashboards", domain.Dashboards, func(c domain.Customer) []string { return c.Dashboards })
}

func (s *Service) supportedCatalog(ctx context.Context, useCase string, catalog []domain.CatalogEntry, supported func(domain.Customer) []string) ([]domain.CatalogEntry, error) {
	ctx, p, err := begin(ctx, useCase)
	if err != nil {
		return nil, err
	}
	if p.Scope().IsOrg() {
		return append([]domain.CatalogEntry(nil), catalog...), nil
	}
	var out []domain.CatalogEntry
	err = s.store.Read(ctx, func(tx store.Tx) error {
		c, err := tx.Customer(ctx, p.Scope(), p.CustomerID)
		if err != nil {
			return err
		}
		out = out[:0]
		for _, e := range catalog {
			if domain.Supports(supported(c), e.Key) {
				out = append(out, e)
			}
		}
		return nil
	})
	return out, err
}

// catalogTarget resolves what a report or dashboard runs over, inside the
// read transaction tx: the catalog entry with key and the customer with
// customerID, or nil for every customer when an organization user names
// none. A customer-scoped caller runs over its own customer whatever it
// names; another customer's id, an entry its customer does not support, or
// a key not in the catalog are all the same 404, so that nothing tells one
// from another.
func catalogTarget(ctx context.Context, tx store.CustomerTx, p domain.Principal, catalog []domain.CatalogEntry, supported func(domain.Customer) []string, what, key, customerID string) (domain.CatalogEntry, *domain.Customer, error) {
	notFound := domain.Errorf(domain.ENotFound, "There is no %s %q for you to run here.", what, key)
	entry, ok := domain.CatalogEntryOf(catalog, key)
	if !ok {
		return entry, nil, notFound
	}
	scope := p.Scope()
	if !scope.IsOrg() {
		if customerID != "" && customerID != p.CustomerID {
			return entry, nil, notFound
		}
		customerID = p.CustomerID
	}
	if customerID == "" {
		return entry, nil, nil
	}
	c, err := tx.Customer(ctx, scope, customerID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return entry, nil, notFound
	}
	if err != nil {
		return entry, nil, err
	}
	if !scope.IsOrg() && !domain.Supports(supported(c), key) {
		return entry, nil, notFound
	}
	return entry, &c, nil
}
