package domain

import "time"

// Usage history (docs/api.md, "Dashboards").
const (
	// UsageHistoryDays is how many days of history the License Utilization
	// dashboard draws, today included.
	UsageHistoryDays = 90
	// UsageRetentionDays is how long the daily snapshots are kept: the
	// snapshot job deletes days older than this.
	UsageRetentionDays = 400
	// DayLayout is how a UTC day is written (and stored).
	DayLayout = "2006-01-02"
)

// Day returns the UTC day of t, as DayLayout writes it.
func Day(t time.Time) string { return t.UTC().Format(DayLayout) }

// UsageSnapshot is what one run of the usage-snapshot job did.
type UsageSnapshot struct {
	// Day is the UTC day the run took.
	Day string
	// Written is the number of (customer, type) rows the run wrote for
	// the day: 0 when another run (on this node or another) took it first.
	Written int64
	// Pruned is the number of rows older than the retention it deleted.
	Pruned int64
}

// UsagePoint is one license type's figures on one day of the history: a
// customer's, or the sum over customers.
type UsagePoint struct {
	Day       string
	Type      string
	Allocated int64
	Used      int64
}

// Count is one bar of a chart: a key, its label and a number.
type Count struct {
	Key   string
	Label string
	N     int64
}

// EntityFigures is one entity of the Customer Overview's list.
type EntityFigures struct {
	ID           string
	Name         string
	CustomerName string // the entity's customer, in the organization view
	Assets       int64
	Users        int64
}

// Overview is the Customer Overview dashboard's figures, over one
// customer or every customer, within the caller's scope.
type Overview struct {
	Customers      int64 // customers counted (1 for one customer)
	Entities       int64
	Assets         int64
	Users          int64
	ActiveUsers    int64
	InactiveUsers  int64
	AssetsByClass  []Count // every class, in AssetClasses order
	UsersByKind    []Count // every kind: users, technicians
	TopEntities    []EntityFigures
	AssetsByEntity []Count // the top entities and, last, "other"
}

// LicenseUse is one license type's allocation and use now.
type LicenseUse struct {
	Type      string
	Allocated int64
	Used      int64
}

// Level is how close to its allocation a use is, for the dashboards'
// colours: LevelNormal below 80 %, LevelWarn from 80 %, LevelFull at
// 100 % (and beyond); LevelNone when nothing is allocated.
const (
	LevelNone   = "none"
	LevelNormal = "normal"
	LevelWarn   = "warn"
	LevelFull   = "full"
)

// UsageLevel classes used of allocated, by exact integer comparison so
// that 79.9 % is still normal.
func UsageLevel(allocated, used int64) string {
	switch {
	case allocated <= 0 && used <= 0:
		return LevelNone
	case used >= allocated:
		return LevelFull
	case used*100 >= allocated*80:
		return LevelWarn
	}
	return LevelNormal
}

// UsagePercent is used of allocated in whole percent, rounded down (so a
// figure shown below 80 is never amber); 0 when nothing is allocated.
func UsagePercent(allocated, used int64) int64 {
	if allocated <= 0 {
		if used > 0 {
			return 100
		}
		return 0
	}
	return used * 100 / allocated
}

// NearLimit is one customer of the organization's "closest to the limit"
// table: the license type it uses most of, relative to its allocation.
type NearLimit struct {
	CustomerID   string
	CustomerName string
	Type         string
	Allocated    int64
	Used         int64
}

// Utilization is the License Utilization dashboard's figures.
type Utilization struct {
	Licenses []LicenseUse // every type, in LicenseTypes order
	// History holds the daily points from From to To (UTC days, To being
	// today), by day then type; days without a snapshot have no points.
	History  []UsagePoint
	From, To string
	// NearLimit is, for the organization view only, the customers
	// closest to their allocation (top 10 by highest percent used).
	NearLimit []NearLimit
}

// Dashboard is one dashboard as run: its catalog entry, the customer it
// ran over (nil for every customer) and the figures of its kind.
type Dashboard struct {
	Entry       CatalogEntry
	Customer    *Customer
	At          time.Time
	Overview    *Overview
	Utilization *Utilization
}

// AssetClassName is the English name of an asset class, plural, as the
// dashboards label it.
func AssetClassName(class string) string {
	switch class {
	case AssetIT:
		return "IT assets"
	case AssetNonIT:
		return "Non-IT assets"
	case AssetMobile:
		return "Mobile devices"
	}
	return class
}

// UserKindName is the English name of a user kind, plural.
func UserKindName(kind string) string {
	switch kind {
	case KindUser:
		return "Users"
	case KindTechnician:
		return "Technicians"
	}
	return kind
}
