package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/custreg/custreg/internal/domain"
)

// MaxJSONBody is the largest JSON request body accepted (1 MiB): far above
// any real customer with its entities, far below what would hurt the server.
const MaxJSONBody = 1 << 20

// readJSONBody reads a request body of media type application/json (or, when
// mergePatch is set, application/merge-patch+json) up to MaxJSONBody and
// checks that it is one JSON object; it returns the body trimmed.
func readJSONBody(w http.ResponseWriter, r *http.Request, mergePatch bool) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !(mt == "application/json" || (mergePatch && mt == "application/merge-patch+json")) {
		want := "application/json"
		if mergePatch {
			want += " or application/merge-patch+json"
		}
		return nil, domain.Errorf(domain.EUnsupportedMedia, "The request body must be %s.", want)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxJSONBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, domain.Errorf(domain.ETooLarge, "The request body is larger than %d bytes.", MaxJSONBody)
		}
		return nil, domain.Errorf(domain.EBadRequest, "The request body could not be read.")
	}
	return jsonObject(body)
}

// jsonObject checks that body is one JSON object in UTF-8 and returns it
// trimmed. It scans the body without decoding it: the one decoding is the
// caller's (unmarshalStrict).
func jsonObject(body []byte) ([]byte, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, domain.Errorf(domain.EBadRequest, "The request body is empty; send a JSON object.")
	}
	// JSON is UTF-8 (RFC 8259); a decoder would silently turn invalid bytes
	// into U+FFFD, so the text stored would not be the text sent.
	if !utf8.Valid(trimmed) {
		return nil, domain.Errorf(domain.EBadRequest, "The request body is not valid UTF-8.")
	}
	if !json.Valid(trimmed) {
		return nil, domain.Errorf(domain.EBadRequest, "The request body is not well-formed JSON.")
	}
	if trimmed[0] != '{' {
		return nil, domain.Errorf(domain.EBadRequest, "The request body must be a JSON object, not %s.", jsonKind(trimmed[0]))
	}
	return trimmed, nil
}

func jsonKind(b byte) string {
	switch b {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

// decodeJSON reads the request body into v, a pointer to a struct. Unknown
// fields anywhere in the object are a 400 that names them all; values of the
// wrong JSON type are a 422 that names their fields.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readJSONBody(w, r, r.Method == http.MethodPatch)
	if err != nil {
		return err
	}
	return unmarshalStrict(body, v)
}

// unmarshalStrict decodes one JSON object into v with the rules of
// decodeJSON.
func unmarshalStrict(body []byte, v any) error {
	var raw any
	if err := json.Unmarshal(body, &raw); err != nil {
		// json.Valid passed: a number beyond what a float64 holds (1E700).
		return domain.Errorf(domain.EBadRequest, "The request body holds a number too large to read.")
	}
	var unknown []string
	unknownFields(raw, reflect.TypeOf(v).Elem(), "", &unknown)
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return &domain.Error{Code: domain.EBadRequest, Type: "unknown-field",
			Message: "Unknown field(s): " + strings.Join(unknown, ", ") + "."}
	}
	var fe domain.FieldErrors
	typeErrors(raw, reflect.TypeOf(v).Elem(), "", &fe)
	textErrors(raw, "", &fe)
	if err := fe.Err(); err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return domain.Errorf(domain.EBadRequest, "The request body does not match the expected shape.")
	}
	return nil
}

// jsonFields returns the JSON names of t's fields with their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			// Embedded structs' fields are promoted, as encoding/json does.
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// unknownFields collects the paths of object members that t has no field for.
func unknownFields(v any, t reflect.Type, prefix string, out *[]string) {
	t = deref(t)
	switch x := v.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return
		}
		fields := jsonFields(t)
		for k, val := range x {
			ft, ok := fields[k]
			if !ok {
				*out = append(*out, prefix+k)
				continue
			}
			unknownFields(val, ft, prefix+k+".", out)
		}
	case []any:
		if t.Kind() != reflect.Slice {
			return
		}
		base := strings.TrimSuffix(prefix, ".")
		for i, val := range x {
			unknownFields(val, t.Elem(), base+"["+strconv.Itoa(i)+"].", out)
		}
	}
}

