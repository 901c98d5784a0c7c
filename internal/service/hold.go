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

// placedKind is a kind of record placed on a customer (assets, users),
// as a change that may move one of them to another customer reads it.
type placedKind[R, In any] struct {
	noun     string
	read     func(tx store.Tx, ctx context.Context, scope domain.Scope, id string) (R, error)
	hold     func(ctx context.Context, tx store.Tx, scope domain.Scope, ids []string, to ...string) ([]R, error)
	input    func(R) In
	customer func(R) string
	target   func(In) string // the customer the changed record goes to
	version  func(R) int64
}

var (
	assetsPlaced = placedKind[domain.Asset, domain.AssetInput]{
		noun: "asset", read: store.Tx.Asset, hold: holdAssets, input: assetInput,
		customer: func(a domain.Asset) string { return a.CustomerID },
		target:   func(in domain.AssetInput) string { return in.CustomerID },
		version:  func(a domain.Asset) int64 { return a.Version },
	}
	usersPlaced = placedKind[domain.User, domain.UserInput]{
		noun: "user", read: store.Tx.ScopedUser, hold: holdUsers, input: userInput,
		customer: func(u domain.User) string { return u.CustomerID },
		target:   func(in domain.UserInput) string { return in.CustomerID },
		version:  func(u domain.User) int64 { return u.Version },
	}
)

// change begins, in the write tx, a change (apply) to the record id at
// version (0: any). Which customer the record goes to is known only once
// the change is applied to what it is, so it peeks at the record in a read
// transaction of its own, applies the change to learn the customer, holds
// both customers and the record (holdAssets), and applies the change
// again to the record as held if it changed meanwhile — running the
// transaction again (store.ErrRetry) when that sends it to a customer not
// held. It returns the record as held and the change applied to it.
func (k placedKind[R, In]) change(ctx context.Context, s *Service, tx store.Tx, p domain.Principal, id string, version int64,
	apply func(In) (In, error)) (before R, in In, err error) {
	var peek R
	if err = s.store.Read(ctx, func(rtx store.Tx) (err error) { peek, err = k.read(rtx, ctx, p.Scope(), id); return err }); err != nil {
		return before, in, err
	}
	if in, err = apply(k.input(peek)); err != nil {
		return before, in, err
	}
	target := k.target(in)
	held, err := k.hold(ctx, tx, p.Scope(), []string{id}, target, k.customer(peek), p.CustomerID)
	if err != nil {
		return before, in, err
	}
	before = held[0]
	if version != 0 && version != k.version(before) {
		return before, in, domain.Errorf(domain.EPrecondition, "The %s was changed by someone else since you loaded it (version %d, now %d); reload it and try again.",
			k.noun, version, k.version(before))
	}
	if k.version(before) != k.version(peek) {
		if in, err = apply(k.input(before)); err != nil {
			return before, in, err
		}
		if to := k.target(in); to != "" && to != target && to != k.customer(peek) && to != k.customer(before) {
			return before, in, store.ErrRetry
		}
	}
	return before, in, nil
}
