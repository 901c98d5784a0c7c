package service

import (
	"context"

	"github.com/google/uuid"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// AuditLog returns a page of the audit history the caller may read,
// newest first: organization users every entry (or one customer's with
// f.CustomerID), a customer's admins only their customer's. Another
// customer's id is a 404, as for every other read.
func (s *Service) AuditLog(ctx context.Context, f domain.AuditFilter) (domain.AuditPage, error) {
	ctx, p, err := begin(ctx, "Audit")
	if err != nil {
		return domain.AuditPage{}, err
	}
	if f.Limit <= 0 {
		f.Limit = domain.DefaultPageSize
	}
	if f.Limit > domain.MaxPageSize {
		return domain.AuditPage{}, domain.Errorf(domain.EBadRequest, "limit must be at most %d.", domain.MaxPageSize)
	}
	if f.Before != "" {
		if _, err := uuid.Parse(f.Before); err != nil {
			return domain.AuditPage{}, &domain.Error{Code: domain.EBadRequest, Type: "bad-cursor", Message: "The cursor is not a next_cursor of this list."}
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return domain.AuditPage{}, domain.Errorf(domain.EBadRequest, "from must be before to.")
	}
	var page domain.AuditPage
	err = s.store.Read(ctx, func(tx store.Tx) error {
		if f.CustomerID != "" {
			// The customer must be one the caller sees (live or not: its
			// history outlives it, for organization users).
			if !p.Scope().IsOrg() && f.CustomerID != p.CustomerID {
				return domain.Errorf(domain.ENotFound, "Customer not found.")
			}
		}
		want := f
		want.Limit = f.Limit + 1
		items, err := tx.ListAudit(ctx, p.Scope(), want)
		if err != nil {
			return err
		}
		if len(items) > f.Limit {
			items = items[:f.Limit]
			page.Next = items[len(items)-1].ID
		}
		page.Items = items
		return nil
	})
	return page, err
}
