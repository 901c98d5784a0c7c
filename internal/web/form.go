package web

import (
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/custreg/custreg/internal/domain"
)

// checkURLText refuses a page request whose path or query holds something
// that is not one line of text (domain.TextProblem): no id, search, filter
// or cursor of the UI can hold one, and PostgreSQL would refuse invalid
// UTF-8 and NUL with an error instead of an answer.
func checkURLText(r *http.Request) error {
	if msg := domain.TextProblem(r.URL.Path); msg != "" {
		return domain.Errorf(domain.EBadRequest, "The address is not plain text. %s", msg)
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return domain.Errorf(domain.EBadRequest, "The address's query string is malformed.")
	}
	return checkValuesText(query, "The address")
}

// checkFormText refuses a posted form holding what no store can hold:
// invalid UTF-8 (browsers send UTF-8, so this is a hand-made request) or
// NUL, in any field, whether a record's text, an id, a version or a
// password. What else text may hold is the domain's rule, shown beside
// the field.
func checkFormText(form url.Values) error {
	for k, vals := range form {
		if msg := domain.BinaryProblem(k); msg != "" {
			return domain.Errorf(domain.EBadRequest, "The form is not plain text. %s", msg)
		}
		for _, v := range vals {
			if msg := domain.BinaryProblem(v); msg != "" {
				return domain.Errorf(domain.EBadRequest, "The form's field %s is not plain text. %s", strconv.Quote(k), msg)
			}
		}
	}
	return nil
}

// checkValuesText applies domain.TextProblem to every name and value of v.
func checkValuesText(v url.Values, where string) error {
	for k, vals := range v {
		if msg := domain.TextProblem(k); msg != "" {
			return domain.Errorf(domain.EBadRequest, "%s is not plain text. %s", where, msg)
		}
		for _, x := range vals {
			if msg := domain.TextProblem(x); msg != "" {
				return domain.Errorf(domain.EBadRequest, "%s's parameter %s is not plain text. %s", where, strconv.Quote(k), msg)
			}
		}
	}
	return nil
}

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
	// Conflict, when set, is the conflict view of a stale save
	// (conflict.go); it is drawn instead of Alert.
	Conflict *conflict
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
	return formErrorsFrom(err, func(field string) (string, fieldRef, bool) {
		ref, ok := refs[field]
		return field, ref, ok
	})
}

// fieldResolver says where the message of a field path of the domain's
// errors goes: key is the form path it is shown beside ("" for none) and
// ref the input (or other element) the summary links to; ok is false when
// nothing on the form shows the field.
type fieldResolver func(field string) (key string, ref fieldRef, ok bool)

// formErrorsFrom is newFormErrors with the mapping of field paths to the
// form given as a function, for forms whose inputs are not named like the
// domain's paths (the entities of the Add Customer wizard).
func formErrorsFrom(err error, resolve fieldResolver) formErrors {
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
		key, ref, ok := resolve(fe.Field)
		if !ok {
			f.Summary = append(f.Summary, summaryItem{Label: fe.Field, Message: fe.Message})
			continue
		}
		if key == "" {
			f.Summary = append(f.Summary, summaryItem{ID: ref.ID, Label: ref.Label, Message: fe.Message})
			continue
		}
		if prev, dup := f.Fields[key]; dup {
			f.Fields[key] = prev + " " + fe.Message
			for i := range f.Summary {
				if f.Summary[i].ID == ref.ID {
					f.Summary[i].Message = f.Fields[key]
				}
			}
			continue
		}
		f.Fields[key] = fe.Message
		f.Summary = append(f.Summary, summaryItem{ID: ref.ID, Label: ref.Label, Message: fe.Message})
	}
	return f
}

// Any reports whether the form has anything to show.
func (f formErrors) Any() bool { return f.Alert != "" || f.Conflict != nil || len(f.Summary) > 0 }

// Msg returns the message of a field path, or "".
func (f formErrors) Msg(field string) string { return f.Fields[field] }

// fieldKind says how a field of the customer form is drawn.
type fieldKind string

const (
	kindText    fieldKind = "text"
	kindCountry fieldKind = "country"
	kindPhone   fieldKind = "phone"
	kindToggle  fieldKind = "toggle"
	kindSelect  fieldKind = "select" // a fixed list of choices (an entity's type)
)

