// Package webform is the web UI's forms as data and pure functions: the
// field schema of each form (labels, examples, limits, kinds), the mapping
// between the domain's inputs and a form's url.Values through it, and the
// steps of the Add / Edit Customer wizard. It knows nothing of requests,
// templates or the service.
package webform

import (
	"strings"

	"github.com/custreg/custreg/internal/domain"
)

// Kind says how a field of the customer form is drawn.
type Kind string

const (
	Text    Kind = "text"
	Country Kind = "country"
	Phone   Kind = "phone"
	Toggle  Kind = "toggle"
	Select  Kind = "select" // a fixed list of choices (an entity's type)
)

// Field is one field of a form. Path is relative to the record the
// field belongs to ("location.pin_code"); a form section places it under a
// prefix ("" for the customer, "entity." for the entity editor). Labels and
// examples are the seed's words (customer-registration-seed.md); limits are
// the domain's constants.
type Field struct {
	Path         string // the domain's field path
	Label        string
	Placeholder  string
	Max          int
	Type         string // the input type for kindText
	Kind         Kind
	Required     bool
	Autocomplete string
	Hint         string
	Wide         bool // spans both columns of the form grid
	Code         bool // a code: no spell checking, no capitalisation
	ReadOnly     bool // shown but not changed (a user's email once created)
	Disabled     bool // shown but not offered (a choice the caller cannot make)
	// OnLabel and OffLabel are a toggle's words; "Active" and "Inactive"
	// when empty.
	OnLabel, OffLabel string
	// Tidy, when set, is applied to a text field's posted value before it
	// goes into the input (WithScheme, HostOnly); what the form shows
	// again is what was typed.
	Tidy func(string) string
}

// maxPhoneNumber leaves room in domain.MaxPhoneInputChars for the "+<code> "
// that the country-code picker adds.
const MaxPhoneNumber = domain.MaxPhoneInputChars - 6

// Section is a group of fields that a person reads as one block.
type Section struct {
	Legend string
	Fields []Field
}

// LocationFields is the location block, shared by customers and entities
// as the domain shares its rules.
var LocationFields = []Field{
	{Path: "location.location_name", Label: "Location Name", Placeholder: "Airtel Corporate HQ", Max: domain.MaxLocationName, Type: "text", Wide: true},
	{Path: "location.country", Label: "Country", Placeholder: "United States", Kind: Country, Autocomplete: "country"},
	{Path: "location.region", Label: "Region", Placeholder: "North America", Max: domain.MaxRegion, Type: "text"},
	{Path: "location.state", Label: "State", Placeholder: "New York", Max: domain.MaxState, Type: "text", Autocomplete: "address-level1"},
	{Path: "location.district", Label: "District", Placeholder: "New York County", Max: domain.MaxDistrict, Type: "text"},
	{Path: "location.city", Label: "City", Placeholder: "New York", Max: domain.MaxCity, Type: "text", Autocomplete: "address-level2"},
	{Path: "location.pin_code", Label: "Pin Code", Placeholder: "10036", Max: domain.MaxPinCode, Type: "text", Autocomplete: "postal-code", Code: true},
	{Path: "location.landmark", Label: "Landmark", Placeholder: "Near Bryant Park", Max: domain.MaxLandmark, Type: "text", Wide: true},
	{Path: "location.address_line1", Label: "Flat, House No., Building, Company", Placeholder: "1095 Avenue of the Americas", Max: domain.MaxAddressLine, Type: "text", Wide: true, Autocomplete: "address-line1"},
	{Path: "location.address_line2", Label: "Area, Colony, Street, Sector, Village", Placeholder: "Midtown Manhattan", Max: domain.MaxAddressLine, Type: "text", Wide: true, Autocomplete: "address-line2"},
}

// CustomerSections groups the Customer Details step into what a person reads
// as two blocks: the customer and its location.
var CustomerSections = []Section{
	{"Customer", []Field{
		{Path: "name", Label: "Customer Name", Placeholder: "Airtel", Max: domain.MaxCustomerName, Type: "text", Required: true, Autocomplete: "organization"},
		{Path: "code", Label: "Code", Placeholder: "AIR001", Max: domain.MaxCustomerCode, Type: "text", Required: true, Code: true,
			Hint: "2–32 letters, digits, _ or -. Unique among customers."},
		{Path: "domain", Label: "Domain", Placeholder: "airtel.com", Max: domain.MaxDomain, Type: "text", Code: true, Tidy: HostOnly,
			Hint: "A web address pasted here is trimmed to its host name."},
		{Path: "business_email", Label: "Business Email", Placeholder: "enterprise@airtel.com", Max: domain.MaxEmail, Type: "email", Autocomplete: "email", Code: true},
		{Path: "phone", Label: "Phone Number", Placeholder: "201 555 0123", Max: MaxPhoneNumber, Type: "tel", Kind: Phone, Autocomplete: "tel-national"},
		{Path: "website", Label: "Website", Placeholder: "https://www.airtel.com/", Max: domain.MaxWebsite, Type: "text", Autocomplete: "url", Code: true,
			Tidy: WithScheme, Hint: "https:// is added when you leave it out."},
		{Path: "subscription_id", Label: "Subscription ID", Placeholder: "SUBAIR2026001", Max: domain.MaxSubscriptionID, Type: "text", Code: true},
		{Path: "is_active", Label: "Is Active", Kind: Toggle},
	}},
	{"Location", LocationFields},
}

// EntitySections are the fields of one entity (SPEC §2 "Entity"): its own
// contact and the same location block as a customer. The seed shows no
// examples for entities, so the placeholders continue the customer's.
var EntitySections = []Section{
	{"Entity", []Field{
		{Path: "name", Label: "Entity Name", Placeholder: "Airtel Mumbai Branch", Max: domain.MaxEntityName, Type: "text", Required: true,
			Hint: "Unique within this customer."},
		{Path: "code", Label: "Entity Code", Placeholder: "AIR-MUM", Max: domain.MaxEntityCode, Type: "text", Code: true,
			Hint: "Optional; 2–32 letters, digits, _ or -."},
		{Path: "type", Label: "Type", Kind: Select},
		{Path: "business_email", Label: "Business Email", Placeholder: "mumbai@airtel.com", Max: domain.MaxEmail, Type: "email", Code: true},
		{Path: "phone", Label: "Phone Number", Placeholder: "201 555 0124", Max: MaxPhoneNumber, Type: "tel", Kind: Phone},
		{Path: "is_active", Label: "Is Active", Kind: Toggle},
	}},
	{"Location", LocationFields},
}

// ID is the id of the input of a field path ("entity.location.pin_code"
// → "f-entity-location-pin-code"); its message element is ID+"-error".
func ID(path string) string {
	return "f-" + strings.NewReplacer(".", "-", "_", "-").Replace(path)
}

// Label returns the label of a field path of sections, or the path.
func Label(sections []Section, path string) string {
	for _, s := range sections {
		for _, f := range s.Fields {
			if f.Path == path {
				return f.Label
			}
		}
	}
	return path
}
