package webform

import (
	"net/url"
	"testing"

	"github.com/custreg/custreg/internal/domain"
)

// TestCheckSectionsRefusesAMistake checks that a Field naming no field
// of its input, or a field of another kind, stops the program at start.
func TestCheckSectionsRefusesAMistake(t *testing.T) {
	for name, sections := range map[string][]Section{
		"unknown path": {{"X", []Field{{Path: "no_such_field"}}}},
		"wrong kind":   {{"X", []Field{{Path: "name", Kind: Toggle}}}},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			Check(&domain.CustomerInput{}, sections)
		})
	}
}

func TestSteps(t *testing.T) {
	if got := ValidStep("nonsense"); got != Details {
		t.Errorf("ValidStep(nonsense) = %q", got)
	}
	if NextStep(Details) != Entities || NextStep(Entities) != Settings || NextStep(Settings) != Licenses || NextStep(Licenses) != "" {
		t.Error("the steps are not Customer Details → Entity Details → Settings → License Allocation")
	}
	if PrevStep(Details) != "" || PrevStep(Licenses) != Settings || LastStep != Licenses || StepIndex("nonsense") != -1 {
		t.Error("PrevStep, LastStep or StepIndex is off")
	}
}

func TestCombinePhone(t *testing.T) {
	for _, tc := range []struct{ region, number, want string }{
		{"IN", " 98765 43210 ", "+91 98765 43210"},
		{"in", "9876543210", "+91 9876543210"},
		{"", "020 7183 8750", "020 7183 8750"}, // read as national by the domain
		{"GB", "+1 202 555 0143", "+1 202 555 0143"},
		{"XX", "123", "123"},
		{"GB", "  ", ""},
	} {
		if got := CombinePhone(tc.region, tc.number); got != tc.want {
			t.Errorf("CombinePhone(%q, %q) = %q, want %q", tc.region, tc.number, got, tc.want)
		}
	}
	v := url.Values{}
	SetPhone(v, "+442071838750")
	if v.Get("phone_region") != "GB" || v.Get("phone") == "" {
		t.Errorf("SetPhone = %v", v)
	}
}

func TestPickKeepsOnlyTheSectionsFields(t *testing.T) {
	posted := url.Values{"entity.name": {"Pune"}, "entity.location.city": {"Pune"}, "entity.phone_region": {"IN"},
		"entity.stray": {"x"}, "name": {"Airtel"}, "entity.code": {""}}
	got := Pick(posted, EntitySections, "entity.")
	want := url.Values{"name": {"Pune"}, "location.city": {"Pune"}, "phone_region": {"IN"}}
	if got.Encode() != want.Encode() {
		t.Errorf("Pick = %v, want %v", got, want)
	}
	e := EntityInput(got)
	if e.Name != "Pune" || e.Location.City != "Pune" || e.IsActive == nil || *e.IsActive {
		t.Errorf("EntityInput = %+v (is_active absent from the post means off)", e)
	}
	if _, fe := e.Normalize(""); len(fe) != 0 {
		t.Errorf("the picked entity does not validate: %v", fe)
	}
}

func TestTidy(t *testing.T) {
	for in, want := range map[string]string{
		"www.airtel.com":          "https://www.airtel.com",
		" airtel.com/about ":      "https://airtel.com/about",
		"https://www.airtel.com/": "https://www.airtel.com/",
		"ftp://airtel.com":        "ftp://airtel.com", // refused by the domain, not rewritten
		"javascript:alert(1)":     "https://javascript:alert(1)",
		"":                        "",
	} {
		if got := WithScheme(in); got != want {
			t.Errorf("WithScheme(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"https://www.airtel.com/about?x=1": "www.airtel.com",
		"http://AIRTEL.com:8080":           "AIRTEL.com",
		"airtel.com":                       "airtel.com",
		"https://user@airtel.com/":         "https://user@airtel.com/",
		"https://":                         "https://",
	} {
		if got := HostOnly(in); got != want {
			t.Errorf("HostOnly(%q) = %q, want %q", in, got, want)
		}
	}
	// What a person typed goes into the input tidied.
	var in domain.CustomerInput
	Read(url.Values{"website": {"www.airtel.com"}, "domain": {"https://airtel.com/x"}}, CustomerSections, &in)
	if in.Website != "https://www.airtel.com" || in.Domain != "airtel.com" {
		t.Errorf("read %q and %q", in.Website, in.Domain)
	}
}
