package soaktest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"

	"github.com/custreg/custreg/internal/domain"
)

// country is a country as an administrator types it, with postal codes
// valid for it.
type country struct {
	name   string // English name, as typed in the form
	alpha2 string
	pin    func(r *rand.Rand) string
}

func digits(r *rand.Rand, first, n int) string {
	var b strings.Builder
	b.WriteByte(byte('0' + first + r.IntN(10-first)))
	for range n - 1 {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

func oneOf(s ...string) func(r *rand.Rand) string {
	return func(r *rand.Rand) string { return s[r.IntN(len(s))] }
}

var countries = []country{
	{"United Kingdom", "GB", oneOf("EC1Y 8SY", "M2 5BQ", "SW1A 1AA", "CR0 2YR", "W1A 4ZZ", "OX14 4PG", "B6 5BA")},
	{"Germany", "DE", func(r *rand.Rand) string { return digits(r, 0, 5) }},
	{"India", "IN", func(r *rand.Rand) string { return digits(r, 1, 6) }},
	{"United States", "US", func(r *rand.Rand) string {
		if r.IntN(3) == 0 {
			return digits(r, 0, 5) + "-" + digits(r, 0, 4)
		}
		return digits(r, 0, 5)
	}},
	{"France", "FR", func(r *rand.Rand) string { return digits(r, 0, 5) }},
	{"Japan", "JP", func(r *rand.Rand) string { return digits(r, 1, 3) + "-" + digits(r, 0, 4) }},
	{"Australia", "AU", func(r *rand.Rand) string { return digits(r, 1, 4) }},
	{"Canada", "CA", oneOf("K1A 0B1", "H3Z 2Y7", "V8X 3X4", "T0L 1K0")},
	{"Netherlands", "NL", func(r *rand.Rand) string { return digits(r, 1, 4) + " " + oneOf("AB", "AA", "XK", "DL")(r) }},
	{"Brazil", "BR", func(r *rand.Rand) string { return digits(r, 0, 5) + "-" + digits(r, 0, 3) }},
	{"Singapore", "SG", func(r *rand.Rand) string { return digits(r, 0, 6) }},
	{"South Africa", "ZA", func(r *rand.Rand) string { return digits(r, 0, 4) }},
	{"Ireland", "IE", oneOf("A65 F4E2", "D02 X285", "T12 RW26")},
	{"Spain", "ES", func(r *rand.Rand) string { return digits(r, 0, 5) }},
	{"Italy", "IT", func(r *rand.Rand) string { return digits(r, 0, 5) }},
	{"Sweden", "SE", func(r *rand.Rand) string { return digits(r, 1, 3) + " " + digits(r, 0, 2) }},
	{"Mexico", "MX", func(r *rand.Rand) string { return digits(r, 0, 5) }},
	{"New Zealand", "NZ", func(r *rand.Rand) string { return digits(r, 1, 4) }},
}

// phone returns a valid number of the country, as a person writes it:
// international ("+44 7400 123456") or national ("07400 123456"). It varies
// the last digits of libphonenumber's example numbers, keeping only valid
// results.
func phone(r *rand.Rand, alpha2 string) string {
	types := []phonenumbers.PhoneNumberType{phonenumbers.MOBILE, phonenumbers.FIXED_LINE}
	ex := phonenumbers.GetExampleNumberForType(alpha2, types[r.IntN(len(types))])
	if ex == nil {
		ex = phonenumbers.GetExampleNumber(alpha2)
	}
	num := ex
	for range 10 {
		n := ex.GetNationalNumber() - ex.GetNationalNumber()%100 + uint64(r.IntN(100))
		try := &phonenumbers.PhoneNumber{CountryCode: ex.CountryCode, NationalNumber: &n,
			ItalianLeadingZero: ex.ItalianLeadingZero, NumberOfLeadingZeros: ex.NumberOfLeadingZeros}
		if phonenumbers.IsValidNumberForRegion(try, alpha2) {
			num = try
			break
		}
	}
	if r.IntN(2) == 0 {
		return phonenumbers.Format(num, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}

var words = []string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent",
	"Hooli", "Vandelay", "Wonka", "Aperture", "Gringotts", "Oceanic", "Monarch", "Nakatomi", "Dunder", "Pied", "Sterling"}

var trades = []string{"Logistics", "Health", "Foods", "Textiles", "Power", "Labs", "Retail", "Finance", "Motors", "Media"}

var cities = []string{"London", "Berlin", "Mumbai", "Pune", "Austin", "Lyon", "Osaka", "Perth", "Toronto", "Utrecht",
	"Recife", "Singapore", "Durban", "Cork", "Valencia", "Turin", "Malmö", "Monterrey", "Wellington", "São Paulo"}

// location is a customer's or entity's location block: the country by its
// English name (or, now and then, its alpha-2 code), a postal code valid for
// it, and a city.
func location(r *rand.Rand) (map[string]any, country) {
	c := countries[r.IntN(len(countries))]
	name := c.name
	if r.IntN(5) == 0 {
		name = c.alpha2
	}
	return map[string]any{
		"country": name, "pin_code": c.pin(r), "city": cities[r.IntN(len(cities))],
		"state": "State " + fmt.Sprint(r.IntN(40)), "address_line1": fmt.Sprintf("%d %s House", 1+r.IntN(300), words[r.IntN(len(words))]),
	}, c
}

// everything is a generous allocation of every license type.
func everything(n int) map[string]int {
	m := map[string]int{}
	for _, t := range domain.LicenseTypes {
		m[t] = n
	}
	return m
}

// customerBody is a POST /customers body with a unique name and code
// (tag), a location, a phone of the location's country, and entities.
func customerBody(r *rand.Rand, tag string, entities int, licenses map[string]int) (map[string]any, country) {
	loc, c := location(r)
	name := fmt.Sprintf("%s %s %s", words[r.IntN(len(words))], trades[r.IntN(len(trades))], tag)
	body := map[string]any{
		"name": name, "code": strings.ReplaceAll(tag, " ", "-"), "location": loc, "phone": phone(r, c.alpha2),
		"business_email": "office@" + strings.ToLower(words[r.IntN(len(words))]) + ".example.com",
		"website":        "https://www." + strings.ToLower(words[r.IntN(len(words))]) + ".example.com",
	}
	if licenses != nil {
		body["licenses"] = licenses
	}
	var es []map[string]any
	for i := range entities {
		es = append(es, entityBody(r, fmt.Sprintf("%s e%d", tag, i)))
	}
	if es != nil {
		body["entities"] = es
	}
	return body, c
}

var entityTypes = []string{"branch", "department", "region", "business_unit", "other"}

func entityBody(r *rand.Rand, tag string) map[string]any {
	loc, c := location(r)
	return map[string]any{
		"name": cities[r.IntN(len(cities))] + " " + tag, "type": entityTypes[r.IntN(len(entityTypes))],
		"location": loc, "phone": phone(r, c.alpha2),
	}
}

// TestGeneratedDataIsValid checks the generator against the domain's own
// rules, in one goroutine, so that a 422 for generated data in the soak test
// is the server's fault, not the generator's.
func TestGeneratedDataIsValid(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		loc, c := location(r)
		code, ok := domain.NormalizeCountry(loc["country"].(string))
		if !ok || code != c.alpha2 {
			t.Fatalf("country %q → %q, %v; want %s", loc["country"], code, ok, c.alpha2)
		}
		if msg, ok := domain.CheckPostalCode(c.alpha2, loc["pin_code"].(string)); !ok {
			t.Fatalf("pin %q for %s: %s", loc["pin_code"], c.alpha2, msg)
		}
		p := phone(r, c.alpha2)
		if _, msg, ok := domain.NormalizePhone(p, c.alpha2); !ok {
			t.Fatalf("phone %q for %s: %s", p, c.alpha2, msg)
		}
		body, _ := customerBody(r, fmt.Sprintf("T%d", i), 1, nil)
		var in domain.CustomerInput
		if err := remarshal(body, &in); err != nil {
			t.Fatal(err)
		}
		if _, err := in.Normalize(); err != nil {
			t.Fatalf("customer %v: %v", body, err)
		}
		var ein domain.EntityInput
		eb := entityBody(r, fmt.Sprintf("T%d", i))
		if err := remarshal(eb, &ein); err != nil {
			t.Fatal(err)
		}
		if _, fe := ein.Normalize(""); len(fe) > 0 {
			t.Fatalf("entity %v: %v", eb, fe)
		}
	}
}
