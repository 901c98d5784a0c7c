// Package service holds custreg's use cases. Each exported method is one use
// case: it takes the caller from the context, checks what the caller may do,
// runs in one store transaction, writes its audit entry in that same
// transaction, and returns domain errors only.
package service

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// Service is custreg's application layer. It is safe for concurrent use.
type Service struct {
	store     store.Store
	now       func() time.Time
	log       *slog.Logger
	retention time.Duration
	creds     *credCache
}

// Options configure a Service.
type Options struct {
	// Now is the clock; time.Now when nil. Tests inject a fixed clock.
	Now func() time.Time
	// Logger receives operational messages; slog.Default() when nil.
	Logger *slog.Logger
	// TrashRetention is how long deleted records wait in trash before
	// PurgeExpiredTrash erases them: DefaultTrashRetention when zero;
	// negative keeps them until purged by hand.
	TrashRetention time.Duration
}

// New returns a Service over st.
func New(st store.Store, opts Options) *Service {
	creds := newCredCache()
	s := &Service{store: invalidatingStore{Store: st, creds: creds}, now: opts.Now, log: opts.Logger,
		retention: opts.TrashRetention, creds: creds}
	if s.retention == 0 {
		s.retention = DefaultTrashRetention
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// clock returns the current time in UTC at the microsecond precision both
// stores keep, so that what is returned equals what is read back.
func (s *Service) clock() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

// newID returns a UUIDv7: time-ordered, so ids index well.
func newID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// Ready checks that the store answers.
func (s *Service) Ready(ctx context.Context) error { return s.store.Ping(ctx) }

// principal returns the caller or EUnauthorized.
func principal(ctx context.Context) (domain.Principal, error) {
	p, ok := domain.PrincipalFrom(ctx)
	if !ok || p.UserID == "" {
		return domain.Principal{}, domain.Errorf(domain.EUnauthorized, "Sign in to continue.")
	}
	return p, nil
}

// audit appends one audit entry in tx. before and after are marshalled to
// JSON; nil means absent (created or deleted).
func (s *Service) audit(ctx context.Context, tx store.AuditTx, p domain.Principal, action, targetType, targetID, customerID string, before, after any) error {
	e, err := s.auditEntry(ctx, p, action, targetType, targetID, customerID, before, after)
	if err != nil {
		return err
	}
	return tx.AppendAudit(ctx, e)
}

// auditEntry builds an audit entry, for writing several at once. The
// request ctx serves names it.
func (s *Service) auditEntry(ctx context.Context, p domain.Principal, action, targetType, targetID, customerID string, before, after any) (domain.AuditEntry, error) {
	req := domain.RequestFrom(ctx)
	e := domain.AuditEntry{
		ID: newID(), At: s.clock(), ActorID: p.UserID, ActorEmail: p.Email,
		Action: action, TargetType: targetType, TargetID: targetID, CustomerID: customerID,
		RequestID: req.ID, ClientAddr: req.ClientAddr,
	}
	var err error
	if before != nil {
		if e.Before, err = json.Marshal(before); err != nil {
			return e, err
		}
	}
	if after != nil {
		if e.After, err = json.Marshal(after); err != nil {
			return e, err
		}
	}
	return e, nil
}
