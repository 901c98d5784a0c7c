// Package wire holds custreg's records as it sends them: the JSON of the
// API and of the customer archive, one shape for both, so that a program
// that reads one reads the other. Every member is always present; absent
// optional values are null. Each record's members are declared here once,
// with the one function that fills them from the domain record.
package wire

import (
	"time"

	"github.com/custreg/custreg/internal/domain"
)

// Opt is an optional text value: null when empty.
func Opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// list is never null: an empty list is [].
func list(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Location is the location block; the country comes with its English name.
type Location struct {
	LocationName *string `json:"location_name"`
	Country      *string `json:"country"`
	CountryName  *string `json:"country_name"`
	Region       *string `json:"region"`
	State        *string `json:"state"`
	District     *string `json:"district"`
	City         *string `json:"city"`
	PinCode      *string `json:"pin_code"`
	Landmark     *string `json:"landmark"`
	AddressLine1 *string `json:"address_line1"`
	AddressLine2 *string `json:"address_line2"`
}

// LocationOf is l as it is sent.
func LocationOf(l domain.Location) Location {
	return Location{
		LocationName: Opt(l.Name), Country: Opt(l.Country), CountryName: Opt(domain.CountryName(l.Country)),
		Region: Opt(l.Region), State: Opt(l.State), District: Opt(l.District), City: Opt(l.City),
		PinCode: Opt(l.PinCode), Landmark: Opt(l.Landmark), AddressLine1: Opt(l.AddressLine1), AddressLine2: Opt(l.AddressLine2),
	}
}

// Customer is a customer. Its logos are described by L: the API says
// where to fetch each, the archive which of its files holds it.
type Customer[L any] struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Code           string    `json:"code"`
	Domain         *string   `json:"domain"`
	BusinessEmail  *string   `json:"business_email"`
	Phone          *string   `json:"phone"`
	Website        *string   `json:"website"`
	SubscriptionID *string   `json:"subscription_id"`
	IsActive       bool      `json:"is_active"`
	AdminRole      string    `json:"admin_role"`
	Reports        []string  `json:"reports"`
	Dashboards     []string  `json:"dashboards"`
	Location       Location  `json:"location"`
	EntitiesCount  int64     `json:"entities_count"`
	AssetsCount    int64     `json:"assets_count"`
	UsersCount     int64     `json:"users_count"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Version        int64     `json:"version"`
	FullLogo       *L        `json:"full_logo"`
	Logomark       *L        `json:"logomark"`
}

// CustomerOf is c as it is sent, each logo it has described by logo.
func CustomerOf[L any](c domain.Customer, logo func(*domain.LogoInfo) *L) Customer[L] {
	out := Customer[L]{
		ID: c.ID, Name: c.Name, Code: c.Code, Domain: Opt(c.Domain), BusinessEmail: Opt(c.BusinessEmail),
		Phone: Opt(c.Phone), Website: Opt(c.Website), SubscriptionID: Opt(c.SubscriptionID), IsActive: c.IsActive,
		AdminRole: c.AdminRole, Reports: list(c.Reports), Dashboards: list(c.Dashboards), Location: LocationOf(c.Location),
		EntitiesCount: c.EntitiesCount, AssetsCount: c.AssetsCount, UsersCount: c.UsersCount,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version,
	}
	if c.FullLogo != nil {
		out.FullLogo = logo(c.FullLogo)
	}
	if c.Logomark != nil {
		out.Logomark = logo(c.Logomark)
	}
	return out
}

// Entity is an entity of a customer.
type Entity struct {
	ID            string    `json:"id"`
	CustomerID    string    `json:"customer_id"`
	Name          string    `json:"name"`
	Code          *string   `json:"code"`
	Type          string    `json:"type"`
	BusinessEmail *string   `json:"business_email"`
	Phone         *string   `json:"phone"`
	IsActive      bool      `json:"is_active"`
	Location      Location  `json:"location"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	Version       int64     `json:"version"`
}

// EntityOf is e as it is sent.
func EntityOf(e domain.Entity) Entity {
	return Entity{ID: e.ID, CustomerID: e.CustomerID, Name: e.Name, Code: Opt(e.Code), Type: e.Type,
		BusinessEmail: Opt(e.BusinessEmail), Phone: Opt(e.Phone), IsActive: e.IsActive, Location: LocationOf(e.Location),
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, Version: e.Version}
}

// User is a user; its password hash, sessions and tokens never leave.
type User struct {
	ID         string    `json:"id"`
	Email      string    `json:"email"`
	Name       string    `json:"name"`
	Kind       string    `json:"kind"`
	Role       string    `json:"role"`
	CustomerID *string   `json:"customer_id"`
	EntityIDs  []string  `json:"entity_ids"`
	IsActive   bool      `json:"is_active"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Version    int64     `json:"version"`
}

// UserOf is u as it is sent.
func UserOf(u domain.User) User {
	return User{ID: u.ID, Email: u.Email, Name: u.Name, Kind: u.Kind, Role: u.Role, CustomerID: Opt(u.CustomerID),
		EntityIDs: list(u.EntityIDs), IsActive: u.IsActive, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, Version: u.Version}
}

// Asset is an asset.
type Asset struct {
	ID                     string    `json:"id"`
	Name                   string    `json:"name"`
	Class                  string    `json:"class"`
	CustomerID             *string   `json:"customer_id"`
	EntityID               *string   `json:"entity_id"`
	AvailabilityMonitoring bool      `json:"availability_monitoring"`
	PerformanceMonitoring  bool      `json:"performance_monitoring"`
	Serial                 *string   `json:"serial"`
	IPAddress              *string   `json:"ip_address"`
	CreatedAt              time.Time `json:"created_at"`
	UpdatedAt              time.Time `json:"updated_at"`
	Version                int64     `json:"version"`
}

// AssetOf is a as it is sent.
func AssetOf(a domain.Asset) Asset {
	return Asset{ID: a.ID, Name: a.Name, Class: a.Class, CustomerID: Opt(a.CustomerID), EntityID: Opt(a.EntityID),
		AvailabilityMonitoring: a.AvailabilityMonitoring, PerformanceMonitoring: a.PerformanceMonitoring,
		Serial: Opt(a.Serial), IPAddress: Opt(a.IPAddress), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Version: a.Version}
}
