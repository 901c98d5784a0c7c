// Package wire holds custreg's records as it sends them: the JSON of the
// API and of the customer archive, one shape for both, so that a program
// that reads one reads the other. Every member is always present; absent
// optional values are null; a list is never null.
//
// A record's members are declared once, by the json tags of its domain
// type; Of derives the sent shape from them (see Of for the rules),
// so a field added to a domain record is sent without a line here.
package wire

import (
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/custreg/custreg/internal/domain"
)

// Opt is an optional text value: null when empty.
func Opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
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

// Of is the domain record v as it is sent: a value for encoding/json, of
// the type TypeOf[T, struct{}]. The record's members come from the json
// tags of T, in field order:
//
//   - a field tagged `json:"-"` is left out, unless a `wire:"name"` tag
//     names it (a figure that reads fill and the audit snapshot omits);
//   - a field tagged `wire:"-"` is left out (a record's trash date: the
//     trash answers send their own);
//   - an omitempty text field is null when empty, and every member is
//     present whatever its value;
//   - a nil list is [];
//   - a domain.Location is sent as Location.
//
// Every exported field is tagged: one with neither a JSON name nor "-"
// panics at the first send.
func Of[T any](v T) any { return With(v, struct{}{}) }

// With is v as it is sent followed by the members of x: a struct of what
// the sender adds (a customer's logos, a trashed record's dates), encoded
// as encoding/json encodes it.
func With[T, X any](v T, x X) any {
	s := shapeOf[T, X]()
	out := reflect.New(s.typ)
	in, o := reflect.ValueOf(&v).Elem(), out.Elem()
	for i, m := range s.members {
		m.send(o.Field(i), in.Field(m.index))
	}
	if s.with {
		o.Field(len(s.members)).Set(reflect.ValueOf(x))
	}
	return out.Interface()
}

// TypeOf is the struct type With sends a T and an X as: one field per
// member, tagged with its JSON name, then X's members (an embedded field).
// It is what the OpenAPI document's schema of the record describes.
func TypeOf[T, X any]() reflect.Type { return shapeOf[T, X]().typ }

// shape is how a record type is sent with an addition type.
type shape struct {
	typ     reflect.Type
	members []member
	// with: typ's last field embeds the addition.
	with bool
}

// member is one sent member of a record: the record's field index and how
// its value is sent (set into dst, a field of the sent struct).
type member struct {
	index int
	send  func(dst, src reflect.Value)
}

type shapeKey struct{ record, adds reflect.Type }

var shapes sync.Map // shapeKey → *shape

func shapeOf[T, X any]() *shape {
	key := shapeKey{reflect.TypeFor[T](), reflect.TypeFor[X]()}
	if s, ok := shapes.Load(key); ok {
		return s.(*shape)
	}
	s, _ := shapes.LoadOrStore(key, newShape(key.record, key.adds))
	return s.(*shape)
}

var (
	locationType = reflect.TypeFor[domain.Location]()
	textType     = reflect.TypeFor[*string]()
)

// newShape derives the shape of a t sent with an x by the rules Of states.
// A record type that breaks them (not a struct, or a member without a
// JSON name) is a programming error: it panics at the first send, which
// every record's tests reach.
func newShape(t, x reflect.Type) *shape {
	if t.Kind() != reflect.Struct || x.Kind() != reflect.Struct {
		panic("wire: a record and its additions must be structs, not " + t.String() + " and " + x.String())
	}
	s := &shape{}
	var fields []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if w, ok := f.Tag.Lookup("wire"); ok {
			name = w
		}
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			panic("wire: " + t.String() + "." + f.Name + " has no JSON name: tag it json:\"name\" or json:\"-\"")
		}
		typ, send := f.Type, reflect.Value.Set
		switch {
		case f.Type == locationType:
			typ = reflect.TypeFor[Location]()
			send = func(dst, src reflect.Value) {
				*dst.Addr().Interface().(*Location) = LocationOf(*src.Addr().Interface().(*domain.Location))
			}
		case f.Type.Kind() == reflect.String && slices.Contains(strings.Split(opts, ","), "omitempty"):
			typ = textType
			send = func(dst, src reflect.Value) { *dst.Addr().Interface().(**string) = Opt(src.String()) }
		case f.Type.Kind() == reflect.Slice:
			send = func(dst, src reflect.Value) {
				if src.IsNil() {
					src = reflect.MakeSlice(src.Type(), 0, 0)
				}
				dst.Set(src)
			}
		}
		fields = append(fields, reflect.StructField{Name: f.Name, Type: typ, Tag: reflect.StructTag(`json:"` + name + `"`)})
		s.members = append(s.members, member{index: i, send: send})
	}
	if x.NumField() > 0 {
		fields = append(fields, reflect.StructField{Name: "With", Type: x, Anonymous: true})
		s.with = true
	}
	s.typ = reflect.StructOf(fields)
	return s
}
