package domain

// Limits of the location block (SPEC §2), in Unicode characters. The web UI
// uses the same constants for its maxlength attributes.
const (
	MaxLocationName = 256
	MaxRegion       = 100
	MaxState        = 100
	MaxDistrict     = 100
	MaxCity         = 100
	MaxLandmark     = 100
	MaxAddressLine  = 1000
	// MaxPinCode bounds what a form accepts; the real check is the
	// country's postal-code format (at most 12 characters without one).
	MaxPinCode = 16
)

// Location is the location block shared by customers and entities. Country
// is an ISO 3166-1 alpha-2 code once normalized; empty strings mean absent.
type Location struct {
	Name         string `json:"location_name,omitempty"`
	Country      string `json:"country,omitempty"`
	Region       string `json:"region,omitempty"`
	State        string `json:"state,omitempty"`
	District     string `json:"district,omitempty"`
	City         string `json:"city,omitempty"`
	PinCode      string `json:"pin_code,omitempty"`
	Landmark     string `json:"landmark,omitempty"`
	AddressLine1 string `json:"address_line1,omitempty"`
	AddressLine2 string `json:"address_line2,omitempty"`
}

// IsZero reports whether no field of the block is set.
func (l Location) IsZero() bool { return l == Location{} }

// Normalize trims every field, resolves the country (English name or alpha-2
// code) to its alpha-2 code and checks every rule of the block. Field paths in
// the returned errors are relative to the block ("pin_code"); callers prefix
// them ("location.").
func (l Location) Normalize() (Location, FieldErrors) {
	var fe FieldErrors
	out := Location{
		Name:         cleanName(&fe, "location_name", l.Name),
		Country:      cleanLine(&fe, "country", l.Country),
		Region:       cleanLine(&fe, "region", l.Region),
		State:        cleanLine(&fe, "state", l.State),
		District:     cleanLine(&fe, "district", l.District),
		City:         cleanLine(&fe, "city", l.City),
		PinCode:      cleanLine(&fe, "pin_code", l.PinCode),
		Landmark:     cleanLine(&fe, "landmark", l.Landmark),
		AddressLine1: cleanLine(&fe, "address_line1", l.AddressLine1),
		AddressLine2: cleanLine(&fe, "address_line2", l.AddressLine2),
	}
	for _, f := range []struct {
		field, s string
		max      int
	}{
		{"location_name", out.Name, MaxLocationName}, {"region", out.Region, MaxRegion},
		{"state", out.State, MaxState}, {"district", out.District, MaxDistrict},
		{"city", out.City, MaxCity}, {"landmark", out.Landmark, MaxLandmark},
		{"address_line1", out.AddressLine1, MaxAddressLine}, {"address_line2", out.AddressLine2, MaxAddressLine},
	} {
		if !fe.Has(f.field) {
			checkLen(&fe, f.field, f.s, f.max)
		}
	}

	countryOK := !fe.Has("country")
	if out.Country != "" && countryOK {
		code, ok := NormalizeCountry(out.Country)
		if !ok {
			countryOK = false
			fe.Add("country", FieldUnknown, "Not a country name or ISO 3166-1 alpha-2 code.")
		} else {
			out.Country = code
		}
	}
	if out.PinCode != "" && countryOK && !fe.Has("pin_code") {
		if msg, ok := CheckPostalCode(out.Country, out.PinCode); !ok {
			fe.Add("pin_code", FieldFormat, msg)
		} else {
			out.PinCode = CanonicalPostalCode(out.Country, out.PinCode)
		}
	}
	return out, fe
}
