package sqlstore

import (
	"context"
	"fmt"

	"github.com/pressly/goose/v3"
)

// Migrate applies every pending migration of p. It refuses to run on a
// schema newer than the migrations this binary embeds, because an older
// binary would misread a newer schema.
func Migrate(ctx context.Context, p *goose.Provider) error {
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("migrations: read schema version: %w", err)
	}
	var known int64
	for _, s := range p.ListSources() {
		known = max(known, s.Version)
	}
	if current > known {
		return fmt.Errorf("migrations: the database schema is at version %d, newer than this binary knows (%d); run a newer custreg", current, known)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	return nil
}

// MigrateTo applies the migrations of p up to and including version: the
// upgrade tests build a database as an older release left it.
func MigrateTo(ctx context.Context, p *goose.Provider, version int64) error {
	if _, err := p.UpTo(ctx, version); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	return nil
}
