package service

import (
	"context"
	"slices"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// A write to users or assets takes its locks in the one order store.Tx
// documents: first the rows of every customer it touches — those the
// records are mapped to now and the one they go to — in id order, then the
// records themselves in id order, each read again under its lock. Two
// writers moving records between the same customers in opposite
// directions then queue on the first customer instead of waiting on each
// other, and every write is computed from the row it replaces. A record
// that moved to a customer not locked between the two reads makes the
// transaction run again (store.ErrRetry).

// holdAssets locks the assets ids (deduplicated, in id order) and the
// customers they are mapped to and to, and returns the assets as locked.
// Nothing of the assets may have been read in the transaction before: a
// read there would lock the row ahead of its customer (a single-record
// write that must read first, to learn where the record goes, peeks in a
// read transaction of its own).
func holdAssets(ctx context.Context, tx store.Tx, scope domain.Scope, ids []string, to ...string) ([]domain.Asset, error) {
	return hold(ctx, tx, ids, to, tx.AssetCustomers, func(id string) (domain.Asset, string, error) {
		a, err := tx.Asset(ctx, scope, id)
		return a, a.CustomerID, err
	})
}

// holdUsers is holdAssets for users.
func holdUsers(ctx context.Context, tx store.Tx, scope domain.Scope, ids []string, to ...string) ([]domain.User, error) {
	return hold(ctx, tx, ids, to, tx.UserCustomers, func(id string) (domain.User, string, error) {
		u, err := tx.ScopedUser(ctx, scope, id)
		return u, u.CustomerID, err
	})
}

func hold[R any](ctx context.Context, tx store.Tx, ids, to []string,
	customersOf func(context.Context, []string) ([]string, error), read func(id string) (R, string, error)) ([]R, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	customers, err := customersOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	customers = append(customers, to...)
	if err := tx.LockCustomers(ctx, customers); err != nil {
		return nil, err
	}
	out := make([]R, 0, len(ids))
	for _, id := range ids {
		r, customer, err := read(id)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(customers, customer) {
			return nil, store.ErrRetry
		}
		out = append(out, r)
	}
	return out, nil
}
