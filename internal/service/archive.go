package service

import (
	"context"
	"io"
	"time"

	"github.com/custreg/custreg/internal/archive"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// archivePage is how many records the archive reads from the store at a
// time: what it holds in memory of a list, whatever the list's length.
const archivePage = domain.MaxPageSize

// The license-usage history's widest span of days.
const firstDay, lastDay = "0001-01-01", "9999-12-31"

// ArchiveCustomer writes the archive of the live customer id — everything
// custreg holds about it (package archive) — to the writer open returns.
// open is given the customer and the time the archive is made as of; it is
// called once the customer is found and the caller is known to
// be allowed, before the archive's first byte, so that a refusal or a
// customer out of scope (404, as for one that does not exist) is a plain
// service error; an error after it comes from the middle of the archive,
// which is then incomplete (not a readable zip) and must not be handed on
// as one.
//
// Every record is read inside one read transaction that reads one snapshot
// of the store (store.WithSnapshot: REPEATABLE READ on PostgreSQL), the
// lists a page at a time with the store's cursors: the archive is the
// customer as of one moment, whatever is written meanwhile, and its
// memory is a page's.
func (s *Service) ArchiveCustomer(ctx context.Context, id string, open func(c domain.Customer, at time.Time) (io.Writer, error)) error {
	ctx, p, err := begin(ctx, "ArchiveCustomer")
	if err != nil {
		return err
	}
	now := s.clock()
	return s.store.Read(store.WithSnapshot(ctx), func(tx store.Tx) error {
		if err := requireMSP(ctx, tx); err != nil {
			return err
		}
		scope := p.Scope()
		c, err := tx.Customer(ctx, scope, id)
		if err != nil {
			return err
		}
		one := []domain.Customer{c}
		if err := attachLogos(ctx, tx, p, one); err != nil {
			return err
		}
		ac := archive.Customer{Customer: one[0]}
		if ac.Licenses, err = tx.CustomerLicenses(ctx, scope, c.ID); err != nil {
			return err
		}
		if ac.Usage, err = tx.UsageHistory(ctx, scope, c.ID, firstDay, lastDay); err != nil {
			return err
		}
		w, err := open(ac.Customer, now)
		if err != nil {
			return err
		}
		return archive.Write(ctx, w, ac, archive.Meta{GeneratedAt: now, GeneratedBy: p.Email},
			archiveSource{tx: tx, scope: scope, customerID: c.ID})
	})
}

// archiveSource reads one customer's records for archive.Write, a page at
// a time, within the archive's transaction.
type archiveSource struct {
	tx         store.Tx
	scope      domain.Scope
	customerID string
}

func (a archiveSource) Entities(ctx context.Context, fn func(domain.Entity) error) error {
	f := domain.EntityFilter{Limit: archivePage}
	for {
		page, err := a.tx.Entities(ctx, a.scope, a.customerID, f)
		if err != nil {
			return err
		}
		for _, e := range page.Items {
			if err := fn(e); err != nil {
				return err
			}
		}
		if page.Next == nil {
			return nil
		}
		f.Cursor = page.Next
	}
}

func (a archiveSource) Users(ctx context.Context, fn func(domain.User) error) error {
	f := domain.UserFilter{CustomerID: a.customerID, Limit: archivePage}
	for {
		page, err := a.tx.Users(ctx, a.scope, f)
		if err != nil {
			return err
		}
		for _, u := range page.Items {
			u.PasswordHash = "" // never handed on, whatever the writer does
			if err := fn(u); err != nil {
				return err
			}
		}
		if page.Next == nil {
			return nil
		}
		f.Cursor = page.Next
	}
}

func (a archiveSource) Assets(ctx context.Context, fn func(domain.Asset) error) error {
	f := domain.AssetFilter{CustomerID: a.customerID, Limit: archivePage}
	for {
		page, err := a.tx.Assets(ctx, a.scope, f)
		if err != nil {
			return err
		}
		for _, x := range page.Items {
			if err := fn(x); err != nil {
				return err
			}
		}
		if page.Next == nil {
			return nil
		}
		f.Cursor = page.Next
	}
}

func (a archiveSource) Audit(ctx context.Context, fn func(domain.AuditEntry) error) error {
	f := domain.AuditFilter{CustomerID: a.customerID, Limit: archivePage}
	for {
		items, err := a.tx.ListAudit(ctx, a.scope, f)
		if err != nil {
			return err
		}
		for _, e := range items {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(items) < f.Limit {
			return nil
		}
		f.Before = items[len(items)-1].ID
	}
}

func (a archiveSource) Logo(ctx context.Context, kind string) (domain.LogoImage, error) {
	return a.tx.LogoImage(ctx, a.scope, a.customerID, kind, true, nil)
}
