package domain

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// License types (SPEC §3), in the order the UI shows them: the user
// licenses, then the asset licenses.
const (
	LicenseUsers         = "users"
	LicenseTechnicians   = "technicians"
	LicenseITAssets      = "it_assets"
	LicenseNonITAssets   = "non_it_assets"
	LicenseMobileDevices = "mobile_devices"
	LicenseAvailability  = "availability_monitoring"
	LicensePerformance   = "performance_monitoring"
)

// LicenseTypes lists every license type in display order.
var LicenseTypes = []string{LicenseUsers, LicenseTechnicians, LicenseITAssets, LicenseNonITAssets,
	LicenseMobileDevices, LicenseAvailability, LicensePerformance}

// UserLicenseTypes and AssetLicenseTypes are the two groups the wizard and
// the sidebar show ("User License Count", "Asset License Count").
var (
	UserLicenseTypes  = LicenseTypes[:2]
	AssetLicenseTypes = LicenseTypes[2:]
)

// LicenseName is the English name of a license type.
func LicenseName(t string) string {
	switch t {
	case LicenseUsers:
		return "Users"
	case LicenseTechnicians:
		return "Technicians"
	case LicenseITAssets:
		return "IT assets"
	case LicenseNonITAssets:
		return "Non-IT assets"
	case LicenseMobileDevices:
		return "Mobile devices"
	case LicenseAvailability:
		return "Availability monitoring"
	case LicensePerformance:
		return "Performance monitoring"
	}
	return t
}

// MaxLicenseCount bounds every pool and allocation.
const MaxLicenseCount = 1_000_000_000

// Licenses is a count per license type; types absent count zero.
type Licenses map[string]int64

// Add adds o to l, type by type.
func (l Licenses) Add(o Licenses, sign int64) {
	for t, n := range o {
		l[t] += sign * n
	}
}

// Usage is what a live user takes from its customer's licenses: one user
// or technician licence while it is active.
func (u User) Usage() Licenses {
	if !u.IsActive {
		return nil
	}
	if u.Kind == KindTechnician {
		return Licenses{LicenseTechnicians: 1}
	}
	return Licenses{LicenseUsers: 1}
}

// Usage is what a live asset takes: a licence of its class, and one per
// monitoring turned on.
func (a Asset) Usage() Licenses {
	l := Licenses{}
	switch a.Class {
	case AssetIT:
		l[LicenseITAssets] = 1
	case AssetNonIT:
		l[LicenseNonITAssets] = 1
	case AssetMobile:
		l[LicenseMobileDevices] = 1
	}
	if a.AvailabilityMonitoring {
		l[LicenseAvailability] = 1
	}
	if a.PerformanceMonitoring {
		l[LicensePerformance] = 1
	}
	return l
}

// OrgLicense is one license type of the organization: its pool (nil for
// unlimited), how much of it customers are allocated, and how much is used
// by everyone (customers' records and the organization's own).
type OrgLicense struct {
	Type      string
	Pool      *int64
	Allocated int64
	Used      int64
	// OrgUsed is the part of Used taken by records of no customer; it must
	// fit in the pool's unallocated part.
	OrgUsed int64
}

// Unallocated is the part of the pool no customer holds, nil if the pool is
// unlimited.
func (l OrgLicense) Unallocated() *int64 {
	if l.Pool == nil {
		return nil
	}
	n := *l.Pool - l.Allocated
	return &n
}

// CustomerLicense is one license type of a customer.
type CustomerLicense struct {
	Type      string
	Allocated int64
	Used      int64
}

// Available is what the customer may still use.
func (l CustomerLicense) Available() int64 { return max(l.Allocated-l.Used, 0) }

// PercentUsed is used against allocated, rounded down; 0 with nothing
// allocated.
func (l CustomerLicense) PercentUsed() int64 {
	if l.Allocated == 0 {
		return 0
	}
	return l.Used * 100 / l.Allocated
}

// License limits an excess is measured against.
const (
	LimitAllocation  = "allocation"  // a customer's allocation of the type
	LimitPool        = "pool"        // the organization's pool
	LimitUnallocated = "unallocated" // the part of the pool no customer holds
)

