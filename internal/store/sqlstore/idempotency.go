package sqlstore

import (
	"context"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

func (t *tx) IdempotencyKey(ctx context.Context, userID, keyHash string) (domain.IdempotentRecord, error) {
	r := domain.IdempotentRecord{UserID: userID, KeyHash: keyHash}
	var cust *string
	var created dbTime
	err := t.queryRow(ctx, `SELECT customer_id, fingerprint, status, headers, body, created_at FROM idempotency_keys
WHERE user_id = ? AND key_hash = ?`+t.lockRow("idempotency_keys"), userID, keyHash).Scan(&cust, &r.Fingerprint, &r.Status, &r.Header, &r.Body, &created)
	if cust != nil {
		r.CustomerID = *cust
	}
	r.CreatedAt = created.T
	return r, rowErr(err, "Idempotency key")
}

func (t *tx) ReserveIdempotencyKey(ctx context.Context, r domain.IdempotentRecord) (bool, error) {
	res, err := t.exec(ctx, `INSERT INTO idempotency_keys (user_id, key_hash, customer_id, fingerprint, status, created_at)
VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (user_id, key_hash) DO NOTHING`, r.UserID, r.KeyHash, nullString(r.CustomerID), r.Fingerprint, t.time(r.CreatedAt))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (t *tx) RenewIdempotencyKey(ctx context.Context, r domain.IdempotentRecord) error {
	_, err := t.exec(ctx, `UPDATE idempotency_keys SET customer_id = ?, fingerprint = ?, status = 0, headers = '', body = NULL, created_at = ?
WHERE user_id = ? AND key_hash = ?`, nullString(r.CustomerID), r.Fingerprint, t.time(r.CreatedAt), r.UserID, r.KeyHash)
	return err
}

func (t *tx) CompleteIdempotencyKey(ctx context.Context, r domain.IdempotentRecord) error {
	_, err := t.exec(ctx, `UPDATE idempotency_keys SET status = ?, headers = ?, body = ? WHERE user_id = ? AND key_hash = ? AND fingerprint = ?`,
		r.Status, r.Header, r.Body, r.UserID, r.KeyHash, r.Fingerprint)
	return err
}

func (t *tx) DeleteIdempotencyKey(ctx context.Context, userID, keyHash string) error {
	_, err := t.exec(ctx, `DELETE FROM idempotency_keys WHERE user_id = ? AND key_hash = ? AND status = 0`, userID, keyHash)
	return err
}

func (t *tx) DeleteExpiredIdempotencyKeys(ctx context.Context, before time.Time) (int64, error) {
	res, err := t.exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, t.time(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
