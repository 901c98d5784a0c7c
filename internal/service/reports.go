package service

import (
	"context"
	"strings"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/report"
	"github.com/custreg/custreg/internal/store"
)

// OrganizationGroup names the group of records of no customer (the
// organization's own assets and users) in a report over all customers.
const OrganizationGroup = "Organization"

// WholeCustomer is what the Users report says of a customer's user
// narrowed to no entity.
const WholeCustomer = "Whole customer"

// ReportOptions tune a run for its output.
type ReportOptions struct {
	// Logo asks for the customer's full logo (its display rendition) in
	// the header, for the PDF.
	Logo bool
}

// The columns of each report (API.md "Reports"); Width is the PDF's share.
var (
	licenseColumns = []report.Column{
		{Key: "customer_id", Title: "Customer id", Type: report.String},
		{Key: "customer", Title: "Customer", Type: report.String, Width: 40},
		{Key: "customer_code", Title: "Code", Type: report.String, Width: 16},
		{Key: "license_type", Title: "License type", Type: report.String},
		{Key: "license", Title: "License", Type: report.String, Width: 34},
		{Key: "allocated", Title: "Allocated", Type: report.Integer, Width: 15},
		{Key: "used", Title: "Used", Type: report.Integer, Width: 15},
		{Key: "available", Title: "Available", Type: report.Integer, Width: 15},
		{Key: "percent_used", Title: "% used", Type: report.Integer, Width: 12},
	}
	classLabels      = map[string]string{domain.AssetIT: "IT asset", domain.AssetNonIT: "Non-IT asset", domain.AssetMobile: "Mobile device"}
	kindLabels       = map[string]string{domain.KindUser: "User", domain.KindTechnician: "Technician"}
	entityTypeLabels = map[string]string{domain.EntityBranch: "Branch", domain.EntityDepartment: "Department", domain.EntityRegion: "Region",
		domain.EntityBusinessUnit: "Business unit", domain.EntityOther: "Other"}
	assetColumns = []report.Column{
		{Key: "customer_id", Title: "Customer id", Type: report.String},
		{Key: "customer", Title: "Customer", Type: report.String, Width: 28},
		{Key: "entity_id", Title: "Entity id", Type: report.String},
		{Key: "entity", Title: "Entity", Type: report.String, Width: 28},
		{Key: "class", Title: "Class", Type: report.String, Width: 14, Labels: classLabels},
		{Key: "id", Title: "Asset id", Type: report.String},
		{Key: "name", Title: "Name", Type: report.String, Width: 36},
		{Key: "availability_monitoring", Title: "Availability", Type: report.Boolean, Width: 14},
		{Key: "performance_monitoring", Title: "Performance", Type: report.Boolean, Width: 14},
		{Key: "serial", Title: "Serial", Type: report.String, Width: 24},
		{Key: "ip_address", Title: "IP address", Type: report.String, Width: 22},
	}
	assetSummaryColumns = []report.Column{
		{Key: "customer_id", Title: "Customer id", Type: report.String},
		{Key: "customer", Title: "Customer", Type: report.String, Width: 40},
		{Key: "entity_id", Title: "Entity id", Type: report.String},
		{Key: "entity", Title: "Entity", Type: report.String, Width: 40},
		{Key: "class", Title: "Class", Type: report.String, Width: 16, Labels: classLabels},
		{Key: "assets", Title: "Assets", Type: report.Integer, Width: 14},
	}
	userColumns = []report.Column{
		{Key: "customer_id", Title: "Customer id", Type: report.String},
		{Key: "customer", Title: "Customer", Type: report.String, Width: 28},
		{Key: "entities", Title: "Entities", Type: report.String, Width: 34},
		{Key: "id", Title: "User id", Type: report.String},
		{Key: "email", Title: "Email", Type: report.String, Width: 42},
		{Key: "name", Title: "Name", Type: report.String, Width: 30},
		{Key: "kind", Title: "Kind", Type: report.String, Width: 14, Labels: kindLabels},
		{Key: "role", Title: "Role", Type: report.String, Width: 20},
		{Key: "active", Title: "Active", Type: report.Boolean, Width: 9},
	}
	entityColumns = []report.Column{
		{Key: "customer_id", Title: "Customer id", Type: report.String},
		{Key: "customer", Title: "Customer", Type: report.String, Width: 26},
		{Key: "id", Title: "Entity id", Type: report.String},
		{Key: "name", Title: "Entity", Type: report.String, Width: 28},
		{Key: "code", Title: "Code", Type: report.String, Width: 12},
		{Key: "type", Title: "Type", Type: report.String, Width: 16, Labels: entityTypeLabels},
		{Key: "active", Title: "Active", Type: report.Boolean, Width: 9},
		{Key: "business_email", Title: "Business email", Type: report.String, Width: 30},
		{Key: "phone", Title: "Phone", Type: report.String, Width: 20},
		{Key: "location_name", Title: "Location", Type: report.String},
		{Key: "address_line1", Title: "Address line 1", Type: report.String},
		{Key: "address_line2", Title: "Address line 2", Type: report.String},
		{Key: "landmark", Title: "Landmark", Type: report.String},
		{Key: "city", Title: "City", Type: report.String, Width: 16},
		{Key: "district", Title: "District", Type: report.String},
		{Key: "state", Title: "State", Type: report.String, Width: 14},
		{Key: "region", Title: "Region", Type: report.String},
		{Key: "pin_code", Title: "PIN code", Type: report.String, Width: 13},
		{Key: "country", Title: "Country", Type: report.String, Width: 12},
	}
)

