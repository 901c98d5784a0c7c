package service

import (
	"context"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// MaxRefs bounds how many customers one CustomerRefs call names: a page of
// records (domain.MaxPageSize) and the few a form or filter adds.
const MaxRefs = domain.MaxPageSize + 8

// Refs are the customers a page names beside its records, and their live
// entities, as the caller sees them.
type Refs struct {
	Customers map[string]domain.Customer
	// Entities holds the entities of each customer of Customers, by
	// customer id, in name order; empty unless asked for and allowed.
	Entities map[string][]domain.Entity
}

// CustomerRefs reads, in one transaction, the live customers of ids that
// the caller can see (the others are left out, as if they did not exist)
// and, when entities is set and the caller's role allows viewing entities,
// each one's entities as the caller sees them (narrowed callers see theirs
// only). A page of users or assets names its customers and entities with
// it instead of loading every customer.
func (s *Service) CustomerRefs(ctx context.Context, ids []string, entities bool) (Refs, error) {
	return readAs(s, ctx, "CustomerRefs", func(ctx context.Context, tx store.Tx, p domain.Principal) (Refs, error) {
		out := Refs{Customers: map[string]domain.Customer{}, Entities: map[string][]domain.Entity{}}
		if len(ids) > MaxRefs {
			return out, domain.Errorf(domain.EBadRequest, "At most %d customers at once.", MaxRefs)
		}
		if err := requireMSP(ctx, tx); err != nil {
			return out, err
		}
		entities = entities && p.Can("entities", "view")
		for _, id := range ids {
			if _, done := out.Customers[id]; done || id == "" {
				continue
			}
			c, err := tx.Customer(ctx, p.Scope(), id)
			if domain.ErrorCode(err) == domain.ENotFound {
				continue
			}
			if err != nil {
				return out, err
			}
			out.Customers[id] = c
			if !entities {
				continue
			}
			f := domain.EntityFilter{Limit: domain.MaxPageSize}
			for {
				page, err := tx.Entities(ctx, p.Scope(), id, f)
				if err != nil {
					return out, err
				}
				out.Entities[id] = append(out.Entities[id], page.Items...)
				if page.Next == nil {
					break
				}
				f.Cursor = page.Next
			}
		}
		return out, nil
	})
}
