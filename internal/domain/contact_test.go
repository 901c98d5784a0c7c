package domain_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

func TestNormalizeCountry(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" means not a country
	}{
		// Alpha-2 codes, any case, surrounding space ignored.
		{"US", "US"},
		{"us", "US"},
		{"uS", "US"},
		{" in ", "IN"},
		{"gb", "GB"},
		{"AX", "AX"},
		{"SS", "SS"},
		{"BQ", "BQ"},
		{"AQ", "AQ"},
		// English (CLDR) names.
		{"United States", "US"},
		{"united states", "US"},
		{"  UNITED STATES  ", "US"},
		{"United Kingdom", "GB"},
		{"India", "IN"},
		{"Germany", "DE"},
		{"Georgia", "GE"},
		{"Åland Islands", "AX"},
		{"Aland Islands", "AX"},
		{"Côte d’Ivoire", "CI"},
		{"Cote d'Ivoire", "CI"},
		{"Bosnia & Herzegovina", "BA"},
		{"Bosnia and Herzegovina", "BA"},
		{"St. Kitts & Nevis", "KN"},
		{"Saint Kitts and Nevis", "KN"},
		{"Saint Lucia", "LC"},
		{"São Tomé & Príncipe", "ST"},
		{"Sao Tome and Principe", "ST"},
		{"Guinea-Bissau", "GW"},
		{"Guinea Bissau", "GW"},
		{"Congo - Kinshasa", "CD"},
		{"Congo (Kinshasa)", "CD"},
		{"Congo - Brazzaville", "CG"},
		{"Hong Kong SAR China", "HK"},
		{"Myanmar (Burma)", "MM"},
		{"U.S. Virgin Islands", "VI"},
		{"US Virgin Islands", "VI"},
		{"Bahamas", "BS"},
		{"The Bahamas", "BS"},
		{"the Netherlands", "NL"},
		{"Caribbean Netherlands", "BQ"},
		{"Czechia", "CZ"},
		{"South Sudan", "SS"},
		// Current names that CLDR 32 (x/text) does not have yet.
		{"Eswatini", "SZ"},
		{"North Macedonia", "MK"},
		{"Türkiye", "TR"},
		{"Turkiye", "TR"},
		{"Macao SAR China", "MO"},
		// Aliases.
		{"United States of America", "US"},
		{"USA", "US"},
		{"usa", "US"},
		{"UK", "GB"},
		{"uk", "GB"},
		{"Great Britain", "GB"},
		{"Czech Republic", "CZ"},
		{"Ivory Coast", "CI"},
		{"Turkey", "TR"},
		{"Swaziland", "SZ"},
		{"Macedonia", "MK"},
		{"Burma", "MM"},
		{"Myanmar", "MM"},
		{"Democratic Republic of the Congo", "CD"},
		{"Republic of the Congo", "CG"},
		{"Hong Kong", "HK"},
		{"Macau", "MO"},
		{"Palestine", "PS"},
		{"East Timor", "TL"},
		{"Holy See", "VA"},
		{"Vatican City", "VA"},
		{"Cabo Verde", "CV"},
		{"Russian Federation", "RU"},
		{"Viet Nam", "VN"},
		{"Republic of Korea", "KR"},
		{"South Korea", "KR"},
		{"North Korea", "KP"},
		// Not countries.
		{"Narnia", ""},
		{"", ""},
		{"   ", ""},
		{"U", ""},
		{"USAA", ""},
		{"XK", ""}, // user-assigned (Kosovo)
		{"Kosovo", ""},
		{"EU", ""},
		{"UN", ""},
		{"United Nations", ""},
		{"EZ", ""},
		{"Eurozone", ""},
		{"QO", ""},
		{"AA", ""},
		{"ZZ", ""},
		{"AC", ""}, // exceptionally reserved (Ascension Island)
		{"Ascension Island", ""},
		{"TA", ""},
		{"IC", ""},
		{"Canary Islands", ""},
		{"YU", ""}, // withdrawn
		{"SU", ""},
		{"BU", ""},
		{"ZR", ""},
		{"England", ""},
		{"Korea", ""}, // ambiguous
		{"Congo", ""}, // ambiguous
		{"USA!", ""},
		{"United States?", ""},
		{"<United States>", ""},
		{"United_States", ""},
		{"United  States  of", ""},
		{"1", ""},
		{"840", ""}, // numeric codes are not accepted
		{"GBR", ""}, // nor alpha-3 codes
		{strings.Repeat("a", 1000), ""},
	}
	for _, tt := range tests {
		got, ok := domain.NormalizeCountry(tt.in)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("NormalizeCountry(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.want != "")
		}
	}
}

