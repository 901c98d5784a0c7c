package service

import (
	"context"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/report"
)

// The parts of the service that both HTTP edges (internal/api and
// internal/web) use method for method. Each edge declares the interfaces it
// depends on in its own services.go; where the two would write the very
// same one, it is declared once here and each edge names it there. A part
// an edge uses differently (customers, the organization, roles, access)
// stays declared in the edge alone.

// Entities keeps the entities of customers.
type Entities interface {
	CreateEntity(ctx context.Context, customerID string, in domain.EntityInput) (domain.Entity, error)
	Entity(ctx context.Context, customerID, id string) (domain.Entity, error)
	ListEntities(ctx context.Context, customerID string, f domain.EntityFilter) (domain.EntityPage, error)
	UpdateEntity(ctx context.Context, customerID, id string, version int64, apply func(domain.EntityInput) (domain.EntityInput, error)) (domain.Entity, error)
	DeleteEntity(ctx context.Context, customerID, id string, version int64) error
}

// Users keeps users.
type Users interface {
	CreateUser(ctx context.Context, in domain.UserInput) (domain.User, error)
	User(ctx context.Context, id string) (domain.User, error)
	ListUsers(ctx context.Context, f domain.UserFilter) (domain.UserPage, error)
	UpdateUser(ctx context.Context, id string, version int64, apply func(domain.UserInput) (domain.UserInput, error)) (domain.User, error)
	DeleteUser(ctx context.Context, id string, version int64) error
	MoveUsers(ctx context.Context, ids []string, customerID string, entityIDs []string) error
}

// Assets keeps assets.
type Assets interface {
	CreateAsset(ctx context.Context, in domain.AssetInput) (domain.Asset, error)
	Asset(ctx context.Context, id string) (domain.Asset, error)
	ListAssets(ctx context.Context, f domain.AssetFilter) (domain.AssetPage, error)
	UpdateAsset(ctx context.Context, id string, version int64, apply func(domain.AssetInput) (domain.AssetInput, error)) (domain.Asset, error)
	DeleteAsset(ctx context.Context, id string, version int64) error
	MoveAssets(ctx context.Context, ids []string, customerID, entityID string) error
}

// Trash lists, restores and purges what is in trash.
type Trash interface {
	TrashedCustomers(ctx context.Context, limit int, cursor string) (TrashPage, error)
	TrashedUsers(ctx context.Context, limit int, cursor string) (TrashedUserPage, error)
	TrashedAssets(ctx context.Context, limit int, cursor string) (TrashedAssetPage, error)
	RestoreCustomer(ctx context.Context, id string, rename Rename) (domain.Customer, error)
	RestoreUser(ctx context.Context, id string) (domain.User, error)
	RestoreAsset(ctx context.Context, id string) (domain.Asset, error)
	PurgeCustomer(ctx context.Context, id string) error
	PurgeUser(ctx context.Context, id string) error
	PurgeAsset(ctx context.Context, id string) error
	PurgeAt(deleted time.Time) *time.Time
}

// Reports lists and runs reports and dashboards.
type Reports interface {
	Reports(ctx context.Context) ([]domain.CatalogEntry, error)
	RunReport(ctx context.Context, key, customerID string, opt ReportOptions, w report.Writer) error
	Dashboards(ctx context.Context) ([]domain.CatalogEntry, error)
	Dashboard(ctx context.Context, key, customerID string) (domain.Dashboard, error)
}

// Audit reads the audit log.
type Audit interface {
	AuditLog(ctx context.Context, f domain.AuditFilter) (domain.AuditPage, error)
}

var (
	_ Entities = (*Service)(nil)
	_ Users    = (*Service)(nil)
	_ Assets   = (*Service)(nil)
	_ Trash    = (*Service)(nil)
	_ Reports  = (*Service)(nil)
	_ Audit    = (*Service)(nil)
)
