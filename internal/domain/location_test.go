package domain_test

import (
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/domain"
)

func TestLocationNormalize(t *testing.T) {
	type fieldErr struct{ field, code string }
	tests := []struct {
		name string
		in   domain.Location
		want domain.Location // checked when errs is empty
		errs []fieldErr      // exactly these, in this order
		msg  string          // substring of the first error's message, if set
	}{
		{
			name: "zero",
			in:   domain.Location{},
			want: domain.Location{},
		},
		{
			name: "trims and resolves the country name",
			in: domain.Location{
				Name: "  Head office ", Country: " united states ", Region: " East ",
				State: "\tNew York\n", District: " Manhattan ", City: " New York ",
				PinCode: " 10036 ", Landmark: " Times Square ",
				AddressLine1: " 1 Main St ", AddressLine2: " Floor 2 ",
			},
			want: domain.Location{
				Name: "Head office", Country: "US", Region: "East",
				State: "New York", District: "Manhattan", City: "New York",
				PinCode: "10036", Landmark: "Times Square",
				AddressLine1: "1 Main St", AddressLine2: "Floor 2",
			},
		},
		{
			name: "resolves a lower-case code",
			in:   domain.Location{Country: "gb", PinCode: "sw1a 1aa"},
			want: domain.Location{Country: "GB", PinCode: "SW1A 1AA"},
		},
		{
			name: "resolves an alias",
			in:   domain.Location{Country: "USA", PinCode: "10036-1234"},
			want: domain.Location{Country: "US", PinCode: "10036-1234"},
		},
		{
			name: "puts text in NFC",
			in:   domain.Location{City: "Re\u0301union", Country: "IN", PinCode: "110001"},
			want: domain.Location{City: "R\u00e9union", Country: "IN", PinCode: "110001"},
		},
		{
			name: "pin without country uses the generic rule",
			in:   domain.Location{PinCode: "ABC-123"},
			want: domain.Location{PinCode: "ABC-123"},
		},
		{
			name: "country without a postal format uses the generic rule",
			in:   domain.Location{Country: "United Arab Emirates", PinCode: "00000"},
			want: domain.Location{Country: "AE", PinCode: "00000"},
		},
		{
			name: "limits count characters, not bytes",
			in:   domain.Location{City: strings.Repeat("é", 100), Name: strings.Repeat("日", 256)},
			want: domain.Location{City: strings.Repeat("é", 100), Name: strings.Repeat("日", 256)},
		},
		{
			name: "city of 101 characters",
			in:   domain.Location{City: strings.Repeat("é", 101)},
			errs: []fieldErr{{"city", domain.FieldTooLong}},
			msg:  "at most 100 characters",
		},
		{
			name: "every field too long",
			in: domain.Location{
				Name: strings.Repeat("n", 257), Region: strings.Repeat("ř", 101),
				State: strings.Repeat("s", 101), District: strings.Repeat("д", 101),
				City: strings.Repeat("c", 101), Landmark: strings.Repeat("l", 101),
				AddressLine1: strings.Repeat("a", 1001), AddressLine2: strings.Repeat("ब", 1001),
			},
			errs: []fieldErr{
				{"location_name", domain.FieldTooLong}, {"region", domain.FieldTooLong},
				{"state", domain.FieldTooLong}, {"district", domain.FieldTooLong},
				{"city", domain.FieldTooLong}, {"landmark", domain.FieldTooLong},
				{"address_line1", domain.FieldTooLong}, {"address_line2", domain.FieldTooLong},
			},
		},
		{
			name: "length is checked after trimming",
			in:   domain.Location{City: "  " + strings.Repeat("c", 100) + "  "},
			want: domain.Location{City: strings.Repeat("c", 100)},
		},
		{
			name: "bad pin for its country",
			in:   domain.Location{Country: "IN", PinCode: "11000"},
			errs: []fieldErr{{"pin_code", domain.FieldFormat}},
			msg:  "Not a valid postal code for India (example: 110034).",
		},
		{
			name: "bad pin for a country given by name",
			in:   domain.Location{Country: "United States", PinCode: "1003"},
			errs: []fieldErr{{"pin_code", domain.FieldFormat}},
			msg:  "United States",
		},
		{
			name: "bad pin without country",
			in:   domain.Location{PinCode: "1"},
			errs: []fieldErr{{"pin_code", domain.FieldFormat}},
			msg:  "3 to 12",
		},
		{
			name: "unknown country, and no pin error",
			in:   domain.Location{Country: "Narnia", PinCode: "!!"},
			errs: []fieldErr{{"country", domain.FieldUnknown}},
			msg:  "Not a country name or ISO 3166-1 alpha-2 code.",
		},
		{
			name: "non-ISO code is unknown",
			in:   domain.Location{Country: "XK", PinCode: "10000"},
			errs: []fieldErr{{"country", domain.FieldUnknown}},
		},
		{
			name: "several errors at once",
			in:   domain.Location{City: strings.Repeat("x", 101), Country: "Atlantis", PinCode: "?"},
			errs: []fieldErr{{"city", domain.FieldTooLong}, {"country", domain.FieldUnknown}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fe := tt.in.Normalize()
			if len(fe) != len(tt.errs) {
				t.Fatalf("Normalize() errors = %+v, want %+v", fe, tt.errs)
			}
			for i, e := range tt.errs {
				if fe[i].Field != e.field || fe[i].Code != e.code || fe[i].Message == "" {
					t.Errorf("error %d = %+v, want field %q code %q", i, fe[i], e.field, e.code)
				}
			}
			if tt.msg != "" && !strings.Contains(fe[0].Message, tt.msg) {
				t.Errorf("message %q does not contain %q", fe[0].Message, tt.msg)
			}
			if len(tt.errs) == 0 {
				if got.IsZero() != (tt.want == domain.Location{}) {
					t.Errorf("IsZero() = %v for %+v", got.IsZero(), got)
				}
				if got != tt.want {
					t.Errorf("Normalize() = %+v, want %+v", got, tt.want)
				}
				if fe.Err() != nil {
					t.Errorf("Err() = %v, want nil", fe.Err())
				}
			} else if domain.ErrorCode(fe.Err()) != domain.EInvalid {
				t.Errorf("Err() code = %q, want %q", domain.ErrorCode(fe.Err()), domain.EInvalid)
			}
		})
	}
}