func TestCountryName(t *testing.T) {
	tests := []struct{ code, want string }{
		{"US", "United States"},
		{"us", "United States"},
		{" GB ", "United Kingdom"},
		{"IN", "India"},
		{"CI", "Côte d’Ivoire"},
		{"SZ", "Eswatini"},
		{"MK", "North Macedonia"},
		{"TR", "Türkiye"},
		{"AX", "Åland Islands"},
		{"XK", ""},
		{"UK", ""},
		{"EU", ""},
		{"AC", ""},
		{"ZZ", ""},
		{"", ""},
		{"USA", ""},
		{"United States", ""},
	}
	for _, tt := range tests {
		if got := domain.CountryName(tt.code); got != tt.want {
			t.Errorf("CountryName(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

// isoFromXText derives the ISO 3166-1 list from x/text's region table: every
// current, named region that is a country, less the codes that ISO only
// reserves (or leaves to users) rather than assigns.
func isoFromXText(t *testing.T) map[string]bool {
	t.Helper()
	notAssigned := map[string]bool{"AC": true, "CP": true, "DG": true, "EA": true, "EZ": true, "IC": true, "TA": true, "UN": true, "XK": true}
	names := display.English.Regions()
	set := map[string]bool{}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.Canonicalize() != r || names.Name(r) == "" || notAssigned[code] {
				continue
			}
			set[code] = true
		}
	}
	return set
}

func TestCountries(t *testing.T) {
	list := domain.Countries()
	if len(list) != 249 {
		t.Fatalf("len(Countries()) = %d, want 249", len(list))
	}
	want := isoFromXText(t)
	if len(want) != 249 {
		t.Fatalf("x/text-derived list has %d codes, want 249", len(want))
	}
	coll := collate.New(language.English)
	seen := map[string]bool{}
	for i, c := range list {
		if !want[c.Code] {
			t.Errorf("Countries() has %q (%s), which is not an ISO 3166-1 country", c.Code, c.Name)
		}
		if seen[c.Code] {
			t.Errorf("Countries() lists %q twice", c.Code)
		}
		seen[c.Code] = true
		if c.Name == "" {
			t.Errorf("Countries(): %q has no name", c.Code)
		}
		if i > 0 && coll.CompareString(list[i-1].Name, c.Name) > 0 {
			t.Errorf("Countries() not sorted: %q before %q", list[i-1].Name, c.Name)
		}
		if got := domain.CountryName(c.Code); got != c.Name {
			t.Errorf("CountryName(%q) = %q, want %q", c.Code, got, c.Name)
		}
		if got, ok := domain.NormalizeCountry(c.Code); !ok || got != c.Code {
			t.Errorf("NormalizeCountry(%q) = %q, %v", c.Code, got, ok)
		}
		if got, ok := domain.NormalizeCountry(c.Name); !ok || got != c.Code {
			t.Errorf("NormalizeCountry(%q) = %q, %v; want %q", c.Name, got, ok, c.Code)
		}
		if got, ok := domain.NormalizeCountry(strings.ToUpper(c.Name)); !ok || got != c.Code {
			t.Errorf("NormalizeCountry(%q) = %q, %v; want %q", strings.ToUpper(c.Name), got, ok, c.Code)
		}
	}
	for code := range want {
		if !seen[code] {
			t.Errorf("Countries() lacks %q", code)
		}
	}
	if list[0].Name != "Afghanistan" || list[1].Code != "AX" {
		t.Errorf("Countries() starts %v, %v; want Afghanistan then Åland Islands", list[0], list[1])
	}
	// The caller owns the slice.
	list[0] = domain.Country{Code: "XX", Name: "Changed"}
	if again := domain.Countries(); again[0].Code == "XX" {
		t.Error("Countries() returned shared storage")
	}
}

// postalData reads the table of postal_codes.go, so that every pattern can be
// checked against the data's own examples through the public API.
func postalData(t *testing.T) map[string][]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "postal_codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		kv, ok := n.(*ast.KeyValueExpr)
		if !ok {
			return true
		}
		key, ok1 := kv.Key.(*ast.BasicLit)
		val, ok2 := kv.Value.(*ast.CompositeLit)
		if !ok1 || !ok2 || len(val.Elts) != 2 {
			t.Fatalf("unexpected entry in postal_codes.go at %v", kv.Pos())
		}
		code, _ := strconv.Unquote(key.Value)
		ex, _ := strconv.Unquote(val.Elts[1].(*ast.BasicLit).Value)
		out[code] = strings.Split(ex, ",")
		return false
	})
	return out
}

