package api

import (
	"reflect"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/problem"
	"github.com/custreg/custreg/internal/report"
	"github.com/custreg/custreg/internal/wire"
)

// OpenAPIResponseTypes maps the OpenAPI document's response schemas to the
// Go types the handlers encode them from, so that openapi_test.go can check
// that each schema has exactly the type's JSON members.
var OpenAPIResponseTypes = map[string]reflect.Type{
	"Customer":     reflect.TypeFor[customerJSON](),
	"CustomerList": reflect.TypeFor[list[customerJSON]](),
	"Entity":       reflect.TypeFor[wire.Entity](),
	"EntityList":   reflect.TypeFor[entityList](),
	"Location":     reflect.TypeFor[wire.Location](),
	"User":         reflect.TypeFor[wire.User](),
	"UserList":     reflect.TypeFor[list[wire.User]](),
	"Asset":        reflect.TypeFor[wire.Asset](),
	"AssetList":    reflect.TypeFor[list[wire.Asset]](),
	"Role":         reflect.TypeFor[roleJSON](),
	"RoleList":     reflect.TypeFor[roleList](),
	"Principal":    reflect.TypeFor[principalJSON](),
	"Token":        reflect.TypeFor[tokenJSON](),
	"TokenCreated": reflect.TypeFor[tokenJSON](),
	"OrgSettings":  reflect.TypeFor[orgJSON](),
	"Problem":      reflect.TypeFor[problem.Details](),

	"LicenseExcess": reflect.TypeFor[domain.LicenseExcess](),

	"DeletePreview":       reflect.TypeFor[deletePreviewJSON](),
	"AuditActor":          reflect.TypeFor[auditActorJSON](),
	"TrashedCustomer":     reflect.TypeFor[trashedCustomerJSON](),
	"TrashedCustomerList": reflect.TypeFor[trashList[trashedCustomerJSON]](),
	"TrashedUser":         reflect.TypeFor[trashedUserJSON](),
	"TrashedUserList":     reflect.TypeFor[trashList[trashedUserJSON]](),
	"TrashedAsset":        reflect.TypeFor[trashedAssetJSON](),
	"TrashedAssetList":    reflect.TypeFor[trashList[trashedAssetJSON]](),
	"AuditEntry":          reflect.TypeFor[auditEntryJSON](),
	"AuditList":           reflect.TypeFor[auditList](),
	"ReturnedLicense":     reflect.TypeFor[returnedLicenseJSON](),

	"OrgLicense":          reflect.TypeFor[orgLicenseJSON](),
	"OrgLicenseList":      reflect.TypeFor[orgLicenseList](),
	"CustomerLicense":     reflect.TypeFor[customerLicenseJSON](),
	"CustomerLicenseList": reflect.TypeFor[customerLicenseList](),

	"CatalogEntry":   reflect.TypeFor[catalogJSON](),
	"CatalogList":    reflect.TypeFor[catalogList](),
	"ReportColumn":   reflect.TypeFor[report.Column](),
	"ReportScope":    reflect.TypeFor[report.JSONScope](),
	"ReportDocument": reflect.TypeFor[report.JSONDocument](),

	"Logo":       reflect.TypeFor[logoJSON](),
	"LogoUpload": reflect.TypeFor[logoUploadJSON](),

	"Dashboard":            reflect.TypeFor[dashboardJSON](),
	"DashboardCustomer":    reflect.TypeFor[dashCustomer](),
	"DashboardCount":       reflect.TypeFor[countJSON](),
	"DashboardEntity":      reflect.TypeFor[entityFiguresJSON](),
	"DashboardOverview":    reflect.TypeFor[overviewJSON](),
	"DashboardLicense":     reflect.TypeFor[licenseUseJSON](),
	"DashboardUsagePoint":  reflect.TypeFor[usagePointJSON](),
	"DashboardHistory":     reflect.TypeFor[historyJSON](),
	"DashboardNearLimit":   reflect.TypeFor[nearLimitJSON](),
	"DashboardUtilization": reflect.TypeFor[utilizationJSON](),
}

// OpenAPIRequestTypes maps the document's request schemas to the Go types
// the handlers decode them into (unexported ones only; openapi_test.go adds
// the domain and service types).
var OpenAPIRequestTypes = map[string]reflect.Type{
	"CustomerCreate": reflect.TypeFor[customerCreate](),
	"Login":          reflect.TypeFor[loginRequest](),
	"TokenRequest":   reflect.TypeFor[tokenRequest](),
	"UserMove":       reflect.TypeFor[userMove](),
	"AssetMove":      reflect.TypeFor[assetMove](),
	"PoolPut":        reflect.TypeFor[poolPut](),
}
