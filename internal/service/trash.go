package service

import (
	"context"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// TrashPage is a page of customers in trash.
type TrashPage struct {
	Items []domain.Customer
	Next  string
}

// TrashedCustomers lists the customers in trash, the latest deleted first.
func (s *Service) TrashedCustomers(ctx context.Context, limit int, cursor string) (TrashPage, error) {
	ctx, _, err := begin(ctx, "Trash")
	if err != nil {
		return TrashPage{}, err
	}
	if limit <= 0 {
		limit = domain.DefaultPageSize
	}
	var page TrashPage
	err = s.store.Read(ctx, func(tx store.Tx) error {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		if cursor != "" {
			if _, err := tx.TrashedCustomer(ctx, cursor); err != nil {
				return &domain.Error{Code: domain.EBadRequest, Type: "bad-cursor", Message: "The cursor is not a next_cursor of this list."}
			}
		}
		items, err := tx.TrashedCustomers(ctx, limit+1, cursor)
		if err != nil {
			return err
		}
		if len(items) > limit {
			items = items[:limit]
			page.Next = items[len(items)-1].ID
		}
		page.Items = items
		return nil
	})
	return page, err
}

// Rename is the name and code a restored customer takes when its own were
// taken while it was in trash; empty keeps its own.
type Rename struct {
	Name string `json:"name"`
	Code string `json:"code"`
}

// RestoreCustomer brings a customer back from trash with its entities,
// users, assets and allocation, exactly as it was deleted. Refused with a
// 409, and nothing changes, when a live customer took its name or code
// meanwhile (send a new one in rename) or the pool has no room for its
// allocation any more (every type named).
func (s *Service) RestoreCustomer(ctx context.Context, id string, rename Rename) (domain.Customer, error) {
	ctx, p, err := begin(ctx, "RestoreCustomer")
	if err != nil {
		return domain.Customer{}, err
	}
	var out domain.Customer
	err = s.store.Write(ctx, func(tx store.Tx) error {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		before, err := tx.TrashedCustomer(ctx, id)
		if err != nil {
			return err
		}
		c := before
		if rename.Name != "" || rename.Code != "" {
			in := c.Input()
			if rename.Name != "" {
				in.Name = rename.Name
			}
			if rename.Code != "" {
				in.Code = rename.Code
			}
			n, err := in.Normalize()
			if err != nil {
				return err
			}
			c.Name, c.Code = n.Name, n.Code
		}
		nameTaken, codeTaken, err := tx.CustomerTaken(ctx, c.NameKey(), c.CodeKey(), c.ID)
		if err != nil {
			return err
		}
		if nameTaken || codeTaken {
			what := "name " + c.Name
			if !nameTaken {
				what = "code " + c.Code
			} else if codeTaken {
				what += " and the code " + c.Code
			}
			return &domain.Error{Code: domain.EConflict, Type: "restore-name-taken",
				Message: "A live customer has the " + what + " now; restore it under another name or code."}
		}
		now := s.clock()
		if err := tx.RestoreCustomer(ctx, c, now); err != nil {
			return err
		}
		c.DeletedAt, c.UpdatedAt, c.Version = nil, now, before.Version+1
		out = c
		return s.audit(ctx, tx, p, "customer.restore", "customer", id, id, before, c)
	})
	return out, err
}

// PurgeCustomer erases a customer in trash for good: nothing of it
// remains but one audit entry that says it was purged, by whom and when,
// without its name or any personal data.
func (s *Service) PurgeCustomer(ctx context.Context, id string) error {
	ctx, p, err := begin(ctx, "PurgeCustomer")
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx store.Tx) error {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		if err := tx.PurgeCustomer(ctx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "customer.purge", "customer", id, "", nil, map[string]any{"id": id})
	})
}