func TestPostalFormatsData(t *testing.T) {
	data := postalData(t)
	if len(data) != 178 {
		t.Errorf("postal_codes.go has %d countries, want 178", len(data))
	}
	for code, examples := range data {
		name := domain.CountryName(code)
		if name == "" {
			t.Errorf("postal_codes.go: %q is not an ISO 3166-1 country", code)
			continue
		}
		for _, ex := range examples {
			if ex == "" {
				t.Errorf("%s: empty example", code)
				continue
			}
			if msg, ok := domain.CheckPostalCode(code, ex); !ok {
				t.Errorf("CheckPostalCode(%q, %q) = %q: the data's own example fails", code, ex, msg)
			}
			if msg, ok := domain.CheckPostalCode(code, strings.ToLower(ex)); !ok {
				t.Errorf("CheckPostalCode(%q, %q) = %q: lower case fails", code, strings.ToLower(ex), msg)
			}
			// Anchored: nothing may trail or lead the code.
			for _, bad := range []string{ex + "#", "#" + ex, ex + "\n" + ex} {
				if _, ok := domain.CheckPostalCode(code, bad); ok {
					t.Errorf("CheckPostalCode(%q, %q) passed", code, bad)
				}
			}
		}
		msg, ok := domain.CheckPostalCode(code, "#")
		wantMsg := "Not a valid postal code for " + name + " (example: " + examples[0] + ")."
		if ok || msg != wantMsg {
			t.Errorf("CheckPostalCode(%q, \"#\") = %q, %v; want %q", code, msg, ok, wantMsg)
		}
	}
}