// fieldDef is one field of a form. Path is relative to the record the
// field belongs to ("location.pin_code"); a form section places it under a
// prefix ("" for the customer, "entity." for the entity editor). Labels and
// examples are the seed's words (customer-registration-seed.md); limits are
// the domain's constants.
type fieldDef struct {
	Path         string // the domain's field path
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
	ReadOnly     bool // shown but not changed (a user's email once created)
	Disabled     bool // shown but not offered (a choice the caller cannot make)
	// OnLabel and OffLabel are a toggle's words; "Active" and "Inactive"
	// when empty.
	OnLabel, OffLabel string
}

// maxPhoneNumber leaves room in domain.MaxPhoneInputChars for the "+<code> "
// that the country-code picker adds.
const maxPhoneNumber = domain.MaxPhoneInputChars - 6

// section is a group of fields that a person reads as one block.
type section struct {
	Legend string
	Fields []fieldDef
}

// locationFields is the location block, shared by customers and entities
// as the domain shares its rules.
var locationFields = []fieldDef{
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
}

// customerSections groups the Customer Details step into what a person reads
// as two blocks: the customer and its location.
var customerSections = []section{
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
	{"Location", locationFields},
}

// entitySections are the fields of one entity (SPEC §2 "Entity"): its own
// contact and the same location block as a customer. The seed shows no
// examples for entities, so the placeholders continue the customer's.
var entitySections = []section{
	{"Entity", []fieldDef{
		{Path: "name", Label: "Entity Name", Placeholder: "Airtel Mumbai Branch", Max: domain.MaxEntityName, Type: "text", Required: true,
			Hint: "Unique within this customer."},
		{Path: "code", Label: "Entity Code", Placeholder: "AIR-MUM", Max: domain.MaxEntityCode, Type: "text", Code: true,
			Hint: "Optional; 2–32 letters, digits, _ or -."},
		{Path: "type", Label: "Type", Kind: kindSelect},
		{Path: "business_email", Label: "Business Email", Placeholder: "mumbai@airtel.com", Max: domain.MaxEmail, Type: "email", Code: true},
		{Path: "phone", Label: "Phone Number", Placeholder: "22********0", Max: maxPhoneNumber, Type: "tel", Kind: kindPhone},
		{Path: "is_active", Label: "Is Active", Kind: kindToggle},
	}},
	{"Location", locationFields},
}

// fieldID is the id of the input of a field path ("entity.location.pin_code"
// → "f-entity-location-pin-code"); its message element is ID+"-error".
func fieldID(path string) string {
	return "f-" + strings.NewReplacer(".", "-", "_", "-").Replace(path)
}

// sectionRefs maps every field path of sections, under prefix, to its input.
func sectionRefs(sections []section, prefix, labelPrefix string) map[string]fieldRef {
	m := map[string]fieldRef{}
	for _, s := range sections {
		for _, f := range s.Fields {
			m[prefix+f.Path] = fieldRef{ID: fieldID(prefix + f.Path), Label: labelPrefix + f.Label}
		}
	}
	return m
}

// customerRefs maps every field path of a customer to its input.
var customerRefs = sectionRefs(customerSections, "", "")

// fieldLabel returns the label of a field path of sections, or the path.
func fieldLabel(sections []section, path string) string {
	for _, s := range sections {
		for _, f := range s.Fields {
			if f.Path == path {
				return f.Label
			}
		}
	}
	return path
}

// Wizard steps, in the order the step indicator shows them (UI.md:
// Customer Details → Entity Details → Settings → License Allocation).
const (
	stepDetails  = "details"
	stepEntities = "entities"
	stepLicenses = "licenses"
)

// wizardSteps are the steps of the sidebar, in order, with their labels.
var wizardSteps = []struct{ Key, Label string }{
	{stepDetails, "Customer Details"},
	{stepEntities, "Entity Details"},
	{stepSettings, "Settings"},
	{stepLicenses, "License Allocation"},
}

// stepIndex returns the position of step key, or -1.
func stepIndex(key string) int {
	for i, s := range wizardSteps {
		if s.Key == key {
			return i
		}
	}
	return -1
}

// validStep returns key if it names a step, else the first step.
func validStep(key string) string {
	if stepIndex(key) < 0 {
		return stepDetails
	}
	return key
}

// nextStep and prevStep return the step after and before key, or "".
func nextStep(key string) string {
	if i := stepIndex(key); i >= 0 && i+1 < len(wizardSteps) {
		return wizardSteps[i+1].Key
	}
	return ""
}

