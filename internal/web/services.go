package web

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
	CheckCustomer(ctx context.Context, in domain.CustomerInput, exceptID string) error
	Customer(ctx context.Context, id string) (domain.Customer, error)
	ListCustomers(ctx context.Context, f domain.CustomerFilter) (domain.CustomerPage, error)
	UpdateCustomerWithLicensesSeen(ctx context.Context, id string, version int64, apply func(domain.CustomerInput) (domain.CustomerInput, error), licenses, seen domain.LicenseCounts) (domain.Customer, error)
	DeleteCustomer(ctx context.Context, id string, version int64) error
	DeletePreview(ctx context.Context, id string) (service.DeleteImpact, error)
	ArchiveCustomer(ctx context.Context, id string, open func(c domain.Customer, at time.Time) (io.Writer, error)) error
	SetCustomerLogo(ctx context.Context, customerID, kind string, data []byte, declared string) (service.LogoUpload, error)
	DeleteCustomerLogo(ctx context.Context, customerID, kind string) error
	StageLogo(ctx context.Context, kind string, data []byte, declared string) (service.LogoDraft, error)
	LogoDraftImage(ctx context.Context, id string) (domain.LogoImage, error)
	CustomerLicenses(ctx context.Context, customerID string) ([]domain.CustomerLicense, error)
	CustomerRefs(ctx context.Context, ids []string, entities bool) (service.Refs, error)
}

// orgService keeps the organization: its settings, logos and license pool, and its first setup.
type orgService interface {
	OrgSettings(ctx context.Context) (domain.Org, error)
	UpdateOrgSettings(ctx context.Context, patch service.OrgPatch, version int64) (domain.Org, error)
	SetOrgLogo(ctx context.Context, kind string, data []byte, declared string) (service.LogoUpload, error)
	DeleteOrgLogo(ctx context.Context, kind string) error
	OrgLicenses(ctx context.Context) ([]domain.OrgLicense, error)
	SetOrgPoolSeen(ctx context.Context, in, seen domain.LicenseCounts) ([]domain.OrgLicense, error)
	Branding(ctx context.Context) (service.Branding, error)
	CompleteSetup(ctx context.Context, token string, in domain.AdminInput) (sessionSecret string, p domain.Principal, err error)
	SetupTokenValid(ctx context.Context, token string) (bool, error)
}

// roleService keeps the role catalog.
type roleService interface {
	Roles(ctx context.Context) ([]domain.Role, error)
}

// accessService signs people in and out, keeps API tokens and says what a caller may do.
type accessService interface {
	Login(ctx context.Context, email, password string) (sessionSecret string, p domain.Principal, err error)
	Logout(ctx context.Context) error
	Allowed(ctx context.Context, name string) error
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
}

// services holds the parts, each behind its own interface.
type services struct {
	customers customerService
	entities  entityService
	users     userService
	assets    assetService
	trash     trashService
	org       orgService
	roles     roleService
	access    accessService
	reports   reportService
	audit     auditService
}

func newServices(s Service) services {
	return services{customers: s, entities: s, users: s, assets: s, trash: s, org: s, roles: s, access: s, reports: s, audit: s}
}
