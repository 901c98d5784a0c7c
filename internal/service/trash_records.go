package service

import (
	"context"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// Users and assets deleted on their own wait in trash, like customers, and
// come back from it exactly as they were, or are purged. Those deleted
// with their customer are in the customer's trash, not here.

// TrashedUserPage and TrashedAssetPage are pages of the trash.
type (
	TrashedUserPage struct {
		Items []domain.User
		Next  string
	}
	TrashedAssetPage struct {
		Items []domain.Asset
		Next  string
	}
)

// trashList pages a trash list: limit+1 read, the cursor the last id shown;
// a cursor that is not in the list is a bad request.
func trashList[R any](ctx context.Context, s *Service, useCase string, limit int, cursor string,
	one func(tx store.Tx, scope domain.Scope, id string) (R, error),
	list func(tx store.Tx, scope domain.Scope, limit int, before string) ([]R, error), id func(R) string) ([]R, string, error) {
	ctx, p, err := begin(ctx, useCase)
	if err != nil {
		return nil, "", err
	}
	if limit <= 0 {
		limit = domain.DefaultPageSize
	}
	var items []R
	var next string
	err = s.store.Read(ctx, func(tx store.Tx) error {
		if cursor != "" {
			if _, err := one(tx, p.Scope(), cursor); err != nil {
				return &domain.Error{Code: domain.EBadRequest, Type: "bad-cursor", Message: "The cursor is not a next_cursor of this list."}
			}
		}
		var err error
		if items, err = list(tx, p.Scope(), limit+1, cursor); err != nil {
			return err
		}
		if len(items) > limit {
			items = items[:limit]
			next = id(items[len(items)-1])
		}
		return nil
	})
	return items, next, err
}

// TrashedUsers lists the users in the caller's scope deleted on their own,
// the latest deleted first.
func (s *Service) TrashedUsers(ctx context.Context, limit int, cursor string) (TrashedUserPage, error) {
	items, next, err := trashList(ctx, s, "UserTrash", limit, cursor,
		func(tx store.Tx, sc domain.Scope, id string) (domain.User, error) { return tx.TrashedUser(ctx, sc, id) },
		func(tx store.Tx, sc domain.Scope, n int, b string) ([]domain.User, error) {
			return tx.TrashedUsers(ctx, sc, n, b)
		},
		func(u domain.User) string { return u.ID })
	return TrashedUserPage{Items: items, Next: next}, err
}

// TrashedAssets lists the assets in the caller's scope deleted on their
// own, the latest deleted first.
func (s *Service) TrashedAssets(ctx context.Context, limit int, cursor string) (TrashedAssetPage, error) {
	items, next, err := trashList(ctx, s, "AssetTrash", limit, cursor,
		func(tx store.Tx, sc domain.Scope, id string) (domain.Asset, error) {
			return tx.TrashedAsset(ctx, sc, id)
		},
		func(tx store.Tx, sc domain.Scope, n int, b string) ([]domain.Asset, error) {
			return tx.TrashedAssets(ctx, sc, n, b)
		},
		func(a domain.Asset) string { return a.ID })
	return TrashedAssetPage{Items: items, Next: next}, err
}

// errEntityGone refuses to restore a record mapped to an entity deleted
// since: restoring it without the entity would widen who sees it (a user)
// or where it belongs (an asset), so the administrator decides.
func errEntityGone(noun string) error {
	return &domain.Error{Code: domain.EConflict, Type: "restore-entity-gone",
		Message: "The " + noun + " was mapped to an entity that has been deleted since; restore the entity first, or create the " + noun + " anew."}
}

// liveEntities fails with errEntityGone unless every entity of ids is a
// live entity of customerID.
func liveEntities(ctx context.Context, tx store.EntityTx, customerID, noun string, ids ...string) error {
	for _, id := range ids {
		if id == "" {
			continue
		}
		if _, err := tx.Entity(ctx, domain.OrgScope, customerID, id); err != nil {
			if domain.ErrorCode(err) == domain.ENotFound {
				return errEntityGone(noun)
			}
			return err
		}
	}
	return nil
}

// RestoreUser brings a user in trash back as it was deleted: its role,
// customer, entities and activity, its licenses taken again (a 409 naming
// the license when the customer or the pool has no room). It does not
// sign in again with old sessions: those ended at the delete.
func (s *Service) RestoreUser(ctx context.Context, id string) (domain.User, error) {
	ctx, p, err := begin(ctx, "RestoreUser")
	if err != nil {
		return domain.User{}, err
	}
	var out domain.User
	err = s.store.Write(ctx, func(tx store.Tx) error {
		before, err := lockTrashed(ctx, tx, func() (domain.User, string, error) {
			u, err := tx.TrashedUser(ctx, p.Scope(), id)
			return u, u.CustomerID, err
		})
		if err != nil {
			return err
		}
		if err := liveEntities(ctx, tx, before.CustomerID, "user", before.EntityIDs...); err != nil {
			return err
		}
		now := s.clock()
		if err := tx.RestoreUser(ctx, p.Scope(), id, now); err != nil {
			return err
		}
		if err := moveUsage(ctx, tx, "", nil, before.CustomerID, before.Usage()); err != nil {
			return err
		}
		out = before
		out.DeletedAt, out.UpdatedAt, out.Version = nil, now, before.Version+1
		return s.audit(ctx, tx, p, "user.restore", "user", id, before.CustomerID, nil, userSnapshot(out))
	})
	return out, err
}

// RestoreAsset brings an asset in trash back as it was deleted, its
// licenses taken again.
func (s *Service) RestoreAsset(ctx context.Context, id string) (domain.Asset, error) {
	ctx, p, err := begin(ctx, "RestoreAsset")
	if err != nil {
		return domain.Asset{}, err
	}
	var out domain.Asset
	err = s.store.Write(ctx, func(tx store.Tx) error {
		before, err := lockTrashed(ctx, tx, func() (domain.Asset, string, error) {
			a, err := tx.TrashedAsset(ctx, p.Scope(), id)
			return a, a.CustomerID, err
		})
		if err != nil {
			return err
		}
		if err := liveEntities(ctx, tx, before.CustomerID, "asset", before.EntityID); err != nil {
			return err
		}
		now := s.clock()
		if err := tx.RestoreAsset(ctx, p.Scope(), id, now); err != nil {
			return err
		}
		if err := moveUsage(ctx, tx, "", nil, before.CustomerID, before.Usage()); err != nil {
			return err
		}
		out = before
		out.DeletedAt, out.UpdatedAt, out.Version = nil, now, before.Version+1
		return s.audit(ctx, tx, p, "asset.restore", "asset", id, before.CustomerID, before, out)
	})
	return out, err
}

// lockTrashed reads a record in trash after locking its customer, in the
// one lock order every write keeps (customers, then their records); read
// runs twice, before and after the lock, so that a record moved meanwhile
// is retried.
func lockTrashed[R any](ctx context.Context, tx store.Tx, read func() (R, string, error)) (R, error) {
	r, customer, err := read()
	if err != nil || customer == "" {
		return r, err
	}
	if err := tx.LockCustomers(ctx, []string{customer}); err != nil {
		return r, err
	}
	r, again, err := read()
	if err == nil && again != customer {
		return r, store.ErrRetry
	}
	return r, err
}

// PurgeUser erases a user in trash for good (see store.Tx.PurgeUser);
// one audit entry, "user.purge", keeps its id only.
func (s *Service) PurgeUser(ctx context.Context, id string) error {
	ctx, p, err := begin(ctx, "PurgeUser")
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx store.Tx) error {
		u, err := tx.TrashedUser(ctx, p.Scope(), id)
		if err != nil {
			return err
		}
		if err := tx.PurgeUser(ctx, p.Scope(), id); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "user.purge", "user", id, u.CustomerID, nil, map[string]any{"id": id})
	})
}

