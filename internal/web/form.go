package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/custreg/custreg/internal/domain"
)

// fieldRef ties a field path of the domain's errors ("location.pin_code")
// to the input that shows it.
type fieldRef struct {
	ID    string // the input's id; its message element is ID+"-error"
	Label string // the label, for the error summary
}

// formErrors holds what a rejected form shows: a message per field, the
// summary at the top of the form, and an alert for errors that belong to no
// field (a stale version, a conflict).
type formErrors struct {
	Fields  map[string]string // field path → message
	Summary []summaryItem
	Alert   string
	// Reload, when set, links to a fresh copy of what was edited (after a
	// stale version).
	Reload string
}

// summaryItem is one line of the error summary; ID is empty for an error
// that has no input on this form.
type summaryItem struct {
	ID, Label, Message string
}

// newFormErrors turns a domain error into what a form shows. Field paths
// without an input on the form still appear in the summary, so no message
// is lost.
func newFormErrors(err error, refs map[string]fieldRef) formErrors {
	f := formErrors{Fields: map[string]string{}}
	var de *domain.Error
	if !errors.As(err, &de) {
		f.Alert = "An internal error occurred."
		return f
	}
	if len(de.Fields) == 0 {
		f.Alert = de.Message
		return f
	}
	for _, fe := range de.Fields {
		ref, ok := refs[fe.Field]
		if !ok {
			f.Summary = append(f.Summary, summaryItem{Label: fe.Field, Message: fe.Message})
			continue
		}
		if prev, dup := f.Fields[fe.Field]; dup {
			f.Fields[fe.Field] = prev + " " + fe.Message
			for i := range f.Summary {
				if f.Summary[i].ID == ref.ID {
					f.Summary[i].Message = f.Fields[fe.Field]
				}
			}
			continue
		}
		f.Fields[fe.Field] = fe.Message
		f.Summary = append(f.Summary, summaryItem{ID: ref.ID, Label: ref.Label, Message: fe.Message})
	}
	return f
}

// Any reports whether the form has anything to show.
func (f formErrors) Any() bool { return f.Alert != "" || len(f.Summary) > 0 }

// Msg returns the message of a field path, or "".
func (f formErrors) Msg(field string) string { return f.Fields[field] }

// fieldKind says how a field of the customer form is drawn.
type fieldKind string

const (
	kindText    fieldKind = "text"
	kindCountry fieldKind = "country"
	kindPhone   fieldKind = "phone"
	kindToggle  fieldKind = "toggle"
)

// fieldDef is one field of the customer form. Labels and examples are the
// seed's words (customer-registration-seed.md, Customer Details); limits are
// the domain's constants.
type fieldDef struct {
	Path         string // the domain's field path and the input's name
	ID           string
	Label        string
	Placeholder  string
	Max          int
	Type         string // the input type for kindText
	Kind         fieldKind
	Required     bool
	Autocomplete string
	Hint         string
	Wide         bool // spans both columns of the form grid
	Code         bool // a code: no spell checking, no capitalisation
}

// maxPhoneNumber leaves room in domain.MaxPhoneInputChars for the "+<code> "
// that the country-code picker adds.
const maxPhoneNumber = domain.MaxPhoneInputChars - 6