func prevStep(key string) string {
	if i := stepIndex(key); i > 0 {
		return wizardSteps[i-1].Key
	}
	return ""
}

// lastStep is the step the Add wizard submits from.
var lastStep = wizardSteps[len(wizardSteps)-1].Key

// step is one step of the sidebar's step indicator. Done marks a step of
// the Add wizard that was passed (going on checks it on the server).
type step struct {
	Key, Label    string
	Num           int
	Current, Done bool
}

// customerForm is the Add / Edit Customer sidebar: a wizard whose steps are
// all in one form, the current one shown.
type customerForm struct {
	Edit    bool
	Action  string
	ID      string
	Version int64
	Title   string
	Steps   []step
	Step    string
	Values  url.Values // the customer's fields by path, as typed
	Errors  formErrors
	// Entities is the Entity Details step.
	Entities entityPanel
	// Settings is the Settings step.
	Settings settingsPanel
	// Licenses is the License Allocation step.
	Licenses licensePanel
	// Focus is the id of the input that has focus when the sidebar opens:
	// the first invalid field of the current step, or its first field.
	Focus string
	// Dirty is set when the form holds typed input that was not saved, so
	// the script asks before Cancel throws it away.
	Dirty bool
}

// fieldView is one field as the template draws it.
type fieldView struct {
	fieldDef
	ID      string
	Name    string // the input's name: prefix + Path
	Value   string
	Error   string
	Options []option
	// RegionName and Region are the phone field's country-code picker.
	RegionName, Region string
	// Checked is the toggle's state.
	Checked bool
	// Autofocus marks the field that has focus when the page loads.
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

// buildSections returns the fields of sections under prefix, with their
// values (by path relative to the record), the messages of errs (by full
// path) and focus marked.
func buildSections(sections []section, prefix string, values url.Values, errs formErrors, focus string) []sectionView {
	out := make([]sectionView, 0, len(sections))
	for _, s := range sections {
		sv := sectionView{Legend: s.Legend}
		for _, d := range s.Fields {
			name := prefix + d.Path
			fv := fieldView{fieldDef: d, ID: fieldID(name), Name: name, Value: values.Get(d.Path), Error: errs.Msg(name)}
			fv.Autofocus = fv.ID == focus
			switch d.Kind {
			case kindCountry:
				fv.Options = countryOptions(fv.Value)
			case kindPhone:
				fv.RegionName = prefix + "phone_region"
				fv.Region = values.Get("phone_region")
				fv.Options = phoneOptions(fv.Region)
			case kindToggle:
				fv.Checked = fv.Value == "on"
			case kindSelect:
				fv.Options = entityTypeOptions(fv.Value)
			}
			sv.Fields = append(sv.Fields, fv)
		}
		out = append(out, sv)
	}
	return out
}

// firstInvalid returns the id of the first field of sections under prefix
// that has an error, or "".
func firstInvalid(sections []section, prefix string, errs formErrors) string {
	for _, s := range sections {
		for _, d := range s.Fields {
			if errs.Msg(prefix+d.Path) != "" {
				return fieldID(prefix + d.Path)
			}
		}
	}
	return ""
}

// Sections returns the Customer Details fields with their values and
// messages.
func (f *customerForm) Sections() []sectionView {
	return buildSections(customerSections, "", f.Values, f.Errors, f.Focus)
}

// FirstInvalid returns the id of the first customer field with an error.
func (f *customerForm) FirstInvalid() string {
	return firstInvalid(customerSections, "", f.Errors)
}

// StepHidden reports whether the panel of step key is not the one shown.
func (f *customerForm) StepHidden(key string) bool { return f.Step != key }

// SubmitHidden reports whether Submit is kept out of view on the current
// step: the Add wizard submits from its last step; an edit can be saved
// from any step.
func (f *customerForm) SubmitHidden() bool { return !f.Edit && f.Step != lastStep }

// NextStep and PrevStep are the steps Next and Back go to ("" for none).
func (f *customerForm) NextStep() string { return nextStep(f.Step) }
func (f *customerForm) PrevStep() string { return prevStep(f.Step) }

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
	v := inputValues(&c, customerSections)
	setSettings(v, c)
	return v
}

// setPhone sets the picker and number that show an E.164 phone.
func setPhone(v url.Values, phone string) {
	if phone == "" {
		return
	}
	region, _, national := domain.SplitPhone(phone)
	if region != "" {
		v.Set("phone_region", region)
	}
	v.Set("phone", national)
}

