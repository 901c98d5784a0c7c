package domain_test

// Fuzz targets for every parser and validator of the domain. Plain `go test`
// runs the seeds below (and any failing inputs kept in testdata/fuzz); how to
// fuzz them and for how long they ran clean is in docs/fuzzing.md.

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/custreg/custreg/internal/domain"
)

// storable reports whether s holds nothing a store refuses.
func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "Acme", "Straße", "Ａｃｍｅ\u200b", "a  b\t c", "ﬁ", "ǅ", "İstanbul", "ΣΑΣ", "\xff\x00",
		"\u0345\u0399", "ẞ", "K\u212a", "\u1e9e\u00df", "a\u00adb", "\u3164x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := domain.Fold(s)
		if !storable(k) {
			t.Fatalf("Fold(%q) = %q is not storable", s, k)
		}
		if k2 := domain.Fold(k); k2 != k {
			t.Fatalf("Fold is not idempotent: Fold(%q) = %q, Fold of that = %q", s, k, k2)
		}
		if c := domain.CleanText(s); !storable(c) || domain.CleanText(c) != c {
			t.Fatalf("CleanText(%q) = %q is not storable or not idempotent", s, c)
		}
	})
}

func FuzzCheckName(f *testing.F) {
	for _, s := range []string{"Acme Corp", " Acme\u200b ", "\u0410cme", "Sony東京", "\u200b", "a\x00", "a\u202e", "Москва Трейд",
		"LG전자", "Cafe\u0301", "\u3164", "x\u0301\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, msg := domain.CheckName(s)
		if !storable(out) {
			t.Fatalf("CheckName(%q) returned unstorable %q", s, out)
		}
		if msg != "" {
			return
		}
		// An accepted name is clean: checking it again changes nothing.
		if again, msg2 := domain.CheckName(out); again != out || msg2 != "" {
			t.Fatalf("CheckName(%q) = %q, but CheckName(%q) = %q, %q", s, out, out, again, msg2)
		}
		if domain.TextProblem(out) != "" || strings.ContainsAny(out, "\u200b\u200c\u200d\u2060\ufeff") {
			t.Fatalf("accepted name %q holds refused characters", out)
		}
	})
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		`{"op":"and","conditions":[{"field":"name","op":"contains","value":"air"},{"op":"or","conditions":[{"field":"code","op":"in","values":["AIR001","AIR002"]},{"field":"code","op":"eq","value":"JIO"}]}]}`,
		`{"field":"name","op":"eq","value":" Straße "}`,
		`{"field":"code","op":"not_in","values":["", "a", " b "]}`,
		`{"op":"or","conditions":[]}`,
		`{"op":"and","conditions":[{"op":"and","conditions":[{"op":"and","conditions":[{"op":"and","conditions":[{"field":"name","op":"eq","value":"x"}]}]}]}]}`,
		`{"field":"name","op":"eq","value":"a\u0000"}`, `{"field":"name","op":"eq","value":"\u200b"}`, `[]`, `null`, `{"op":1}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := domain.ParseFilter(s)
		if err != nil {
			if domain.ErrorCode(err) != domain.EBadRequest {
				t.Fatalf("ParseFilter(%q): %v, want a bad request", s, err)
			}
			return
		}
		// A parsed filter re-encodes, re-parses to itself, and validating it
		// again changes nothing.
		b, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		again, err := domain.ParseFilter(string(b))
		if err != nil {
			t.Fatalf("re-parsing %s (from %q): %v", b, s, err)
		}
		if !reflect.DeepEqual(again, got) {
			t.Fatalf("round trip changed the filter:\n%#v\n%#v", got, again)
		}
		checkFilterValues(t, got)
		// Match never panics and agrees with itself under And.
		m := got.Match("Acme Corp", "ACME")
		if both := domain.And(&got, &got); both.Match("Acme Corp", "ACME") != m {
			t.Fatalf("And(f, f) disagrees with f")
		}
	})
}

func checkFilterValues(t *testing.T, f domain.Filter) {
	t.Helper()
	for _, v := range append([]string{f.Value}, f.Values...) {
		if domain.TextProblem(v) != "" || v != domain.CleanText(v) || (v != "" && domain.Fold(v) == "") {
			t.Fatalf("validated filter holds value %q", v)
		}
	}
	for _, c := range f.Conditions {
		checkFilterValues(t, c)
	}
}

func FuzzNormalizeCountry(f *testing.F) {
	for _, s := range []string{"India", "in", " united states ", "Côte d’Ivoire", "Cote d'Ivoire", "the Bahamas", "St. Lucia",
		"UK", "EU", "XK", "Türkiye", "Åland Islands", "", "I\u0307", "ǅ", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := domain.NormalizeCountry(s)
		if !ok {
			if code != "" {
				t.Fatalf("NormalizeCountry(%q) = %q, false", s, code)
			}
			return
		}
		name := domain.CountryName(code)
		if name == "" {
			t.Fatalf("NormalizeCountry(%q) = %q, not a country", s, code)
		}
		// The code and the English name resolve to the code.
		if c, ok := domain.NormalizeCountry(code); !ok || c != code {
			t.Fatalf("NormalizeCountry(%q) = %q, %v", code, c, ok)
		}
		if c, ok := domain.NormalizeCountry(name); !ok || c != code {
			t.Fatalf("NormalizeCountry(%q) = %q, %v; want %q", name, c, ok, code)
		}
	})
}

func FuzzCheckPostalCode(f *testing.F) {
	for _, s := range [][2]string{{"IN", "110001"}, {"US", "10036"}, {"US", "10036-1234"}, {"GB", "SW1A 1AA"}, {"gb", "sw1a1aa"},
		{"CA", "K1A 0B1"}, {"", "ABC-12"}, {"AQ", "x"}, {"NL", "1234 AB"}, {"IN", "11000\x00"}, {"BR", "01310-100"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, country, pin string) {
		msg, ok := domain.CheckPostalCode(country, pin)
		if ok != (msg == "") {
			t.Fatalf("CheckPostalCode(%q, %q) = %q, %v", country, pin, msg, ok)
		}
		// Surrounding space and the case of the code make no difference.
		// Codes are ASCII, so only ASCII letters change case: Unicode's
		// mappings turn other text into codes ("İr" lowers to "ir").
		asciiLower := strings.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}, country)
		msg2, ok2 := domain.CheckPostalCode(" "+asciiLower+" ", " "+pin+" ")
		if ok2 != ok {
			t.Fatalf("CheckPostalCode differs with space and case: %q/%q %v, %v (%q)", country, pin, ok, ok2, msg2)
		}
		if ok && domain.TextProblem(strings.TrimSpace(pin)) != "" {
			t.Fatalf("accepted a postal code with refused characters: %q", pin)
		}
	})
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range [][2]string{{"+91 98765 43210", ""}, {"098765 43210", "IN"}, {"(201) 555-0123", "US"}, {"+1 201 555 0123 ext. 4", ""},
		{"0044 20 7946 0958", "FR"}, {"12", "IN"}, {"+999 1", ""}, {"+٩١٩٨٧٦٥٤٣٢١٠", ""}, {"tel:+44-20-7946-0958", ""}, {"+91\x009876543210", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, s, region string) {
		e164, msg, ok := domain.NormalizePhone(s, region)
		if ok != (msg == "") || ok != (e164 != "") {
			t.Fatalf("NormalizePhone(%q, %q) = %q, %q, %v", s, region, e164, msg, ok)
		}
		if !ok {
			return
		}
		if !strings.HasPrefix(e164, "+") || strings.Trim(e164[1:], "0123456789") != "" || len(e164) > 16 {
			t.Fatalf("NormalizePhone(%q, %q) = %q, not E.164", s, region, e164)
		}
		// E.164 normalizes to itself, whatever the default region.
		for _, r := range []string{"", region, "US"} {
			if again, msg, ok := domain.NormalizePhone(e164, r); !ok || again != e164 {
				t.Fatalf("NormalizePhone(%q, %q) = %q, %q, %v; want itself", e164, r, again, msg, ok)
			}
		}
	})
}

func FuzzNormalizeDomain(f *testing.F) {
	for _, s := range []string{"airtel.com", "Bücher.DE", "xn--bcher-kva.de", "a.b", "localhost", "1.2.3.4", "exa mple.com", "example.com.",
		"ｅｘａｍｐｌｅ．ｃｏｍ", "a..b", "-a.com", "faß.de", "\u0644\u0627.com", "a\u200d.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := domain.NormalizeDomain(s)
		if !ok {
			return
		}
		if !storable(d) || strings.ContainsAny(d, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") || strings.ContainsFunc(d, func(r rune) bool { return r <= ' ' }) {
			t.Fatalf("NormalizeDomain(%q) = %q", s, d)
		}
		if again, ok := domain.NormalizeDomain(d); !ok || again != d {
			t.Fatalf("NormalizeDomain(%q) = %q, but NormalizeDomain(%q) = %q, %v", s, d, d, again, ok)
		}
	})
}

func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"enterprise@airtel.com", "Ops@Bücher.DE", "a@b", "<a@b.c>", "A B <a@b.c>", `"a b"@c.com`, "a@b.c (x)",
		"a@@b.c", "a.@b.c", "a@xn--bcher-kva.de", "a\x00@b.c", "ü@b.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, ok := domain.NormalizeEmail(s)
		if !ok {
			return
		}
		if !storable(e) || domain.Len(e) > domain.MaxEmail || !strings.Contains(e, "@") {
			t.Fatalf("NormalizeEmail(%q) = %q", s, e)
		}
		if again, ok := domain.NormalizeEmail(e); !ok || again != e {
			t.Fatalf("NormalizeEmail(%q) = %q, but NormalizeEmail(%q) = %q, %v", s, e, e, again, ok)
		}
		if u, ok := domain.NormalizeUserEmail(e); !ok || u != strings.ToLower(u) {
			t.Fatalf("NormalizeUserEmail(%q) = %q, %v", e, u, ok)
		}
	})
}

func FuzzNormalizeWebsite(f *testing.F) {
	for _, s := range []string{"https://www.airtel.com/", "HTTP://Bücher.DE:8080/a?b#c", "ftp://a.com", "https://1.2.3.4/", "https://u@a.com",
		"https://a.com:0", "https://a.com:", "https:a.com", "https://a.com/%zz", "https://a.com/\u202e", "https://[::1]/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, ok := domain.NormalizeWebsite(s)
		if !ok {
			return
		}
		if !storable(w) || !(strings.HasPrefix(w, "http://") || strings.HasPrefix(w, "https://")) {
			t.Fatalf("NormalizeWebsite(%q) = %q", s, w)
		}
		if again, ok := domain.NormalizeWebsite(w); !ok || again != w {
			t.Fatalf("NormalizeWebsite(%q) = %q, but NormalizeWebsite(%q) = %q, %v", s, w, w, again, ok)
		}
	})
}

// FuzzCustomerInput runs a whole customer through Normalize: whatever the
// input, nothing unstorable comes out, and a normalized customer normalizes
// to itself.
func FuzzCustomerInput(f *testing.F) {
	f.Add("Airtel", "AIR001", "airtel.com", "enterprise@airtel.com", "+1 202 555 0143", "https://www.airtel.com/", "United States", "10036")
	f.Add("Acme\u200b", "a b", "x", "y", "z", "w", "Narnia", "?")
	f.Add("Ｃ", "C1", "", "", "098765 43210", "", "India", "110001")
	f.Fuzz(func(t *testing.T, name, code, dom, email, phone, web, country, pin string) {
		in := domain.CustomerInput{Name: name, Code: code, Domain: dom, BusinessEmail: email, Phone: phone, Website: web,
			Location: domain.Location{Country: country, PinCode: pin, City: name}}
		c, err := in.Normalize()
		if err != nil {
			if domain.ErrorCode(err) != domain.EInvalid {
				t.Fatalf("Normalize: %v", err)
			}
			return
		}
		for _, s := range []string{c.Name, c.Code, c.Domain, c.BusinessEmail, c.Phone, c.Website, c.Location.Country, c.Location.PinCode, c.Location.City} {
			if domain.TextProblem(s) != "" {
				t.Fatalf("accepted %q", s)
			}
		}
		again, err := c.Input().Normalize()
		if err != nil {
			t.Fatalf("a normalized customer %+v is refused: %v", c, err)
		}
		if !reflect.DeepEqual(again, c) {
			t.Fatalf("Normalize is not idempotent:\n%+v\n%+v", c, again)
		}
	})
}