// customerSections groups the Customer Details step into what a person reads
// as two blocks: the customer and its location.
var customerSections = []struct {
	Legend string
	Fields []fieldDef
}{
	{"Customer", []fieldDef{
		{Path: "name", Label: "Customer Name", Placeholder: "Airtel", Max: domain.MaxCustomerName, Type: "text", Required: true, Autocomplete: "organization"},
		{Path: "code", Label: "Code", Placeholder: "AIR001", Max: domain.MaxCustomerCode, Type: "text", Required: true, Code: true,
			Hint: "2–32 letters, digits, _ or -. Unique among customers."},
		{Path: "domain", Label: "Domain", Placeholder: "airtel.com", Max: domain.MaxDomain, Type: "text", Code: true},
		{Path: "business_email", Label: "Business Email", Placeholder: "enterprise@airtel.com", Max: domain.MaxEmail, Type: "email", Autocomplete: "email", Code: true},
		{Path: "phone", Label: "Phone Number", Placeholder: "25********8", Max: maxPhoneNumber, Type: "tel", Kind: kindPhone, Autocomplete: "tel-national"},
		{Path: "website", Label: "Website", Placeholder: "https://www.airtel.com/", Max: domain.MaxWebsite, Type: "url", Autocomplete: "url", Code: true},
		{Path: "subscription_id", Label: "Subscription ID", Placeholder: "SUBAIR2026001", Max: domain.MaxSubscriptionID, Type: "text", Code: true},
		{Path: "is_active", Label: "Is Active", Kind: kindToggle},
	}},
	{"Location", []fieldDef{
		{Path: "location.location_name", Label: "Location Name", Placeholder: "Airtel Corporate HQ", Max: domain.MaxLocationName, Type: "text", Wide: true},
		{Path: "location.country", Label: "Country", Placeholder: "United States", Kind: kindCountry, Autocomplete: "country"},
		{Path: "location.region", Label: "Region", Placeholder: "North America", Max: domain.MaxRegion, Type: "text"},
		{Path: "location.state", Label: "State", Placeholder: "New York", Max: domain.MaxState, Type: "text", Autocomplete: "address-level1"},
		{Path: "location.district", Label: "District", Placeholder: "New York County", Max: domain.MaxDistrict, Type: "text"},
		{Path: "location.city", Label: "City", Placeholder: "New York", Max: domain.MaxCity, Type: "text", Autocomplete: "address-level2"},
		{Path: "location.pin_code", Label: "Pin Code", Placeholder: "10036", Max: domain.MaxPinCode, Type: "text", Autocomplete: "postal-code", Code: true},
		{Path: "location.landmark", Label: "Landmark", Placeholder: "Near Bryant Park", Max: domain.MaxLandmark, Type: "text", Wide: true},
		{Path: "location.address_line1", Label: "Flat, House No., Building, Company", Placeholder: "1095 Avenue of the Americas", Max: domain.MaxAddressLine, Type: "text", Wide: true, Autocomplete: "address-line1"},
		{Path: "location.address_line2", Label: "Area, Colony, Street, Sector, Village", Placeholder: "Midtown Manhattan", Max: domain.MaxAddressLine, Type: "text", Wide: true, Autocomplete: "address-line2"},
	}},
}

// customerRefs maps every field path of a customer to its input.
var customerRefs = func() map[string]fieldRef {
	m := map[string]fieldRef{}
	for i := range customerSections {
		for j := range customerSections[i].Fields {
			f := &customerSections[i].Fields[j]
			f.ID = "f-" + strings.NewReplacer(".", "-", "_", "-").Replace(f.Path)
			m[f.Path] = fieldRef{ID: f.ID, Label: f.Label}
		}
	}
	return m
}()

// step is one step of the sidebar's step indicator. Only the steps that
// exist are listed; later steps (entities, settings, licenses) are added
// here with their own section template.
type step struct {
	Key, Label string
	Current    bool
}

// customerForm is the Add / Edit Customer sidebar.
type customerForm struct {
	Edit    bool
	Action  string
	ID      string
	Version int64
	Title   string
	Steps   []step
	Step    string
	Values  url.Values // by field path, as typed
	Errors  formErrors
	// Dirty is set when the form holds typed input that was not saved, so
	// the script asks before Cancel throws it away.
	Dirty bool
}

// fieldView is one field as the template draws it.
type fieldView struct {
	fieldDef
	Value   string
	Error   string
	Options []option
	// Region is the phone field's country-code picker value.
	Region string
	// Checked is the toggle's state.
	Checked bool
	// Autofocus marks the field that has focus when the sidebar opens: the
	// first invalid field, or the first field of a form without errors.
	Autofocus bool
}

// DescribedBy returns the ids of the elements that describe the input: its
// error message first, then its hint.
func (f fieldView) DescribedBy() string {
	var ids []string
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	return strings.Join(ids, " ")
}

// option is one entry of a <select>.
type option struct {
	Value, Label string
	Selected     bool
}

// sectionView is a group of fields in the form.
type sectionView struct {
	Legend string
	Fields []fieldView
}

// Sections returns the Customer Details fields with their values and
// messages.
func (f *customerForm) Sections() []sectionView {
	focus := f.FirstInvalid()
	if focus == "" && !f.Errors.Any() {
		focus = customerSections[0].Fields[0].ID
	}
	out := make([]sectionView, 0, len(customerSections))
	for _, s := range customerSections {
		sv := sectionView{Legend: s.Legend}
		for _, d := range s.Fields {
			fv := fieldView{fieldDef: d, Value: f.Values.Get(d.Path), Error: f.Errors.Msg(d.Path), Autofocus: d.ID == focus}
			switch d.Kind {
			case kindCountry:
				fv.Options = countryOptions(fv.Value)
			case kindPhone:
				fv.Region = f.Values.Get("phone_region")
				fv.Options = phoneOptions(fv.Region)
			case kindToggle:
				fv.Checked = fv.Value == "on"
			}
			sv.Fields = append(sv.Fields, fv)
		}
		out = append(out, sv)
	}
	return out
}

