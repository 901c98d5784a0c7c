package domain

import (
	"regexp"
	"slices"
	"time"
)

// Limits of a customer's fields (SPEC §2), in Unicode characters.
const (
	MaxCustomerName    = 100
	MinCustomerCode    = 2
	MaxCustomerCode    = 32
	MaxSubscriptionID  = 64
	MaxEmail           = 254
	MaxWebsite         = 2048
	MaxDomain          = 253
	MaxPhoneInputChars = 32
)

var codeRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Customer is one tenant of the MSP. Empty optional strings mean absent.
// The JSON form is the audit log's snapshot; the json tags (and the wire
// tags beside them) are also the members the API and the archive send
// (internal/wire).
type Customer struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Code           string `json:"code"`
	Domain         string `json:"domain,omitempty"`
	BusinessEmail  string `json:"business_email,omitempty"`
	Phone          string `json:"phone,omitempty"` // E.164
	Website        string `json:"website,omitempty"`
	SubscriptionID string `json:"subscription_id,omitempty"`
	IsActive       bool   `json:"is_active"`
	AdminRole      string `json:"admin_role"`
	// Reports and Dashboards are the keys of the catalog entries the
	// customer's people may list and run, in catalog order.
	Reports    []string   `json:"reports"`
	Dashboards []string   `json:"dashboards"`
	Location   Location   `json:"location"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	DeletedAt  *time.Time `json:"deleted_at,omitempty" wire:"-"`
	Version    int64      `json:"version"`

	// EntitiesCount, AssetsCount and UsersCount count live entities,
	// assets and users, filled by reads (sent, not part of the audit
	// snapshot).
	EntitiesCount int64 `json:"-" wire:"entities_count"`
	AssetsCount   int64 `json:"-" wire:"assets_count"`
	UsersCount    int64 `json:"-" wire:"users_count"`

	// FullLogo and Logomark describe the customer's logos, nil when it has
	// none, filled by the service's reads (not part of the audit snapshot).
	FullLogo *LogoInfo `json:"-"`
	Logomark *LogoInfo `json:"-"`
}

// NameKey is the folded name that uniqueness and search use.
func (c Customer) NameKey() string { return Fold(c.Name) }

// CodeKey is the folded code that uniqueness and search use.
func (c Customer) CodeKey() string { return Fold(c.Code) }

// CustomerInput is the writable part of a customer as a client sends it. The
// JSON names are the API's; the web UI fills the same struct from its form.
type CustomerInput struct {
	Name           string `json:"name"`
	Code           string `json:"code"`
	Domain         string `json:"domain"`
	BusinessEmail  string `json:"business_email"`
	Phone          string `json:"phone"`
	Website        string `json:"website"`
	SubscriptionID string `json:"subscription_id"`
	IsActive       *bool  `json:"is_active"`
	// AdminRole is the key of a customer-scope role: the widest role any of
	// the customer's users may hold. Empty means customer_admin.
	AdminRole string `json:"admin_role"`
	// Reports and Dashboards are catalog keys; nil means every entry of
	// the catalog, empty means none.
	Reports    []string `json:"reports"`
	Dashboards []string `json:"dashboards"`
	Location   Location `json:"location"`
}

// Input returns the writable part of c, the base a merge patch applies to.
func (c Customer) Input() CustomerInput {
	active := c.IsActive
	return CustomerInput{
		Name:           c.Name,
		Code:           c.Code,
		Domain:         c.Domain,
		BusinessEmail:  c.BusinessEmail,
		Phone:          c.Phone,
		Website:        c.Website,
		SubscriptionID: c.SubscriptionID,
		IsActive:       &active,
		AdminRole:      c.AdminRole,
		Reports:        slices.Clone(c.Reports),
		Dashboards:     slices.Clone(c.Dashboards),
		Location:       c.Location,
	}
}

// Normalize trims and checks every field of in against SPEC §2 and returns
// the customer it describes (without id, times or version). All failures are
// reported together as one EInvalid error. Uniqueness is not checked here:
// it needs the store and is checked inside the write transaction.
func (in CustomerInput) Normalize() (Customer, error) {
	var fe FieldErrors
	c := Customer{
		Name:           cleanName(&fe, "name", in.Name),
		Code:           cleanLine(&fe, "code", in.Code),
		Domain:         cleanLine(&fe, "domain", in.Domain),
		BusinessEmail:  cleanLine(&fe, "business_email", in.BusinessEmail),
		Phone:          cleanLine(&fe, "phone", in.Phone),
		Website:        cleanLine(&fe, "website", in.Website),
		SubscriptionID: cleanLine(&fe, "subscription_id", in.SubscriptionID),
		IsActive:       in.IsActive == nil || *in.IsActive,
		AdminRole:      cleanLine(&fe, "admin_role", in.AdminRole),
	}
	if c.AdminRole == "" {
		c.AdminRole = RoleCustomerAdmin
	}
	c.Reports = normalizeKeys(&fe, "reports", in.Reports, Reports)
	c.Dashboards = normalizeKeys(&fe, "dashboards", in.Dashboards, Dashboards)

	switch n := Len(c.Name); {
	case fe.Has("name"):
	case n == 0:
		fe.Add("name", FieldRequired, "Customer name is required.")
	case n > MaxCustomerName:
		fe.Add("name", FieldTooLong, "Must be at most "+itoa(MaxCustomerName)+" characters.")
	}
	switch {
	case fe.Has("code"):
	case c.Code == "":
		fe.Add("code", FieldRequired, "Customer code is required.")
	default:
		checkCode(&fe, "code", c.Code, MinCustomerCode, MaxCustomerCode)
	}

	loc, lfe := in.Location.Normalize()
	c.Location = loc
	fe = append(fe, lfe.Prefixed("location.")...)

	normalizeContact(&fe, "", &c.BusinessEmail, &c.Phone, c.Location.Country)
	if c.Domain != "" && !fe.Has("domain") {
		if Len(c.Domain) > MaxDomain {
			fe.Add("domain", FieldTooLong, "Must be at most "+itoa(MaxDomain)+" characters.")
		} else if d, ok := NormalizeDomain(c.Domain); ok {
			c.Domain = d
		} else {
			fe.Add("domain", FieldFormat, "Not a valid domain name, e.g. airtel.com.")
		}
	}
	if c.Website != "" && !fe.Has("website") {
		if Len(c.Website) > MaxWebsite {
			fe.Add("website", FieldTooLong, "Must be at most "+itoa(MaxWebsite)+" characters.")
		} else if w, ok := NormalizeWebsite(c.Website); ok {
			c.Website = w
		} else {
			fe.Add("website", FieldFormat, "Not an absolute http or https URL, e.g. https://www.airtel.com/.")
		}
	}
	if !fe.Has("subscription_id") {
		checkLen(&fe, "subscription_id", c.SubscriptionID, MaxSubscriptionID)
	}
	if err := fe.Err(); err != nil {
		return Customer{}, err
	}
	return c, nil
}

// checkCode checks the shape of a customer or entity code.
func checkCode(fe *FieldErrors, field, code string, min, max int) {
	switch n := Len(code); {
	case !codeRE.MatchString(code):
		fe.Add(field, FieldFormat, "Use only letters A–Z, digits, underscores and dashes, without spaces.")
	case n < min:
		fe.Add(field, FieldTooShort, "Must be at least "+itoa(min)+" characters.")
	case n > max:
		fe.Add(field, FieldTooLong, "Must be at most "+itoa(max)+" characters.")
	}
}

// normalizeContact checks the business email and phone shared by customers
// and entities; prefix is the JSON path of the record ("" or "entities[0].").
// Phone numbers without a leading "+" are read as national numbers of
// country, the record's location country.
func normalizeContact(fe *FieldErrors, prefix string, email, phone *string, country string) {
	if *email != "" && !fe.Has(prefix+"business_email") {
		if Len(*email) > MaxEmail {
			fe.Add(prefix+"business_email", FieldTooLong, "Must be at most "+itoa(MaxEmail)+" characters.")
		} else if e, ok := NormalizeEmail(*email); ok {
			*email = e
		} else {
			fe.Add(prefix+"business_email", FieldFormat, "Not a valid email address, e.g. enterprise@airtel.com.")
		}
	}
	if *phone != "" && !fe.Has(prefix+"phone") {
		if Len(*phone) > MaxPhoneInputChars {
			fe.Add(prefix+"phone", FieldTooLong, "Must be at most "+itoa(MaxPhoneInputChars)+" characters.")
		} else if p, msg, ok := NormalizePhone(*phone, country); ok {
			*phone = p
		} else {
			fe.Add(prefix+"phone", FieldFormat, msg)
		}
	}
}

// CustomerSort is an allowed ordering of the customer list.
type CustomerSort string

// The orderings of SPEC §5; a leading "-" means descending.
const (
	SortNameAsc       CustomerSort = "name"
	SortNameDesc      CustomerSort = "-name"
	SortCodeAsc       CustomerSort = "code"
	SortCodeDesc      CustomerSort = "-code"
	SortCreatedAtAsc  CustomerSort = "created_at"
	SortCreatedAtDesc CustomerSort = "-created_at"
)

// Valid reports whether s is one of the allowed orderings.
func (s CustomerSort) Valid() bool {
	switch s {
	case SortNameAsc, SortNameDesc, SortCodeAsc, SortCodeDesc, SortCreatedAtAsc, SortCreatedAtDesc:
		return true
	}
	return false
}

// Page sizes of lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// CustomerFilter selects a page of the customer list.
type CustomerFilter struct {
	// Where restricts the list; nil means every live customer. The search
	// box, the query-parameter conditions and the filter tree are combined
	// into it with AND.
	Where  *Filter
	Sort   CustomerSort
	Limit  int
	Cursor *Cursor // nil: first page
}

// CustomerPage is one page of the customer list.
type CustomerPage struct {
	Items []Customer
	Next  *Cursor // nil on the last page
	// Total counts every customer the filter selects. It is exact when
	// TotalExact is set; otherwise the filter selects more than
	// TotalCountLimit customers and Total is that lower bound.
	Total      int64
	TotalExact bool
}

// TotalCountLimit is how far the list counts a filtered result exactly.
// Counting a broad filter over 100,000 customers would cost more than the
// page itself, so beyond this the list says "at least" (API.md allows it).
// The unfiltered total and single negated equality conditions are always
// exact: they cost one row read and one index probe.
const TotalCountLimit = 1000
