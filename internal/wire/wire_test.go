package wire_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/wire"
)

// record exercises every rule of wire.Of.
type record struct {
	ID       string          `json:"id"`
	Note     string          `json:"note,omitempty"`
	Required string          `json:"required"`
	Tags     []string        `json:"tags"`
	Secret   string          `json:"-"`
	Count    int64           `json:"-" wire:"count"`
	Deleted  *time.Time      `json:"deleted_at,omitempty" wire:"-"`
	Place    domain.Location `json:"location"`
	hidden   string
}

type adds struct {
	URL string `json:"url"`
}

func decode(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRecordRules(t *testing.T) {
	now := time.Now()
	empty := decode(t, wire.Of(record{ID: "a", Secret: "s", Deleted: &now, hidden: "h"}))
	want := map[string]any{
		"id": "a", "note": nil, "required": "", "tags": []any{}, "count": float64(0),
		"location": map[string]any{"location_name": nil, "country": nil, "country_name": nil, "region": nil, "state": nil,
			"district": nil, "city": nil, "pin_code": nil, "landmark": nil, "address_line1": nil, "address_line2": nil},
	}
	if !reflect.DeepEqual(empty, want) {
		t.Errorf("empty record sent as\n%v\nwant\n%v", empty, want)
	}

	full := decode(t, wire.With(record{ID: "b", Note: "n", Tags: []string{"x"}, Count: 7, Place: domain.Location{Country: "IN"}}, adds{URL: "/b"}))
	for k, v := range map[string]any{"note": "n", "tags": []any{"x"}, "count": float64(7), "url": "/b"} {
		if !reflect.DeepEqual(full[k], v) {
			t.Errorf("%s = %v, want %v", k, full[k], v)
		}
	}
	if loc := full["location"].(map[string]any); loc["country"] != "IN" || loc["country_name"] != "India" {
		t.Errorf("location = %v, want IN with its name", loc)
	}
}

func TestWireTypeIsWhatIsSent(t *testing.T) {
	rt := wire.TypeOf[record, adds]()
	var names []string
	for f := range rt.Fields() {
		names = append(names, f.Tag.Get("json"))
	}
	if got := strings.Join(names, " "); got != "id note required tags count location " {
		t.Errorf("wire type members = %q", got)
	}
	if f, _ := rt.FieldByName("Note"); f.Type != reflect.TypeFor[*string]() {
		t.Errorf("an omitempty text member is %v, want *string (nullable)", f.Type)
	}
	if f, _ := rt.FieldByName("With"); !f.Anonymous || f.Type != reflect.TypeFor[adds]() {
		t.Errorf("the additions are %+v, want embedded adds", f)
	}
}

func TestUserNeverSendsPasswordHash(t *testing.T) {
	b, err := json.Marshal(wire.Of(domain.User{ID: "u", Email: "a@example.com", PasswordHash: "$argon2id$secret"}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "argon2id") || strings.Contains(string(b), "password") {
		t.Errorf("user sent as %s", b)
	}
	if m := decode(t, wire.Of(domain.User{ID: "u"})); m["customer_id"] != nil || m["entity_ids"] == nil {
		t.Errorf("org user sent with customer_id %v, entity_ids %v; want null and []", m["customer_id"], m["entity_ids"])
	}
}

func TestRecordOfNonStructPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("sending a string as a record did not panic")
		}
	}()
	wire.Of("text")
}

// TestRecordFieldWithoutJSONNamePanics: a field added to a record without
// a json tag would be sent under its Go name, or not at all; it is refused
// at the first send instead.
func TestRecordFieldWithoutJSONNamePanics(t *testing.T) {
	type untagged struct {
		ID   string `json:"id"`
		Note string
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "Note has no JSON name") {
			t.Errorf("recovered %v, want a panic naming the field", r)
		}
	}()
	wire.Of(untagged{ID: "1"})
}

func BenchmarkCustomer(b *testing.B) {
	c := domain.Customer{ID: "0192", Name: "Acme Ltd", Code: "ACME", Domain: "acme.example", Phone: "+12015550123",
		IsActive: true, AdminRole: "customer_admin", Reports: []string{"licenses"}, Location: domain.Location{Country: "GB", City: "London"},
		CreatedAt: time.Now(), UpdatedAt: time.Now(), Version: 3, EntitiesCount: 4}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(wire.Of(c)); err != nil {
			b.Fatal(err)
		}
	}
}
