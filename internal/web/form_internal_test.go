package web

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/web/webform"
)

// TestFormMapsEveryField checks that the form's field definitions carry
// every writable field of the inputs they fill, both ways: an input shown
// as form values and posted back is the same input.
func TestFormMapsEveryField(t *testing.T) {
	yes, no := true, false
	loc := domain.Location{Name: "HQ", Country: "GB", Region: "Europe", State: "England", District: "Westminster",
		City: "London", PinCode: "SW1A 1AA", Landmark: "Near the park", AddressLine1: "1 Main St", AddressLine2: "Soho"}
	c := domain.CustomerInput{Name: "Airtel", Code: "AIR001", Domain: "airtel.com", BusinessEmail: "a@airtel.com",
		Phone: "+442071838750", Website: "https://www.airtel.com/", SubscriptionID: "SUB-1", IsActive: &no,
		AdminRole: domain.RoleCustomerAdmin, Reports: []string{}, Dashboards: []string{"customer_overview"}, Location: loc}
	v := customerValues(c)
	got := customerInput(v)
	// The phone is shown as the picker's country and the national number,
	// and posted back joined: "+44 2071838750".
	if p := strings.ReplaceAll(got.Phone, " ", ""); p != c.Phone || v.Get("phone_region") != "GB" {
		t.Errorf("phone %q from region %q and number %q, want %s", got.Phone, v.Get("phone_region"), v.Get("phone"), c.Phone)
	}
	got.Phone = c.Phone
	if !reflect.DeepEqual(got, c) {
		t.Errorf("customer round trip:\n got %+v\nwant %+v", got, c)
	}
	if v.Get("phone") == "" || v.Get("location.pin_code") != "SW1A 1AA" || v.Get("subscription_id") != "SUB-1" || v.Has("is_active") {
		t.Errorf("customer values = %v", v)
	}

	e := domain.EntityInput{Name: "Pune", Code: "PUN", Type: "branch", BusinessEmail: "p@airtel.com", Phone: "", IsActive: &yes, Location: loc}
	if got := webform.EntityInput(webform.EntityValues(e)); !reflect.DeepEqual(got, e) {
		t.Errorf("entity round trip:\n got %+v\nwant %+v", got, e)
	}
}

// TestFormDeclaresEveryInputField checks that every member of the inputs
// the forms fill has a Field (the customer's settings — admin role,
// reports, dashboards — are the Settings step's own checkboxes), so that a
// field added to the domain input and not to the form fails here.
func TestFormDeclaresEveryInputField(t *testing.T) {
	declared := func(sections []webform.Section) map[string]bool {
		m := map[string]bool{}
		for _, s := range sections {
			for _, d := range s.Fields {
				m[d.Path] = true
			}
		}
		return m
	}
	for name, tc := range map[string]struct {
		in       any
		sections []webform.Section
		own      []string
	}{
		"customer": {domain.CustomerInput{}, webform.CustomerSections, []string{"admin_role", "reports", "dashboards"}},
		"entity":   {domain.EntityInput{}, webform.EntitySections, nil},
	} {
		have := declared(tc.sections)
		var walk func(rt reflect.Type, prefix string)
		walk = func(rt reflect.Type, prefix string) {
			for i := range rt.NumField() {
				n, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
				if rt.Field(i).Type.Kind() == reflect.Struct {
					walk(rt.Field(i).Type, prefix+n+".")
					continue
				}
				if path := prefix + n; !have[path] && !slices.Contains(tc.own, path) {
					t.Errorf("%s: input member %s has no field in the form", name, path)
				}
			}
		}
		walk(reflect.TypeOf(tc.in), "")
	}
}
