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
	"Customer":     customerType,
	"CustomerList": withItems[list[any]](customerType),
	"Entity":       wire.TypeOf[domain.Entity, struct{}](),
	"EntityList":   withItems[entityList](wire.TypeOf[domain.Entity, struct{}]()),
	"Location":     reflect.TypeFor[wire.Location](),
	"User":         wire.TypeOf[domain.User, struct{}](),
	"UserList":     withItems[list[any]](wire.TypeOf[domain.User, struct{}]()),
	"Asset":        wire.TypeOf[domain.Asset, struct{}](),
	"AssetList":    withItems[list[any]](wire.TypeOf[domain.Asset, struct{}]()),
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
	"TrashedCustomer":     wire.TypeOf[domain.Customer, trashedCustomer](),
	"TrashedCustomerList": withItems[trashList[any]](wire.TypeOf[domain.Customer, trashedCustomer]()),
	"TrashedUser":         wire.TypeOf[domain.User, trashed](),
	"TrashedUserList":     withItems[trashList[any]](wire.TypeOf[domain.User, trashed]()),
	"TrashedAsset":        wire.TypeOf[domain.Asset, trashed](),
	"TrashedAssetList":    withItems[trashList[any]](wire.TypeOf[domain.Asset, trashed]()),
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

// customerType is the type customerOut sends a customer as.
var customerType = wire.TypeOf[domain.Customer, customerLogos]()

// withItems is list type L with its items of type item: the handlers fill
// a page's items with records of internal/wire, held as any.
func withItems[L any](item reflect.Type) reflect.Type {
	var fields []reflect.StructField
	for f := range reflect.TypeFor[L]().Fields() {
		if f.Name == "Items" {
			f.Type = reflect.SliceOf(item)
		}
		fields = append(fields, f)
	}
	return reflect.StructOf(fields)
}
