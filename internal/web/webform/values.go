package webform

import (
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/custreg/custreg/internal/domain"
)

// PhoneCodes are the country calling codes the phone picker offers, in
// its order (List), and the code of each region (ByCode).
var PhoneCodes = sync.OnceValue(func() (out struct {
	List   []domain.PhoneCode
	ByCode map[string]int
}) {
	out.List = domain.PhoneCodes()
	out.ByCode = map[string]int{}
	for _, p := range out.List {
		out.ByCode[p.Region] = p.Code
	}
	return out
})

// CombinePhone joins the country-code picker and the number into the one
// phone string the domain reads: "+<code> <number>". A number that already
// starts with "+" is taken as written; without a picked code the number is
// passed alone, and the domain reads it as a national number of the
// location's country. An empty number means no phone.
func CombinePhone(region, number string) string {
	number = strings.TrimSpace(number)
	if number == "" {
		return ""
	}
	if strings.HasPrefix(number, "+") {
		return number
	}
	code, ok := PhoneCodes().ByCode[strings.ToUpper(strings.TrimSpace(region))]
	if !ok {
		return number
	}
	return "+" + strconv.Itoa(code) + " " + number
}

// setPhone sets the picker and number that show an E.164 phone.
func SetPhone(v url.Values, phone string) {
	if phone == "" {
		return
	}
	region, _, national := domain.SplitPhone(phone)
	if region != "" {
		v.Set("phone_region", region)
	}
	v.Set("phone", national)
}

// Pick keeps the non-empty fields of sections (and the phone picker)
// of posted under prefix, keyed by their path relative to the record.
func Pick(posted url.Values, sections []Section, prefix string) url.Values {
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

// The paths of a form's fields are the JSON paths of the domain input it
// fills (domain.CustomerInput, domain.EntityInput): what a form shows of
// an input and the input it posts are read and written through them, so a
// field is declared once, as its Field. Text fields map to strings, a
// toggle to the input's *bool, the phone to its one string (the picker's
// country code joined to the number).

// ValuesOf returns the form values that show in (a pointer to an input
// struct) through the fields of sections.
func ValuesOf(in any, sections []Section) url.Values {
	v := url.Values{}
	rv := reflect.ValueOf(in)
	for _, s := range sections {
		for _, d := range s.Fields {
			f := inputField(rv, d.Path)
			switch d.Kind {
			case Toggle:
				if f.IsNil() || f.Elem().Bool() {
					v.Set(d.Path, "on")
				}
			case Phone:
				SetPhone(v, f.String())
			default:
				if x := f.String(); x != "" {
					v.Set(d.Path, x)
				}
			}
		}
	}
	return v
}

// Read sets the fields of in (a pointer to an input struct) that
// sections declare from the posted values v.
func Read(v url.Values, sections []Section, in any) {
	rv := reflect.ValueOf(in)
	for _, s := range sections {
		for _, d := range s.Fields {
			f := inputField(rv, d.Path)
			switch d.Kind {
			case Toggle:
				on := v.Get(d.Path) != ""
				f.Set(reflect.ValueOf(&on))
			case Phone:
				f.SetString(CombinePhone(v.Get("phone_region"), v.Get(d.Path)))
			default:
				x := v.Get(d.Path)
				if d.Tidy != nil {
					x = d.Tidy(x)
				}
				f.SetString(x)
			}
		}
	}
}

// inputField is the field of the struct in points to at a dotted JSON
// path. A path that names no field is a mistake in a Field, found when
// the package starts (Check).
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

// Check panics unless every field of sections is a field of the
// input type in points to, of the kind its Field says.
func Check(in any, sections []Section) {
	rv := reflect.ValueOf(in)
	for _, s := range sections {
		for _, d := range s.Fields {
			f := inputField(rv, d.Path)
			want := reflect.String
			if d.Kind == Toggle {
				want = reflect.Pointer
			}
			if f.Kind() != want {
				panic("web: field " + d.Path + " of " + rv.Type().String() + " is a " + f.Kind().String() + ", not a " + want.String())
			}
		}
	}
}

func init() {
	Check(&domain.CustomerInput{}, CustomerSections)
	Check(&domain.EntityInput{}, EntitySections)
}

// entityValues returns the form values that show an entity.
func EntityValues(in domain.EntityInput) url.Values { return ValuesOf(&in, EntitySections) }

// entityInput reads an entity's form values into the domain's input.
func EntityInput(v url.Values) domain.EntityInput {
	var in domain.EntityInput
	Read(v, EntitySections, &in)
	return in
}

// WithScheme is a website as a person means it: one typed without a
// scheme ("www.airtel.com") gets https://. Anything with a scheme is left
// for the domain to accept or refuse (ftp:// stays ftp://, and is refused).
func WithScheme(s string) string {
	t := strings.TrimSpace(s)
	if t == "" || strings.Contains(t, "://") {
		return s
	}
	return "https://" + t
}

// HostOnly is a domain as a person means it: a web address pasted in its
// place ("https://www.airtel.com/about") is trimmed to its host name. One
// with user info, or that does not parse, is left for the domain to refuse.
func HostOnly(s string) string {
	t := strings.TrimSpace(s)
	if !strings.Contains(t, "://") {
		return s
	}
	u, err := url.Parse(t)
	if err != nil || u.User != nil || u.Hostname() == "" {
		return s
	}
	return u.Hostname()
}