// FirstInvalid returns the id of the first field with an error, or "".
func (f *customerForm) FirstInvalid() string {
	for _, s := range customerSections {
		for _, d := range s.Fields {
			if f.Errors.Msg(d.Path) != "" {
				return d.ID
			}
		}
	}
	return ""
}

var countryList = sync.OnceValue(domain.Countries)

func countryOptions(selected string) []option {
	cs := countryList()
	out := make([]option, 0, len(cs))
	for _, c := range cs {
		out = append(out, option{Value: c.Code, Label: c.Name, Selected: strings.EqualFold(c.Code, selected)})
	}
	return out
}

var phoneCodes = sync.OnceValue(func() (out struct {
	list   []domain.PhoneCode
	byCode map[string]int
}) {
	out.list = domain.PhoneCodes()
	out.byCode = map[string]int{}
	for _, p := range out.list {
		out.byCode[p.Region] = p.Code
	}
	return out
})

func phoneOptions(selected string) []option {
	pc := phoneCodes().list
	out := make([]option, 0, len(pc))
	for _, p := range pc {
		out = append(out, option{Value: p.Region, Label: "+" + strconv.Itoa(p.Code) + " " + p.Name, Selected: p.Region == selected})
	}
	return out
}

// combinePhone joins the country-code picker and the number into the one
// phone string the domain reads: "+<code> <number>". A number that already
// starts with "+" is taken as written; without a picked code the number is
// passed alone, and the domain reads it as a national number of the
// location's country. An empty number means no phone.
func combinePhone(region, number string) string {
	number = strings.TrimSpace(number)
	if number == "" {
		return ""
	}
	if strings.HasPrefix(number, "+") {
		return number
	}
	code, ok := phoneCodes().byCode[strings.ToUpper(strings.TrimSpace(region))]
	if !ok {
		return number
	}
	return "+" + strconv.Itoa(code) + " " + number
}

// customerValues returns the form values that show c.
func customerValues(c domain.CustomerInput) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("name", c.Name)
	set("code", c.Code)
	set("domain", c.Domain)
	set("business_email", c.BusinessEmail)
	if c.Phone != "" {
		region, _, national := domain.SplitPhone(c.Phone)
		set("phone_region", region)
		set("phone", national)
	}
	set("website", c.Website)
	set("subscription_id", c.SubscriptionID)
	if c.IsActive == nil || *c.IsActive {
		v.Set("is_active", "on")
	}
	l := c.Location
	set("location.location_name", l.Name)
	set("location.country", l.Country)
	set("location.region", l.Region)
	set("location.state", l.State)
	set("location.district", l.District)
	set("location.city", l.City)
	set("location.pin_code", l.PinCode)
	set("location.landmark", l.Landmark)
	set("location.address_line1", l.AddressLine1)
	set("location.address_line2", l.AddressLine2)
	return v
}

// formValues keeps the posted fields of the customer form, as typed.
func formValues(posted url.Values) url.Values {
	v := url.Values{}
	for _, s := range customerSections {
		for _, d := range s.Fields {
			if x := posted.Get(d.Path); x != "" {
				v.Set(d.Path, x)
			}
		}
	}
	if x := posted.Get("phone_region"); x != "" {
		v.Set("phone_region", x)
	}
	return v
}

// customerInput reads the posted form into the domain's input.
func customerInput(v url.Values) domain.CustomerInput {
	active := v.Get("is_active") != ""
	return domain.CustomerInput{
		Name:           v.Get("name"),
		Code:           v.Get("code"),
		Domain:         v.Get("domain"),
		BusinessEmail:  v.Get("business_email"),
		Phone:          combinePhone(v.Get("phone_region"), v.Get("phone")),
		Website:        v.Get("website"),
		SubscriptionID: v.Get("subscription_id"),
		IsActive:       &active,
		Location: domain.Location{
			Name:         v.Get("location.location_name"),
			Country:      v.Get("location.country"),
			Region:       v.Get("location.region"),
			State:        v.Get("location.state"),
			District:     v.Get("location.district"),
			City:         v.Get("location.city"),
			PinCode:      v.Get("location.pin_code"),
			Landmark:     v.Get("location.landmark"),
			AddressLine1: v.Get("location.address_line1"),
			AddressLine2: v.Get("location.address_line2"),
		},
	}
}

// customerSteps returns the step indicator with current marked.
func customerSteps(current string) []step {
	steps := []step{{Key: "details", Label: "Customer Details"}}
	for i := range steps {
		steps[i].Current = steps[i].Key == current
	}
	return steps
}