func TestLocationNormalizeUnknownCountryKeepsInput(t *testing.T) {
	got, fe := domain.Location{Country: "  Narnia "}.Normalize()
	if !fe.Has("country") || fe.Has("pin_code") {
		t.Fatalf("errors = %+v", fe)
	}
	if got.Country != "Narnia" {
		t.Errorf("Country = %q, want the trimmed input", got.Country)
	}
}

func TestCanonicalPostalCode(t *testing.T) {
	for _, tc := range []struct{ country, in, want string }{
		{"GB", "sw1a1aa", "SW1A 1AA"},
		{"GB", "SW1A 1AA", "SW1A 1AA"},
		{"GB", "m344ab", "M34 4AB"},
		{"GB", "m25bq", "M2 5BQ"},
		{"GB", "bfpo61", "BFPO 61"},
		{"CA", "h3z2y7", "H3Z 2Y7"},
		{"NL", "1234ab", "1234 AB"},
		{"US", "12345 6789", "12345-6789"},
		{"US", "10036", "10036"},
		{"JP", "1540023", "154-0023"},
		{"BR", "40301110", "40301-110"},
		{"IN", "110034", "110034"},
		{"", "ab-12", "ab-12"}, // no known format: as written
	} {
		if msg, ok := domain.CheckPostalCode(tc.country, tc.in); tc.country != "" && !ok {
			t.Fatalf("%s %q is not valid to begin with: %s", tc.country, tc.in, msg)
		}
		if got := domain.CanonicalPostalCode(tc.country, tc.in); got != tc.want {
			t.Errorf("CanonicalPostalCode(%s, %q) = %q, want %q", tc.country, tc.in, got, tc.want)
		}
	}
	// Every country's own examples are already in their written form.
	for country, ex := range map[string]string{"GB": "EC1Y 8SY", "CA": "K1A 0B1", "NL": "2490 AA", "US": "22162-1010",
		"JP": "154-0023", "BR": "40301-110", "PL": "00-950", "SE": "11455", "DE": "26133"} {
		if got := domain.CanonicalPostalCode(country, ex); got != ex {
			t.Errorf("%s: its example %q becomes %q", country, ex, got)
		}
	}
	// A location keeps the written form.
	loc, fe := domain.Location{Country: "United Kingdom", PinCode: " sw1a1aa "}.Normalize()
	if len(fe) != 0 || loc.PinCode != "SW1A 1AA" {
		t.Errorf("normalized %q, %v", loc.PinCode, fe)
	}
}
