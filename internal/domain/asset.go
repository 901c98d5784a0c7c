package domain

import (
	"net/netip"
	"time"
)

// Asset classes (SPEC §2). Each counts against its own license type.
const (
	AssetIT     = "it"
	AssetNonIT  = "non_it"
	AssetMobile = "mobile"
)

// AssetClasses lists the classes in the order the UI offers them.
var AssetClasses = []string{AssetIT, AssetNonIT, AssetMobile}

// Asset is a device or item the MSP manages, mapped to a customer and
// optionally to one of that customer's entities (never another's).
type Asset struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Class string `json:"class"`
	// Where it is mapped: a customer (none: the organization's own) and
	// optionally one of that customer's entities.
	CustomerID string `json:"customer_id,omitempty"`
	EntityID   string `json:"entity_id,omitempty"`
	// Each monitoring flag takes one license of its type from the
	// customer's allocation, as the class takes one of its own (Usage).
	AvailabilityMonitoring bool       `json:"availability_monitoring"`
	PerformanceMonitoring  bool       `json:"performance_monitoring"`
	Serial                 string     `json:"serial,omitempty"`
	IPAddress              string     `json:"ip_address,omitempty"`
	CreatedAt              time.Time  `json:"created_at"`
	UpdatedAt              time.Time  `json:"updated_at"`
	DeletedAt              *time.Time `json:"deleted_at,omitempty" wire:"-"`
	Version                int64      `json:"version"`
}

// Limits of an asset's fields.
const (
	MaxAssetName = 200
	MaxSerial    = 100
)

// AssetInput is the writable part of an asset.
type AssetInput struct {
	Name                   string `json:"name"`
	Class                  string `json:"class"`
	CustomerID             string `json:"customer_id"`
	EntityID               string `json:"entity_id"`
	AvailabilityMonitoring *bool  `json:"availability_monitoring"`
	PerformanceMonitoring  *bool  `json:"performance_monitoring"`
	Serial                 string `json:"serial"`
	IPAddress              string `json:"ip_address"`
}

// Normalize checks an asset's own fields. Whether the customer and entity
// exist, are in the caller's scope and belong together (an entity needs its
// customer, which a customer-scoped caller need not name) is checked in the
// write transaction.
func (in AssetInput) Normalize() (Asset, error) {
	var fe FieldErrors
	a := Asset{
		Name: cleanName(&fe, "name", in.Name), Class: cleanLine(&fe, "class", in.Class),
		CustomerID: cleanLine(&fe, "customer_id", in.CustomerID), EntityID: cleanLine(&fe, "entity_id", in.EntityID),
		Serial: cleanLine(&fe, "serial", in.Serial), IPAddress: cleanLine(&fe, "ip_address", in.IPAddress),
		AvailabilityMonitoring: in.AvailabilityMonitoring != nil && *in.AvailabilityMonitoring,
		PerformanceMonitoring:  in.PerformanceMonitoring != nil && *in.PerformanceMonitoring,
	}
	switch n := Len(a.Name); {
	case fe.Has("name"):
	case n == 0:
		fe.Add("name", FieldRequired, "Asset name is required.")
	case n > MaxAssetName:
		fe.Add("name", FieldTooLong, "Must be at most "+itoa(MaxAssetName)+" characters.")
	}
	switch {
	case fe.Has("class"):
	case a.Class == "":
		fe.Add("class", FieldRequired, "Asset class is required: it, non_it or mobile.")
	case a.Class == AssetIT, a.Class == AssetNonIT, a.Class == AssetMobile:
	default:
		fe.Add("class", FieldUnknown, "Must be it, non_it or mobile.")
	}
	if !fe.Has("serial") {
		checkLen(&fe, "serial", a.Serial, MaxSerial)
	}
	if a.IPAddress != "" && !fe.Has("ip_address") {
		ip, err := netip.ParseAddr(a.IPAddress)
		if err != nil || ip.Zone() != "" {
			fe.Add("ip_address", FieldFormat, "Not an IPv4 or IPv6 address.")
		} else {
			a.IPAddress = ip.Unmap().String()
		}
	}
	if err := fe.Err(); err != nil {
		return Asset{}, err
	}
	return a, nil
}

// NameKey is the folded name the asset list sorts by.
func (a Asset) NameKey() string { return Fold(a.Name) }

// AssetFilter selects a page of assets, sorted by name.
type AssetFilter struct {
	CustomerID string // "" for all in scope
	EntityID   string
	Limit      int
	Cursor     *Cursor
}

// AssetPage is one page of assets.
type AssetPage = Page[Asset]