// PurgeAsset erases an asset in trash for good.
func (s *Service) PurgeAsset(ctx context.Context, id string) error {
	ctx, p, err := begin(ctx, "PurgeAsset")
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx store.Tx) error {
		a, err := tx.TrashedAsset(ctx, p.Scope(), id)
		if err != nil {
			return err
		}
		if err := tx.PurgeAsset(ctx, p.Scope(), id); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "asset.purge", "asset", id, a.CustomerID, nil, map[string]any{"id": id})
	})
}

// DefaultTrashRetention is how long a deleted record waits in trash before
// PurgeExpiredTrash erases it.
const DefaultTrashRetention = 30 * 24 * time.Hour

// PurgeAt is when the retention job purges a record deleted at deleted;
// nil when trash is kept until purged by hand.
func (s *Service) PurgeAt(deleted time.Time) *time.Time {
	if s.retention <= 0 {
		return nil
	}
	t := deleted.Add(s.retention)
	return &t
}

// retentionActor is the actor of the retention job's audit entries.
var retentionActor = domain.Principal{Email: "trash retention"}

// PurgeExpiredTrash erases every customer, user and asset that has been in
// trash longer than the retention period, each in its own transaction, and
// returns how many it purged. Several nodes may run it at once: each purge
// locks its record and checks, under the lock, that it is still in trash
// and still expired (a record restored and deleted again meanwhile is
// not), so a record is purged, and audited, once.
func (s *Service) PurgeExpiredTrash(ctx context.Context) (int, error) {
	if s.retention <= 0 {
		return 0, nil
	}
	n := 0
	for _, kind := range []string{"customer", "user", "asset"} {
		for {
			cutoff := s.clock().Add(-s.retention)
			var ids []string
			if err := s.store.Read(ctx, func(tx store.Tx) (err error) {
				ids, err = tx.ExpiredTrash(ctx, kind, cutoff, 100)
				return err
			}); err != nil {
				return n, err
			}
			for _, id := range ids {
				purged, err := s.purgeExpired(ctx, kind, id, cutoff)
				if err != nil {
					return n, err
				}
				if purged {
					n++
				}
			}
			if len(ids) < 100 {
				break
			}
		}
	}
	return n, nil
}

