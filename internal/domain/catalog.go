package domain

import (
	"slices"
	"strings"
)

// Keys of the reports and dashboards custreg produces (API.md "Catalogs").
const (
	ReportLicenseUsage    = "license_usage"
	ReportAssetInventory  = "asset_inventory"
	ReportUsers           = "users"
	ReportEntityDirectory = "entity_directory"

	DashboardCustomerOverview   = "customer_overview"
	DashboardLicenseUtilization = "license_utilization"
)

// CatalogEntry is one report or dashboard of a catalog: what the system
// really produces, never a placeholder.
type CatalogEntry struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Reports is the report catalog, in display order.
var Reports = []CatalogEntry{
	{Key: ReportLicenseUsage, Name: "License Usage", Description: "Per license type: allocated, used, available and percent used."},
	{Key: ReportAssetInventory, Name: "Asset Inventory", Description: "Every asset by entity and class, with its monitoring flags."},
	{Key: ReportUsers, Name: "Users", Description: "Every user by entity, kind and role."},
	{Key: ReportEntityDirectory, Name: "Entity Directory", Description: "Every entity with its contacts and location."},
}

// Dashboards is the dashboard catalog, in display order.
var Dashboards = []CatalogEntry{
	{Key: DashboardCustomerOverview, Name: "Customer Overview", Description: "Figures, entities, assets by class and entity, users by kind."},
	{Key: DashboardLicenseUtilization, Name: "License Utilization", Description: "Allocated against used per license type, with the daily usage history."},
}

// CatalogKeys returns the keys of a catalog in display order.
func CatalogKeys(catalog []CatalogEntry) []string {
	keys := make([]string, len(catalog))
	for i, e := range catalog {
		keys[i] = e.Key
	}
	return keys
}

// CatalogEntryOf returns the entry of catalog with key.
func CatalogEntryOf(catalog []CatalogEntry, key string) (CatalogEntry, bool) {
	for _, e := range catalog {
		if e.Key == key {
			return e, true
		}
	}
	return CatalogEntry{}, false
}

// normalizeKeys checks a set of catalog keys sent for field and returns it
// in catalog order without repeats. A nil set means every entry of the
// catalog (a customer created without a choice supports everything custreg
// produces); an empty one means none.
func normalizeKeys(fe *FieldErrors, field string, keys []string, catalog []CatalogEntry) []string {
	if keys == nil {
		return CatalogKeys(catalog)
	}
	want := map[string]bool{}
	for i, k := range keys {
		k = strings.TrimSpace(k)
		if _, ok := CatalogEntryOf(catalog, k); !ok {
			fe.Add(field+"["+itoa(i)+"]", FieldUnknown, "Not in the catalog: choose from "+strings.Join(CatalogKeys(catalog), ", ")+".")
			continue
		}
		want[k] = true
	}
	out := []string{}
	for _, e := range catalog {
		if want[e.Key] {
			out = append(out, e.Key)
		}
	}
	return out
}

// Supports reports whether key is in a customer's set of supported keys.
func Supports(set []string, key string) bool { return slices.Contains(set, key) }