func TestCheckPostalCode(t *testing.T) {
	const generic = "Not a valid postal code: use 3 to 12 letters, digits, spaces or dashes."
	tests := []struct {
		country, pin string
		ok           bool
		msg          string // checked when not ""
	}{
		// United States: ZIP or ZIP+4.
		{"US", "10036", true, ""},
		{"us", "10036", true, ""},
		{"US", " 10036 ", true, ""},
		{"US", "10036-1234", true, ""},
		{"US", "10036 1234", true, ""},
		{"US", "1003", false, "Not a valid postal code for United States (example: 95014)."},
		{"US", "100361", false, ""},
		{"US", "10036-123", false, ""},
		{"US", "ABCDE", false, ""},
		{"US", "10036x", false, ""},
		{"US", "x10036", false, ""},
		{"US", "", false, ""},
		// United Kingdom: case-insensitive, space optional.
		{"GB", "SW1A 1AA", true, ""},
		{"GB", "sw1a 1aa", true, ""},
		{"GB", "SW1A1AA", true, ""},
		{"GB", "EC1Y 8SY", true, ""},
		{"GB", "M2 5BQ", true, ""},
		{"GB", "GIR 0AA", true, ""},
		{"GB", "BFPO 61", true, ""},
		{"GB", "SW1A 1A", false, "Not a valid postal code for United Kingdom (example: EC1Y 8SY)."},
		{"GB", "QQ1 1AA", false, ""},
		{"GB", "SW1A  1AA", false, ""},
		{"GB", "GIR 0AAX", false, ""}, // each alternative is anchored
		{"GB", "XBFPO 61", false, ""},
		{"GB", "10036", false, ""},
		// Canada.
		{"CA", "K1A 0B1", true, ""},
		{"CA", "k1a 0b1", true, ""},
		{"CA", "K1A0B1", true, ""},
		{"CA", "D1A 0B1", false, "Not a valid postal code for Canada (example: H3Z 2Y7)."},
		{"CA", "K1A-0B1", false, ""},
		{"CA", "K1A 0B", false, ""},
		// India: six-digit PIN.
		{"IN", "110001", true, ""},
		{"IN", "560 001", false, ""},
		{"IN", "11000", false, "Not a valid postal code for India (example: 110034)."},
		{"IN", "1100011", false, ""},
		// A few more shapes from the data.
		{"DE", "10115", true, ""},
		{"DE", "1011", false, ""},
		{"NL", "1234 AB", true, ""},
		{"NL", "1234ab", true, ""},
		{"NL", "1234", false, ""},
		{"JP", "154-0023", true, ""},
		{"JP", "1540023", true, ""},
		{"BR", "40301-110", true, ""},
		{"BR", "40301110", true, ""},
		{"PL", "00-950", true, ""},
		{"PL", "00950", false, ""},
		{"PT", "2725-079", true, ""},
		{"IE", "A65 F4E2", true, ""},
		{"AR", "C1070AAM", true, ""},
		{"AR", "1070", true, ""},
		{"CH", "8001", true, ""},
		{"LV", "LV-1073", true, ""},
		{"LV", "1073", false, ""},
		{"SE", "114 55", true, ""},
		{"VA", "00120", true, ""},
		{"VA", "00121", false, ""},
		// United Arab Emirates has no postal-code format in the data: the
		// generic rule applies.
		{"AE", "12345", true, ""},
		{"AE", "AB-12", true, ""},
		{"AE", "P.O. 123", false, generic},
		{"AE", "12", false, generic},
		{"AE", "1234567890123", false, generic},
		{"AE", "123456789012", true, ""},
		{"AE", "12_34", false, generic},
		{"AE", "---", false, generic},
		{"AE", "- -", false, generic},
		{"AE", "١٢٣٤٥", false, generic}, // Arabic-Indic digits
		{"AE", "", false, generic},
		{"HK", "999077", true, ""},
		{"AQ", "BIQQ 1ZZ", true, ""},
		// No country, or one without data: the generic rule.
		{"", "ABC 123", true, ""},
		{"", "ab", false, generic},
		{"", "1003", true, ""},
		{"ZZ", "12345", true, ""},
		{"XK", "10000", true, ""},
	}
	for _, tt := range tests {
		msg, ok := domain.CheckPostalCode(tt.country, tt.pin)
		if ok != tt.ok {
			t.Errorf("CheckPostalCode(%q, %q) = %q, %v; want ok=%v", tt.country, tt.pin, msg, ok, tt.ok)
			continue
		}
		if ok && msg != "" {
			t.Errorf("CheckPostalCode(%q, %q) passed with message %q", tt.country, tt.pin, msg)
		}
		if !ok && msg == "" {
			t.Errorf("CheckPostalCode(%q, %q) failed without a message", tt.country, tt.pin)
		}
		if tt.msg != "" && msg != tt.msg {
			t.Errorf("CheckPostalCode(%q, %q) message = %q, want %q", tt.country, tt.pin, msg, tt.msg)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, region string
		want       string // E.164 when valid
		msg        string // when invalid: a substring of the message
	}{
		{"+1 202 555 0143", "", "+12025550143", ""},
		{"+12025550143", "", "+12025550143", ""},
		{" +1 (202) 456-1111 ", "", "+12024561111", ""},
		{"+1 202 555 0143", "IN", "+12025550143", ""}, // "+" wins over the region
		{"202-456-1111", "US", "+12024561111", ""},
		{"+44 20 7946 0958", "", "+442079460958", ""},
		{"020 7946 0958", "GB", "+442079460958", ""},
		{"0044 20 7946 0958", "IN", "+442079460958", ""}, // India's IDD prefix
		{"98765 43210", "IN", "+919876543210", ""},
		{"098765 43210", "in", "+919876543210", ""},
		{"+91 98765 43210", "", "+919876543210", ""},
		{"011 2345 6789", "IN", "+911123456789", ""},
		{"+800 1234 5678", "", "+80012345678", ""}, // non-geographic, valid
		// Invalid.
		{"+1 202", "", "", "Too short for a phone number with country code +1."},
		{"+91 98765", "", "", "Too short for a phone number in India (+91)."},
		{"98765", "IN", "", "Too short for a phone number in India (+91)."},
		{"+44 20", "", "", "Too short for a phone number with country code +44."},
		{"020", "GB", "", "Too short for a phone number with country code +44."},
		{"+91 98765 432101234", "", "", "Too long for a phone number in India (+91)."},
		{"+44 7700 900123", "", "", "Not a valid phone number with country code +44."}, // reserved for drama
		{"+44 7946 0958", "", "", "Not a valid phone number with country code +44."},
		{"+49 30 1", "", "", "in Germany (+49)."},
		{"+1 555 555 5555", "", "", "Not a valid phone number with country code +1."},
		{"+7 12", "", "", "Too short for a phone number with country code +7."},
		{"+380 12", "", "", "Too short for a phone number in Ukraine (+380)."},
		{"+86 1", "", "", "Too short to be a phone number."},
		{"00 1", "GB", "", "Too short to be a phone number."},
		{"98765 43210", "", "", "Start the number with + and the country calling code"},
		{"98765 43210", "ZZ", "", "Start the number with +"},
		{"+999 1234567", "", "", "Unknown country calling code."},
		{"abc", "", "", "Not a phone number."},
		{"+", "", "", "Not a phone number."},
		{"1", "US", "", "Not a phone number."},
		{"", "US", "", "Enter a phone number."},
		{"   ", "", "", "Enter a phone number."},
		{"+1 650 253 0000 ext. 12", "", "", "extensions are not supported"},
		{strings.Repeat("1", 300), "US", "", "Too long to be a phone number."},
	}
	for _, tt := range tests {
		got, msg, ok := domain.NormalizePhone(tt.in, tt.region)
		if tt.want != "" {
			if !ok || got != tt.want || msg != "" {
				t.Errorf("NormalizePhone(%q, %q) = %q, %q, %v; want %q", tt.in, tt.region, got, msg, ok, tt.want)
			}
			continue
		}
		if ok || got != "" || !strings.Contains(msg, tt.msg) {
			t.Errorf("NormalizePhone(%q, %q) = %q, %q, %v; want failure mentioning %q", tt.in, tt.region, got, msg, ok, tt.msg)
		}
	}
}

func TestPhoneCodes(t *testing.T) {
	list := domain.PhoneCodes()
	if len(list) < 200 || len(list) > 249 {
		t.Fatalf("len(PhoneCodes()) = %d", len(list))
	}
	coll := collate.New(language.English)
	byRegion := map[string]domain.PhoneCode{}
	for i, p := range list {
		if _, dup := byRegion[p.Region]; dup {
			t.Errorf("PhoneCodes() lists %q twice", p.Region)
		}
		byRegion[p.Region] = p
		if name := domain.CountryName(p.Region); name == "" || name != p.Name {
			t.Errorf("PhoneCodes(): %+v is not an ISO 3166-1 country with its name (%q)", p, name)
		}
		if p.Code < 1 || p.Code > 999 {
			t.Errorf("PhoneCodes(): %+v has a bad calling code", p)
		}
		if i > 0 && coll.CompareString(list[i-1].Name, p.Name) > 0 {
			t.Errorf("PhoneCodes() not sorted: %q before %q", list[i-1].Name, p.Name)
		}
	}
	for region, code := range map[string]int{"US": 1, "CA": 1, "GB": 44, "IN": 91, "DE": 49, "RU": 7, "KZ": 7, "GG": 44, "AE": 971, "SS": 211, "BQ": 599, "VA": 39} {
		if p, ok := byRegion[region]; !ok || p.Code != code {
			t.Errorf("PhoneCodes()[%s] = %+v, %v; want code %d", region, p, ok, code)
		}
	}
	for _, region := range []string{"AC", "TA", "XK", "001", "AQ", "EU", "UN", ""} {
		if p, ok := byRegion[region]; ok {
			t.Errorf("PhoneCodes() has %+v, which is not an ISO 3166-1 country with a numbering plan", p)
		}
	}
	list[0].Code = -1
	if domain.PhoneCodes()[0].Code == -1 {
		t.Error("PhoneCodes() returned shared storage")
	}
}

func TestNormalizeDomain(t *testing.T) {
	label63 := strings.Repeat("a", 63)
	name253 := label63 + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 61)
	tests := []struct {
		in, want string // want "" means invalid
	}{
		{"airtel.com", "airtel.com"},
		{"Airtel.COM", "airtel.com"},
		{" airtel.com ", "airtel.com"},
		{"mail.airtel.co.in", "mail.airtel.co.in"},
		{"a-b.example", "a-b.example"},
		{"a--b.example", "a--b.example"},
		{"123.example", "123.example"},
		{"Bücher.de", "bücher.de"},
		{"BÜCHER.DE", "bücher.de"},
		{"xn--bcher-kva.de", "bücher.de"},
		{"XN--BCHER-KVA.DE", "bücher.de"},
		{"faß.de", "faß.de"}, // non-transitional: ß is kept
		{"例え.テスト", "例え.テスト"},
		{"xn--r8jz45g.xn--zckzah", "例え.テスト"},
		{"ＡＩＲＴＥＬ．ＣＯＭ", "airtel.com"}, // full-width forms are mapped
		{"airtel.xn--p1ai", "airtel.рф"},
		{label63 + ".com", label63 + ".com"},
		{name253, name253},
		// Invalid.
		{"localhost", ""},
		{"com", ""},
		{"bücher", ""},
		{"http://x.com", ""},
		{"https://airtel.com/", ""},
		{"x.com/path", ""},
		{"x.com:443", ""},
		{"x.com?q", ""},
		{"user@x.com", ""},
		{"a b.com", ""},
		{"airtel .com", ""},
		{"airtel.com junk", ""},
		{"x.com.", ""},
		{".x.com", ""},
		{"x..com", ""},
		{"-x.com", ""},
		{"x-.com", ""},
		{"ab--c.com", ""},
		{"x_y.com", ""},
		{"*.x.com", ""},
		{"1.2.3.4", ""},
		{"x.123", ""},
		{"[::1]", ""},
		{"xn--abc.com", ""}, // bad Punycode
		{"", ""},
		{"   ", ""},
		{".", ""},
		{strings.Repeat("a", 64) + ".com", ""},
		{name253 + "d", ""},
		{strings.Repeat("a.", 200) + "com", ""},
	}
	for _, tt := range tests {
		got, ok := domain.NormalizeDomain(tt.in)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.want != "")
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	local64 := strings.Repeat("l", 64)
	long := strings.Repeat("l", 60) + "@" + strings.Repeat("d", 63) + "." + strings.Repeat("e", 63) + "." + strings.Repeat("f", 63) + ".com" // 255 characters
	tests := []struct {
		in, want string // want "" means invalid
	}{
		{"enterprise@airtel.com", "enterprise@airtel.com"},
		{"Enterprise@Airtel.COM", "Enterprise@airtel.com"},
		{" enterprise@airtel.com ", "enterprise@airtel.com"},
		{"first.last+tag@mail.airtel.co.in", "first.last+tag@mail.airtel.co.in"},
		{"o'brien@example.ie", "o'brien@example.ie"},
		{"user@Bücher.de", "user@bücher.de"},
		{"user@xn--bcher-kva.de", "user@bücher.de"},
		{"jöhn@example.com", "jöhn@example.com"},
		{`"john doe"@example.com`, `"john doe"@example.com`},
		{local64 + "@example.com", local64 + "@example.com"},
		// Invalid.
		{"user@", ""},
		{"user", ""},
		{"@airtel.com", ""},
		{"a b@c.com", ""},
		{"Bob <bob@x.com>", ""},
		{`"Bob" <bob@x.com>`, ""},
		{"<bob@x.com>", ""},
		{"bob@x.com (Bob)", ""},
		{"bob@x.com ()", ""},
		{"a@b.com, c@d.com", ""},
		{"a@b.com;c@d.com", ""},
		{"a@b@c.com", ""},
		{"a@localhost", ""},
		{"a@b", ""},
		{"a@[1.2.3.4]", ""},
		{"a@1.2.3.4", ""},
		{"a@-b.com", ""},
		{"a@b_c.com", ""},
		{"a@b.com.", ""},
		{"a@ b.com", ""},
		{"a..b@c.com", ""},
		{".a@b.com", ""},
		{"a.@b.com", ""},
		{`"john"@example.com`, ""}, // only the plain form is accepted
		{"mailto:a@b.com", ""},
		{"a@b.com\n", "a@b.com"}, // surrounding white space is trimmed
		{"a@b.com\nBcc: c@d.com", ""},
		{local64 + "l@example.com", ""},
		{long, ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := domain.NormalizeEmail(tt.in)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.want != "")
		}
	}
}

