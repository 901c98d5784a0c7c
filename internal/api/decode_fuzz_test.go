package api

// Fuzz targets for the JSON decoding of request bodies and for RFC 7396
// merge patches; see docs/fuzzing.md.

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/custreg/custreg/internal/domain"
)

// decodeAny decodes a JSON text into a fresh generic value.
func decodeAny(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return v
}

func FuzzMergePatch(f *testing.F) {
	for _, s := range [][2]string{
		{`{"name":"Airtel","location":{"city":"Pune","pin_code":"411001"}}`, `{"location":{"city":null,"state":"MH"}}`},
		{`{"a":"b"}`, `{"a":"c"}`}, {`{"a":["b"]}`, `{"a":{"b":"c"}}`}, {`{"a":{"b":"c"}}`, `{"a":[1]}`},
		{`["a","b"]`, `["c"]`}, {`{}`, `{"a":{"bb":{"ccc":null}}}`}, {`{"e":null}`, `{"a":1}`}, {`"x"`, `{"a":null}`},
		{`{"a":{"b":1}}`, `null`}, {`{"a":1}`, `{}`},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, target, patch string) {
		var tv, pv any
		if json.Unmarshal([]byte(target), &tv) != nil || json.Unmarshal([]byte(patch), &pv) != nil {
			return // not JSON, or a number beyond float64 (1E700): the API answers 400
		}
		once := mergePatch(decodeAny(t, []byte(target)), decodeAny(t, []byte(patch)))
		b, err := json.Marshal(once)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		// Applying a merge patch twice gives what applying it once gave
		// (RFC 7396 patches are idempotent).
		twice := mergePatch(decodeAny(t, b), decodeAny(t, []byte(patch)))
		if !reflect.DeepEqual(decodeAny(t, b), twice) {
			t.Fatalf("patch %s on %s: once %s, twice %v", patch, target, b, twice)
		}
		// An object patch leaves an object holding no null it brought, with
		// each non-null member of the patch applied.
		p, ok := decodeAny(t, []byte(patch)).(map[string]any)
		if !ok {
			if !reflect.DeepEqual(decodeAny(t, b), decodeAny(t, []byte(patch))) {
				t.Fatalf("a non-object patch %s must replace the target, got %s", patch, b)
			}
			return
		}
		res, ok := decodeAny(t, b).(map[string]any)
		if !ok {
			t.Fatalf("object patch %s gave %s", patch, b)
		}
		for k, v := range p {
			got, present := res[k]
			switch {
			case v == nil && present:
				t.Fatalf("member %q set to null is still present: %s", k, b)
			case v != nil && !present:
				t.Fatalf("member %q of the patch is missing: %s", k, b)
			case v != nil:
				if _, obj := v.(map[string]any); !obj && !reflect.DeepEqual(got, v) {
					t.Fatalf("member %q = %v, want %v", k, got, v)
				}
			}
		}
	})
}

// FuzzUnmarshalStrict decodes arbitrary bodies into the customer input as
// the API does: it never panics, refuses with a 400 or 422 only, and what
// it accepts holds no NUL and decodes again to the same value.
func FuzzUnmarshalStrict(f *testing.F) {
	for _, s := range []string{
		`{"name":"Airtel","code":"AIR001","location":{"country":"India","pin_code":"110001"},"is_active":true}`,
		`{"name":"Airtel","entities":[]}`, `{"name":1}`, `{"nmae":"x"}`, `{"location":{"colour":"red"}}`, `{"name":"a\u0000"}`,
		`{"is_active":"yes"}`, `{"location":[]}`, `{"name":null}`, `{}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if !json.Valid([]byte(body)) {
			return
		}
		var in domain.CustomerInput
		err := unmarshalStrict([]byte(body), &in)
		if err != nil {
			if c := domain.ErrorCode(err); c != domain.EBadRequest && c != domain.EInvalid {
				t.Fatalf("unmarshalStrict(%s): %v", body, err)
			}
			return
		}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var again domain.CustomerInput
		if err := unmarshalStrict(b, &again); err != nil || !reflect.DeepEqual(again, in) {
			t.Fatalf("re-decoding %s: %+v, %v; want %+v", b, again, err, in)
		}
		for _, s := range []string{in.Name, in.Code, in.Location.City, in.Location.Country} {
			if domain.BinaryProblem(s) != "" {
				t.Fatalf("accepted %q", s)
			}
		}
	})
}