// ReportColumns returns the columns of a report in the catalog, nil for a
// key that is not.
func ReportColumns(key string) []report.Column {
	switch key {
	case domain.ReportLicenseUsage:
		return licenseColumns
	case domain.ReportAssetInventory:
		return assetColumns
	case domain.ReportUsers:
		return userColumns
	case domain.ReportEntityDirectory:
		return entityColumns
	}
	return nil
}

// RunReport runs the report key over the caller's scope and hands it to w:
// its header, then (Asset Inventory) its summary rows, then its rows, each
// as the store's cursor yields it, inside one read transaction so every
// figure comes from one snapshot. customerID names the customer to run
// over; "" is every customer for organization users (records of no
// customer included, as the OrganizationGroup) and its own customer for a
// customer-scoped caller, which never sees another's and gets 404 for a
// report its customer does not support (catalogTarget). w.Finish is the
// caller's. An error before w.Start is a plain service error; one from w
// is returned as w gave it.
func (s *Service) RunReport(ctx context.Context, key, customerID string, opt ReportOptions, w report.Writer) error {
	ctx, p, err := begin(ctx, "RunReport")
	if err != nil {
		return err
	}
	now := s.clock()
	// The summary and the rows are separate statements: one snapshot, so
	// they agree however writers commit meanwhile (PostgreSQL's READ
	// COMMITTED would give each its own).
	ctx = store.WithSnapshot(ctx)
	return s.store.Read(ctx, func(tx store.Tx) error {
		entry, c, err := catalogTarget(ctx, tx, p, domain.Reports, func(c domain.Customer) []string { return c.Reports }, "report", key, customerID)
		if err != nil {
			return err
		}
		h := report.Header{Key: entry.Key, Title: entry.Name, GeneratedAt: now, Columns: ReportColumns(entry.Key)}
		id := ""
		if c != nil {
			id = c.ID
			h.CustomerID, h.CustomerName, h.CustomerCode = c.ID, c.Name, c.Code
			if opt.Logo {
				img, err := tx.LogoImage(ctx, p.Scope(), c.ID, domain.LogoFull, false, nil)
				switch {
				case err == nil:
					h.Logo = &report.Image{Format: img.Format, Data: img.Data}
				case domain.ErrorCode(err) != domain.ENotFound:
					return err
				}
			}
		}
		if entry.Key == domain.ReportAssetInventory {
			h.SummaryTitle, h.SummaryColumns = "Summary by entity and class", assetSummaryColumns
		}
		if err := w.Start(h); err != nil {
			return err
		}
		return runReport(ctx, tx, p.Scope(), entry.Key, id, w)
	})
}

func runReport(ctx context.Context, tx store.ReportTx, scope domain.Scope, key, customerID string, w report.Writer) error {
	switch key {
	case domain.ReportLicenseUsage:
		return tx.ReportLicenses(ctx, scope, customerID, func(l domain.LicenseLine) error {
			return w.Row([]any{l.CustomerID, l.CustomerName, l.CustomerCode, l.Type, domain.LicenseName(l.Type),
				l.Allocated, l.Used, l.Available(), l.PercentUsed()})
		})
	case domain.ReportAssetInventory:
		if err := tx.ReportAssetTally(ctx, scope, customerID, func(n domain.AssetTally) error {
			return w.Summary([]any{orNil(n.CustomerID), group(n.CustomerID, n.CustomerName), orNil(n.EntityID), orNil(n.EntityName), n.Class, n.Assets})
		}); err != nil {
			return err
		}
		return tx.ReportAssets(ctx, scope, customerID, func(a domain.AssetLine) error {
			return w.Row([]any{orNil(a.CustomerID), group(a.CustomerID, a.CustomerName), orNil(a.EntityID), orNil(a.EntityName),
				a.Class, a.ID, a.Name, a.AvailabilityMonitoring, a.PerformanceMonitoring, orNil(a.Serial), orNil(a.IPAddress)})
		})
	case domain.ReportUsers:
		return tx.ReportUsers(ctx, scope, customerID, func(u domain.UserLine) error {
			var entities any
			switch {
			case len(u.EntityNames) > 0:
				entities = strings.Join(u.EntityNames, "; ")
			case u.CustomerID != "":
				entities = WholeCustomer
			}
			return w.Row([]any{orNil(u.CustomerID), group(u.CustomerID, u.CustomerName), entities, u.ID, u.Email, u.Name,
				u.Kind, u.Role, u.IsActive})
		})
	case domain.ReportEntityDirectory:
		return tx.ReportEntities(ctx, scope, customerID, func(e domain.EntityLine) error {
			l := e.Location
			return w.Row([]any{e.CustomerID, e.CustomerName, e.ID, e.Name, orNil(e.Code), e.Type, e.IsActive,
				orNil(e.BusinessEmail), orNil(e.Phone), orNil(l.Name), orNil(l.AddressLine1), orNil(l.AddressLine2),
				orNil(l.Landmark), orNil(l.City), orNil(l.District), orNil(l.State), orNil(l.Region), orNil(l.PinCode), orNil(l.Country)})
		})
	}
	// catalogTarget has checked the key against the catalog.
	panic("service: report without a runner: " + key)
}

// orNil is nil for "" (JSON null, an empty CSV cell).
func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// group is a record's customer name, or OrganizationGroup for none.
func group(customerID, name string) string {
	if customerID == "" {
		return OrganizationGroup
	}
	return name
}