func TestNormalizeWebsite(t *testing.T) {
	long := "https://airtel.com/" + strings.Repeat("p", 2048-len("https://airtel.com/"))
	tests := []struct {
		in, want string // want "" means invalid
	}{
		{"https://www.airtel.com/", "https://www.airtel.com/"},
		{"http://airtel.com", "http://airtel.com"},
		{" https://airtel.com/ ", "https://airtel.com/"},
		{"HTTPS://WWW.Airtel.COM/Path?Q=1#Frag", "https://www.airtel.com/Path?Q=1#Frag"},
		{"https://airtel.com?x=1", "https://airtel.com?x=1"},
		{"https://airtel.com#top", "https://airtel.com#top"},
		{"https://airtel.com:8443/a/b", "https://airtel.com:8443/a/b"},
		{"https://bücher.de/", "https://bücher.de/"},
		{"https://xn--bcher-kva.de/x", "https://bücher.de/x"},
		{"https://airtel.com/a%20b", "https://airtel.com/a%20b"},
		{long, long},
		// Invalid.
		{"ftp://x.com", ""},
		{"www.x.com", ""},
		{"x.com", ""},
		{"//x.com", ""},
		{"https://", ""},
		{"https:///path", ""},
		{"http:x.com", ""},
		{"http:/x.com", ""},
		{"https://localhost/", ""},
		{"https://127.0.0.1/", ""},
		{"https://[::1]/", ""},
		{"https://user:pw@x.com/", ""},
		{"https://user@x.com/", ""},
		{"https://x.com:0/", ""},
		{"https://x.com:99999/", ""},
		{"https://x.com:/", ""},
		{"https://x.com:http/", ""},
		{"https://x.com/a b", ""},
		{"https://x.com/\n", "https://x.com/"},
		{"https://x.com/\na", ""},
		{"https://x .com/", ""},
		{"https://x_y.com/", ""},
		{"https://x.com./", ""},
		{"javascript:alert(1)", ""},
		{"mailto:a@b.com", ""},
		{"https://x.com\\@evil.com/", ""},
		{"", ""},
		{long + "p", ""},
	}
	for _, tt := range tests {
		got, ok := domain.NormalizeWebsite(tt.in)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("NormalizeWebsite(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.want != "")
		}
	}
}