// pickValues keeps the non-empty fields of sections (and the phone picker)
// of posted under prefix, keyed by their path relative to the record.
func pickValues(posted url.Values, sections []section, prefix string) url.Values {
	v := url.Values{}
	for _, s := range sections {
		for _, d := range s.Fields {
			if x := posted.Get(prefix + d.Path); x != "" {
				v.Set(d.Path, x)
			}
		}
	}
	if x := posted.Get(prefix + "phone_region"); x != "" {
		v.Set("phone_region", x)
	}
	return v
}

// formValues keeps the posted fields of the customer form, as typed.
func formValues(posted url.Values) url.Values {
	v := pickValues(posted, customerSections, "")
	copySettings(posted, v)
	return v
}

// customerInput reads the posted form into the domain's input.
func customerInput(v url.Values) domain.CustomerInput {
	var in domain.CustomerInput
	readInput(v, customerSections, &in)
	settingsInput(v, &in)
	return in
}

// The paths of a form's fields are the JSON paths of the domain input it
// fills (domain.CustomerInput, domain.EntityInput): what a form shows of
// an input and the input it posts are read and written through them, so a
// field is declared once, as its fieldDef. Text fields map to strings, a
// toggle to the input's *bool, the phone to its one string (the picker's
// country code joined to the number).

// inputValues returns the form values that show in (a pointer to an input
// struct) through the fields of sections.
func inputValues(in any, sections []section) url.Values {
	v := url.Values{}
	rv := reflect.ValueOf(in)
	for _, s := range sections {
		for _, d := range s.Fields {
			f := inputField(rv, d.Path)
			switch d.Kind {
			case kindToggle:
				if f.IsNil() || f.Elem().Bool() {
					v.Set(d.Path, "on")
				}
			case kindPhone:
				setPhone(v, f.String())
			default:
				if x := f.String(); x != "" {
					v.Set(d.Path, x)
				}
			}
		}
	}
	return v
}

// readInput sets the fields of in (a pointer to an input struct) that
// sections declare from the posted values v.
func readInput(v url.Values, sections []section, in any) {
	rv := reflect.ValueOf(in)
	for _, s := range sections {
		for _, d := range s.Fields {
			f := inputField(rv, d.Path)
			switch d.Kind {
			case kindToggle:
				on := v.Get(d.Path) != ""
				f.Set(reflect.ValueOf(&on))
			case kindPhone:
				f.SetString(combinePhone(v.Get("phone_region"), v.Get(d.Path)))
			default:
				f.SetString(v.Get(d.Path))
			}
		}
	}
}

// inputField is the field of the struct in points to at a dotted JSON
// path. A path that names no field is a mistake in a fieldDef, found when
// the package starts (checkSections).
func inputField(in reflect.Value, path string) reflect.Value {
	v := in.Elem()
	for name := range strings.SplitSeq(path, ".") {
		i, ok := jsonFieldIndex(v.Type())[name]
		if !ok {
			panic("web: no field " + path + " in " + in.Type().String())
		}
		v = v.Field(i)
	}
	return v
}

// jsonIndexes caches, per struct type, its fields' indexes by JSON name.
var jsonIndexes sync.Map // reflect.Type → map[string]int

func jsonFieldIndex(t reflect.Type) map[string]int {
	if m, ok := jsonIndexes.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = i
		}
	}
	jsonIndexes.Store(t, m)
	return m
}

// checkSections panics unless every field of sections is a field of the
// input type in points to, of the kind its fieldDef says.
func checkSections(in any, sections []section) {
	rv := reflect.ValueOf(in)
	for _, s := range sections {
		for _, d := range s.Fields {
			f := inputField(rv, d.Path)
			want := reflect.String
			if d.Kind == kindToggle {
				want = reflect.Pointer
			}
			if f.Kind() != want {
				panic("web: field " + d.Path + " of " + rv.Type().String() + " is a " + f.Kind().String() + ", not a " + want.String())
			}
		}
	}
}

func init() {
	checkSections(&domain.CustomerInput{}, customerSections)
	checkSections(&domain.EntityInput{}, entitySections)
}

// customerSteps returns the step indicator with current marked.
func customerSteps(current string) []step {
	steps := make([]step, len(wizardSteps))
	at := stepIndex(current)
	for i, ws := range wizardSteps {
		steps[i] = step{Key: ws.Key, Label: ws.Label, Num: i + 1, Current: ws.Key == current, Done: i < at}
	}
	return steps
}