// typeErrors records members whose JSON type does not fit their field.
func typeErrors(v any, t reflect.Type, prefix string, fe *domain.FieldErrors) {
	t = deref(t)
	field := strings.TrimSuffix(prefix, ".")
	if v == nil {
		return // null: absent
	}
	want := ""
	switch t.Kind() {
	case reflect.String:
		if _, ok := v.(string); !ok {
			want = "a string"
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			want = "true or false"
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		if n, ok := v.(float64); !ok || n != float64(int64(n)) {
			want = "a whole number"
		}
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			want = "an object"
			break
		}
		fields := jsonFields(t)
		for k, val := range m {
			if ft, ok := fields[k]; ok {
				typeErrors(val, ft, prefix+k+".", fe)
			}
		}
	case reflect.Slice:
		a, ok := v.([]any)
		if !ok {
			want = "an array"
			break
		}
		for i, val := range a {
			typeErrors(val, t.Elem(), field+"["+strconv.Itoa(i)+"].", fe)
		}
	case reflect.Map: // string keys: license counts by type
		m, ok := v.(map[string]any)
		if !ok {
			want = "an object"
			break
		}
		for k, val := range m {
			typeErrors(val, t.Elem(), prefix+k+".", fe)
		}
	}
	if want != "" {
		fe.Add(field, domain.FieldType, "Must be "+want+".")
	}
}

// textErrors records every string member of v that no store can hold (a
// NUL character, written \u0000 in JSON), whatever field it is: the ids,
// keys and credentials that no domain validator reads as text are guarded
// here; the domain's field rules say the rest of what text may hold.
func textErrors(v any, prefix string, fe *domain.FieldErrors) {
	field := strings.TrimSuffix(prefix, ".")
	switch x := v.(type) {
	case string:
		if msg := domain.BinaryProblem(x); msg != "" && !fe.Has(field) {
			fe.Add(field, domain.FieldFormat, msg)
		}
	case map[string]any:
		for k, val := range x {
			textErrors(val, prefix+k+".", fe)
		}
	case []any:
		for i, val := range x {
			textErrors(val, field+"["+strconv.Itoa(i)+"].", fe)
		}
	}
}

// checkURLText refuses a request whose path or query holds something that
// is not one line of text (domain.TextProblem: invalid UTF-8, NUL or another
// control character, a bidirectional override or isolate): no id, key,
// search or cursor can hold one, and PostgreSQL would refuse the first two
// with an error instead of an answer. It runs before the handler reads
// anything.
func checkURLText(r *http.Request) error {
	bad := func(what, msg string) error {
		return &domain.Error{Code: domain.EBadRequest, Type: "bad-text", Message: what + " is not plain text. " + msg}
	}
	if msg := domain.TextProblem(r.URL.Path); msg != "" {
		return bad("The path", msg)
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil // the caller reports a malformed query
	}
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if msg := domain.TextProblem(k); msg != "" {
			return bad("A query parameter name", msg)
		}
		for _, v := range query[k] {
			if msg := domain.TextProblem(v); msg != "" {
				return bad("The query parameter "+strconv.Quote(k), msg)
			}
		}
	}
	return nil
}

// mergePatch applies an RFC 7396 JSON merge patch to target.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}

// parseIfMatch reads an If-Match header holding one of our ETags ("N").
// It returns 0 when the header is absent or "*".
func parseIfMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	if n, ok := parseETag(h); ok {
		return n, nil
	}
	return 0, domain.Errorf(domain.EBadRequest, "If-Match must be the ETag of the record, e.g. \"3\".")
}

func parseETag(s string) (int64, bool) {
	if len(s) < 3 || s[0] != '"' || s[len(s)-1] != '"' {
		return 0, false
	}
	n, err := strconv.ParseInt(s[1:len(s)-1], 10, 64)
	return n, err == nil && n > 0
}

func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }
