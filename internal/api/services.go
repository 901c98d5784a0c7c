package api

import (
	"context"
	"io"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// The service as this package uses it: one small interface per part of
// it, declared here where it is used (as gotify's api/application.go
// does), so that a handler says which part it depends on and a test can
// stand in for one part. *service.Service satisfies them all. A part
// both edges use method for method is declared once, in service
// (parts.go), and named here.

// The parts declared in service.
type (
	entityService = service.Entities
	userService   = service.Users
	assetService  = service.Assets
	trashService  = service.Trash
	reportService = service.Reports
	auditService  = service.Audit
)

// customerService keeps customers, their logos and their licenses.
type customerService interface {
	RegisterCustomer(ctx context.Context, nc service.NewCustomer) (domain.Customer, error)
	Customer(ctx context.Context, id string) (domain.Customer, error)
	ListCustomers(ctx context.Context, f domain.CustomerFilter) (domain.CustomerPage, error)
	UpdateCustomer(ctx context.Context, id string, version int64, apply func(domain.CustomerInput) (domain.CustomerInput, error)) (domain.Customer, error)
	DeleteCustomer(ctx context.Context, id string, version int64) error
	DeletePreview(ctx context.Context, id string) (service.DeleteImpact, error)
	ArchiveCustomer(ctx context.Context, id string, open func(c domain.Customer, at time.Time) (io.Writer, error)) error
	CustomerLogo(ctx context.Context, customerID, kind string, original bool, have []string) (domain.LogoImage, error)
	SetCustomerLogo(ctx context.Context, customerID, kind string, data []byte, declared string) (service.LogoUpload, error)
	DeleteCustomerLogo(ctx context.Context, customerID, kind string) error
	CustomerLicenses(ctx context.Context, customerID string) ([]domain.CustomerLicense, error)
	SetCustomerLicenses(ctx context.Context, customerID string, in domain.LicenseCounts) ([]domain.CustomerLicense, error)
}

// orgService keeps the organization: its settings, logos and license pool, and its first setup.
type orgService interface {
	OrgSettings(ctx context.Context) (domain.Org, error)
	UpdateOrgSettings(ctx context.Context, patch service.OrgPatch, version int64) (domain.Org, error)
	OrgLogo(ctx context.Context, kind string, original bool, have []string) (domain.LogoImage, error)
	SetOrgLogo(ctx context.Context, kind string, data []byte, declared string) (service.LogoUpload, error)
	DeleteOrgLogo(ctx context.Context, kind string) error
	OrgLicenses(ctx context.Context) ([]domain.OrgLicense, error)
	SetOrgPool(ctx context.Context, in domain.LicenseCounts) ([]domain.OrgLicense, error)
}

// roleService keeps the role catalog.
type roleService interface {
	Roles(ctx context.Context) ([]domain.Role, error)
	Role(ctx context.Context, key string) (domain.Role, error)
	CreateRole(ctx context.Context, in domain.RoleInput) (domain.Role, error)
	DeleteRole(ctx context.Context, key string) error
}

// accessService signs people in and out, keeps API tokens and says what a caller may do.
type accessService interface {
	Login(ctx context.Context, email, password string) (sessionSecret string, p domain.Principal, err error)
	Logout(ctx context.Context) error
	Me(ctx context.Context) (domain.Principal, error)
	Tokens(ctx context.Context) ([]domain.Token, error)
	CreateToken(ctx context.Context, name string) (domain.Token, string, error)
	RevokeToken(ctx context.Context, id string) error
	Allowed(ctx context.Context, name string) error
}

// idempotencyService keeps the answers of requests sent with an Idempotency-Key.
type idempotencyService interface {
	BeginIdempotent(ctx context.Context, key, fingerprint string) (*service.IdempotentAnswer, error)
	FinishIdempotent(ctx context.Context, key, fingerprint string, a service.IdempotentAnswer) error
}

// Service is every part of the service this package uses.
type Service interface {
	customerService
	entityService
	userService
	assetService
	trashService
	orgService
	roleService
	accessService
	reportService
	auditService
	idempotencyService
}

// services holds the parts, each behind its own interface.
type services struct {
	customers   customerService
	entities    entityService
	users       userService
	assets      assetService
	trash       trashService
	org         orgService
	roles       roleService
	access      accessService
	reports     reportService
	audit       auditService
	idempotency idempotencyService
}

func newServices(s Service) services {
	return services{customers: s, entities: s, users: s, assets: s, trash: s, org: s, roles: s, access: s, reports: s, audit: s, idempotency: s}
}
