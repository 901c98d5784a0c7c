package domain_test

import (
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/domain"
)

func TestFoldKeys(t *testing.T) {
	// Each group folds to one key; different groups to different keys.
	groups := [][]string{
		{"Acme", "ACME", "acme", "Acme\u200b", "\ufeffAc\u200dme", "Ａｃｍｅ", "Ac\u00adme", "Acme\u2060"},
		{"Straße", "STRASSE", "strasse", "Ｓｔｒａｓｓｅ"},
		{"Acme Corp", "acme  corp", "Acme\u00a0Corp", "Acme\u3000Corp", "Acme \u200bCorp"},
		{"Café", "Cafe\u0301", "CAFÉ"},
		{"ﬁne", "fine", "FINE"},
		{"Москва", "МОСКВА"},
		{"Acme Corp2"},
	}
	seen := map[string]int{}
	for i, g := range groups {
		key := domain.Fold(g[0])
		for _, s := range g {
			if got := domain.Fold(s); got != key {
				t.Errorf("Fold(%q) = %q, want %q (as %q)", s, got, key, g[0])
			}
			if got := domain.Fold(domain.Fold(s)); got != domain.Fold(s) {
				t.Errorf("Fold is not idempotent on %q", s)
			}
		}
		if j, dup := seen[key]; dup {
			t.Errorf("groups %d and %d share the key %q", j, i, key)
		}
		seen[key] = i
	}
	for _, s := range []string{"a\x00b", "a\xffb", "a\x01b"} {
		if k := domain.Fold(s); strings.ContainsAny(k, "\x00\x01") || strings.Contains(k, "\xff") {
			t.Errorf("Fold(%q) = %q keeps bytes no store may hold", s, k)
		}
	}
}

