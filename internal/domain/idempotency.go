package domain

import "time"

// Idempotency keys (docs/api.md, "Safe retries").
const (
	// MaxIdempotencyKey bounds the Idempotency-Key header.
	MaxIdempotencyKey = 255
	// IdempotencyLife is how long a key's first answer is kept.
	IdempotencyLife = 24 * time.Hour
	// IdempotencyStall is how long a first request may run before a retry
	// with its key may run again in its place (the first died with its
	// node).
	IdempotencyStall = time.Minute
)

// IdempotentRecord is what is kept of one key: who sent it, the request it
// came with and, once answered, the answer.
type IdempotentRecord struct {
	UserID, KeyHash, CustomerID string
	// Fingerprint is the hash of the request: method, path, query, media
	// type and body.
	Fingerprint string
	// Status is the answer's HTTP status, 0 while the request runs.
	Status int
	// Header holds the answer's replayed headers as JSON.
	Header    string
	Body      []byte
	CreatedAt time.Time
}
