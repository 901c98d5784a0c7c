package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// IdempotentAnswer is a kept answer to a request sent with an
// Idempotency-Key.
type IdempotentAnswer struct {
	Status int
	Header map[string]string
	Body   []byte
}

// keyHash is what is kept of a key.
func keyHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// BeginIdempotent starts a request the caller sent with key: nil when it
// is the key's first (the caller runs it and hands its answer to
// FinishIdempotent), or the answer kept for the key to send again. The
// same key with another request (fingerprint) is a 422; a key whose first
// request is still running, a 409. A key is the caller's own, kept
// domain.IdempotencyLife; a first request that ran longer than
// domain.IdempotencyStall without an answer (its node died) gives its key
// to the retry.
func (s *Service) BeginIdempotent(ctx context.Context, key, fingerprint string) (*IdempotentAnswer, error) {
	ctx, p, err := begin(ctx, "Idempotency")
	if err != nil {
		return nil, err
	}
	now := s.clock()
	rec := domain.IdempotentRecord{UserID: p.UserID, KeyHash: keyHash(key), CustomerID: p.CustomerID, Fingerprint: fingerprint, CreatedAt: now}
	var out *IdempotentAnswer
	err = s.store.Write(ctx, func(tx store.Tx) error {
		out = nil
		ok, err := tx.ReserveIdempotencyKey(ctx, rec)
		if err != nil || ok {
			return err
		}
		kept, err := tx.IdempotencyKey(ctx, rec.UserID, rec.KeyHash)
		if err != nil {
			return err
		}
		switch {
		case kept.CreatedAt.Before(now.Add(-domain.IdempotencyLife)):
			return tx.RenewIdempotencyKey(ctx, rec) // expired: a new key
		case kept.Fingerprint != fingerprint:
			return &domain.Error{Code: domain.EInvalid, Type: "idempotency-key-reused",
				Message: "This Idempotency-Key was sent with another request; use a new key for a new request.",
				Fields:  []domain.FieldError{{Field: "Idempotency-Key", Code: "reused", Message: "Sent before with another method, path or body."}}}
		case kept.Status == 0 && kept.CreatedAt.After(now.Add(-domain.IdempotencyStall)):
			return &domain.Error{Code: domain.EConflict, Type: "idempotency-in-progress",
				Message: "The first request with this Idempotency-Key is still running; retry in a moment."}
		case kept.Status == 0:
			return tx.RenewIdempotencyKey(ctx, rec) // the first died unanswered
		}
		a := IdempotentAnswer{Status: kept.Status, Body: kept.Body}
		if err := json.Unmarshal([]byte(kept.Header), &a.Header); err != nil {
			return err
		}
		out = &a
		return nil
	})
	return out, err
}

// FinishIdempotent keeps the answer to the request BeginIdempotent let
// run. A server error is not kept: the key is forgotten, so a retry runs
// again.
func (s *Service) FinishIdempotent(ctx context.Context, key, fingerprint string, a IdempotentAnswer) error {
	ctx, p, err := begin(ctx, "Idempotency")
	if err != nil {
		return err
	}
	// The answer is kept even if the caller has gone: it is the answer
	// to what was done.
	ctx = context.WithoutCancel(ctx)
	h := keyHash(key)
	if a.Status >= 500 {
		return s.store.Write(ctx, func(tx store.Tx) error { return tx.DeleteIdempotencyKey(ctx, p.UserID, h) })
	}
	header, err := json.Marshal(a.Header)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx store.Tx) error {
		return tx.CompleteIdempotencyKey(ctx, domain.IdempotentRecord{UserID: p.UserID, KeyHash: h, Fingerprint: fingerprint,
			Status: a.Status, Header: string(header), Body: a.Body})
	})
}

// DeleteExpiredIdempotencyKeys forgets keys older than
// domain.IdempotencyLife; a system job, like DeleteExpiredSessions.
func (s *Service) DeleteExpiredIdempotencyKeys(ctx context.Context) (int64, error) {
	var n int64
	err := s.store.Write(ctx, func(tx store.Tx) (err error) {
		n, err = tx.DeleteExpiredIdempotencyKeys(ctx, s.clock().Add(-domain.IdempotencyLife))
		return err
	})
	return n, err
}