func TestCleanTextIsAlwaysStorable(t *testing.T) {
	for in, want := range map[string]string{
		"  Acme  ":     "Acme",
		"Cafe\u0301":   "Café",
		"a\x00b":       "ab",
		"a\xffb":       "a\ufffdb",
		" \u200bx\t\n": "\u200bx", // CleanText only trims and normalizes; names strip zero-width
	} {
		if got := domain.CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextProblem(t *testing.T) {
	for _, ok := range []string{"", "Acme Corp", "Café ☕", "Москва", "東京", "مرحبا\u200f", "Ünïcödé"} {
		if msg := domain.TextProblem(ok); msg != "" {
			t.Errorf("TextProblem(%q) = %q, want none", ok, msg)
		}
	}
	for s, want := range map[string]string{
		"a\x00b": "NUL", "a\xffb": "UTF-8", "a\tb": "control", "a\nb": "control", "a\x7fb": "control",
		"a\u0085b": "control", "a\u202eb": "bidirectional", "a\u202ab": "bidirectional", "a\u2066b": "bidirectional",
		"a\u2069b": "bidirectional",
	} {
		if msg := domain.TextProblem(s); !strings.Contains(msg, want) {
			t.Errorf("TextProblem(%q) = %q, want a message about %s", s, msg, want)
		}
	}
}

func TestNameRules(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want "" with msg: refused
		msg      string
	}{
		{in: " Acme\u200b Corp ", want: "Acme Corp"},
		{in: "\ufeffAcme", want: "Acme"},
		{in: "Cafe\u0301", want: "Café"},
		{in: "Москва Трейд", want: "Москва Трейд"},
		{in: "Sony東京", want: "Sony東京"},            // Latin + Han: Japanese
		{in: "ソニー株式会社", want: "ソニー株式会社"},          // Katakana + Han
		{in: "LG전자", want: "LG전자"},                // Latin + Hangul
		{in: "Acme-Москва", want: "Acme-Москва"},  // two words, one script each
		{in: "Ελλάδα 2026", want: "Ελλάδα 2026"},  // digits mix with anything
		{in: "\u200b\u200c", msg: "visible"},      // only zero-width
		{in: "\u3164", msg: "visible"},            // a Hangul filler shows nothing
		{in: "\u0410cme", msg: "one script"},      // Cyrillic А
		{in: "Pаypal", msg: "Latin and Cyrillic"}, // Cyrillic а inside
		{in: "Αcme", msg: "Latin and Greek"},      // Greek Alpha
		{in: "Acme\u202eproC", msg: "bidirectional"},
		{in: "Acme\x00", msg: "NUL"},
		{in: "Acme\tCorp", msg: "control"},
		{in: "Acme\xff", msg: "UTF-8"},
	} {
		got, msg := domain.CheckName(tc.in)
		switch {
		case tc.msg == "" && (msg != "" || got != tc.want):
			t.Errorf("CheckName(%q) = %q, %q; want %q", tc.in, got, msg, tc.want)
		case tc.msg != "" && !strings.Contains(msg, tc.msg):
			t.Errorf("CheckName(%q) = %q, %q; want a message about %q", tc.in, got, msg, tc.msg)
		}
	}
}

// TestRecordsRefuseBadText checks that every record's Normalize applies the
// text rules to its fields, one error per field, and stores nothing raw.
func TestRecordsRefuseBadText(t *testing.T) {
	codes := func(err error) map[string]string {
		out := map[string]string{}
		if e, ok := err.(*domain.Error); ok {
			for _, f := range e.Fields {
				if _, dup := out[f.Field]; dup {
					t.Errorf("two errors for %s: %v", f.Field, e.Fields)
				}
				out[f.Field] = f.Code
			}
		}
		return out
	}
	bad := "x\x00y"
	_, err := domain.CustomerInput{Name: bad, Code: bad, Domain: bad, BusinessEmail: bad, Phone: bad, Website: bad,
		SubscriptionID: bad, AdminRole: bad, Location: domain.Location{Name: bad, Country: bad, City: bad, PinCode: bad,
			AddressLine1: "a\u202eb", AddressLine2: "a\nb"}}.Normalize()
	want := []string{"name", "code", "domain", "business_email", "phone", "website", "subscription_id", "admin_role",
		"location.location_name", "location.country", "location.city", "location.pin_code", "location.address_line1",
		"location.address_line2"}
	got := codes(err)
	for _, f := range want {
		if got[f] != domain.FieldFormat {
			t.Errorf("customer %s: %q, want format (all: %v)", f, got[f], got)
		}
	}
	_, fe := domain.EntityInput{Name: "\u200b", Code: bad, Type: bad}.Normalize("entities[0].")
	if got := codes(fe.Err()); got["entities[0].name"] != "format" || got["entities[0].code"] != "format" || got["entities[0].type"] != "format" {
		t.Errorf("entity errors %v", got)
	}
	_, err = domain.UserInput{Email: "a\x00@example.com", Name: "Ada\u2066", Role: bad, CustomerID: bad,
		EntityIDs: []string{"ok", bad}, Password: "twelve chars\x00!"}.Normalize(true)
	if got := codes(err); len(got) != 6 || got["entity_ids[1]"] != "format" || got["password"] != "format" || got["name"] != "format" {
		t.Errorf("user errors %v", got)
	}
	_, err = domain.AssetInput{Name: "Core\x01switch", Class: "it", Serial: "a\xffb", CustomerID: bad}.Normalize()
	if got := codes(err); len(got) != 3 || got["name"] != "format" || got["serial"] != "format" || got["customer_id"] != "format" {
		t.Errorf("asset errors %v", got)
	}
	_, err = domain.RoleInput{Key: bad, Name: "Аdmins", Scope: "organization"}.Normalize()
	if got := codes(err); len(got) != 2 || got["key"] != "format" || got["name"] != "format" {
		t.Errorf("role errors %v", got)
	}
	_, _, err = domain.AdminInput{Email: "a@example.com\x00", Name: "\u200b", Password: "correct-horse\nbattery"}.Validate()
	if got := codes(err); len(got) != 3 || got["email"] != "format" || got["name"] != "format" || got["password"] != "format" {
		t.Errorf("admin errors %v", got)
	}
	if e := domain.NormalizeLogin("Admin@Example.com\x00\xff"); strings.ContainsAny(e, "\x00") || !strings.HasPrefix(e, "admin@example.com") {
		t.Errorf("NormalizeLogin = %q", e)
	}
	// A valid customer keeps its text, cleaned.
	c, err := domain.CustomerInput{Name: " Acme\u200b ", Code: "ACME", Location: domain.Location{City: "Cafe\u0301"}}.Normalize()
	if err != nil || c.Name != "Acme" || c.Location.City != "Café" {
		t.Errorf("Normalize = %+v, %v", c, err)
	}
}

func TestFilterRefusesBadText(t *testing.T) {
	for _, v := range []string{"a\x00", "a\xff", "a\u202e", "\u200b", "a\tb"} {
		if _, err := (domain.Filter{Field: "name", Op: "eq", Value: v}).Validate("name.eq"); domain.ErrorCode(err) != domain.EBadRequest {
			t.Errorf("eq %q: %v", v, err)
		}
		if _, err := (domain.Filter{Field: "code", Op: "in", Values: []string{"ok", v}}).Validate("code.in"); domain.ErrorCode(err) != domain.EBadRequest {
			t.Errorf("in %q: %v", v, err)
		}
	}
}