// LicenseExcess says which invariant a refused change would break: the
// type, the limit and the figure the change would have reached.
type LicenseExcess struct {
	Type       string `json:"license_type"`
	Limit      string `json:"limit_kind"`
	LimitValue int64  `json:"limit"`
	Result     int64  `json:"would_be"`
	CustomerID string `json:"customer_id,omitempty"`
	// Lowering is set when an allocation or a pool was asked below what
	// is already taken: LimitValue is the value asked for, Result what is
	// taken.
	Lowering bool `json:"-"`
}

// ErrLicense returns the 409 problem for x, with a message that says what
// a person needs to fix the request.
func ErrLicense(x LicenseExcess, customerName string) *Error {
	name := LicenseName(x.Type)
	var msg string
	switch x.Limit {
	case LimitAllocation:
		if x.Lowering {
			msg = fmt.Sprintf("%s: %s uses %d, so its allocation cannot be lowered to %d. Free some first, or allocate at least %d.", name, customerName, x.Result, x.LimitValue, x.Result)
		} else {
			msg = fmt.Sprintf("%s: %s is allocated %d and this would make %d used. Raise its allocation or free some first.", name, customerName, x.LimitValue, x.Result)
		}
	case LimitPool:
		if x.Lowering {
			msg = fmt.Sprintf("%s: the new pool is %d, but customers' allocations and the organization's own use already take %d. Lower allocations first.", name, x.LimitValue, x.Result)
		} else {
			msg = fmt.Sprintf("%s: the organization's pool is %d, and this would take %d of it (customers' allocations plus the organization's own use). Raise the pool or lower other allocations first.", name, x.LimitValue, x.Result)
		}
	case LimitUnallocated:
		msg = fmt.Sprintf("%s: the organization's own records may use the %d not allocated to customers, and this would make %d. Raise the pool or lower allocations first.", name, x.LimitValue, x.Result)
	}
	return &Error{Code: EConflict, Type: "license-exceeded", Message: msg, License: &x, Excesses: []LicenseExcess{x}}
}

// ErrLicenses returns the 409 problem for every invariant in xs (at least
// one): their messages together, the first as License.
func ErrLicenses(xs []LicenseExcess, customerName string) *Error {
	if len(xs) == 1 {
		return ErrLicense(xs[0], customerName)
	}
	msgs := make([]string, len(xs))
	for i, x := range xs {
		msgs[i] = ErrLicense(x, customerName).Message
	}
	first := xs[0]
	return &Error{Code: EConflict, Type: "license-exceeded", Message: fmt.Sprintf("%d license types would go over their limit. ", len(xs)) + strings.Join(msgs, " "),
		License: &first, Excesses: xs}
}

// LicenseCounts is a JSON object of license counts by type, as requests
// send them: {"users": 10, "it_assets": 50}. Unknown types and bad counts
// are field errors under prefix ("pool.users").
type LicenseCounts map[string]*int64

// Normalize checks every count: a known type and an integer from 0 to
// MaxLicenseCount; null is allowed when nullable (an unlimited pool).
func (c LicenseCounts) Normalize(prefix string, nullable bool) (map[string]*int64, error) {
	var fe FieldErrors
	out := map[string]*int64{}
	for t, n := range c {
		field := prefix + t
		switch {
		case !slices.Contains(LicenseTypes, t):
			fe.Add(field, FieldUnknown, "Not a license type.")
		case n == nil && !nullable:
			fe.Add(field, FieldRequired, "Give a count from 0 to "+strconv.Itoa(MaxLicenseCount)+".")
		case n != nil && (*n < 0 || *n > MaxLicenseCount):
			fe.Add(field, FieldFormat, "Give a count from 0 to "+strconv.Itoa(MaxLicenseCount)+".")
		default:
			out[t] = n
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// MarshalJSON writes the counts of every type, absent ones as 0.
func (l Licenses) MarshalJSON() ([]byte, error) {
	m := make(map[string]int64, len(LicenseTypes))
	for _, t := range LicenseTypes {
		m[t] = l[t]
	}
	return json.Marshal(m)
}