// purgeExpired purges one record of kind if it is still in trash since
// before cutoff; false when another node purged it first, or it was
// restored.
func (s *Service) purgeExpired(ctx context.Context, kind, id string, cutoff time.Time) (bool, error) {
	purged := false
	err := s.store.Write(ctx, func(tx store.Tx) error {
		purged = false
		var deleted *time.Time
		var customerID string
		var err error
		switch kind {
		case "customer":
			var c domain.Customer
			c, err = tx.TrashedCustomer(ctx, id)
			deleted = c.DeletedAt
		case "user":
			var u domain.User
			u, err = tx.TrashedUser(ctx, domain.OrgScope, id)
			deleted, customerID = u.DeletedAt, u.CustomerID
		case "asset":
			var a domain.Asset
			a, err = tx.TrashedAsset(ctx, domain.OrgScope, id)
			deleted, customerID = a.DeletedAt, a.CustomerID
		}
		if domain.ErrorCode(err) == domain.ENotFound || (err == nil && (deleted == nil || !deleted.Before(cutoff))) {
			return nil
		}
		if err != nil {
			return err
		}
		switch kind {
		case "customer":
			err = tx.PurgeCustomer(ctx, id)
		case "user":
			err = tx.PurgeUser(ctx, domain.OrgScope, id)
		case "asset":
			err = tx.PurgeAsset(ctx, domain.OrgScope, id)
		}
		if err != nil {
			return err
		}
		purged = true
		return s.audit(ctx, tx, retentionActor, kind+".purge", kind, id, customerID, nil,
			map[string]any{"id": id, "reason": "retention", "deleted_at": deleted})
	})
	return purged, err
}

// RunTrashRetention purges expired trash now and then every interval
// until ctx is done, logging what it purged.
func (s *Service) RunTrashRetention(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := s.PurgeExpiredTrash(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("purging expired trash", "err", err)
		case n > 0:
			s.log.Info("purged expired trash", "count", n, "retention", s.retention)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
