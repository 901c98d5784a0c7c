package api_test

// The OpenAPI document (openapi.json) is written by hand. These tests make
// drift impossible: the document's operations must be exactly the route
// table's, the document must be well formed, and every response the real
// stack gives in a scripted session must have a status the document declares
// for its operation and a body and headers its schemas accept. Response
// schemas forbid unknown members and require every member the server always
// sends, so a handler that adds or drops a field fails here. The query
// parameters, the public routes and the shared errors (401, unknown-parameter,
// 413, 415, cross-origin 403) are checked against the route table, accepted
// query values against their schemas, and undeclared Location, ETag, Allow,
// Set-Cookie or WWW-Authenticate headers are refused. The session runs on
// every store (PostgreSQL when CUSTREG_TEST_POSTGRES_URL is set).

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"log/slog"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/custreg/custreg/internal/api"
	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo/logotest"
	"github.com/custreg/custreg/internal/server"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
)

// oasServerRoutes are the routes the server package serves outside the API's
// route table. The document describes them too; TestOpenAPIResponses checks
// that they answer as described.
var oasServerRoutes = []string{"GET /healthz", "GET /readyz", "GET /metrics"}

// oasMethods are the operation keys of an OpenAPI path item.
var oasMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// oasDocURL is the base URL the document is loaded under for the schema
// compiler; it is never fetched.
const oasDocURL = "https://custreg.invalid/openapi.json"

// oasDoc is the parsed document with a schema compiler over it.
type oasDoc struct {
	root     map[string]any
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
}

func oasLoad(t *testing.T) *oasDoc {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.OpenAPIDocument))
	if err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	root, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("openapi.json is not a JSON object")
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(oasDocURL, root); err != nil {
		t.Fatalf("adding the document to the schema compiler: %v", err)
	}
	return &oasDoc{root: root, compiler: c, compiled: map[string]*jsonschema.Schema{}}
}

// oasPointer builds a JSON pointer ("#/a/b~1c") from tokens.
func oasPointer(tokens ...string) string {
	var b strings.Builder
	b.WriteString("#")
	for _, tok := range tokens {
		b.WriteString("/")
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

// lookup returns the value at a JSON pointer "#/...".
func (d *oasDoc) lookup(ptr string) (any, bool) {
	rest, ok := strings.CutPrefix(ptr, "#")
	if !ok {
		return nil, false
	}
	var cur any = d.root
	if rest == "" {
		return cur, true
	}
	if !strings.HasPrefix(rest, "/") {
		return nil, false
	}
	for _, tok := range strings.Split(rest[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := cur.(type) {
		case map[string]any:
			v, ok := x[tok]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			cur = x[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// deref follows an OpenAPI reference object at ptr (one level is all the
// document uses) and returns the object and its own pointer.
func (d *oasDoc) deref(t *testing.T, ptr string) (map[string]any, string) {
	t.Helper()
	for range 5 {
		v, ok := d.lookup(ptr)
		if !ok {
			t.Fatalf("%s does not exist in the document", ptr)
		}
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s is not an object", ptr)
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return m, ptr
		}
		ptr = ref
	}
	t.Fatalf("%s: too many levels of $ref", ptr)
	return nil, ""
}

// schema compiles the JSON Schema at the pointer.
func (d *oasDoc) schema(t *testing.T, ptr string) *jsonschema.Schema {
	t.Helper()
	if s, ok := d.compiled[ptr]; ok {
		return s
	}
	frag := strings.Split(strings.TrimPrefix(ptr, "#"), "/")
	for i := range frag {
		frag[i] = url.PathEscape(frag[i])
	}
	s, err := d.compiler.Compile(oasDocURL + "#" + strings.Join(frag, "/"))
	if err != nil {
		t.Fatalf("compiling the schema at %s: %v", ptr, err)
	}
	d.compiled[ptr] = s
	return s
}

// operations returns every operation of the document as "METHOD path".
func (d *oasDoc) operations(t *testing.T) map[string]map[string]any {
	t.Helper()
	paths, ok := d.root["paths"].(map[string]any)
	if !ok {
		t.Fatalf("document has no paths object")
	}
	out := map[string]map[string]any{}
	for p, item := range paths {
		m, ok := item.(map[string]any)
		if !ok {
			t.Fatalf("path item %s is not an object", p)
		}
		for _, meth := range oasMethods {
			if o, ok := m[meth].(map[string]any); ok {
				out[strings.ToUpper(meth)+" "+p] = o
			}
		}
	}
	return out
}

// match returns the document's path template that serves path, preferring
// literal segments over parameters as ServeMux does.
func (d *oasDoc) match(path string) string {
	paths, _ := d.root["paths"].(map[string]any)
	segs := strings.Split(path, "/")
	best, bestScore := "", -1
	for tmpl := range paths {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		score := 0
		for i, s := range ts {
			switch {
			case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}"):
				if segs[i] == "" {
					score = -1
				}
			case s == segs[i]:
				score++
			default:
				score = -1
			}
			if score < 0 {
				break
			}
		}
		if score > bestScore {
			best, bestScore = tmpl, score
		}
	}
	return best
}

// oasTemplate turns a ServeMux pattern path into an OpenAPI path template:
// "{name...}" becomes "{name}" and "{$}" is dropped.
func oasTemplate(pattern string) string {
	pattern = strings.TrimSuffix(pattern, "{$}")
	return regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)\.\.\.\}`).ReplaceAllString(pattern, "{$1}")
}

// oasParam is one parameter object of the document.
type oasParam struct {
	obj map[string]any
	ptr string
}

// schemaPtr is the pointer of the parameter's schema: its schema, or the
// schema of its one media type.
func (p oasParam) schemaPtr() string {
	if _, ok := p.obj["schema"]; ok {
		return p.ptr + "/schema"
	}
	content, _ := p.obj["content"].(map[string]any)
	for mt := range content {
		return p.ptr + "/" + oasPointer("content", mt, "schema")[2:]
	}
	return p.ptr + "/schema"
}

// params returns the parameters of the operation METHOD path (path-level and
// operation-level, operation wins) by "in:name".
func (d *oasDoc) params(t *testing.T, path, method string) map[string]oasParam {
	t.Helper()
	out := map[string]oasParam{}
	for _, level := range []string{oasPointer("paths", path, "parameters"), oasPointer("paths", path, strings.ToLower(method), "parameters")} {
		v, ok := d.lookup(level)
		if !ok {
			continue
		}
		for i := range v.([]any) {
			p, pp := d.deref(t, level+"/"+strconv.Itoa(i))
			in, _ := p["in"].(string)
			name, _ := p["name"].(string)
			out[in+":"+name] = oasParam{obj: p, ptr: pp}
		}
	}
	return out
}

// problemTypes returns the problem types (without the URN prefix) that the
// response at ptr declares, or nil if it has no problem body.
func (d *oasDoc) problemTypes(t *testing.T, ptr string) []string {
	t.Helper()
	r, rPtr := d.deref(t, ptr)
	content, _ := r["content"].(map[string]any)
	if content["application/problem+json"] == nil {
		return nil
	}
	v, ok := d.lookup(rPtr + "/" + oasPointer("content", "application/problem+json", "schema", "properties", "type", "enum")[2:])
	if !ok {
		t.Errorf("%s: the problem's type is not restricted", rPtr)
		return nil
	}
	var out []string
	for _, x := range v.([]any) {
		out = append(out, strings.TrimPrefix(x.(string), "urn:custreg:problem:"))
	}
	return out
}

// TestOpenAPIMatchesRoutes checks that the document describes exactly the
// routes of api.Routes() (and the server's health checks): no route is
// undocumented and no documented operation is missing from the router.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	d := oasLoad(t)
	want := map[string]bool{}
	for _, rt := range api.Routes() {
		key := rt.Method + " " + oasTemplate(rt.Path)
		if want[key] {
			t.Errorf("route table lists %s twice", key)
		}
		want[key] = true
	}
	if len(want) == 0 {
		t.Fatal("api.Routes() is empty")
	}
	for _, r := range oasServerRoutes {
		want[r] = true
	}
	got := d.operations(t)
	var missing, extra []string
	for k := range want {
		if got[k] == nil {
			missing = append(missing, k)
		}
	}
	for k := range got {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, k := range missing {
		t.Errorf("route %s is not in openapi.json", k)
	}
	for _, k := range extra {
		t.Errorf("openapi.json describes %s, which is not a route", k)
	}

	// Each operation's query parameters, security and shared error responses
	// follow its route: the parameters it takes ("name.*" is every condition
	// on name), anonymous access exactly for public routes, a 401 for every
	// other route, a 400 unknown-parameter everywhere, the body errors for
	// every body, and the cross-origin 403 for every unsafe method.
	for _, rt := range api.Routes() {
		path := oasTemplate(rt.Path)
		key := rt.Method + " " + path
		o := got[key]
		if o == nil {
			continue
		}
		var want, have []string
		for _, p := range rt.Params {
			if field, ok := strings.CutSuffix(p, ".*"); ok {
				for _, op := range domain.FilterOps {
					want = append(want, field+"."+op)
				}
			} else {
				want = append(want, p)
			}
		}
		for k := range d.params(t, path, rt.Method) {
			if name, ok := strings.CutPrefix(k, "query:"); ok {
				have = append(have, name)
			}
		}
		slices.Sort(want)
		slices.Sort(have)
		if !slices.Equal(want, have) {
			t.Errorf("%s: the document's query parameters are %v, the route takes %v", key, have, want)
		}
		sec, overridden := o["security"].([]any)
		anonymous := overridden && len(sec) == 0
		for _, s := range sec {
			if m, _ := s.(map[string]any); len(m) == 0 {
				anonymous = true
			}
		}
		if anonymous != rt.Public {
			t.Errorf("%s: the document allows anonymous calls = %v, but the route's Public = %v", key, anonymous, rt.Public)
		}
		resps, _ := o["responses"].(map[string]any)
		opPtr := oasPointer("paths", path, strings.ToLower(rt.Method))
		has := func(status string, types ...string) {
			t.Helper()
			if resps[status] == nil {
				t.Errorf("%s does not declare %s", key, status)
				return
			}
			declared := d.problemTypes(t, opPtr+"/"+oasPointer("responses", status)[2:])
			for _, ty := range types {
				if !slices.Contains(declared, ty) {
					t.Errorf("%s %s does not declare the problem type %s (it declares %v)", key, status, ty, declared)
				}
			}
		}
		if !rt.Public {
			has("401", "unauthorized")
		}
		has("400", "unknown-parameter")
		if _, ok := o["requestBody"]; ok {
			has("400", "bad-request", "unknown-field")
			has("413", "too-large")
			has("415", "unsupported-media-type")
			has("422", "validation")
		}
		if rt.Method != "GET" && rt.Method != "HEAD" {
			has("403", "cross-origin")
		}
	}
}

// TestOpenAPIDocumentIsValid checks the document's structure as far as is
// cheap: version and dialect, unique operation ids, path parameters that
// match their templates, declared responses, resolvable references, used
// components, and schemas that compile as JSON Schema 2020-12.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	d := oasLoad(t)
	var strict map[string]any
	dec := json.NewDecoder(bytes.NewReader(api.OpenAPIDocument))
	if err := dec.Decode(&strict); err != nil || dec.More() {
		t.Fatalf("openapi.json is not one JSON object: %v", err)
	}
	if d.root["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", d.root["openapi"])
	}
	if d.root["jsonSchemaDialect"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("jsonSchemaDialect = %v, want the 2020-12 dialect", d.root["jsonSchemaDialect"])
	}
	info, _ := d.root["info"].(map[string]any)
	if s, _ := info["title"].(string); s == "" {
		t.Error("info.title is missing")
	}
	if s, _ := info["version"].(string); s == "" {
		t.Error("info.version is missing")
	}
	for k := range d.root {
		switch k {
		case "openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components", "security", "tags", "externalDocs":
		default:
			if !strings.HasPrefix(k, "x-") {
				t.Errorf("unknown top-level member %q", k)
			}
		}
	}

	// Every $ref resolves inside the document, and every component is used.
	used := map[string]bool{}
	var walk func(ptr string, v any)
	walk = func(ptr string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if !strings.HasPrefix(ref, "#/") {
					t.Errorf("%s: $ref %q is not local", ptr, ref)
				} else if _, ok := d.lookup(ref); !ok {
					t.Errorf("%s: $ref %q does not resolve", ptr, ref)
				}
				used[ref] = true
			}
			for k, e := range x {
				walk(ptr+"/"+k, e)
			}
		case []any:
			for i, e := range x {
				walk(ptr+"/"+strconv.Itoa(i), e)
			}
		}
	}
	walk("#", d.root)
	components, _ := d.root["components"].(map[string]any)
	for _, kind := range []string{"schemas", "responses", "parameters", "headers", "requestBodies"} {
		m, _ := components[kind].(map[string]any)
		for name := range m {
			if ptr := oasPointer("components", kind, name); !used[ptr] {
				t.Errorf("%s is never used", ptr)
			}
		}
	}
	schemes, _ := components["securitySchemes"].(map[string]any)
	checkSecurity := func(where string, v any) {
		reqs, ok := v.([]any)
		if !ok {
			t.Errorf("%s: security is not an array", where)
			return
		}
		for _, r := range reqs {
			m, _ := r.(map[string]any)
			for name := range m {
				if schemes[name] == nil {
					t.Errorf("%s: security scheme %q is not declared", where, name)
				}
			}
		}
	}
	checkSecurity("#/security", d.root["security"])
	tags := map[string]bool{}
	for _, tg := range d.root["tags"].([]any) {
		tags[tg.(map[string]any)["name"].(string)] = true
	}

	// Operations.
	var schemaPtrs []string
	ids := map[string]string{}
	statusRE := regexp.MustCompile(`^[1-5][0-9][0-9]$`)
	paramRE := regexp.MustCompile(`\{([^}]+)\}`)
	for key, o := range d.operations(t) {
		meth, path, _ := strings.Cut(key, " ")
		opPtr := oasPointer("paths", path, strings.ToLower(meth))
		oasKeys(t, opPtr, o, "tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody",
			"responses", "callbacks", "deprecated", "security", "servers")
		id, _ := o["operationId"].(string)
		if id == "" {
			t.Errorf("%s has no operationId", key)
		} else if prev, dup := ids[id]; dup {
			t.Errorf("operationId %q is used by %s and %s", id, prev, key)
		} else {
			ids[id] = key
		}
		for _, tg := range o["tags"].([]any) {
			if !tags[tg.(string)] {
				t.Errorf("%s: tag %q is not declared", key, tg)
			}
		}
		if s, ok := o["security"]; ok {
			checkSecurity(opPtr+"/security", s)
		}
		// Parameters: path-level and operation-level, operation wins.
		params := map[string]map[string]any{}
		for _, level := range []string{oasPointer("paths", path, "parameters"), opPtr + "/parameters"} {
			v, ok := d.lookup(level)
			if !ok {
				continue
			}
			for i := range v.([]any) {
				p, pp := d.deref(t, level+"/"+strconv.Itoa(i))
				in, _ := p["in"].(string)
				name, _ := p["name"].(string)
				if name == "" || !slices.Contains([]string{"path", "query", "header", "cookie"}, in) {
					t.Errorf("%s: parameter %s has a bad name or in", key, pp)
				}
				oasKeys(t, pp, p, "name", "in", "description", "required", "deprecated", "allowEmptyValue", "style", "explode",
					"allowReserved", "schema", "content", "example", "examples")
				_, hasSchema := p["schema"]
				content, hasContent := p["content"].(map[string]any)
				switch {
				case hasSchema == hasContent:
					t.Errorf("%s: parameter %s needs exactly one of schema and content", key, pp)
				case hasContent && len(content) != 1:
					t.Errorf("%s: parameter %s has %d media types, want 1", key, pp, len(content))
				default:
					for mt, m := range content {
						oasKeys(t, pp+"/"+oasPointer("content", mt)[2:], m.(map[string]any), "schema", "example", "examples", "encoding")
					}
					sp := oasParam{obj: p, ptr: pp}.schemaPtr()
					d.schema(t, sp)
					schemaPtrs = append(schemaPtrs, sp)
				}
				params[in+":"+name] = p
			}
		}
		inTemplate := map[string]bool{}
		for _, m := range paramRE.FindAllStringSubmatch(path, -1) {
			inTemplate[m[1]] = true
			p := params["path:"+m[1]]
			if p == nil {
				t.Errorf("%s: path parameter %q is not declared", key, m[1])
			} else if p["required"] != true {
				t.Errorf("%s: path parameter %q is not required", key, m[1])
			}
		}
		for k := range params {
			if name, ok := strings.CutPrefix(k, "path:"); ok && !inTemplate[name] {
				t.Errorf("%s: path parameter %q is not in the path", key, name)
			}
		}
		// Request body.
		if _, ok := o["requestBody"]; ok {
			rb, rbPtr := d.deref(t, opPtr+"/requestBody")
			oasKeys(t, rbPtr, rb, "description", "content", "required")
			content, _ := rb["content"].(map[string]any)
			if len(content) == 0 {
				t.Errorf("%s: request body without content", key)
			}
			for mt, m := range content {
				mPtr := rbPtr + "/" + oasPointer("content", mt)[2:]
				oasKeys(t, mPtr, m.(map[string]any), "schema", "example", "examples", "encoding")
				d.schema(t, mPtr+"/schema")
				schemaPtrs = append(schemaPtrs, mPtr+"/schema")
			}
		}
		// Responses.
		resps, _ := o["responses"].(map[string]any)
		success := false
		for st := range resps {
			if !statusRE.MatchString(st) && st != "default" {
				t.Errorf("%s: bad response key %q", key, st)
			}
			if strings.HasPrefix(st, "2") {
				success = true
			}
			r, rPtr := d.deref(t, opPtr+"/"+oasPointer("responses", st)[2:])
			oasKeys(t, rPtr, r, "description", "headers", "content", "links")
			if s, _ := r["description"].(string); s == "" {
				t.Errorf("%s %s: response has no description", key, st)
			}
			content, _ := r["content"].(map[string]any)
			for mt, m := range content {
				mPtr := rPtr + "/" + oasPointer("content", mt)[2:]
				oasKeys(t, mPtr, m.(map[string]any), "schema", "example", "examples", "encoding")
				d.schema(t, mPtr+"/schema")
				schemaPtrs = append(schemaPtrs, mPtr+"/schema")
				if st >= "400" && mt != "application/problem+json" && key != "GET /readyz" {
					t.Errorf("%s %s: error response as %s", key, st, mt)
				}
			}
			if st >= "400" && key != "GET /readyz" && content["application/problem+json"] == nil {
				t.Errorf("%s %s: error response without a problem", key, st)
			}
			if hs, ok := r["headers"].(map[string]any); ok {
				for name := range hs {
					h, hPtr := d.deref(t, rPtr+"/"+oasPointer("headers", name)[2:])
					oasKeys(t, hPtr, h, "description", "required", "deprecated", "style", "explode", "schema", "example", "examples")
					d.schema(t, hPtr+"/schema")
					schemaPtrs = append(schemaPtrs, hPtr+"/schema")
				}
			}
		}
		if !success {
			t.Errorf("%s declares no 2xx response", key)
		}
	}

	// Every component schema compiles (and so is valid 2020-12).
	schemas, _ := components["schemas"].(map[string]any)
	for name := range schemas {
		d.schema(t, oasPointer("components", "schemas", name))
		schemaPtrs = append(schemaPtrs, oasPointer("components", "schemas", name))
	}
	// Schemas use only known keywords, so that a misspelt one ("maxLenght",
	// "requried"), which JSON Schema would ignore, cannot slip through.
	for _, ptr := range schemaPtrs {
		v, _ := d.lookup(ptr)
		oasSchemaKeys(t, ptr, v)
	}
	for _, name := range []string{"Customer", "Location", "CustomerCreate", "CustomerPatch", "CustomerList", "Filter",
		"Entity", "EntityInput", "EntityPatch", "EntityList", "Principal", "Token", "TokenCreated", "TokenList",
		"OrgSettings", "OrgSettingsPatch", "Login", "Problem", "User", "UserCreate", "UserPatch", "UserList", "UserMove",
		"Asset", "AssetCreate", "AssetPatch", "AssetList", "AssetMove", "Role", "RoleCreate", "RoleList"} {
		if schemas[name] == nil {
			t.Errorf("components/schemas/%s is missing", name)
		}
	}
}

// oasStack is one running in-process stack.
type oasStack struct {
	srv *httptest.Server
	st  store.Store
	svc *service.Service
}

// oasNewStack starts the whole stack on a new store of kind ("sqlite", or
// "postgres", which is skipped unless configured).
func oasNewStack(t *testing.T, kind string, mspDisabled bool) *oasStack {
	t.Helper()
	ctx := context.Background()
	st := apptest.OpenStore(t, kind)
	log := slog.New(slog.DiscardHandler)
	svc := service.New(st, service.Options{Logger: log})
	if _, err := svc.Bootstrap(ctx, service.FirstStart{MSPDisabled: mspDisabled,
		Admin: domain.AdminInput{Email: "admin@example.com", Name: "Admin", Password: "correct-horse-battery"}}); err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	srv := httptest.NewServer(server.Handler(svc, server.Options{Logger: log}))
	t.Cleanup(srv.Close)
	return &oasStack{srv: srv, st: st, svc: svc}
}

// oasClient sends requests and checks every response against the document.
type oasClient struct {
	t     *testing.T
	d     *oasDoc
	base  string
	hc    *http.Client
	auth  map[string]string // headers that authenticate, added to every request unless replaced
	stats *oasStats
}

// oasStats counts what the checks covered.
type oasStats struct {
	responses int             // responses validated against a declared response
	requests  int             // request bodies checked against the declared request schema
	queries   int             // accepted query parameters checked against their declared schema
	seen      map[string]bool // "METHOD path status"
}

// oasReq is one request.
type oasReq struct {
	method, path string
	// body: nil for none, []byte or string as is, anything else as JSON.
	body        any
	contentType string // default application/json when there is a body
	header      map[string]string
}

// oasResp is one checked response.
type oasResp struct {
	status int
	header http.Header
	body   []byte
}

func (r oasResp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

func (c *oasClient) with(auth map[string]string) *oasClient {
	cp := *c
	cp.auth = auth
	return &cp
}

// do sends r, requires status want, and validates the response against the
// document: the status must be declared for the operation, the media type
// declared for the status, the body valid against its schema and every
// required header present and valid.
func (c *oasClient) do(r oasReq, want int) oasResp {
	c.t.Helper()
	res, sent, ct := c.send(r)
	if res.status != want {
		c.t.Fatalf("%s %s: status %d, want %d; body: %s", r.method, r.path, res.status, want, res.body)
	}
	c.check(r, res, sent, ct)
	return res
}

// doAny sends r and validates the response against the document like do,
// whatever its status.
func (c *oasClient) doAny(r oasReq) oasResp {
	c.t.Helper()
	res, sent, ct := c.send(r)
	c.check(r, res, sent, ct)
	return res
}

// send sends r and returns the response, the body sent and its media type.
func (c *oasClient) send(r oasReq) (oasResp, []byte, string) {
	t := c.t
	t.Helper()
	var body io.Reader
	var sent []byte
	switch b := r.body.(type) {
	case nil:
	case []byte:
		sent = b
	case string:
		sent = []byte(b)
	default:
		var err error
		if sent, err = json.Marshal(b); err != nil {
			t.Fatal(err)
		}
	}
	if r.body != nil {
		body = bytes.NewReader(sent)
	}
	req, err := http.NewRequest(r.method, c.base+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	ct := r.contentType
	if r.body != nil && ct == "" {
		ct = "application/json"
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for k, v := range c.auth {
		req.Header.Set(k, v)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer func() { _ = res.Body.Close() }()
	rb, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", r.method, r.path, err)
	}
	return oasResp{status: res.StatusCode, header: res.Header, body: rb}, sent, ct
}

// oasSignificantHeaders are response headers with a meaning for the client:
// a response may carry one only if the document declares it there.
var oasSignificantHeaders = []string{"Location", "ETag", "Allow", "Set-Cookie", "WWW-Authenticate"}

// checkCommon checks what the document's conventions promise of every
// response: an X-Request-Id, and Cache-Control on JSON and problems.
func (c *oasClient) checkCommon(where string, res oasResp, doc bool) {
	t := c.t
	t.Helper()
	if res.header.Get("X-Request-Id") == "" {
		t.Errorf("%s: no X-Request-Id", where)
	}
	mt, _, _ := mime.ParseMediaType(res.header.Get("Content-Type"))
	if mt == "application/json" || mt == "application/problem+json" {
		want := "no-store"
		if doc {
			want = "no-cache"
		}
		if got := res.header.Get("Cache-Control"); got != want {
			t.Errorf("%s: Cache-Control = %q, want %q", where, got, want)
		}
	}
}

func (c *oasClient) check(r oasReq, res oasResp, sent []byte, sentType string) {
	t := c.t
	t.Helper()
	u, err := url.Parse(r.path)
	if err != nil {
		t.Fatal(err)
	}
	where := r.method + " " + r.path
	tmpl := c.d.match(u.Path)
	if tmpl == "" {
		t.Fatalf("%s: no path of the document matches", where)
	}
	opPtr := oasPointer("paths", tmpl, strings.ToLower(r.method))
	if _, ok := c.d.lookup(opPtr); !ok {
		t.Fatalf("%s: the document has no operation %s %s", where, r.method, tmpl)
	}
	st := strconv.Itoa(res.status)
	rPtr := opPtr + "/" + oasPointer("responses", st)[2:]
	if _, ok := c.d.lookup(rPtr); !ok {
		t.Fatalf("%s: status %d is not declared for %s %s; body: %s", where, res.status, r.method, tmpl, res.body)
	}
	spec, specPtr := c.d.deref(t, rPtr)
	c.checkCommon(where, res, tmpl == "/api/openapi.json" && res.status == 200)

	content, _ := spec["content"].(map[string]any)
	if len(content) == 0 {
		if len(res.body) != 0 {
			t.Errorf("%s: %d is declared without a body, got %q", where, res.status, res.body)
		}
	} else {
		mt, _, err := mime.ParseMediaType(res.header.Get("Content-Type"))
		if err != nil || content[mt] == nil {
			t.Fatalf("%s: Content-Type %q is not declared for %d", where, res.header.Get("Content-Type"), res.status)
		}
		var inst any = string(res.body)
		if mt == "application/json" || strings.HasSuffix(mt, "+json") {
			if inst, err = jsonschema.UnmarshalJSON(bytes.NewReader(res.body)); err != nil {
				t.Fatalf("%s: body is not JSON: %v: %s", where, err, res.body)
			}
		}
		sch := c.d.schema(t, specPtr+"/"+oasPointer("content", mt, "schema")[2:])
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: %d %s body does not match the document:\n%v\nbody: %s", where, res.status, mt, err, res.body)
		}
	}
	hs, _ := spec["headers"].(map[string]any)
	for name := range hs {
		h, hPtr := c.d.deref(t, specPtr+"/"+oasPointer("headers", name)[2:])
		v := res.header.Get(name)
		if v == "" {
			if h["required"] == true {
				t.Errorf("%s: %d lacks the required header %s", where, res.status, name)
			}
			continue
		}
		if err := c.d.schema(t, hPtr+"/schema").Validate(v); err != nil {
			t.Errorf("%s: header %s: %q does not match the document: %v", where, name, v, err)
		}
	}
	for _, name := range oasSignificantHeaders {
		if res.header.Get(name) != "" && hs[name] == nil {
			t.Errorf("%s: %d sends %s: %q, which the document does not declare", where, res.status, name, res.header.Get(name))
		}
	}
	c.stats.responses++
	c.stats.seen[r.method+" "+tmpl+" "+st] = true

	// The document declares every query parameter the server accepts, with
	// a schema that accepts the value; a request refused for an unknown
	// parameter has one the document does not declare.
	accepted := res.status >= 200 && res.status < 300
	isProblem := res.header.Get("Content-Type") == "application/problem+json"
	params := c.d.params(t, tmpl, r.method)
	if accepted {
		for k, vals := range u.Query() {
			p, ok := params["query:"+k]
			if !ok {
				t.Errorf("%s: the server accepted the query parameter %q, which the document does not declare", where, k)
				continue
			}
			c.checkParam(where, k, p, vals)
		}
	}
	if isProblem && res.problemType(t) == "unknown-parameter" {
		undeclared := false
		for k := range u.Query() {
			undeclared = undeclared || params["query:"+k].obj == nil
		}
		if !undeclared {
			t.Errorf("%s: refused as unknown-parameter, but the document declares every parameter", where)
		}
	}

	// The document must accept every request body the server accepts, and
	// refuse those the server refuses for their shape (unknown members,
	// wrong JSON types).
	if sent == nil {
		return
	}
	refused := false
	if !accepted && res.status < 500 && isProblem {
		p := res.json(t)
		switch p["type"] {
		case "urn:custreg:problem:unknown-field":
			refused = true
		case "urn:custreg:problem:validation":
			refused = true
			for _, e := range p["errors"].([]any) {
				if e.(map[string]any)["code"] != "type" {
					refused = false
				}
			}
		}
	}
	if !accepted && !refused {
		return
	}
	mt, _, _ := mime.ParseMediaType(sentType)
	bPtr := opPtr + "/requestBody"
	if _, ok := c.d.lookup(bPtr); !ok {
		t.Errorf("%s: the server took a body but the document declares none", where)
		return
	}
	rb, rbPtr := c.d.deref(t, bPtr)
	if content, _ := rb["content"].(map[string]any); content[mt] == nil {
		if accepted {
			t.Errorf("%s: the server accepted a %s body the document does not declare", where, mt)
		}
		return
	}
	if mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		// An upload (an image, a form): its media type is declared; what
		// its bytes may be the operation's own tests check.
		c.stats.requests++
		return
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(sent))
	if err != nil {
		t.Fatalf("%s: request body: %v", where, err)
	}
	verr := c.d.schema(t, rbPtr+"/"+oasPointer("content", mt, "schema")[2:]).Validate(inst)
	switch {
	case accepted && verr != nil:
		t.Errorf("%s: the server accepted a request body the document refuses:\n%v\nbody: %s", where, verr, sent)
	case refused && verr == nil:
		t.Errorf("%s: the server refused a request body the document accepts: %s; response: %s", where, sent, res.body)
	}
	c.stats.requests++
}

// checkParam checks the values of an accepted query parameter against its
// declared schema (or, for a parameter with content, the schema of its
// media type).
func (c *oasClient) checkParam(where, name string, p oasParam, vals []string) {
	t := c.t
	t.Helper()
	var inst any
	if _, ok := p.obj["content"]; ok {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(vals[0]))
		if err != nil || len(vals) != 1 {
			t.Errorf("%s: the server accepted %s = %q, which is not one JSON value", where, name, vals)
			return
		}
		inst = v
	} else {
		types := c.d.types(t, p.ptr+"/schema")
		switch {
		case types["array"]:
			a := make([]any, len(vals))
			for i, v := range vals {
				a[i] = v
			}
			inst = a
		case len(vals) != 1:
			t.Errorf("%s: the server accepted %d values of %s, which the document declares as one", where, len(vals), name)
			return
		case types["integer"]:
			inst = vals[0]
			if _, err := strconv.ParseInt(vals[0], 10, 64); err == nil {
				inst = json.Number(vals[0])
			}
		default:
			inst = vals[0]
		}
	}
	if err := c.d.schema(t, p.schemaPtr()).Validate(inst); err != nil {
		t.Errorf("%s: the server accepted %s = %q, which the document refuses: %v", where, name, vals, err)
	}
	c.stats.queries++
}

// undocumented sends r, which no operation of the document describes (an
// unknown path, or a method the path does not have), and checks the problem
// it gets: status, type, the Problem schema, and for 405 an Allow header
// that lists exactly the document's methods for the path.
func (c *oasClient) undocumented(r oasReq, status int, typ string) oasResp {
	t := c.t
	t.Helper()
	res, _, _ := c.send(r)
	where := r.method + " " + r.path
	if res.status != status || res.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("%s: %d %s %s, want %d", where, res.status, res.header.Get("Content-Type"), res.body, status)
	}
	c.checkCommon(where, res, false)
	p := oasUnmarshal(t, res.body)
	if err := c.d.schema(t, oasPointer("components", "schemas", "Problem")).Validate(p); err != nil {
		t.Errorf("%s: the problem does not match the document: %v", where, err)
	}
	oasWantType(t, res, typ)
	if p.(map[string]any)["title"] != http.StatusText(status) {
		t.Errorf("%s: title %v", where, p.(map[string]any)["title"])
	}
	u, _ := url.Parse(r.path)
	tmpl := c.d.match(u.Path)
	if status == http.StatusMethodNotAllowed {
		var want []string
		for key := range c.d.operations(t) {
			if m, p, _ := strings.Cut(key, " "); p == tmpl {
				want = append(want, m)
				if m == "GET" {
					// HEAD is served wherever GET is (ServeMux).
					want = append(want, "HEAD")
				}
			}
		}
		got := strings.Split(res.header.Get("Allow"), ", ")
		slices.Sort(want)
		slices.Sort(got)
		if len(want) == 0 || !slices.Equal(got, want) || slices.Contains(got, r.method) {
			t.Errorf("%s: Allow = %q, the document has %v for %s", where, res.header.Get("Allow"), want, tmpl)
		}
	} else if tmpl != "" && c.d.operations(t)[r.method+" "+tmpl] != nil {
		t.Errorf("%s: %d, but the document describes %s %s", where, status, r.method, tmpl)
	}
	for _, name := range oasSignificantHeaders {
		if name != "Allow" && res.header.Get(name) != "" {
			t.Errorf("%s: sends %s", where, name)
		}
	}
	c.stats.responses++
	return res
}

// problemType returns the type of a problem response.
func (r oasResp) problemType(t *testing.T) string {
	t.Helper()
	s, _ := r.json(t)["type"].(string)
	return strings.TrimPrefix(s, "urn:custreg:problem:")
}

func oasWantType(t *testing.T, r oasResp, typ string) {
	t.Helper()
	if got := r.problemType(t); got != typ {
		t.Errorf("problem type = %q, want %q; body: %s", got, typ, r.body)
	}
}

// oasWantLicense checks a 409 license-exceeded problem: the type, the kind
// and value of the limit, the figure the write would have reached, and the
// customer, present only when the limit is its allocation.
func oasWantLicense(t *testing.T, r oasResp, typ, kind string, limit, wouldBe int64, customerID string) {
	t.Helper()
	oasWantType(t, r, "license-exceeded")
	p := r.json(t)
	var cust any
	if customerID != "" {
		cust = customerID
	}
	if p["license_type"] != typ || p["limit_kind"] != kind || p["limit"] != float64(limit) || p["would_be"] != float64(wouldBe) || p["customer_id"] != cust {
		t.Errorf("license-exceeded = %s\nwant license_type %s, limit_kind %s, limit %d, would_be %d, customer_id %q", r.body, typ, kind, limit, wouldBe, customerID)
	}
}

// oasFieldCodes returns the "field: code" pairs of a 422, sorted.
func oasFieldCodes(t *testing.T, r oasResp) []string {
	t.Helper()
	var out []string
	for _, e := range r.json(t)["errors"].([]any) {
		m := e.(map[string]any)
		out = append(out, m["field"].(string)+": "+m["code"].(string))
	}
	slices.Sort(out)
	return out
}

// oasFullCustomer is a customer with every writable field set.
func oasFullCustomer() map[string]any {
	return map[string]any{
		"name": "Bharti Airtel", "code": "AIRTEL", "domain": "Airtel.COM", "business_email": "enterprise@airtel.com",
		"phone": "+91 98765 43210", "website": "https://www.airtel.com/", "subscription_id": "SUB-0001", "is_active": true,
		"location": map[string]any{
			"location_name": "Head office", "country": "India", "region": "North", "state": "Delhi", "district": "New Delhi",
			"city": "New Delhi", "pin_code": "110001", "landmark": "Near the metro", "address_line1": "Airtel Center, Plot 16",
			"address_line2": "Udyog Vihar, Phase IV",
		},
	}
}

// oasFullEntity is an entity with every writable field set.
func oasFullEntity() map[string]any {
	return map[string]any{
		"name": "North Region", "code": "N1", "type": "region", "business_email": "north@airtel.com",
		"phone": "011 2345 6789", "is_active": true,
		"location": map[string]any{
			"location_name": "Regional office", "country": "IN", "state": "Delhi", "city": "New Delhi", "pin_code": "110002",
			"address_line1": "Connaught Place",
		},
	}
}

// oasForm is a multipart/form-data body with one file part, and its
// Content-Type.
func oasForm(t *testing.T, name, filename, partType string, data []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+name+`"; filename="`+filename+`"`)
	if partType != "" {
		h.Set("Content-Type", partType)
	}
	pw, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = pw.Write(data)
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), mw.FormDataContentType()
}

// oasPathFor fills a route's path parameters with id.
func oasPathFor(pattern, id string) string {
	return regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(strings.TrimSuffix(pattern, "{$}"), id)
}

// TestOpenAPIResponses runs a session against the real stack, on every
// store, and checks every response against the document.
func TestOpenAPIResponses(t *testing.T) {
	d := oasLoad(t)
	for _, kind := range apptest.Stores(t) {
		t.Run(kind, func(t *testing.T) { oasSession(t, d, kind) })
	}
}

func oasSession(t *testing.T, d *oasDoc, kind string) {
	stats := &oasStats{seen: map[string]bool{}}
	stack := oasNewStack(t, kind, false)
	c := &oasClient{t: t, d: d, base: stack.srv.URL, hc: stack.srv.Client(), stats: stats}
	anyID := "0190b2a4-0000-7000-8000-000000000000"
	big := func(member string) string { return `{"` + member + `":"` + strings.Repeat("a", api.MaxJSONBody) + `"}` }
	crossSite := map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}

	// The document and the health checks, without credentials.
	res := c.do(oasReq{method: "GET", path: "/api/openapi.json"}, 200)
	if !bytes.Equal(res.body, api.OpenAPIDocument) {
		t.Error("GET /api/openapi.json does not serve the embedded document")
	}
	oasWantType(t, c.do(oasReq{method: "GET", path: "/api/openapi.json?v=2"}, 400), "unknown-parameter")
	c.do(oasReq{method: "GET", path: "/healthz"}, 200)
	c.do(oasReq{method: "GET", path: "/readyz"}, 200)

	// Every route that is not public refuses a request without credentials,
	// and one with an invalid bearer token, before it reads anything else:
	// a bad query, a bad If-Match, a body of the wrong type, malformed JSON
	// or unknown members are all a 401.
	for _, rt := range api.Routes() {
		if rt.Public {
			continue
		}
		path := oasPathFor(rt.Path, anyID)
		r := oasReq{method: rt.Method, path: path}
		if rt.Method == "POST" || rt.Method == "PATCH" {
			r.body = map[string]any{"name": "X"}
		}
		oasWantType(t, c.do(r, 401), "unauthorized")
		r.header = map[string]string{"Authorization": "Bearer crg_not-a-real-token"}
		oasWantType(t, c.do(r, 401), "unauthorized")
		r.header = map[string]string{"If-Match": "bogus"}
		r.path = path + "?colour=red&limit=-1"
		oasWantType(t, c.do(r, 401), "unauthorized")
		if r.body != nil {
			for _, b := range []oasReq{{body: `[not json`}, {body: `{"name":"X","colour":"red"}`}, {body: `{}`, contentType: "text/plain"}} {
				r.body, r.contentType = b.body, b.contentType
				oasWantType(t, c.do(r, 401), "unauthorized")
			}
		}
	}

	// Signing out needs no session: it only clears the cookie.
	logout := "/api/v1/auth/logout"
	c.do(oasReq{method: "POST", path: logout}, 204)
	c.do(oasReq{method: "POST", path: logout, header: map[string]string{"Authorization": "Bearer crg_not-a-real-token"}}, 204)
	c.do(oasReq{method: "POST", path: logout, header: map[string]string{"Cookie": "custreg_session=expired-or-made-up"}}, 204)
	oasWantType(t, c.do(oasReq{method: "POST", path: logout + "?all=1"}, 400), "unknown-parameter")
	oasWantType(t, c.do(oasReq{method: "POST", path: logout, header: crossSite}, 403), "cross-origin")

	// Sign in.
	login := "/api/v1/auth/login"
	oasWantType(t, c.do(oasReq{method: "POST", path: login, body: map[string]any{"email": "admin@example.com", "password": "wrong-password-here"}}, 401), "unauthorized")
	// An account that failed too often is throttled: 429 with Retry-After.
	for range service.SigninAccountLimit {
		c.do(oasReq{method: "POST", path: login, body: map[string]any{"email": "guessed@example.com", "password": "wrong-password-here"}}, 401)
	}
	res = c.do(oasReq{method: "POST", path: login, body: map[string]any{"email": "guessed@example.com", "password": "wrong-password-here"}}, 429)
	oasWantType(t, res, "too-many-requests")
	if res.header.Get("Retry-After") == "" {
		t.Error("a throttled sign-in has no Retry-After")
	}
	oasWantType(t, c.do(oasReq{method: "POST", path: login, body: map[string]any{"email": "admin@example.com", "password": "x", "remember": true}}, 400), "unknown-field")
	oasWantType(t, c.do(oasReq{method: "POST", path: login + "?remember=1", body: map[string]any{"email": "admin@example.com", "password": "x"}}, 400), "unknown-parameter")
	oasWantType(t, c.do(oasReq{method: "POST", path: login, body: map[string]any{"email": 42, "password": "x"}}, 422), "validation")
	oasWantType(t, c.do(oasReq{method: "POST", path: login, body: `["admin@example.com"]`}, 400), "bad-request")
	oasWantType(t, c.do(oasReq{method: "POST", path: login, body: `{"email":`}, 400), "bad-request")
	oasWantType(t, c.do(oasReq{method: "POST", path: login, body: `email=admin`, contentType: "application/x-www-form-urlencoded"}, 415), "unsupported-media-type")
	oasWantType(t, c.do(oasReq{method: "POST", path: login, body: big("email")}, 413), "too-large")
	oasWantType(t, c.do(oasReq{method: "POST", path: login, body: map[string]any{"email": "admin@example.com", "password": "correct-horse-battery"},
		header: crossSite}, 403), "cross-origin")
	res = c.do(oasReq{method: "POST", path: login, body: map[string]any{"email": " admin@EXAMPLE.com ", "password": "correct-horse-battery"},
		header: map[string]string{"Authorization": "Bearer crg_not-a-real-token"}}, 200)
	var session string
	for _, ck := range (&http.Response{Header: res.header}).Cookies() {
		if ck.Name == "custreg_session" {
			session = ck.Value
		}
	}
	if session == "" {
		t.Fatal("login set no session cookie")
	}
	admin := c.with(map[string]string{"Cookie": "custreg_session=" + session})
	me := admin.do(oasReq{method: "GET", path: "/api/v1/me"}, 200).json(t)
	if me["role"] != "org_admin" || me["scope"] != "organization" {
		t.Errorf("me = %v", me)
	}
	oasWantType(t, admin.do(oasReq{method: "GET", path: "/api/v1/me?fields=id"}, 400), "unknown-parameter")

	// API tokens. Creating one sends no Location: a token has no URL to GET.
	tokens := "/api/v1/tokens"
	res = admin.do(oasReq{method: "POST", path: tokens, body: map[string]any{"name": "ci pipeline"}}, 201)
	tok := res.json(t)
	bearer := c.with(map[string]string{"Authorization": "Bearer " + tok["token"].(string)})
	oasWantType(t, admin.do(oasReq{method: "POST", path: tokens, body: map[string]any{}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: tokens, body: map[string]any{"name": strings.Repeat("n", 101)}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: tokens, body: map[string]any{"name": 7}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: tokens, body: map[string]any{"name": "x", "scope": "all"}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "POST", path: tokens, body: `{"name":"x"}`, contentType: "text/plain"}, 415), "unsupported-media-type")
	oasWantType(t, admin.do(oasReq{method: "POST", path: tokens + "?expires=never", body: map[string]any{"name": "x"}}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "POST", path: tokens, body: big("name")}, 413), "too-large")
	oasWantType(t, admin.do(oasReq{method: "POST", path: tokens, body: map[string]any{"name": "x"}, header: crossSite}, 403), "cross-origin")
	list := admin.do(oasReq{method: "GET", path: tokens}, 200).json(t)
	if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["last_used_at"] != nil {
		t.Errorf("tokens before use = %v", list)
	}
	oasWantType(t, admin.do(oasReq{method: "GET", path: tokens + "?page=2"}, 400), "unknown-parameter")
	bearer.do(oasReq{method: "GET", path: "/api/v1/me"}, 200)
	list = bearer.do(oasReq{method: "GET", path: tokens}, 200).json(t) // last_used_at is now set
	if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["last_used_at"] == nil {
		t.Errorf("tokens after use = %v", list)
	}
	bearer.do(oasReq{method: "GET", path: "/api/v1/org/settings"}, 200)

	// Organization settings, with ETag and If-Match.
	org := "/api/v1/org/settings"
	orgETag := admin.do(oasReq{method: "GET", path: org}, 200).header.Get("ETag")
	res = admin.do(oasReq{method: "PATCH", path: org, body: map[string]any{"name": "Acme MSP"}, header: map[string]string{"If-Match": orgETag}}, 200)
	if next := res.header.Get("ETag"); next == orgETag || next != admin.do(oasReq{method: "GET", path: org}, 200).header.Get("ETag") {
		t.Errorf("org ETag after PATCH = %q (before %q)", next, orgETag)
	}
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: org, body: map[string]any{"name": "Stale"}, header: map[string]string{"If-Match": orgETag}}, 412), "precondition-failed")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: org, body: map[string]any{"name": "Weak"}, header: map[string]string{"If-Match": "W/" + orgETag}}, 400), "bad-request")
	admin.do(oasReq{method: "PATCH", path: org, body: map[string]any{"name": nil, "msp_enabled": true}, contentType: "application/merge-patch+json",
		header: map[string]string{"If-Match": "*"}}, 200)
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: org, body: map[string]any{"name": "  "}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: org, body: map[string]any{"msp_enabled": "no"}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: org, body: map[string]any{"theme": "dark"}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: org, body: `{}`, contentType: "text/plain"}, 415), "unsupported-media-type")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: org, body: big("name")}, 413), "too-large")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: org + "?dry_run=1", body: map[string]any{"name": "X"}}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "GET", path: org + "?fields=name"}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: org, body: map[string]any{"name": "X"}, header: crossSite}, 403), "cross-origin")

	// Customers: create, also with entities.
	customers := "/api/v1/customers"
	body := oasFullCustomer()
	body["entities"] = []any{
		map[string]any{"name": "Mumbai Branch", "code": "MUM", "type": "branch", "business_email": "mumbai@airtel.com",
			"phone": "+91 22 2288 1234", "is_active": true, "location": map[string]any{"country": "India", "pin_code": "400001", "city": "Mumbai"}},
		map[string]any{"name": "Finance", "type": "department", "business_email": "finance@airtel.com", "code": nil, "location": nil},
	}
	res = admin.do(oasReq{method: "POST", path: customers, body: body}, 201)
	full := res.json(t)
	fullID, fullETag := full["id"].(string), res.header.Get("ETag")
	if res.header.Get("Location") != customers+"/"+fullID || full["entities_count"] != 2.0 {
		t.Errorf("created: Location %q, entities_count %v", res.header.Get("Location"), full["entities_count"])
	}
	minimal := admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "Jio", "code": "JIO"}}, 201).json(t)
	if minimal["entities_count"] != 0.0 {
		t.Errorf("entities_count = %v", minimal["entities_count"])
	}
	// Nulls and empty strings mean absent.
	admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "Vodafone Idea", "code": "VI", "domain": nil,
		"website": "", "is_active": false, "location": map[string]any{"country": "GB", "pin_code": "SW1A 1AA", "city": nil}, "entities": nil}}, 201)
	oasWantType(t, admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "bharti airtel", "code": "airtel"}}, 422), "validation")
	bad := admin.do(oasReq{method: "POST", path: customers, body: map[string]any{
		"name": strings.Repeat("n", 101), "code": "a b", "domain": "not a domain", "business_email": "nope", "phone": "12",
		"website": "ftp://x.example", "subscription_id": strings.Repeat("s", 65),
		"location": map[string]any{"country": "Atlantis", "city": strings.Repeat("c", 101)},
	}}, 422).json(t)
	if errs := bad["errors"].([]any); len(errs) < 8 {
		t.Errorf("422 lists %d field errors, want every bad field: %v", len(errs), errs)
	}
	// Bad entities are named by their path, together with the customer's
	// own bad fields, and nothing is written.
	res = admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "Reliance", "code": "R", "entities": []any{
		map[string]any{"name": "Good"},
		map[string]any{"name": "", "code": "a b", "business_email": "nope", "location": map[string]any{"country": "IN", "pin_code": "12"}},
		map[string]any{"name": "good", "type": "galaxy"},
		map[string]any{"name": "Other", "code": "c", "phone": "12"},
	}}}, 422)
	want := []string{"code: too_short", "entities[1].business_email: format", "entities[1].code: format", "entities[1].location.pin_code: format",
		"entities[1].name: required", "entities[2].name: taken", "entities[2].type: unknown", "entities[3].code: too_short", "entities[3].phone: format"}
	if got := oasFieldCodes(t, res); !slices.Equal(got, want) {
		t.Errorf("field errors = %v\nwant %v", got, want)
	}
	oasWantType(t, admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "A", "code": "AB",
		"entities": []any{map[string]any{"name": 5, "is_active": "yes"}}}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "A", "code": "AB", "entities": "Mumbai"}}, 422), "validation")
	res = admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "A", "code": "AB",
		"entities": []any{map[string]any{"name": "A", "colour": "red"}}}}, 400)
	if oasWantType(t, res, "unknown-field"); !strings.Contains(res.json(t)["detail"].(string), "entities[0].colour") {
		t.Errorf("unknown entity field: %s", res.body)
	}
	many := make([]any, domain.MaxEntitiesPerRequest+1)
	for i := range many {
		many[i] = map[string]any{"name": fmt.Sprintf("Entity %d", i)}
	}
	res = admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "A", "code": "AB", "entities": many}}, 422)
	if oasWantType(t, res, "validation"); !strings.Contains(string(res.body), `"field":"entities"`) {
		t.Errorf("too many entities: %s", res.body)
	}
	oasWantType(t, admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "A", "code": "AB", "notes": "x"}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "A", "code": "AB",
		"location": map[string]any{"country": "IN", "country_name": "India"}}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": 1, "code": true, "is_active": "yes",
		"location": map[string]any{"city": 5}}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "A", "code": "AB", "location": "Delhi"}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: customers, body: `[]`}, 400), "bad-request")
	oasWantType(t, admin.do(oasReq{method: "POST", path: customers, body: ` `}, 400), "bad-request")
	oasWantType(t, admin.do(oasReq{method: "POST", path: customers, body: `{"name":"A","code":"AB"}`, contentType: "application/merge-patch+json"}, 415), "unsupported-media-type")
	oasWantType(t, admin.do(oasReq{method: "POST", path: customers, body: big("name")}, 413), "too-large")
	oasWantType(t, admin.do(oasReq{method: "POST", path: customers + "?dry_run=1", body: map[string]any{"name": "A", "code": "AB"}}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "POST", path: customers, body: oasFullCustomer(), header: crossSite}, 403), "cross-origin")
	bearer.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "Tata", "code": "TATA"}}, 201)

	// Get.
	one := customers + "/" + fullID
	res = admin.do(oasReq{method: "GET", path: one}, 200)
	if res.header.Get("ETag") != fullETag {
		t.Errorf("GET ETag = %q, want %q", res.header.Get("ETag"), fullETag)
	}
	bearer.do(oasReq{method: "GET", path: customers + "/" + minimal["id"].(string)}, 200)
	oasWantType(t, admin.do(oasReq{method: "GET", path: customers + "/" + anyID}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: customers + "/not-an-id"}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: one + "?expand=entities"}, 400), "unknown-parameter")

	// Patch.
	res = admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"subscription_id": "SUB-0002", "location": map[string]any{"landmark": "Opposite the mall"}},
		contentType: "application/merge-patch+json", header: map[string]string{"If-Match": fullETag}}, 200)
	newETag := res.header.Get("ETag")
	if res.json(t)["entities_count"] != 2.0 {
		t.Errorf("entities_count after PATCH = %v", res.json(t)["entities_count"])
	}
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"name": "Stale"}, header: map[string]string{"If-Match": fullETag}}, 412), "precondition-failed")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"name": "Bad"}, header: map[string]string{"If-Match": "W/" + newETag}}, 400), "bad-request")
	admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"domain": nil, "phone": nil, "website": nil, "business_email": nil,
		"subscription_id": nil, "is_active": nil, "location": nil}, contentType: "application/merge-patch+json"}, 200)
	admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"location": map[string]any{"country": "IN", "city": "Gurugram"}}, header: map[string]string{"If-Match": "*"}}, 200)
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"name": nil}, contentType: "application/merge-patch+json"}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"code": "JIO"}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"is_active": "no"}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"version": 9}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"entities": []any{}}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"location": map[string]any{"zip": "1"}}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one, body: `"x"`}, 400), "bad-request")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one, body: `{}`, contentType: "text/plain"}, 415), "unsupported-media-type")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one, body: big("name")}, 413), "too-large")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one + "?force=1", body: map[string]any{"name": "X"}}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: customers + "/" + anyID, body: map[string]any{"name": "X"}}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"name": "X"}, header: crossSite}, 403), "cross-origin")

	// Entities: create.
	ents := one + "/entities"
	res = admin.do(oasReq{method: "POST", path: ents, body: oasFullEntity()}, 201)
	north := res.json(t)
	northPath := ents + "/" + north["id"].(string)
	if res.header.Get("Location") != northPath || res.header.Get("ETag") != `"1"` || north["customer_id"] != fullID || north["phone"] != "+911123456789" {
		t.Errorf("created entity: Location %q, ETag %q, %s", res.header.Get("Location"), res.header.Get("ETag"), res.body)
	}
	// Empty and null optional members mean absent; the type defaults to
	// branch.
	delhi := admin.do(oasReq{method: "POST", path: ents, body: map[string]any{"name": "Delhi Office", "code": "", "type": "",
		"business_email": nil, "phone": "", "is_active": nil, "location": nil}}, 201).json(t)
	if delhi["type"] != "branch" || delhi["code"] != nil || delhi["is_active"] != true {
		t.Errorf("entity with defaults = %v", delhi)
	}
	minimalEnts := customers + "/" + minimal["id"].(string) + "/entities"
	jioHQ := bearer.do(oasReq{method: "POST", path: minimalEnts, body: map[string]any{"name": "north region", "code": "n1"}}, 201).json(t)
	res = admin.do(oasReq{method: "POST", path: ents, body: map[string]any{"name": "NORTH REGION", "code": "n1"}}, 422)
	if got := oasFieldCodes(t, res); !slices.Equal(got, []string{"code: taken", "name: taken"}) {
		t.Errorf("taken entity = %v", got)
	}
	res = admin.do(oasReq{method: "POST", path: ents, body: map[string]any{"name": strings.Repeat("n", 101), "code": "x", "type": "galaxy",
		"business_email": "nope", "phone": "12", "location": map[string]any{"country": "IN", "pin_code": "12"}}}, 422)
	want = []string{"business_email: format", "code: too_short", "location.pin_code: format", "name: too_long", "phone: format", "type: unknown"}
	if got := oasFieldCodes(t, res); !slices.Equal(got, want) {
		t.Errorf("bad entity = %v\nwant %v", got, want)
	}
	oasWantType(t, admin.do(oasReq{method: "POST", path: ents, body: map[string]any{}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: ents, body: map[string]any{"name": 5, "type": 1, "location": []any{}}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: ents, body: map[string]any{"name": "X", "colour": "red"}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "POST", path: ents, body: map[string]any{"name": "X", "customer_id": fullID}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "POST", path: ents, body: `[]`}, 400), "bad-request")
	oasWantType(t, admin.do(oasReq{method: "POST", path: ents, body: `{"name":"X"}`, contentType: "application/merge-patch+json"}, 415), "unsupported-media-type")
	oasWantType(t, admin.do(oasReq{method: "POST", path: ents, body: big("name")}, 413), "too-large")
	oasWantType(t, admin.do(oasReq{method: "POST", path: ents + "?dry_run=1", body: map[string]any{"name": "X"}}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "POST", path: ents, body: map[string]any{"name": "X"}, header: crossSite}, 403), "cross-origin")
	oasWantType(t, admin.do(oasReq{method: "POST", path: customers + "/" + anyID + "/entities", body: map[string]any{"name": "X"}}, 404), "not-found")
	if n := admin.do(oasReq{method: "GET", path: one}, 200).json(t)["entities_count"]; n != 4.0 {
		t.Errorf("entities_count = %v, want 4", n)
	}

	// Entities: get.
	res = admin.do(oasReq{method: "GET", path: northPath}, 200)
	if res.header.Get("ETag") != `"1"` {
		t.Errorf("entity ETag = %q", res.header.Get("ETag"))
	}
	bearer.do(oasReq{method: "GET", path: ents + "/" + delhi["id"].(string)}, 200)
	oasWantType(t, admin.do(oasReq{method: "GET", path: ents + "/" + anyID}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: minimalEnts + "/" + north["id"].(string)}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: customers + "/" + anyID + "/entities/" + north["id"].(string)}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: northPath + "?fields=name"}, 400), "unknown-parameter")

	// Entities: patch.
	res = admin.do(oasReq{method: "PATCH", path: northPath, body: map[string]any{"name": "North", "code": nil, "location": map[string]any{"city": "Gurugram", "state": "Haryana", "pin_code": "122001"}},
		contentType: "application/merge-patch+json", header: map[string]string{"If-Match": `"1"`}}, 200)
	if e := res.json(t); res.header.Get("ETag") != `"2"` || e["name"] != "North" || e["code"] != nil || e["version"] != 2.0 {
		t.Errorf("patched entity: ETag %q, %s", res.header.Get("ETag"), res.body)
	}
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northPath, body: map[string]any{"name": "Stale"}, header: map[string]string{"If-Match": `"1"`}}, 412), "precondition-failed")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northPath, body: map[string]any{"name": "Bad"}, header: map[string]string{"If-Match": `"1", "2"`}}, 400), "bad-request")
	res = admin.do(oasReq{method: "PATCH", path: northPath, body: map[string]any{"type": nil, "is_active": false, "phone": nil, "business_email": nil},
		contentType: "application/merge-patch+json", header: map[string]string{"If-Match": "*"}}, 200)
	if e := res.json(t); e["type"] != "branch" || e["is_active"] != false || e["phone"] != nil {
		t.Errorf("patched entity = %s", res.body)
	}
	admin.do(oasReq{method: "PATCH", path: northPath, body: map[string]any{"type": "business_unit", "is_active": nil, "location": nil}}, 200)
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northPath, body: map[string]any{"name": nil}, contentType: "application/merge-patch+json"}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northPath, body: map[string]any{"code": "MUM"}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northPath, body: map[string]any{"type": "galaxy"}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northPath, body: map[string]any{"is_active": "no"}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northPath, body: map[string]any{"customer_id": anyID}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northPath, body: map[string]any{"location": map[string]any{"country_name": "India"}}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northPath, body: `null`}, 400), "bad-request")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northPath, body: `{}`, contentType: "text/plain"}, 415), "unsupported-media-type")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northPath, body: big("name")}, 413), "too-large")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northPath + "?force=1", body: map[string]any{"name": "X"}}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: ents + "/" + anyID, body: map[string]any{"name": "X"}}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northPath, body: map[string]any{"name": "X"}, header: crossSite}, 403), "cross-origin")

	// Entities: list, paged two by two until next_cursor is null.
	for i := range 5 {
		admin.do(oasReq{method: "POST", path: ents, body: map[string]any{"name": fmt.Sprintf("Branch %d", i)}}, 201)
	}
	var names []string
	var entCursor string
	q := url.Values{"limit": {"2"}}
	for page := 0; ; page++ {
		if page > 10 {
			t.Fatal("entities: more pages than entities")
		}
		l := admin.do(oasReq{method: "GET", path: ents + "?" + q.Encode()}, 200).json(t)
		for _, it := range l["items"].([]any) {
			names = append(names, it.(map[string]any)["name"].(string))
		}
		if l["total"] != 9.0 {
			t.Errorf("entities total = %v, want 9", l["total"])
		}
		next, _ := l["next_cursor"].(string)
		if next == "" {
			break
		}
		entCursor = next
		q.Set("cursor", next)
	}
	if len(names) != 9 || !slices.IsSortedFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
		t.Errorf("paged entities = %v", names)
	}
	admin.do(oasReq{method: "GET", path: ents}, 200)
	bearer.do(oasReq{method: "GET", path: ents + "?limit=200"}, 200)
	for q, typ := range map[string]string{
		"?limit=0":    "bad-request",
		"?limit=201":  "bad-request",
		"?limit=ten":  "bad-request",
		"?cursor=zz":  "bad-cursor",
		"?sort=-name": "unknown-parameter",
		"?q=branch":   "unknown-parameter",
	} {
		oasWantType(t, admin.do(oasReq{method: "GET", path: ents + q}, 400), typ)
	}
	oasWantType(t, admin.do(oasReq{method: "GET", path: customers + "/" + anyID + "/entities"}, 404), "not-found")

	// The customer list: every sort, paged one by one until next_cursor is
	// null.
	for _, sortBy := range []string{"", "name", "-name", "code", "-code", "created_at", "-created_at"} {
		q := url.Values{"limit": {"1"}}
		if sortBy != "" {
			q.Set("sort", sortBy)
		}
		var seen []string
		for page := 0; ; page++ {
			if page > 10 {
				t.Fatalf("sort %q: more pages than customers", sortBy)
			}
			l := admin.do(oasReq{method: "GET", path: customers + "?" + q.Encode()}, 200).json(t)
			for _, it := range l["items"].([]any) {
				seen = append(seen, it.(map[string]any)["id"].(string))
			}
			if int(l["total"].(float64)) != 4 {
				t.Errorf("total = %v, want 4", l["total"])
			}
			next, _ := l["next_cursor"].(string)
			if next == "" {
				break
			}
			q.Set("cursor", next)
		}
		if len(seen) != 4 {
			t.Errorf("sort %q: paging saw %d customers, want 4", sortBy, len(seen))
		}
	}
	admin.do(oasReq{method: "GET", path: customers}, 200)
	bearer.do(oasReq{method: "GET", path: customers + "?limit=200&sort=-created_at"}, 200)

	// Search, each condition, and filter trees. The customers are Bharti
	// Airtel (AIRTEL), Jio (JIO), Tata (TATA) and Vodafone Idea (VI).
	filterOr := `{"op":"or","conditions":[{"field":"code","op":"eq","value":"jio"},{"field":"name","op":"contains","value":"vodafone"}]}`
	filterNested := `{"op":"and","conditions":[{"field":"name","op":"contains","value":"A"},` +
		`{"op":"or","conditions":[{"field":"code","op":"in","values":["airtel","tata"]},{"field":"code","op":"eq","value":"vi"}]},` +
		`{"field":"name","op":"not_in","values":["tata"]}]}`
	for _, tc := range []struct{ query, want string }{
		{"q=air", "Bharti Airtel"},
		{"q=+I+", "Bharti Airtel,Jio,Vodafone Idea"},
		{"q=", "Bharti Airtel,Jio,Tata,Vodafone Idea"},
		{"name.eq=JIO", "Jio"},
		{"name.neq=jio", "Bharti Airtel,Tata,Vodafone Idea"},
		{"name.in=jio&name.in=tata&name.in=", "Jio,Tata"},
		{"name.not_in=jio&name.not_in=TATA", "Bharti Airtel,Vodafone Idea"},
		{"name.contains=idea", "Vodafone Idea"},
		{"name.not_contains=a", "Jio"},
		{"code.eq=vi", "Vodafone Idea"},
		{"code.neq=vi", "Bharti Airtel,Jio,Tata"},
		{"code.in=airtel&code.in=vi", "Bharti Airtel,Vodafone Idea"},
		{"code.not_in=airtel", "Jio,Tata,Vodafone Idea"},
		{"code.contains=t", "Bharti Airtel,Tata"},
		{"code.not_contains=t", "Jio,Vodafone Idea"},
		{"name.contains=a&code.not_contains=e&sort=-name", "Vodafone Idea,Tata"},
		{"filter=" + url.QueryEscape(filterOr), "Jio,Vodafone Idea"},
		{"filter=" + url.QueryEscape(filterNested), "Bharti Airtel,Vodafone Idea"},
		{"q=a&code.neq=vi&filter=" + url.QueryEscape(filterNested), "Bharti Airtel"},
	} {
		l := admin.do(oasReq{method: "GET", path: customers + "?" + tc.query}, 200).json(t)
		var got []string
		for _, it := range l["items"].([]any) {
			got = append(got, it.(map[string]any)["name"].(string))
		}
		if strings.Join(got, ",") != tc.want || int(l["total"].(float64)) != len(got) {
			t.Errorf("%s: %v (total %v), want %s", tc.query, got, l["total"], tc.want)
		}
	}
	first := admin.do(oasReq{method: "GET", path: customers + "?limit=1&sort=code&name.neq=x"}, 200).json(t)
	deep := `{"field":"name","op":"eq","value":"x"}`
	for range domain.MaxFilterDepth {
		deep = `{"op":"and","conditions":[` + deep + `]}`
	}
	wide := url.Values{}
	for i := range domain.MaxFilterValues + 1 {
		wide.Add("code.in", fmt.Sprint("c", i))
	}
	for q, typ := range map[string]string{
		"?limit=0":   "bad-request",
		"?limit=201": "bad-request",
		"?limit=ten": "bad-request",
		"?limit=":    "bad-request",
		"?sort=size": "bad-request",
		"?q=" + strings.Repeat("q", domain.MaxSearchLen+1): "bad-request",
		"?name.like=x":         "bad-filter",
		"?name.eq=a&name.eq=b": "bad-filter",
		"?name.eq=+":           "bad-filter",
		"?code.in=":            "bad-filter",
		"?name.":               "bad-filter",
		"?name.contains=" + strings.Repeat("x", domain.MaxFilterValueLen+1): "bad-filter",
		"?" + wide.Encode(): "bad-filter",
		"?filter=nope":      "bad-filter",
		"?filter=" + url.QueryEscape(`{"op":"and","conditions":[]}`):                          "bad-filter",
		"?filter=" + url.QueryEscape(`{"field":"size","op":"eq","value":"1"}`):                "bad-filter",
		"?filter=" + url.QueryEscape(`{"field":"name","op":"in","value":"x"}`):                "bad-filter",
		"?filter=" + url.QueryEscape(`{"field":"name","op":"eq","value":"x","colour":"red"}`): "bad-filter",
		"?filter=" + url.QueryEscape(deep):                                                    "bad-filter",
		"?size.eq=1":                                                                          "unknown-parameter",
		"?Name.eq=x":                                                                          "unknown-parameter",
		"?page=2":                                                                             "unknown-parameter",
		"?cursor=not-a-cursor":                                                                "bad-cursor",
		"?sort=name&cursor=" + first["next_cursor"].(string):                                  "bad-cursor",
		"?cursor=" + entCursor:                                                                "bad-cursor",
	} {
		oasWantType(t, admin.do(oasReq{method: "GET", path: customers + q}, 400), typ)
	}

	// A customer-scoped user who is not an organization admin, created
	// through the API.
	users, assets, roles := "/api/v1/users", "/api/v1/assets", "/api/v1/roles"
	jioID := minimal["id"].(string)
	// Room in every customer's licenses for the users and assets below.
	roomy := map[string]any{}
	for _, typ := range domain.LicenseTypes {
		roomy[typ] = 1000
	}
	for _, it := range admin.do(oasReq{method: "GET", path: customers + "?limit=200"}, 200).json(t)["items"].([]any) {
		admin.do(oasReq{method: "PUT", path: customers + "/" + it.(map[string]any)["id"].(string) + "/licenses", body: roomy}, 200)
	}
	res = admin.do(oasReq{method: "POST", path: users, body: map[string]any{"email": "ops@jio.example", "name": "Jio Ops", "kind": "technician",
		"role": "customer_admin", "customer_id": jioID, "password": "customer-admin-password"}}, 201)
	if u := res.json(t); u["customer_id"] != jioID || u["role"] != "customer_admin" || len(u["entity_ids"].([]any)) != 0 {
		t.Errorf("created customer user = %s", res.body)
	}
	// signIn signs a user in and returns a client with its session.
	signIn := func(email, password string) *oasClient {
		t.Helper()
		res := c.do(oasReq{method: "POST", path: login, body: map[string]any{"email": email, "password": password}}, 200)
		return c.with(map[string]string{"Cookie": "custreg_session=" + (&http.Response{Header: res.header}).Cookies()[0].Value})
	}
	scoped := signIn("ops@jio.example", "customer-admin-password")
	if me := scoped.do(oasReq{method: "GET", path: "/api/v1/me"}, 200).json(t); me["scope"] != "customer" || me["customer_id"] != jioID {
		t.Errorf("me = %v", me)
	}
	if l := scoped.do(oasReq{method: "GET", path: customers}, 200).json(t); l["total"] != 1.0 {
		t.Errorf("a customer-scoped list = %v", l)
	}
	scoped.do(oasReq{method: "GET", path: customers + "/" + jioID}, 200)
	scoped.do(oasReq{method: "GET", path: minimalEnts}, 200)
	jioHQPath := minimalEnts + "/" + jioHQ["id"].(string)
	scoped.do(oasReq{method: "GET", path: jioHQPath}, 200)
	oasWantType(t, scoped.do(oasReq{method: "GET", path: one}, 404), "not-found")
	oasWantType(t, scoped.do(oasReq{method: "GET", path: ents}, 404), "not-found")
	oasWantType(t, scoped.do(oasReq{method: "GET", path: northPath}, 404), "not-found")
	oasWantType(t, scoped.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "Mine", "code": "MINE"}}, 403), "forbidden")
	oasWantType(t, scoped.do(oasReq{method: "PATCH", path: customers + "/" + jioID, body: map[string]any{"name": "Jio 2"}}, 403), "forbidden")
	oasWantType(t, scoped.do(oasReq{method: "DELETE", path: customers + "/" + jioID}, 403), "forbidden")
	// A customer admin's role grants entities.add/edit/delete: it manages
	// its own customer's entities.
	minePath := minimalEnts + "/" + scoped.do(oasReq{method: "POST", path: minimalEnts, body: map[string]any{"name": "Mine"}}, 201).json(t)["id"].(string)
	scoped.do(oasReq{method: "PATCH", path: minePath, body: map[string]any{"name": "Mine 2"}}, 200)
	scoped.do(oasReq{method: "DELETE", path: minePath}, 204)
	oasWantType(t, scoped.do(oasReq{method: "PATCH", path: org, body: map[string]any{"name": "Mine"}}, 403), "forbidden")
	scoped.do(oasReq{method: "GET", path: org}, 200)
	scoped.do(oasReq{method: "POST", path: tokens, body: map[string]any{"name": "scoped"}}, 201)

	// Logos: upload (the image itself, or a form), read (the rendition,
	// the original, revalidated with If-None-Match), remove; the refusals
	// change nothing.
	for _, kind := range domain.LogoKinds {
		lp := customers + "/" + jioID + "/" + kind
		oasWantType(t, admin.do(oasReq{method: "GET", path: lp}, 404), "not-found")
		oasWantType(t, admin.do(oasReq{method: "DELETE", path: lp}, 404), "not-found")
		up := admin.do(oasReq{method: "PUT", path: lp, body: logotest.PNG(1280, 320), contentType: "image/png"}, 200).json(t)
		if up["format"] != "png" || up["width"] != 1280.0 || up["height"] != 320.0 || (kind == domain.LogoFull) == (up["warning"] != nil) {
			t.Errorf("PUT %s = %v", lp, up)
		}
		form, formType := oasForm(t, "file", "logo.jpg", "image/jpeg", logotest.JPEG(200, 200))
		admin.do(oasReq{method: "PUT", path: lp, body: form, contentType: formType}, 200)
		res := admin.do(oasReq{method: "GET", path: lp}, 200)
		if res.header.Get("Content-Type") != "image/jpeg" || res.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: %v", lp, res.header)
		}
		c304 := admin.do(oasReq{method: "GET", path: lp, header: map[string]string{"If-None-Match": res.header.Get("ETag")}}, 304)
		if c304.header.Get("ETag") != res.header.Get("ETag") {
			t.Errorf("304 ETag %q, 200 ETag %q", c304.header.Get("ETag"), res.header.Get("ETag"))
		}
		if orig := admin.do(oasReq{method: "GET", path: lp + "?original=true"}, 200); !bytes.Equal(orig.body, logotest.JPEG(200, 200)) {
			t.Errorf("GET %s?original=true is not the upload", lp)
		}
		scoped.do(oasReq{method: "GET", path: lp + "?original=false"}, 200)
		oasWantType(t, scoped.do(oasReq{method: "GET", path: customers + "/" + fullID + "/" + kind}, 404), "not-found")
		oasWantType(t, scoped.do(oasReq{method: "PUT", path: lp, body: logotest.PNG(80, 80), contentType: "image/png"}, 403), "forbidden")
		oasWantType(t, scoped.do(oasReq{method: "DELETE", path: lp}, 403), "forbidden")
		oasWantType(t, admin.do(oasReq{method: "GET", path: lp + "?original=yes"}, 400), "bad-request")
		oasWantType(t, admin.do(oasReq{method: "GET", path: lp + "?size=80"}, 400), "unknown-parameter")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: lp, body: logotest.GIF(20, 20), contentType: "image/gif"}, 415), "unsupported-media-type")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: lp, body: `{}`}, 415), "unsupported-media-type")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: lp, body: logotest.JPEG(20, 20), contentType: "image/png"}, 422), "validation")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: lp, body: logotest.Bomb(100_000, 100_000), contentType: "image/png"}, 422), "validation")
		form, formType = oasForm(t, "picture", "logo.png", "image/png", logotest.PNG(20, 20))
		oasWantType(t, admin.do(oasReq{method: "PUT", path: lp, body: form, contentType: formType}, 400), "unknown-field")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: lp, body: form, contentType: "multipart/form-data"}, 400), "bad-request")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: lp, body: make([]byte, domain.MaxLogoBytes+1), contentType: "image/png"}, 413), "too-large")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: lp, body: logotest.PNG(20, 20), contentType: "image/png", header: crossSite}, 403), "cross-origin")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: customers + "/" + anyID + "/" + kind, body: logotest.PNG(20, 20), contentType: "image/png"}, 404), "not-found")
		if got := admin.do(oasReq{method: "GET", path: lp + "?original=true"}, 200); !bytes.Equal(got.body, logotest.JPEG(200, 200)) {
			t.Errorf("a refused upload changed %s", lp)
		}
	}
	cu := admin.do(oasReq{method: "GET", path: customers + "/" + jioID}, 200).json(t)
	if fl, _ := cu["full_logo"].(map[string]any); fl == nil || fl["format"] != "jpeg" || fl["url"] != customers+"/"+jioID+"/full_logo" {
		t.Errorf("the customer's full_logo = %v", cu["full_logo"])
	}
	admin.do(oasReq{method: "DELETE", path: customers + "/" + jioID + "/" + domain.LogoMark}, 204)
	if cu := admin.do(oasReq{method: "GET", path: customers + "/" + jioID}, 200).json(t); cu["logomark"] != nil || cu["full_logo"] == nil {
		t.Errorf("after removing the logomark: full_logo %v, logomark %v", cu["full_logo"], cu["logomark"])
	}
	oasWantType(t, admin.do(oasReq{method: "GET", path: customers + "/" + jioID + "/" + domain.LogoMark}, 404), "not-found")
	// The full logo stays, for the rest of the session; one more is
	// uploaded and removed.
	admin.do(oasReq{method: "PUT", path: customers + "/" + fullID + "/" + domain.LogoFull, body: logotest.PNG(320, 80), contentType: "image/png"}, 200)
	admin.do(oasReq{method: "DELETE", path: customers + "/" + fullID + "/" + domain.LogoFull}, 204)

	// What a delete would take with the customer: the customer's own
	// figures and allocation, and nothing changes.
	cu = admin.do(oasReq{method: "GET", path: customers + "/" + jioID}, 200).json(t)
	dp := admin.do(oasReq{method: "GET", path: customers + "/" + jioID + "/delete-preview"}, 200).json(t)
	if dp["entities"] != cu["entities_count"] || dp["users"] != cu["users_count"] || dp["assets"] != cu["assets_count"] || dp["code"] != cu["code"] {
		t.Errorf("delete preview %v of customer %v", dp, cu)
	}
	oasWantType(t, scoped.do(oasReq{method: "GET", path: customers + "/" + jioID + "/delete-preview"}, 403), "forbidden")
	oasWantType(t, admin.do(oasReq{method: "GET", path: customers + "/" + anyID + "/delete-preview"}, 404), "not-found")
	admin.do(oasReq{method: "GET", path: customers + "/" + jioID}, 200)

	// The customer's archive: a zip that opens, for the organization and
	// for the customer's own admin; nobody's customer is a 404.
	for _, c := range []*oasClient{admin, scoped} {
		res := c.do(oasReq{method: "GET", path: customers + "/" + jioID + "/archive"}, 200)
		if zr, err := zip.NewReader(bytes.NewReader(res.body), int64(len(res.body))); err != nil || len(zr.File) < 14 {
			t.Errorf("GET %s/archive: not a whole zip: %v", jioID, err)
		}
	}
	oasWantType(t, admin.do(oasReq{method: "GET", path: customers + "/" + anyID + "/archive"}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: customers + "/" + jioID + "/archive?format=csv"}, 400), "unknown-parameter")

	// The trash: a deleted customer is listed and restored.
	trashed := admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "Trashed Once", "code": "TRASHED"}}, 201).json(t)
	admin.do(oasReq{method: "DELETE", path: customers + "/" + trashed["id"].(string)}, 204)
	if items := admin.do(oasReq{method: "GET", path: api.BasePath + "/trash/customers?limit=5"}, 200).json(t)["items"].([]any); len(items) == 0 {
		t.Errorf("the trash is empty after a delete")
	}
	oasWantType(t, admin.do(oasReq{method: "GET", path: api.BasePath + "/trash/customers?cursor=" + anyID}, 400), "bad-cursor")
	admin.do(oasReq{method: "POST", path: api.BasePath + "/trash/customers/" + trashed["id"].(string) + "/restore", body: map[string]any{"name": "Trashed Once"}}, 200)
	oasWantType(t, admin.do(oasReq{method: "POST", path: api.BasePath + "/trash/customers/" + trashed["id"].(string) + "/restore"}, 404), "not-found")
	admin.do(oasReq{method: "DELETE", path: customers + "/" + trashed["id"].(string)}, 204)
	admin.do(oasReq{method: "DELETE", path: api.BasePath + "/trash/customers/" + trashed["id"].(string)}, 204)
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: api.BasePath + "/trash/customers/" + trashed["id"].(string)}, 404), "not-found")
	// Users and assets deleted on their own: listed, restored, purged.
	for _, tc := range []struct {
		path string
		body map[string]any
	}{
		{users, map[string]any{"email": "trashed@example.com", "name": "Trashed", "role": "technician", "password": "a-long-enough-password"}},
		{assets, map[string]any{"name": "Trashed Box", "class": "it"}},
	} {
		kind := strings.TrimPrefix(tc.path, api.BasePath)
		rec := admin.do(oasReq{method: "POST", path: tc.path, body: tc.body}, 201).json(t)
		id := rec["id"].(string)
		admin.do(oasReq{method: "DELETE", path: tc.path + "/" + id}, 204)
		if items := admin.do(oasReq{method: "GET", path: api.BasePath + "/trash" + kind + "?limit=5"}, 200).json(t)["items"].([]any); len(items) == 0 {
			t.Errorf("the %s trash is empty after a delete", kind)
		}
		oasWantType(t, admin.do(oasReq{method: "GET", path: api.BasePath + "/trash" + kind + "?cursor=" + anyID}, 400), "bad-cursor")
		admin.do(oasReq{method: "POST", path: api.BasePath + "/trash" + kind + "/" + id + "/restore"}, 200)
		oasWantType(t, admin.do(oasReq{method: "POST", path: api.BasePath + "/trash" + kind + "/" + id + "/restore"}, 404), "not-found")
		admin.do(oasReq{method: "DELETE", path: tc.path + "/" + id}, 204)
		admin.do(oasReq{method: "DELETE", path: api.BasePath + "/trash" + kind + "/" + id}, 204)
		oasWantType(t, admin.do(oasReq{method: "DELETE", path: api.BasePath + "/trash" + kind + "/" + id}, 404), "not-found")
	}

	// The organization's logos: an organization admin sets them, anyone
	// signed in reads them, nobody else changes them.
	for _, kind := range domain.LogoKinds {
		op := api.BasePath + "/org/" + kind
		oasWantType(t, scoped.do(oasReq{method: "GET", path: op}, 404), "not-found")
		oasWantType(t, admin.do(oasReq{method: "DELETE", path: op}, 404), "not-found")
		up := admin.do(oasReq{method: "PUT", path: op, body: logotest.PNG(640, 160), contentType: "image/png"}, 200).json(t)
		if up["format"] != "png" || up["width"] != 640.0 {
			t.Errorf("PUT %s = %v", op, up)
		}
		res := scoped.do(oasReq{method: "GET", path: op}, 200)
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(res.body)); err != nil || cfg.Width > 320 || cfg.Height > 80 {
			t.Errorf("GET %s: rendition %v×%v (%v)", op, cfg.Width, cfg.Height, err)
		}
		admin.do(oasReq{method: "GET", path: op, header: map[string]string{"If-None-Match": res.header.Get("ETag")}}, 304)
		admin.do(oasReq{method: "GET", path: op + "?original=true"}, 200)
		oasWantType(t, admin.do(oasReq{method: "GET", path: op + "?original=maybe"}, 400), "bad-request")
		oasWantType(t, scoped.do(oasReq{method: "PUT", path: op, body: logotest.PNG(80, 80), contentType: "image/png"}, 403), "forbidden")
		oasWantType(t, scoped.do(oasReq{method: "DELETE", path: op}, 403), "forbidden")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: op, body: logotest.GIF(20, 20), contentType: "image/gif"}, 415), "unsupported-media-type")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: op, body: logotest.Text(), contentType: "image/png"}, 422), "validation")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: op, body: make([]byte, domain.MaxLogoBytes+1), contentType: "image/png"}, 413), "too-large")
		form, formType := oasForm(t, "picture", "logo.png", "image/png", logotest.PNG(20, 20))
		oasWantType(t, admin.do(oasReq{method: "PUT", path: op, body: form, contentType: formType}, 400), "unknown-field")
		if got := admin.do(oasReq{method: "GET", path: op + "?original=true"}, 200); !bytes.Equal(got.body, logotest.PNG(640, 160)) {
			t.Errorf("a refused upload changed %s", op)
		}
		admin.do(oasReq{method: "DELETE", path: op}, 204)
		oasWantType(t, admin.do(oasReq{method: "DELETE", path: op + "?x=1"}, 400), "unknown-parameter")
	}
	// The dashboards: the drawn SVG and the figures it draws, over one
	// customer and over every customer, and a customer's own.
	if _, err := stack.svc.SnapshotUsage(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, key := range domain.CatalogKeys(domain.Dashboards) {
		dash := "/api/v1/dashboards/" + key
		admin.do(oasReq{method: "GET", path: dash}, 200)
		admin.do(oasReq{method: "GET", path: dash + "?format=svg&customer_id=" + jioID}, 200)
		admin.do(oasReq{method: "GET", path: dash + "?format=json"}, 200)
		admin.do(oasReq{method: "GET", path: dash + "?format=json&customer_id=" + jioID}, 200)
		scoped.do(oasReq{method: "GET", path: dash + "?format=json"}, 200)
		oasWantType(t, scoped.do(oasReq{method: "GET", path: dash + "?customer_id=" + fullID}, 404), "not-found")
	}
	oasWantType(t, admin.do(oasReq{method: "GET", path: "/api/v1/dashboards/customer_overview?format=png"}, 400), "bad-request")
	oasWantType(t, admin.do(oasReq{method: "GET", path: "/api/v1/dashboards/policy_audit"}, 404), "not-found")

	// The role catalog. Organization users see every role; a customer's
	// users only the customer-scope roles its admin role covers.
	if l := admin.do(oasReq{method: "GET", path: roles}, 200).json(t)["items"].([]any); len(l) != len(domain.BuiltinRoles) {
		t.Errorf("roles = %v", l)
	}
	var scopedRoles []string
	for _, it := range scoped.do(oasReq{method: "GET", path: roles}, 200).json(t)["items"].([]any) {
		scopedRoles = append(scopedRoles, it.(map[string]any)["key"].(string))
	}
	if want := []string{"customer_admin", "customer_technician", "customer_user"}; !slices.Equal(scopedRoles, want) {
		t.Errorf("roles of a customer admin = %v, want %v", scopedRoles, want)
	}
	oasWantType(t, admin.do(oasReq{method: "GET", path: roles + "?scope=customer"}, 400), "unknown-parameter")
	if r := admin.do(oasReq{method: "GET", path: roles + "/org_admin"}, 200).json(t); r["builtin"] != true || r["scope"] != "organization" {
		t.Errorf("org_admin = %v", r)
	}
	scoped.do(oasReq{method: "GET", path: roles + "/customer_user"}, 200)
	oasWantType(t, scoped.do(oasReq{method: "GET", path: roles + "/org_admin"}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: roles + "/nope"}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: roles + "/org_admin?x=1"}, 400), "unknown-parameter")
	res = admin.do(oasReq{method: "POST", path: roles, body: map[string]any{"key": "site_lead", "name": "Site Lead", "scope": "customer",
		"permissions": []any{"users.view", "assets.view", "customers.view", "assets.view"}}}, 201)
	if r := res.json(t); res.header.Get("Location") != roles+"/site_lead" || r["builtin"] != false ||
		fmt.Sprint(r["permissions"]) != "[assets.view customers.view users.view]" {
		t.Errorf("created role: Location %q, %s", res.header.Get("Location"), res.body)
	}
	admin.do(oasReq{method: "POST", path: roles, body: map[string]any{"key": "auditor", "name": "Auditor", "scope": "organization",
		"permissions": []any{"customers.view"}}}, 201)
	admin.do(oasReq{method: "POST", path: roles, body: map[string]any{"key": "asset_viewer", "name": "Asset viewer", "scope": "customer",
		"permissions": []any{"assets.view"}}}, 201)
	admin.do(oasReq{method: "POST", path: roles, body: map[string]any{"key": "short_lived", "name": "Short-lived", "scope": "customer", "permissions": nil}}, 201)
	for _, tc := range []struct {
		body map[string]any
		want []string
	}{
		{map[string]any{"key": "Site Lead", "name": "", "scope": "global", "permissions": []any{"assets.move"}},
			[]string{"key: format", "name: required", "permissions[0]: unknown", "scope: unknown"}},
		{map[string]any{"key": "customer_admin", "name": "Mine", "scope": "customer"}, []string{"key: taken"}},
		{map[string]any{"key": "site_lead", "name": "SITE lead", "scope": "customer"}, []string{"key: taken", "name: taken"}},
		{map[string]any{"key": "lead", "name": "Lead", "scope": "customer", "permissions": []any{"users.view", "customers.edit"}}, []string{"permissions[1]: unknown"}},
		{map[string]any{"key": strings.Repeat("k", domain.MaxRoleKey+1), "name": strings.Repeat("n", domain.MaxRoleName+1), "scope": "customer"},
			[]string{"key: too_long", "name: too_long"}},
	} {
		if got := oasFieldCodes(t, admin.do(oasReq{method: "POST", path: roles, body: tc.body}, 422)); !slices.Equal(got, tc.want) {
			t.Errorf("role %v: %v, want %v", tc.body, got, tc.want)
		}
	}
	oasWantType(t, admin.do(oasReq{method: "POST", path: roles, body: map[string]any{"key": 5, "name": "X", "scope": "customer"}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: roles, body: map[string]any{"key": "x", "name": "X", "scope": "customer", "builtin": true}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "POST", path: roles, body: `{"key":"x"}`, contentType: "text/plain"}, 415), "unsupported-media-type")
	oasWantType(t, admin.do(oasReq{method: "POST", path: roles, body: big("name")}, 413), "too-large")
	oasWantType(t, admin.do(oasReq{method: "POST", path: roles, body: map[string]any{"key": "x"}, header: crossSite}, 403), "cross-origin")
	oasWantType(t, scoped.do(oasReq{method: "POST", path: roles, body: map[string]any{"key": "mine", "name": "Mine", "scope": "customer"}}, 403), "forbidden")
	if l := admin.do(oasReq{method: "GET", path: roles}, 200).json(t)["items"].([]any); len(l) != len(domain.BuiltinRoles)+4 {
		t.Errorf("roles after creates = %d", len(l))
	}
	// A custom role the customer's admin role covers is offered inside the
	// customer; one it does not cover is not.
	scopedRoles = nil
	for _, it := range scoped.do(oasReq{method: "GET", path: roles}, 200).json(t)["items"].([]any) {
		scopedRoles = append(scopedRoles, it.(map[string]any)["key"].(string))
	}
	if !slices.Contains(scopedRoles, "site_lead") || slices.Contains(scopedRoles, "auditor") {
		t.Errorf("roles of a customer admin after creates = %v", scopedRoles)
	}

	// Users: create.
	northID, delhiID, jioHQID := north["id"].(string), delhi["id"].(string), jioHQ["id"].(string)
	res = admin.do(oasReq{method: "POST", path: users, body: map[string]any{"email": " Tech@Example.COM ", "name": "Tech", "kind": "technician",
		"role": "technician", "password": "technician-password"}}, 201)
	tech := res.json(t)
	techPath := users + "/" + tech["id"].(string)
	if res.header.Get("Location") != techPath || res.header.Get("ETag") != `"1"` || tech["email"] != "tech@example.com" ||
		tech["customer_id"] != nil || len(tech["entity_ids"].([]any)) != 0 || tech["is_active"] != true {
		t.Errorf("created user: Location %q, ETag %q, %s", res.header.Get("Location"), res.header.Get("ETag"), res.body)
	}
	res = admin.do(oasReq{method: "POST", path: users, body: map[string]any{"email": "north@airtel.example", "name": "North User", "kind": nil,
		"role": "customer_user", "customer_id": fullID, "entity_ids": []any{northID, northID}, "is_active": nil, "password": "north-user-password"}}, 201)
	northUser := res.json(t)
	northUserPath := users + "/" + northUser["id"].(string)
	if northUser["kind"] != "user" || fmt.Sprint(northUser["entity_ids"]) != "["+northID+"]" {
		t.Errorf("created customer user = %s", res.body)
	}
	lead := admin.do(oasReq{method: "POST", path: users, body: map[string]any{"email": "lead@airtel.example", "name": "Site Lead",
		"role": "site_lead", "customer_id": fullID, "is_active": false, "password": "site-lead-password"}}, 201).json(t)
	admin.do(oasReq{method: "POST", path: users, body: map[string]any{"email": "auditor@example.com", "name": "Auditor", "role": "auditor",
		"customer_id": "", "entity_ids": nil, "password": "auditor-password"}}, 201)
	for _, tc := range []struct {
		body map[string]any
		want []string
	}{
		{map[string]any{"email": "nope", "name": "", "kind": "robot", "password": "short"},
			[]string{"email: format", "kind: unknown", "name: required", "password: too_short", "role: required"}},
		{map[string]any{"email": "TECH@example.com", "name": "Again", "role": "technician", "password": "technician-password"}, []string{"email: taken"}},
		{map[string]any{"email": "x@example.com", "name": "X", "role": "customer_user", "password": "a-good-password"}, []string{"role: unknown"}},
		{map[string]any{"email": "x@example.com", "name": "X", "role": "nope", "password": "a-good-password"}, []string{"role: unknown"}},
		{map[string]any{"email": "x@example.com", "name": "X", "role": "technician", "entity_ids": []any{northID}, "password": "a-good-password"},
			[]string{"entity_ids: unknown"}},
		{map[string]any{"email": "x@example.com", "name": "X", "role": "technician", "customer_id": fullID, "password": "a-good-password"},
			[]string{"role: unknown"}},
		{map[string]any{"email": "x@example.com", "name": "X", "role": "customer_user", "customer_id": fullID, "entity_ids": []any{northID, jioHQID},
			"password": "a-good-password"}, []string{"entity_ids[1]: unknown"}},
		{map[string]any{"email": "x@example.com", "name": "X", "role": "customer_user", "customer_id": anyID, "password": "a-good-password"},
			[]string{"customer_id: unknown"}},
		{map[string]any{"email": "x@example.com", "name": strings.Repeat("n", domain.MaxUserName+1), "role": "technician",
			"password": strings.Repeat("p", domain.MaxPassword+1)}, []string{"name: too_long", "password: too_long"}},
	} {
		res := admin.do(oasReq{method: "POST", path: users, body: tc.body}, 422)
		if got := oasFieldCodes(t, res); !slices.Equal(got, tc.want) {
			t.Errorf("user %v: %v, want %v", tc.body, got, tc.want)
		}
	}
	oasWantType(t, admin.do(oasReq{method: "POST", path: users, body: map[string]any{"email": 5, "name": true, "entity_ids": "x", "password": "x"}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: users, body: map[string]any{"email": "x@example.com", "is_admin": true}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "POST", path: users, body: `[]`}, 400), "bad-request")
	oasWantType(t, admin.do(oasReq{method: "POST", path: users, body: `{}`, contentType: "application/merge-patch+json"}, 415), "unsupported-media-type")
	oasWantType(t, admin.do(oasReq{method: "POST", path: users, body: big("email")}, 413), "too-large")
	oasWantType(t, admin.do(oasReq{method: "POST", path: users + "?notify=1", body: map[string]any{"email": "x@example.com"}}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "POST", path: users, body: map[string]any{"email": "x@example.com"}, header: crossSite}, 403), "cross-origin")
	// A customer admin creates users of its own customer only, with roles
	// its customer's admin role covers.
	desk := scoped.do(oasReq{method: "POST", path: users, body: map[string]any{"email": "desk@jio.example", "name": "Jio Desk", "role": "customer_user",
		"password": "jio-desk-password"}}, 201).json(t)
	if desk["customer_id"] != jioID {
		t.Errorf("a customer admin's user = %v", desk)
	}
	for _, tc := range []struct {
		body map[string]any
		want []string
	}{
		{map[string]any{"email": "y@jio.example", "name": "Y", "role": "technician", "password": "a-good-password"}, []string{"role: unknown"}},
		{map[string]any{"email": "y@jio.example", "name": "Y", "role": "customer_user", "customer_id": fullID, "password": "a-good-password"},
			[]string{"customer_id: unknown"}},
		{map[string]any{"email": "y@jio.example", "name": "Y", "role": "customer_user", "entity_ids": []any{northID}, "password": "a-good-password"},
			[]string{"entity_ids[0]: unknown"}},
	} {
		if got := oasFieldCodes(t, scoped.do(oasReq{method: "POST", path: users, body: tc.body}, 422)); !slices.Equal(got, tc.want) {
			t.Errorf("a customer admin's user %v: %v, want %v", tc.body, got, tc.want)
		}
	}
	// A customer's admin role bounds what its users may hold, and cannot be
	// narrowed below what they hold.
	res = admin.do(oasReq{method: "PATCH", path: customers + "/" + jioID, body: map[string]any{"admin_role": "customer_technician"}}, 422)
	if got := oasFieldCodes(t, res); !slices.Equal(got, []string{"admin_role: unknown"}) {
		t.Errorf("narrowing a held admin role: %v", got)
	}
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"admin_role": "org_admin"}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"admin_role": 7}}, 422), "validation")
	if cu := admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"admin_role": nil}, contentType: "application/merge-patch+json"}, 200).json(t); cu["admin_role"] != "customer_admin" || cu["users_count"] != 2.0 {
		t.Errorf("customer after an admin_role reset = %v", cu)
	}
	// Signed in with a role that lacks users.view.
	auditor := signIn("auditor@example.com", "auditor-password")
	oasWantType(t, auditor.do(oasReq{method: "GET", path: users}, 403), "forbidden")
	oasWantType(t, auditor.do(oasReq{method: "GET", path: techPath}, 403), "forbidden")
	oasWantType(t, auditor.do(oasReq{method: "GET", path: assets}, 403), "forbidden")
	oasWantType(t, auditor.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "X", "class": "it"}}, 403), "forbidden")
	oasWantType(t, auditor.do(oasReq{method: "POST", path: users + "/move", body: map[string]any{"ids": []any{anyID}}}, 403), "forbidden")
	auditor.do(oasReq{method: "GET", path: roles}, 200)

	// Users: get and list.
	res = admin.do(oasReq{method: "GET", path: northUserPath}, 200)
	if res.header.Get("ETag") != `"1"` {
		t.Errorf("user ETag = %q", res.header.Get("ETag"))
	}
	scoped.do(oasReq{method: "GET", path: users + "/" + desk["id"].(string)}, 200)
	oasWantType(t, scoped.do(oasReq{method: "GET", path: northUserPath}, 404), "not-found")
	oasWantType(t, scoped.do(oasReq{method: "GET", path: techPath}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: users + "/" + anyID}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: northUserPath + "?fields=email"}, 400), "unknown-parameter")
	var emails []string
	q = url.Values{"limit": {"2"}}
	var userCursor string
	for page := 0; ; page++ {
		if page > 10 {
			t.Fatal("users: more pages than users")
		}
		l := admin.do(oasReq{method: "GET", path: users + "?" + q.Encode()}, 200).json(t)
		for _, it := range l["items"].([]any) {
			emails = append(emails, it.(map[string]any)["email"].(string))
		}
		if l["total"] != 7.0 || l["total_exact"] != true {
			t.Errorf("users total = %v (exact %v), want 7", l["total"], l["total_exact"])
		}
		next, _ := l["next_cursor"].(string)
		if next == "" {
			break
		}
		userCursor = next
		q.Set("cursor", next)
	}
	if len(emails) != 7 || !slices.IsSorted(emails) {
		t.Errorf("paged users = %v", emails)
	}
	for query, want := range map[string]float64{"customer_id=" + fullID: 2, "customer_id=" + jioID: 2, "entity_id=" + northID: 1,
		"customer_id=" + fullID + "&entity_id=" + northID + "&limit=200": 1, "customer_id=" + anyID: 0, "customer_id=&entity_id=": 7} {
		if l := admin.do(oasReq{method: "GET", path: users + "?" + query}, 200).json(t); l["total"] != want || len(l["items"].([]any)) != int(want) || l["total_exact"] != true {
			t.Errorf("users?%s: %v, want %v", query, l["total"], want)
		}
	}
	if l := scoped.do(oasReq{method: "GET", path: users}, 200).json(t); l["total"] != 2.0 {
		t.Errorf("users of a customer admin = %v", l)
	}
	if l := scoped.do(oasReq{method: "GET", path: users + "?customer_id=" + fullID}, 200).json(t); l["total"] != 0.0 {
		t.Errorf("another customer's users, for a customer admin = %v", l)
	}
	for q, typ := range map[string]string{"?limit=0": "bad-request", "?limit=201": "bad-request", "?cursor=zz": "bad-cursor",
		"?cursor=" + entCursor: "bad-cursor", "?q=tech": "unknown-parameter", "?sort=email": "unknown-parameter"} {
		oasWantType(t, admin.do(oasReq{method: "GET", path: users + q}, 400), typ)
	}

	// Users: patch.
	res = admin.do(oasReq{method: "PATCH", path: northUserPath, body: map[string]any{"name": "North Lead", "entity_ids": nil, "kind": "technician"},
		contentType: "application/merge-patch+json", header: map[string]string{"If-Match": `"1"`}}, 200)
	if u := res.json(t); res.header.Get("ETag") != `"2"` || u["name"] != "North Lead" || len(u["entity_ids"].([]any)) != 0 || u["version"] != 2.0 {
		t.Errorf("patched user: ETag %q, %s", res.header.Get("ETag"), res.body)
	}
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northUserPath, body: map[string]any{"name": "Stale"}, header: map[string]string{"If-Match": `"1"`}}, 412), "precondition-failed")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northUserPath, body: map[string]any{"name": "Bad"}, header: map[string]string{"If-Match": "W/\"2\""}}, 400), "bad-request")
	admin.do(oasReq{method: "PATCH", path: northUserPath, body: map[string]any{"entity_ids": []any{northID, delhiID}, "email": "NORTH@airtel.example",
		"password": "a-brand-new-password"}, header: map[string]string{"If-Match": "*"}}, 200)
	signIn("north@airtel.example", "a-brand-new-password")
	for _, tc := range []struct {
		body map[string]any
		want []string
	}{
		{map[string]any{"email": "south@airtel.example"}, []string{"email: unknown"}},
		{map[string]any{"password": "short"}, []string{"password: too_short"}},
		{map[string]any{"name": nil, "role": nil}, []string{"name: required", "role: required"}},
		{map[string]any{"role": "technician"}, []string{"role: unknown"}},
		{map[string]any{"customer_id": nil}, []string{"entity_ids: unknown", "role: unknown"}},
		{map[string]any{"entity_ids": []any{jioHQID}}, []string{"entity_ids[0]: unknown"}},
	} {
		if got := oasFieldCodes(t, admin.do(oasReq{method: "PATCH", path: northUserPath, body: tc.body}, 422)); !slices.Equal(got, tc.want) {
			t.Errorf("user patch %v: %v, want %v", tc.body, got, tc.want)
		}
	}
	// To the organization and back.
	if u := admin.do(oasReq{method: "PATCH", path: northUserPath, body: map[string]any{"customer_id": nil, "entity_ids": nil, "role": "technician"}}, 200).json(t); u["customer_id"] != nil {
		t.Errorf("user moved to the organization = %v", u)
	}
	admin.do(oasReq{method: "PATCH", path: northUserPath, body: map[string]any{"customer_id": fullID, "entity_ids": []any{northID}, "role": "customer_user"}}, 200)
	meID := me["id"].(string)
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: users + "/" + meID, body: map[string]any{"role": "technician"}}, 409), "conflict")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: users + "/" + meID, body: map[string]any{"is_active": false}}, 409), "conflict")
	admin.do(oasReq{method: "PATCH", path: users + "/" + meID, body: map[string]any{"name": "Admin"}}, 200)
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northUserPath, body: map[string]any{"is_active": "no"}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northUserPath, body: map[string]any{"version": 3}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northUserPath, body: map[string]any{"password_hash": "x"}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northUserPath, body: `null`}, 400), "bad-request")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northUserPath, body: `{}`, contentType: "text/plain"}, 415), "unsupported-media-type")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northUserPath, body: big("name")}, 413), "too-large")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northUserPath + "?force=1", body: map[string]any{"name": "X"}}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: users + "/" + anyID, body: map[string]any{"name": "X"}}, 404), "not-found")
	oasWantType(t, scoped.do(oasReq{method: "PATCH", path: northUserPath, body: map[string]any{"name": "X"}}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northUserPath, body: map[string]any{"name": "X"}, header: crossSite}, 403), "cross-origin")

	// Users: bulk move, all or nothing.
	move := users + "/move"
	res = admin.do(oasReq{method: "POST", path: move, body: map[string]any{"ids": []any{northUser["id"], tech["id"]}, "customer_id": fullID,
		"entity_ids": []any{delhiID}}}, 422)
	if got := oasFieldCodes(t, res); !slices.Equal(got, []string{"role: unknown"}) {
		t.Errorf("moving an organization user to a customer: %v", got)
	}
	if u := admin.do(oasReq{method: "GET", path: northUserPath}, 200).json(t); fmt.Sprint(u["entity_ids"]) != "["+northID+"]" {
		t.Errorf("a refused move changed a user: %v", u)
	}
	admin.do(oasReq{method: "POST", path: move, body: map[string]any{"ids": []any{northUser["id"], lead["id"]}, "customer_id": fullID,
		"entity_ids": []any{delhiID}}}, 204)
	if l := admin.do(oasReq{method: "GET", path: users + "?entity_id=" + delhiID}, 200).json(t); l["total"] != 2.0 {
		t.Errorf("users of Delhi after the move = %v", l["total"])
	}
	admin.do(oasReq{method: "POST", path: move, body: map[string]any{"ids": []any{lead["id"]}, "customer_id": jioID, "entity_ids": nil}}, 204)
	if n := admin.do(oasReq{method: "GET", path: customers + "/" + jioID}, 200).json(t)["users_count"]; n != 3.0 {
		t.Errorf("Jio users_count after a move = %v, want 3", n)
	}
	oasWantType(t, admin.do(oasReq{method: "POST", path: move, body: map[string]any{"ids": []any{lead["id"], anyID}, "customer_id": fullID}}, 404), "not-found")
	oasWantType(t, scoped.do(oasReq{method: "POST", path: move, body: map[string]any{"ids": []any{northUser["id"]}}}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "POST", path: move, body: map[string]any{"ids": []any{meID}}}, 409), "conflict")
	if got := oasFieldCodes(t, admin.do(oasReq{method: "POST", path: move, body: map[string]any{"ids": []any{}, "customer_id": fullID}}, 422)); !slices.Equal(got, []string{"ids: required"}) {
		t.Errorf("an empty move: %v", got)
	}
	tooMany := make([]any, domain.MaxPageSize+1)
	for i := range tooMany {
		tooMany[i] = anyID
	}
	oasWantType(t, admin.do(oasReq{method: "POST", path: move, body: map[string]any{"ids": tooMany}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: move, body: map[string]any{"ids": []any{lead["id"]}, "customer_id": anyID}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: move, body: map[string]any{"ids": "all"}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: move, body: map[string]any{"ids": []any{lead["id"]}, "entity_id": delhiID}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "POST", path: move, body: `{"ids":[]}`, contentType: "text/plain"}, 415), "unsupported-media-type")
	oasWantType(t, admin.do(oasReq{method: "POST", path: move, body: big("customer_id")}, 413), "too-large")
	oasWantType(t, admin.do(oasReq{method: "POST", path: move + "?dry_run=1", body: map[string]any{"ids": []any{lead["id"]}}}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "POST", path: move, body: map[string]any{"ids": []any{lead["id"]}}, header: crossSite}, 403), "cross-origin")

	// Assets: create.
	res = admin.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "Core Switch", "class": "it", "ip_address": "::ffff:10.0.0.1",
		"serial": " SN-001 ", "availability_monitoring": true}}, 201)
	core := res.json(t)
	corePath := assets + "/" + core["id"].(string)
	if res.header.Get("Location") != corePath || res.header.Get("ETag") != `"1"` || core["customer_id"] != nil || core["ip_address"] != "10.0.0.1" ||
		core["serial"] != "SN-001" || core["performance_monitoring"] != false {
		t.Errorf("created asset: Location %q, ETag %q, %s", res.header.Get("Location"), res.header.Get("ETag"), res.body)
	}
	laptop := admin.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "laptop 1", "class": "mobile", "customer_id": fullID,
		"entity_id": northID, "ip_address": "2001:DB8::1", "serial": nil, "performance_monitoring": nil}}, 201).json(t)
	laptopPath := assets + "/" + laptop["id"].(string)
	if laptop["entity_id"] != northID || laptop["ip_address"] != "2001:db8::1" {
		t.Errorf("created asset = %v", laptop)
	}
	admin.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "Printer", "class": "non_it", "customer_id": jioID, "entity_id": ""}}, 201)
	router := scoped.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "Jio Router", "class": "it", "entity_id": jioHQID}}, 201).json(t)
	if router["customer_id"] != jioID || router["entity_id"] != jioHQID {
		t.Errorf("a customer admin's asset = %v", router)
	}
	for _, tc := range []struct {
		body map[string]any
		want []string
	}{
		{map[string]any{"name": " ", "class": "cloud", "ip_address": "10.0.0.256", "serial": strings.Repeat("s", domain.MaxSerial+1)},
			[]string{"class: unknown", "ip_address: format", "name: required", "serial: too_long"}},
		{map[string]any{"name": strings.Repeat("n", domain.MaxAssetName+1), "ip_address": "fe80::1%eth0"}, []string{"class: required", "ip_address: format", "name: too_long"}},
		{map[string]any{"name": "X", "class": "it", "entity_id": northID}, []string{"entity_id: unknown"}},
		{map[string]any{"name": "X", "class": "it", "customer_id": jioID, "entity_id": northID}, []string{"entity_id: unknown"}},
		{map[string]any{"name": "X", "class": "it", "customer_id": anyID}, []string{"customer_id: unknown"}},
	} {
		if got := oasFieldCodes(t, admin.do(oasReq{method: "POST", path: assets, body: tc.body}, 422)); !slices.Equal(got, tc.want) {
			t.Errorf("asset %v: %v, want %v", tc.body, got, tc.want)
		}
	}
	if got := oasFieldCodes(t, scoped.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "X", "class": "it", "customer_id": fullID}}, 422)); !slices.Equal(got, []string{"customer_id: unknown"}) {
		t.Errorf("a customer admin's asset at another customer: %v", got)
	}
	oasWantType(t, admin.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": 1, "class": "it", "availability_monitoring": "yes"}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "X", "class": "it", "owner": "me"}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "POST", path: assets, body: ``}, 400), "bad-request")
	oasWantType(t, admin.do(oasReq{method: "POST", path: assets, body: `{}`, contentType: "text/plain"}, 415), "unsupported-media-type")
	oasWantType(t, admin.do(oasReq{method: "POST", path: assets, body: big("name")}, 413), "too-large")
	oasWantType(t, admin.do(oasReq{method: "POST", path: assets + "?dry_run=1", body: map[string]any{"name": "X", "class": "it"}}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "X", "class": "it"}, header: crossSite}, 403), "cross-origin")
	if cu := admin.do(oasReq{method: "GET", path: one}, 200).json(t); cu["assets_count"] != 1.0 {
		t.Errorf("assets_count = %v, want 1", cu["assets_count"])
	}

	// Assets: get and list.
	res = admin.do(oasReq{method: "GET", path: laptopPath}, 200)
	if res.header.Get("ETag") != `"1"` {
		t.Errorf("asset ETag = %q", res.header.Get("ETag"))
	}
	scoped.do(oasReq{method: "GET", path: assets + "/" + router["id"].(string)}, 200)
	oasWantType(t, auditor.do(oasReq{method: "GET", path: laptopPath}, 403), "forbidden")
	oasWantType(t, scoped.do(oasReq{method: "GET", path: corePath}, 404), "not-found")
	oasWantType(t, scoped.do(oasReq{method: "GET", path: laptopPath}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: assets + "/" + anyID}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: corePath + "?fields=name"}, 400), "unknown-parameter")
	var assetNames []string
	q = url.Values{"limit": {"1"}}
	for page := 0; ; page++ {
		if page > 10 {
			t.Fatal("assets: more pages than assets")
		}
		l := admin.do(oasReq{method: "GET", path: assets + "?" + q.Encode()}, 200).json(t)
		for _, it := range l["items"].([]any) {
			assetNames = append(assetNames, it.(map[string]any)["name"].(string))
		}
		if l["total"] != 4.0 {
			t.Errorf("assets total = %v, want 4", l["total"])
		}
		next, _ := l["next_cursor"].(string)
		if next == "" {
			break
		}
		q.Set("cursor", next)
	}
	if strings.Join(assetNames, ",") != "Core Switch,Jio Router,laptop 1,Printer" {
		t.Errorf("paged assets = %v", assetNames)
	}
	for query, want := range map[string]float64{"customer_id=" + fullID: 1, "customer_id=" + jioID: 2, "entity_id=" + northID: 1,
		"entity_id=" + jioHQID + "&limit=200": 1, "customer_id=" + anyID: 0} {
		if l := admin.do(oasReq{method: "GET", path: assets + "?" + query}, 200).json(t); l["total"] != want {
			t.Errorf("assets?%s: total %v, want %v", query, l["total"], want)
		}
	}
	if l := scoped.do(oasReq{method: "GET", path: assets}, 200).json(t); l["total"] != 2.0 {
		t.Errorf("assets of a customer admin = %v", l)
	}
	for q, typ := range map[string]string{"?limit=0": "bad-request", "?limit=ten": "bad-request", "?cursor=zz": "bad-cursor",
		"?cursor=" + userCursor: "bad-cursor", "?class=it": "unknown-parameter"} {
		oasWantType(t, admin.do(oasReq{method: "GET", path: assets + q}, 400), typ)
	}

	// Assets: patch.
	res = admin.do(oasReq{method: "PATCH", path: laptopPath, body: map[string]any{"name": "Laptop 1", "ip_address": nil, "performance_monitoring": true},
		contentType: "application/merge-patch+json", header: map[string]string{"If-Match": `"1"`}}, 200)
	if a := res.json(t); res.header.Get("ETag") != `"2"` || a["ip_address"] != nil || a["performance_monitoring"] != true || a["entity_id"] != northID {
		t.Errorf("patched asset: ETag %q, %s", res.header.Get("ETag"), res.body)
	}
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: laptopPath, body: map[string]any{"name": "Stale"}, header: map[string]string{"If-Match": `"1"`}}, 412), "precondition-failed")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: laptopPath, body: map[string]any{"name": "Bad"}, header: map[string]string{"If-Match": "2"}}, 400), "bad-request")
	for _, tc := range []struct {
		body map[string]any
		want []string
	}{
		{map[string]any{"customer_id": nil}, []string{"entity_id: unknown"}},
		{map[string]any{"class": nil, "name": nil}, []string{"class: required", "name: required"}},
		{map[string]any{"entity_id": jioHQID}, []string{"entity_id: unknown"}},
	} {
		if got := oasFieldCodes(t, admin.do(oasReq{method: "PATCH", path: laptopPath, body: tc.body}, 422)); !slices.Equal(got, tc.want) {
			t.Errorf("asset patch %v: %v, want %v", tc.body, got, tc.want)
		}
	}
	if a := admin.do(oasReq{method: "PATCH", path: laptopPath, body: map[string]any{"customer_id": nil, "entity_id": nil}}, 200).json(t); a["customer_id"] != nil {
		t.Errorf("asset moved to the organization = %v", a)
	}
	admin.do(oasReq{method: "PATCH", path: laptopPath, body: map[string]any{"customer_id": fullID, "entity_id": delhiID}, header: map[string]string{"If-Match": "*"}}, 200)
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: laptopPath, body: map[string]any{"class": 3}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: laptopPath, body: map[string]any{"id": anyID}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: laptopPath, body: `[]`}, 400), "bad-request")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: laptopPath, body: `{}`, contentType: "text/plain"}, 415), "unsupported-media-type")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: laptopPath, body: big("name")}, 413), "too-large")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: laptopPath + "?force=1", body: map[string]any{"name": "X"}}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: assets + "/" + anyID, body: map[string]any{"name": "X"}}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: laptopPath, body: map[string]any{"name": "X"}, header: crossSite}, 403), "cross-origin")

	// Assets: bulk move, all or nothing.
	amove := assets + "/move"
	res = admin.do(oasReq{method: "POST", path: amove, body: map[string]any{"ids": []any{core["id"], router["id"]}, "customer_id": fullID, "entity_id": jioHQID}}, 422)
	if got := oasFieldCodes(t, res); !slices.Equal(got, []string{"entity_id: unknown"}) {
		t.Errorf("moving assets to another customer's entity: %v", got)
	}
	admin.do(oasReq{method: "POST", path: amove, body: map[string]any{"ids": []any{core["id"], laptop["id"]}, "customer_id": fullID, "entity_id": northID}}, 204)
	if l := admin.do(oasReq{method: "GET", path: assets + "?entity_id=" + northID}, 200).json(t); l["total"] != 2.0 {
		t.Errorf("assets of North after the move = %v", l["total"])
	}
	if cu := admin.do(oasReq{method: "GET", path: one}, 200).json(t); cu["assets_count"] != 2.0 {
		t.Errorf("assets_count after the move = %v, want 2", cu["assets_count"])
	}
	scoped.do(oasReq{method: "POST", path: amove, body: map[string]any{"ids": []any{router["id"]}, "entity_id": nil}}, 204)
	oasWantType(t, scoped.do(oasReq{method: "POST", path: amove, body: map[string]any{"ids": []any{router["id"], core["id"]}}}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "POST", path: amove, body: map[string]any{"ids": []any{anyID}}}, 404), "not-found")
	if got := oasFieldCodes(t, admin.do(oasReq{method: "POST", path: amove, body: map[string]any{"ids": nil}}, 422)); !slices.Equal(got, []string{"ids: required"}) {
		t.Errorf("an empty asset move: %v", got)
	}
	oasWantType(t, admin.do(oasReq{method: "POST", path: amove, body: map[string]any{"ids": []any{core["id"]}, "entity_id": northID}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: amove, body: map[string]any{"ids": []any{1}}}, 422), "validation")
	oasWantType(t, admin.do(oasReq{method: "POST", path: amove, body: map[string]any{"ids": []any{core["id"]}, "entity_ids": []any{}}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "POST", path: amove, body: `{"ids":[]}`, contentType: "text/plain"}, 415), "unsupported-media-type")
	oasWantType(t, admin.do(oasReq{method: "POST", path: amove, body: big("customer_id")}, 413), "too-large")
	oasWantType(t, admin.do(oasReq{method: "POST", path: amove + "?x=1", body: map[string]any{"ids": []any{core["id"]}}}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "POST", path: amove, body: map[string]any{"ids": []any{core["id"]}}, header: crossSite}, 403), "cross-origin")

	// Assets: delete.
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: corePath, header: map[string]string{"If-Match": `"1"`}}, 412), "precondition-failed")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: corePath, header: map[string]string{"If-Match": "one"}}, 400), "bad-request")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: corePath + "?purge=1"}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: corePath, header: crossSite}, 403), "cross-origin")
	oasWantType(t, scoped.do(oasReq{method: "DELETE", path: corePath}, 404), "not-found")
	coreETag := admin.do(oasReq{method: "GET", path: corePath}, 200).header.Get("ETag")
	admin.do(oasReq{method: "DELETE", path: corePath, header: map[string]string{"If-Match": coreETag}}, 204)
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: corePath}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: corePath}, 404), "not-found")
	scoped.do(oasReq{method: "DELETE", path: assets + "/" + router["id"].(string)}, 204)
	if cu := admin.do(oasReq{method: "GET", path: one}, 200).json(t); cu["assets_count"] != 1.0 {
		t.Errorf("assets_count after a delete = %v, want 1", cu["assets_count"])
	}

	// Users: delete.
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: users + "/" + meID}, 409), "conflict")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: techPath, header: map[string]string{"If-Match": `"7"`}}, 412), "precondition-failed")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: techPath, header: map[string]string{"If-Match": "W/\"1\""}}, 400), "bad-request")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: techPath + "?purge=1"}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: techPath, header: crossSite}, 403), "cross-origin")
	oasWantType(t, scoped.do(oasReq{method: "DELETE", path: techPath}, 404), "not-found")
	oasWantType(t, auditor.do(oasReq{method: "DELETE", path: techPath}, 403), "forbidden")
	admin.do(oasReq{method: "DELETE", path: techPath, header: map[string]string{"If-Match": `"1"`}}, 204)
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: techPath}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: techPath}, 404), "not-found")
	oasWantType(t, c.do(oasReq{method: "POST", path: login, body: map[string]any{"email": "tech@example.com", "password": "technician-password"}}, 401), "unauthorized")
	// A deleted user's email stays taken.
	oasWantType(t, admin.do(oasReq{method: "POST", path: users, body: map[string]any{"email": "tech@example.com", "name": "Tech",
		"role": "technician", "password": "technician-password"}}, 422), "validation")
	scoped.do(oasReq{method: "DELETE", path: users + "/" + desk["id"].(string)}, 204)

	// Roles: delete. Built-in roles and roles in use stay.
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: roles + "/customer_admin"}, 409), "conflict")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: roles + "/site_lead"}, 409), "conflict")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: roles + "/auditor"}, 409), "conflict")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: roles + "/nope"}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: roles + "/short_lived?force=1"}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: roles + "/short_lived", header: crossSite}, 403), "cross-origin")
	oasWantType(t, scoped.do(oasReq{method: "DELETE", path: roles + "/short_lived"}, 403), "forbidden")
	admin.do(oasReq{method: "DELETE", path: roles + "/short_lived"}, 204)
	oasWantType(t, admin.do(oasReq{method: "GET", path: roles + "/short_lived"}, 404), "not-found")
	// A custom role that is a customer's admin role stays too.
	admin.do(oasReq{method: "PATCH", path: customers + "/" + jioID, body: map[string]any{"admin_role": "site_lead"}}, 422)
	admin.do(oasReq{method: "PATCH", path: one, body: map[string]any{"admin_role": "customer_user"}}, 200)
	admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "Asset Only", "code": "AONLY", "admin_role": "asset_viewer"}}, 201)
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: roles + "/asset_viewer"}, 409), "conflict")

	// Licenses. Every customer so far holds a roomy allocation, and the
	// pools are unlimited until an organization admin sets them.
	orgLic := "/api/v1/org/licenses"
	num := func(v any) int64 { return int64(v.(float64)) }
	// licItems returns a license list's items by type, checking that they
	// come in display order and, for a customer's, that available and
	// percent_used follow from allocated and used.
	licItems := func(res oasResp) map[string]map[string]any {
		t.Helper()
		out := map[string]map[string]any{}
		var order []string
		for _, it := range res.json(t)["items"].([]any) {
			m := it.(map[string]any)
			typ := m["type"].(string)
			out[typ], order = m, append(order, typ)
			if _, ok := m["available"]; ok {
				a, u := num(m["allocated"]), num(m["used"])
				pct := int64(0)
				if a > 0 {
					pct = u * 100 / a
				}
				if num(m["available"]) != a-u || num(m["percent_used"]) != pct {
					t.Errorf("license %v: available or percent_used does not follow", m)
				}
			}
		}
		if !slices.Equal(order, domain.LicenseTypes) {
			t.Errorf("license types %v, want %v", order, domain.LicenseTypes)
		}
		return out
	}
	// orgOwn returns the organization's licenses and, per type, what its
	// own records use, checking that the live customers' allocations add
	// up to allocated and their use to no more than used.
	orgOwn := func() (map[string]map[string]any, map[string]int64) {
		t.Helper()
		ol := licItems(admin.do(oasReq{method: "GET", path: orgLic}, 200))
		allocated, used := map[string]int64{}, map[string]int64{}
		for _, it := range admin.do(oasReq{method: "GET", path: customers + "?limit=200"}, 200).json(t)["items"].([]any) {
			for typ, l := range licItems(admin.do(oasReq{method: "GET", path: customers + "/" + it.(map[string]any)["id"].(string) + "/licenses"}, 200)) {
				allocated[typ] += num(l["allocated"])
				used[typ] += num(l["used"])
			}
		}
		own := map[string]int64{}
		for typ, l := range ol {
			own[typ] = num(l["used"]) - used[typ]
			if num(l["allocated"]) != allocated[typ] || own[typ] < 0 {
				t.Errorf("organization's %s = %v; the customers hold %d and use %d", typ, l, allocated[typ], used[typ])
			}
			if (l["pool"] == nil) != (l["unallocated"] == nil) || (l["pool"] != nil && num(l["unallocated"]) != num(l["pool"])-num(l["allocated"])) {
				t.Errorf("organization's %s: unallocated does not follow from pool: %v", typ, l)
			}
		}
		return ol, own
	}
	ol, _ := orgOwn()
	for typ, l := range ol {
		if l["pool"] != nil || num(l["allocated"]) < 4000 {
			t.Errorf("organization's %s before any pool is set = %v", typ, l)
		}
	}
	// Who may see and change them: organization users whose role grants
	// licenses.view see the organization's; only organization admins
	// change pools and allocations; a customer's users see their own
	// customer's only.
	admin.do(oasReq{method: "POST", path: users, body: map[string]any{"email": "viewer@example.com", "name": "Viewer", "role": "technician",
		"kind": "user", "password": "license-viewer-password"}}, 201)
	viewer := signIn("viewer@example.com", "license-viewer-password")
	viewer.do(oasReq{method: "GET", path: orgLic}, 200)
	viewer.do(oasReq{method: "GET", path: customers + "/" + jioID + "/licenses"}, 200)
	oasWantType(t, viewer.do(oasReq{method: "PUT", path: orgLic, body: map[string]any{"pool": map[string]any{"users": 10}}}, 403), "forbidden")
	oasWantType(t, viewer.do(oasReq{method: "PUT", path: customers + "/" + jioID + "/licenses", body: map[string]any{"users": 10}}, 403), "forbidden")
	oasWantType(t, auditor.do(oasReq{method: "GET", path: orgLic}, 403), "forbidden")
	oasWantType(t, auditor.do(oasReq{method: "GET", path: customers + "/" + jioID + "/licenses"}, 403), "forbidden")
	oasWantType(t, scoped.do(oasReq{method: "GET", path: orgLic}, 403), "forbidden")
	oasWantType(t, scoped.do(oasReq{method: "PUT", path: orgLic, body: map[string]any{"pool": map[string]any{"users": nil}}}, 403), "forbidden")
	oasWantType(t, scoped.do(oasReq{method: "PUT", path: customers + "/" + jioID + "/licenses", body: map[string]any{"users": 1000}}, 403), "forbidden")
	if l := licItems(scoped.do(oasReq{method: "GET", path: customers + "/" + jioID + "/licenses"}, 200)); num(l["users"]["allocated"]) != 1000 {
		t.Errorf("Jio's licenses, for its admin = %v", l)
	}
	oasWantType(t, scoped.do(oasReq{method: "GET", path: customers + "/" + fullID + "/licenses"}, 404), "not-found")

	// Reports: every report as JSON and CSV, over all customers and over
	// one; PDF; a customer's people over their own customer only.
	reports := "/api/v1/reports/"
	for _, key := range domain.CatalogKeys(domain.Reports) {
		admin.do(oasReq{method: "GET", path: reports + key}, 200)
		admin.do(oasReq{method: "GET", path: reports + key + "?format=csv&customer_id=" + jioID}, 200)
		scoped.do(oasReq{method: "GET", path: reports + key + "?format=json&customer_id="}, 200)
		oasWantType(t, scoped.do(oasReq{method: "GET", path: reports + key + "?customer_id=" + fullID}, 404), "not-found")
	}
	if res := admin.do(oasReq{method: "GET", path: reports + "asset_inventory?format=pdf&customer_id=" + jioID}, 200); !bytes.HasPrefix(res.body, []byte("%PDF-")) {
		t.Errorf("a PDF report is not a PDF: %.20q", res.body)
	}
	scoped.do(oasReq{method: "GET", path: reports + "users?format=pdf"}, 200)
	oasWantType(t, admin.do(oasReq{method: "GET", path: reports + "users?format=xlsx"}, 400), "bad-format")
	oasWantType(t, admin.do(oasReq{method: "GET", path: reports + "users?page=2"}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "GET", path: reports + "policy_audit"}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: reports + "users?customer_id=" + anyID}, 404), "not-found")

	// A customer registered with its allocation: what is not given is 0.
	licCustomer := admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "Licensed", "code": "LIC",
		"licenses": map[string]any{"users": 2, "it_assets": 1, "technicians": 0}}}, 201).json(t)
	licID := licCustomer["id"].(string)
	licPath := customers + "/" + licID + "/licenses"
	for typ, l := range licItems(admin.do(oasReq{method: "GET", path: licPath}, 200)) {
		want := map[string]float64{"users": 2, "it_assets": 1}[typ]
		if l["allocated"] != want || l["used"] != 0.0 {
			t.Errorf("registered allocation of %s = %v, want %v", typ, l, want)
		}
	}
	// A customer without an allocation of a type holds none of it, and a
	// write that would take one more than allocated is refused whole.
	oasWantLicense(t, admin.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "Phone", "class": "mobile", "customer_id": licID}}, 409),
		"mobile_devices", "allocation", 0, 1, licID)
	oasWantLicense(t, admin.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "Watched PC", "class": "it", "customer_id": licID,
		"availability_monitoring": true}}, 409), "availability_monitoring", "allocation", 0, 1, licID)
	licPC := admin.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "Licensed PC", "class": "it", "customer_id": licID}}, 201).json(t)
	licPCPath := assets + "/" + licPC["id"].(string)
	oasWantLicense(t, admin.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "Second PC", "class": "it", "customer_id": licID}}, 409),
		"it_assets", "allocation", 1, 2, licID)
	oasWantLicense(t, admin.do(oasReq{method: "PATCH", path: licPCPath, body: map[string]any{"class": "mobile"}}, 409), "mobile_devices", "allocation", 0, 1, licID)
	oasWantLicense(t, admin.do(oasReq{method: "PATCH", path: licPCPath, body: map[string]any{"performance_monitoring": true}}, 409),
		"performance_monitoring", "allocation", 0, 1, licID)
	spare := admin.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "Spare PC", "class": "it"}}, 201).json(t)
	oasWantLicense(t, admin.do(oasReq{method: "POST", path: amove, body: map[string]any{"ids": []any{spare["id"]}, "customer_id": licID}}, 409),
		"it_assets", "allocation", 1, 2, licID)
	for i := range 2 {
		admin.do(oasReq{method: "POST", path: users, body: map[string]any{"email": fmt.Sprintf("user%d@lic.example", i), "name": "Licensed User",
			"role": "customer_user", "customer_id": licID, "password": "licensed-user-password"}}, 201)
	}
	oasWantLicense(t, admin.do(oasReq{method: "POST", path: users, body: map[string]any{"email": "user2@lic.example", "name": "One Too Many",
		"role": "customer_user", "customer_id": licID, "password": "licensed-user-password"}}, 409), "users", "allocation", 2, 3, licID)
	// An inactive user takes no license until it is activated.
	idle := admin.do(oasReq{method: "POST", path: users, body: map[string]any{"email": "idle@lic.example", "name": "Idle", "role": "customer_user",
		"customer_id": licID, "is_active": false, "password": "licensed-user-password"}}, 201).json(t)
	idlePath := users + "/" + idle["id"].(string)
	oasWantLicense(t, admin.do(oasReq{method: "PATCH", path: idlePath, body: map[string]any{"is_active": true}}, 409), "users", "allocation", 2, 3, licID)
	oasWantLicense(t, admin.do(oasReq{method: "PATCH", path: idlePath, body: map[string]any{"is_active": true, "kind": "technician"}}, 409),
		"technicians", "allocation", 0, 1, licID)
	// North User, a technician of Airtel, does not fit either.
	oasWantLicense(t, admin.do(oasReq{method: "POST", path: move, body: map[string]any{"ids": []any{northUser["id"]}, "customer_id": licID}}, 409),
		"technicians", "allocation", 0, 1, licID)
	if cu := admin.do(oasReq{method: "GET", path: customers + "/" + licID}, 200).json(t); cu["assets_count"] != 1.0 || cu["users_count"] != 3.0 {
		t.Errorf("Licensed after refused writes: %v assets, %v users", cu["assets_count"], cu["users_count"])
	}

	// Allocations: types not given keep theirs, and one below what the
	// customer uses is refused, with nothing changed.
	oasWantLicense(t, admin.do(oasReq{method: "PUT", path: licPath, body: map[string]any{"users": 5, "it_assets": 0}}, 409), "it_assets", "allocation", 0, 1, licID)
	l := licItems(admin.do(oasReq{method: "PUT", path: licPath, body: map[string]any{"technicians": 3}}, 200))
	if num(l["users"]["allocated"]) != 2 || num(l["users"]["used"]) != 2 || num(l["users"]["percent_used"]) != 100 ||
		num(l["technicians"]["allocated"]) != 3 || num(l["it_assets"]["used"]) != 1 {
		t.Errorf("Licensed after setting technicians = %v", l)
	}
	l = licItems(admin.do(oasReq{method: "PUT", path: licPath, body: map[string]any{"users": 4}}, 200))
	if num(l["users"]["available"]) != 2 || num(l["users"]["percent_used"]) != 50 {
		t.Errorf("Licensed users after raising = %v", l["users"])
	}

	// Pools. One below what the customers hold plus the organization's own
	// use is refused; exactly that much leaves the organization's own
	// records no room; and then no allocation can grow.
	ol, own := orgOwn()
	need := num(ol["it_assets"]["allocated"]) + own["it_assets"]
	oasWantLicense(t, admin.do(oasReq{method: "PUT", path: orgLic, body: map[string]any{"pool": map[string]any{"users": nil, "it_assets": need - 1}}}, 409),
		"it_assets", "pool", need-1, need, "")
	ol = licItems(admin.do(oasReq{method: "PUT", path: orgLic, body: map[string]any{"pool": map[string]any{"it_assets": need}}}, 200))
	if num(ol["it_assets"]["pool"]) != need || num(ol["it_assets"]["unallocated"]) != own["it_assets"] || ol["users"]["pool"] != nil {
		t.Errorf("organization's licenses after setting a pool = %v", ol)
	}
	oasWantLicense(t, admin.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "Unlicensed PC", "class": "it"}}, 409),
		"it_assets", "unallocated", own["it_assets"], own["it_assets"]+1, "")
	oasWantLicense(t, admin.do(oasReq{method: "PUT", path: licPath, body: map[string]any{"it_assets": 2}}, 409), "it_assets", "pool", need, need+1, "")
	oasWantLicense(t, admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "Overbooked", "code": "OVER",
		"licenses": map[string]any{"users": 1, "it_assets": 1}}}, 409), "it_assets", "pool", need, need+1, "")
	if l := admin.do(oasReq{method: "GET", path: customers + "?code.eq=OVER"}, 200).json(t); l["total"] != 0.0 {
		t.Errorf("a refused registration wrote its customer: %v", l)
	}
	// Types not given keep their pool; null makes a pool unlimited again.
	ol = licItems(admin.do(oasReq{method: "PUT", path: orgLic, body: map[string]any{"pool": map[string]any{"non_it_assets": domain.MaxLicenseCount}}}, 200))
	if num(ol["it_assets"]["pool"]) != need || num(ol["non_it_assets"]["unallocated"]) != domain.MaxLicenseCount-num(ol["non_it_assets"]["allocated"]) {
		t.Errorf("organization's licenses after setting another pool = %v", ol)
	}
	ol = licItems(admin.do(oasReq{method: "PUT", path: orgLic, body: map[string]any{"pool": map[string]any{"it_assets": nil}}}, 200))
	if ol["it_assets"]["pool"] != nil || ol["it_assets"]["unallocated"] != nil || ol["non_it_assets"]["pool"] == nil {
		t.Errorf("organization's licenses after unlimiting a pool = %v", ol)
	}
	admin.do(oasReq{method: "PUT", path: licPath, body: map[string]any{"it_assets": 2}}, 200)
	admin.do(oasReq{method: "PUT", path: orgLic, body: map[string]any{"pool": map[string]any{"non_it_assets": nil}}}, 200)
	admin.do(oasReq{method: "PUT", path: orgLic, body: map[string]any{"pool": nil}}, 200)
	for typ, l := range licItems(admin.do(oasReq{method: "PUT", path: orgLic, body: map[string]any{}}, 200)) {
		if l["pool"] != nil {
			t.Errorf("organization's %s after resetting = %v", typ, l)
		}
	}

	// Malformed and invalid license requests.
	res = admin.do(oasReq{method: "PUT", path: orgLic, body: map[string]any{"pool": map[string]any{"robots": 1, "users": -1, "technicians": domain.MaxLicenseCount + 1}}}, 422)
	if got, want := oasFieldCodes(t, res), []string{"pool.robots: unknown", "pool.technicians: format", "pool.users: format"}; !slices.Equal(got, want) {
		t.Errorf("bad pools: %v, want %v", got, want)
	}
	// Counts of the wrong JSON type are field errors too, not a bare 400.
	for _, tc := range []struct {
		path string
		body any
		want string
	}{
		{orgLic, map[string]any{"pool": map[string]any{"users": "5"}}, "pool.users: type"},
		{orgLic, map[string]any{"pool": 5}, "pool: type"},
		{licPath, map[string]any{"users": 1.5}, "users: type"},
		{customers, map[string]any{"name": "Typed", "code": "TYPED", "licenses": map[string]any{"users": "ten"}}, "licenses.users: type"},
	} {
		method := "PUT"
		if tc.path == customers {
			method = "POST"
		}
		res := admin.do(oasReq{method: method, path: tc.path, body: tc.body}, 422)
		if got := oasFieldCodes(t, res); !slices.Contains(got, tc.want) {
			t.Errorf("%s %v: %v, want %s", tc.path, tc.body, got, tc.want)
		}
	}
	res = admin.do(oasReq{method: "PUT", path: licPath, body: map[string]any{"robots": 1, "users": nil, "it_assets": -1}}, 422)
	if got, want := oasFieldCodes(t, res), []string{"it_assets: format", "robots: unknown", "users: required"}; !slices.Equal(got, want) {
		t.Errorf("bad allocation: %v, want %v", got, want)
	}
	res = admin.do(oasReq{method: "POST", path: customers, body: map[string]any{"name": "Bad Licenses", "code": "BADLIC",
		"licenses": map[string]any{"robots": 1, "users": -1, "it_assets": nil}}}, 422)
	if got, want := oasFieldCodes(t, res), []string{"licenses.it_assets: required", "licenses.robots: unknown", "licenses.users: format"}; !slices.Equal(got, want) {
		t.Errorf("bad registered allocation: %v, want %v", got, want)
	}
	for _, p := range []string{orgLic, licPath} {
		oasWantType(t, admin.do(oasReq{method: "GET", path: p + "?type=users"}, 400), "unknown-parameter")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: p + "?dry_run=1", body: map[string]any{}}, 400), "unknown-parameter")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: p, body: `[]`}, 400), "bad-request")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: p, body: `{}`, contentType: "text/plain"}, 415), "unsupported-media-type")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: p, body: `{}`, contentType: "application/merge-patch+json"}, 415), "unsupported-media-type")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: p, body: big("pool")}, 413), "too-large")
		oasWantType(t, admin.do(oasReq{method: "PUT", path: p, body: map[string]any{}, header: crossSite}, 403), "cross-origin")
	}
	oasWantType(t, admin.do(oasReq{method: "PUT", path: orgLic, body: map[string]any{"pools": map[string]any{"users": 1}}}, 400), "unknown-field")
	oasWantType(t, admin.do(oasReq{method: "GET", path: customers + "/" + anyID + "/licenses"}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "PUT", path: customers + "/" + anyID + "/licenses", body: map[string]any{"users": 1}}, 404), "not-found")

	// A customer in trash holds nothing: its allocation returns to the
	// pool, and its records' use no longer counts.
	before, _ := orgOwn()
	held := licItems(admin.do(oasReq{method: "GET", path: licPath}, 200))
	admin.do(oasReq{method: "DELETE", path: customers + "/" + licID}, 204)
	after, _ := orgOwn()
	for _, typ := range domain.LicenseTypes {
		if num(after[typ]["allocated"]) != num(before[typ]["allocated"])-num(held[typ]["allocated"]) ||
			num(after[typ]["used"]) != num(before[typ]["used"])-num(held[typ]["used"]) {
			t.Errorf("%s: before %v, after %v deleting a customer that held %v", typ, before[typ], after[typ], held[typ])
		}
	}
	oasWantType(t, admin.do(oasReq{method: "GET", path: licPath}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "PUT", path: licPath, body: map[string]any{"users": 1}}, 404), "not-found")

	// Turning MSP mode off is refused while customers exist.
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: org, body: map[string]any{"msp_enabled": false}}, 409), "msp-has-customers")

	// Entities: delete. One that assets are mapped to, or users narrowed
	// to, stays (409) until they are moved off it.
	northID, northCustomer := north["id"].(string), north["customer_id"].(string)
	admin.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "North Router", "class": "it",
		"customer_id": northCustomer, "entity_id": northID}}, 201)
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: northPath}, 409), "conflict")
	moveOff := func(entityID, customerID string) {
		t.Helper()
		for _, list := range []string{assets, users} {
			var ids []string
			for _, it := range admin.do(oasReq{method: "GET", path: list + "?limit=200&entity_id=" + entityID}, 200).json(t)["items"].([]any) {
				ids = append(ids, it.(map[string]any)["id"].(string))
			}
			if len(ids) > 0 {
				admin.do(oasReq{method: "POST", path: list + "/move", body: map[string]any{"ids": ids, "customer_id": customerID}}, 204)
			}
		}
	}
	moveOff(northID, northCustomer)
	moveOff(delhi["id"].(string), northCustomer)
	cur := admin.do(oasReq{method: "GET", path: northPath}, 200).header.Get("ETag")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: northPath, header: map[string]string{"If-Match": `"1"`}}, 412), "precondition-failed")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: northPath, header: map[string]string{"If-Match": "1"}}, 400), "bad-request")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: northPath + "?force=1"}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: northPath, header: crossSite}, 403), "cross-origin")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: minimalEnts + "/" + north["id"].(string)}, 404), "not-found")
	admin.do(oasReq{method: "DELETE", path: northPath, header: map[string]string{"If-Match": cur}}, 204)
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: northPath}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: northPath}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: northPath, body: map[string]any{"name": "X"}}, 404), "not-found")
	bearer.do(oasReq{method: "DELETE", path: ents + "/" + delhi["id"].(string)}, 204)
	if n := admin.do(oasReq{method: "GET", path: one}, 200).json(t)["entities_count"]; n != 7.0 {
		t.Errorf("entities_count after deletes = %v, want 7", n)
	}

	// Customers: delete. A customer in trash takes its entities out of
	// reach.
	someEnt := ents + "/" + admin.do(oasReq{method: "GET", path: ents + "?limit=1"}, 200).json(t)["items"].([]any)[0].(map[string]any)["id"].(string)
	cur = admin.do(oasReq{method: "GET", path: one}, 200).header.Get("ETag")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: one, header: map[string]string{"If-Match": fullETag}}, 412), "precondition-failed")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: one, header: map[string]string{"If-Match": "3"}}, 400), "bad-request")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: one + "?purge=1"}, 400), "unknown-parameter")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: one, header: crossSite}, 403), "cross-origin")
	admin.do(oasReq{method: "DELETE", path: one, header: map[string]string{"If-Match": cur}}, 204)
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: one}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: one}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: ents}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "POST", path: ents, body: map[string]any{"name": "Late"}}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "GET", path: someEnt}, 404), "not-found")
	bearer.do(oasReq{method: "DELETE", path: customers + "/" + minimal["id"].(string)}, 204)
	oasWantType(t, admin.do(oasReq{method: "GET", path: jioHQPath}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: jioHQPath}, 404), "not-found")
	oasWantType(t, admin.do(oasReq{method: "PATCH", path: org, body: map[string]any{"msp_enabled": false}}, 409), "msp-has-customers")

	// Revoke the token: it stops working.
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: tokens + "/" + tok["id"].(string), header: crossSite}, 403), "cross-origin")
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: tokens + "/" + tok["id"].(string) + "?x=1"}, 400), "unknown-parameter")
	admin.do(oasReq{method: "DELETE", path: tokens + "/" + tok["id"].(string)}, 204)
	oasWantType(t, admin.do(oasReq{method: "DELETE", path: tokens + "/" + tok["id"].(string)}, 404), "not-found")
	oasWantType(t, bearer.do(oasReq{method: "GET", path: "/api/v1/me"}, 401), "unauthorized")

	// A token of its own, then sign out: with the token (it only clears the
	// cookie), then with the cookie, which ends the session; signing out
	// again is not an error.
	tok2 := admin.do(oasReq{method: "POST", path: tokens, body: map[string]any{"name": "logout test"}}, 201).json(t)
	withTok2 := c.with(map[string]string{"Authorization": "Bearer " + tok2["token"].(string)})
	withTok2.do(oasReq{method: "POST", path: logout}, 204)
	withTok2.do(oasReq{method: "GET", path: "/api/v1/me"}, 200)
	oasWantType(t, admin.do(oasReq{method: "POST", path: logout, header: crossSite}, 403), "cross-origin")
	admin.do(oasReq{method: "POST", path: logout}, 204)
	oasWantType(t, admin.do(oasReq{method: "GET", path: "/api/v1/me"}, 401), "unauthorized")
	admin.do(oasReq{method: "POST", path: logout}, 204)

	// A deployment with MSP mode off: every customer and entity route is a
	// 404 msp-disabled. No other route is gated as a whole: organization
	// users, organization assets and the role catalog exist without MSP
	// mode, and only placing a user or an asset at a customer is refused.
	single := oasNewStack(t, kind, true)
	sc := &oasClient{t: t, d: d, base: single.srv.URL, hc: single.srv.Client(), stats: stats}
	sres := sc.do(oasReq{method: "POST", path: login, body: map[string]any{"email": "admin@example.com", "password": "correct-horse-battery"}}, 200)
	sadmin := sc.with(map[string]string{"Cookie": "custreg_session=" + (&http.Response{Header: sres.header}).Cookies()[0].Value})
	gated, ungated := 0, 0
	for _, rt := range api.Routes() {
		if rt.Public {
			continue
		}
		r := oasReq{method: rt.Method, path: oasPathFor(rt.Path, anyID)}
		switch {
		case rt.Method == "POST" && rt.Path == customers:
			r.body = oasFullCustomer()
		case rt.Method == "POST" && rt.Path == users:
			r.body = map[string]any{"email": "org.user@example.com", "name": "Org User", "role": "technician", "password": "org-user-password"}
		case rt.Method == "POST" && rt.Path == assets:
			r.body = map[string]any{"name": "Rack PDU", "class": "non_it"}
		case rt.Method == "POST" && strings.HasSuffix(rt.Path, "/move"):
			r.body = map[string]any{"ids": []any{anyID}}
		case rt.Method == "POST" || rt.Method == "PATCH":
			r.body = map[string]any{"name": "X"}
		case rt.Method == "PUT" && (strings.HasSuffix(rt.Path, "/full_logo") || strings.HasSuffix(rt.Path, "/logomark")):
			r.body, r.contentType = logotest.PNG(32, 32), "image/png"
		case rt.Method == "PUT":
			r.body = map[string]any{}
		}
		if strings.HasPrefix(rt.Path, customers+"/") || rt.Path == customers || strings.HasPrefix(rt.Path, api.BasePath+"/trash/customers") {
			oasWantType(t, sadmin.do(r, 404), "msp-disabled")
			gated++
			continue
		}
		if res := sadmin.doAny(r); res.status == 404 && res.problemType(t) == "msp-disabled" {
			t.Errorf("%s %s: msp-disabled, but only customer routes are gated by MSP mode", rt.Method, rt.Path)
		}
		ungated++
	}
	if gated < 10 || ungated < 16 {
		t.Errorf("only %d customer and entity routes and %d others", gated, ungated)
	}
	sassets := sadmin.do(oasReq{method: "GET", path: assets}, 200).json(t)["items"].([]any)
	if len(sassets) != 1 || sassets[0].(map[string]any)["name"] != "Rack PDU" || sassets[0].(map[string]any)["customer_id"] != nil {
		t.Errorf("organization assets with MSP mode off = %v", sassets)
	}
	pdu := sassets[0].(map[string]any)["id"].(string)
	pdu2 := sadmin.do(oasReq{method: "POST", path: assets, body: map[string]any{"name": "Rack PDU 2", "class": "non_it", "customer_id": ""}}, 201).json(t)
	if l := sadmin.do(oasReq{method: "GET", path: assets + "?limit=1"}, 200).json(t); l["total"] != 2.0 || l["next_cursor"] == nil {
		t.Errorf("organization assets with MSP mode off = %v", l)
	}
	sadmin.do(oasReq{method: "POST", path: assets + "/move", body: map[string]any{"ids": []any{pdu, pdu2["id"]}}}, 204)
	sadmin.do(oasReq{method: "PATCH", path: assets + "/" + pdu, body: map[string]any{"serial": "PDU-1"}}, 200)
	sadmin.do(oasReq{method: "DELETE", path: assets + "/" + pdu2["id"].(string)}, 204)
	ouser := sadmin.do(oasReq{method: "GET", path: users + "?limit=200"}, 200).json(t)["items"].([]any)
	if len(ouser) != 2 {
		t.Errorf("organization users with MSP mode off = %v", ouser)
	}
	var orgUserID string
	for _, u := range ouser {
		if u.(map[string]any)["email"] == "org.user@example.com" {
			orgUserID = u.(map[string]any)["id"].(string)
		}
	}
	sadmin.do(oasReq{method: "GET", path: users + "/" + orgUserID}, 200)
	sadmin.do(oasReq{method: "GET", path: roles + "/technician"}, 200)
	// The organization's licenses exist without MSP mode.
	sadmin.do(oasReq{method: "GET", path: "/api/v1/org/licenses"}, 200)
	sadmin.do(oasReq{method: "PUT", path: "/api/v1/org/licenses", body: map[string]any{"pool": map[string]any{"users": 100}}}, 200)
	for _, r := range []oasReq{
		{method: "POST", path: assets, body: map[string]any{"name": "Rack PDU 3", "class": "non_it", "customer_id": anyID}},
		{method: "PATCH", path: assets + "/" + pdu, body: map[string]any{"customer_id": anyID}},
		{method: "POST", path: assets + "/move", body: map[string]any{"ids": []any{pdu}, "customer_id": anyID}},
		{method: "POST", path: users, body: map[string]any{"email": "c.user@example.com", "name": "C", "role": "customer_user", "customer_id": anyID,
			"password": "customer-user-password"}},
		{method: "PATCH", path: users + "/" + orgUserID, body: map[string]any{"customer_id": anyID, "role": "customer_user"}},
		{method: "POST", path: users + "/move", body: map[string]any{"ids": []any{orgUserID}, "customer_id": anyID}},
	} {
		oasWantType(t, sadmin.do(r, 404), "msp-disabled")
	}
	if l := sadmin.do(oasReq{method: "GET", path: assets}, 200).json(t)["items"].([]any); len(l) != 1 || l[0].(map[string]any)["customer_id"] != nil {
		t.Errorf("assets after refused placements = %v", l)
	}
	if s := sadmin.do(oasReq{method: "GET", path: org}, 200).json(t); s["msp_enabled"] != false {
		t.Errorf("settings = %v", s)
	}
	sadmin.do(oasReq{method: "PATCH", path: org, body: map[string]any{"msp_enabled": true}}, 200)
	sadmin.do(oasReq{method: "GET", path: customers}, 200)

	// A method a path does not have is a 405 that lists the path's methods
	// in Allow, with or without credentials; other paths under /api/ are a
	// 404.
	withAllow := map[string]bool{}
	for tmpl := range d.root["paths"].(map[string]any) {
		if !strings.HasPrefix(tmpl, "/api/") {
			continue
		}
		path := oasPathFor(tmpl, anyID)
		for _, m := range []string{"PUT", "POST", "PATCH", "DELETE", "GET"} {
			if d.operations(t)[m+" "+tmpl] != nil {
				continue
			}
			if sib := oasShadowed(d.operations(t), m, tmpl); sib != "" {
				// ServeMux routes it to the operation of a template with a
				// parameter where this one has a literal segment
				// (GET /users/move is GET /users/{id} with id "move"), so
				// it is that operation's 404, not a 405.
				r := oasReq{method: m, path: path}
				if m != "GET" {
					r.body = map[string]any{}
				}
				res, _, _ := withTok2.send(r)
				if res.status != 404 || res.problemType(t) != "not-found" {
					t.Errorf("%s %s (served by %s): %d %s", m, path, sib, res.status, res.body)
				}
				continue
			}
			r := oasReq{method: m, path: path}
			if m != "GET" {
				r.body = map[string]any{}
			}
			c.undocumented(r, 405, "method-not-allowed")
			r.path += "?colour=red"
			withTok2.undocumented(r, 405, "method-not-allowed")
			withAllow[tmpl] = true
		}
	}
	if len(withAllow) < 10 {
		t.Errorf("checked 405 on %d paths only", len(withAllow))
	}
	for _, p := range []string{"/api/v1/nothing-here", customers + "/", customers + "/" + anyID + "/entities/" + anyID + "/contacts", "/api/v2/customers"} {
		withTok2.undocumented(oasReq{method: "GET", path: p}, 404, "route-not-found")
	}
	c.undocumented(oasReq{method: "DELETE", path: "/api/v1/nothing-here"}, 404, "route-not-found")

	// The metrics, after all this traffic.
	res = c.do(oasReq{method: "GET", path: "/metrics"}, 200)
	if ct := res.header.Get("Content-Type"); !strings.Contains(ct, "version=0.0.4") || !bytes.Contains(res.body, []byte("custreg_http_requests_total{")) {
		t.Errorf("GET /metrics: %s\n%.300s", ct, res.body)
	}

	// Every operation was seen answering with each of its 2xx statuses;
	// report the declared statuses the session could not provoke.
	var untested []string
	for key, o := range d.operations(t) {
		for st := range o["responses"].(map[string]any) {
			if !stats.seen[key+" "+st] {
				if strings.HasPrefix(st, "2") {
					t.Errorf("%s %s was never checked against a real response", key, st)
				}
				untested = append(untested, key+" "+st)
			}
		}
	}
	sort.Strings(untested)
	t.Logf("validated %d responses, %d request bodies and %d query parameters against openapi.json; %d (operation, status) pairs covered",
		stats.responses, stats.requests, stats.queries, len(stats.seen))
	t.Logf("declared but not provoked: %s", strings.Join(untested, ", "))
}

// oasShadowed returns the operation "METHOD template" that ServeMux serves
// a request for method on the literal path tmpl through, when tmpl itself
// has no such operation: one whose template has a parameter where tmpl has
// a literal segment. "" if none.
func oasShadowed(ops map[string]map[string]any, method, tmpl string) string {
	segs := strings.Split(tmpl, "/")
	for key := range ops {
		m, other, _ := strings.Cut(key, " ")
		os := strings.Split(other, "/")
		if m != method || other == tmpl || len(os) != len(segs) {
			continue
		}
		fits := true
		for i, s := range os {
			if s != segs[i] && !(strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}")) {
				fits = false
			}
		}
		if fits {
			return key
		}
	}
	return ""
}

func oasUnmarshal(t *testing.T, b []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return v
}

// TestOpenAPIResponseSchemasCatchDrift makes sure the response schemas are
// strict: a Customer or an Entity with an extra member, or without one, does
// not pass.
func TestOpenAPIResponseSchemasCatchDrift(t *testing.T) {
	d := oasLoad(t)
	location := `"location":{"location_name":null,"country":null,"country_name":null,"region":null,"state":null,"district":null,
"city":null,"pin_code":null,"landmark":null,"address_line1":null,"address_line2":null}`
	for _, tc := range []struct {
		schema, good string
		mutate       map[string]func(map[string]any)
	}{
		{"Customer", `{"id":"0190b2a4-0000-7000-8000-000000000000","name":"A","code":"AB","domain":null,"business_email":null,"phone":null,
"website":null,"subscription_id":null,"is_active":true,"admin_role":"customer_admin","reports":["license_usage"],"dashboards":[],` + location + `,
"entities_count":0,"assets_count":0,"users_count":0,
"created_at":"2026-01-02T03:04:05.123456Z","updated_at":"2026-01-02T03:04:05.123456Z","version":1,"full_logo":null,
"logomark":{"format":"png","width":80,"height":80,"bytes":512,"url":"/api/v1/customers/0190b2a4-0000-7000-8000-000000000000/logomark"}}`,
			map[string]func(map[string]any){
				"extra member":          func(m map[string]any) { m["licenses"] = nil },
				"no full_logo":          func(m map[string]any) { delete(m, "full_logo") },
				"unknown report":        func(m map[string]any) { m["reports"] = []any{"policy_audit"} },
				"no dashboards":         func(m map[string]any) { delete(m, "dashboards") },
				"gif logomark":          func(m map[string]any) { m["logomark"].(map[string]any)["format"] = "gif" },
				"logomark without url":  func(m map[string]any) { delete(m["logomark"].(map[string]any), "url") },
				"negative assets_count": func(m map[string]any) { m["assets_count"] = -1 },
				"no users_count":        func(m map[string]any) { delete(m, "users_count") },
				"missing member":        func(m map[string]any) { delete(m, "website") },
				"no entities_count":     func(m map[string]any) { delete(m, "entities_count") },
				"null entities_count":   func(m map[string]any) { m["entities_count"] = nil },
				"extra location member": func(m map[string]any) { m["location"].(map[string]any)["zip"] = nil },
				"country without name":  func(m map[string]any) { m["location"].(map[string]any)["country"] = "IN" },
				// The members it builds on (CustomerView, CustomerInput)
				// are held to what the server stores.
				"deleted_at sent":   func(m map[string]any) { m["deleted_at"] = "2026-01-02T03:04:05Z" },
				"null is_active":    func(m map[string]any) { m["is_active"] = nil },
				"national phone":    func(m map[string]any) { m["phone"] = "2071838750" },
				"empty admin_role":  func(m map[string]any) { m["admin_role"] = "" },
				"null reports":      func(m map[string]any) { m["reports"] = nil },
				"long subscription": func(m map[string]any) { m["subscription_id"] = strings.Repeat("S", domain.MaxSubscriptionID+1) },
			}},
		{"TrashedCustomer", `{"id":"0190b2a4-0000-7000-8000-000000000000","name":"A","code":"AB","domain":null,"business_email":null,"phone":null,
"website":null,"subscription_id":null,"is_active":true,"admin_role":"customer_admin","reports":[],"dashboards":[],` + location + `,
"entities_count":0,"assets_count":0,"users_count":0,
"created_at":"2026-01-02T03:04:05.123456Z","updated_at":"2026-01-02T03:04:05.123456Z","version":2,"full_logo":null,"logomark":null,
"deleted_at":"2026-01-03T03:04:05.123456Z","purge_at":null}`,
			map[string]func(map[string]any){
				"no deleted_at":  func(m map[string]any) { delete(m, "deleted_at") },
				"no purge_at":    func(m map[string]any) { delete(m, "purge_at") },
				"extra member":   func(m map[string]any) { m["licenses"] = []any{} },
				"missing member": func(m map[string]any) { delete(m, "subscription_id") },
			}},
		{"CustomerCreate", `{"name":"Airtel","code":"AIR001","phone":"2071838750","subscription_id":null,"location":{"country":"India"},
"entities":[{"name":"Pune"}],"licenses":{"users":2}}`,
			map[string]func(map[string]any){
				"no name":           func(m map[string]any) { delete(m, "name") },
				"read-only id":      func(m map[string]any) { m["id"] = "0190b2a4-0000-7000-8000-000000000000" },
				"country_name sent": func(m map[string]any) { m["location"].(map[string]any)["country_name"] = "India" },
				"long subscription": func(m map[string]any) { m["subscription_id"] = strings.Repeat("S", domain.MaxSubscriptionID+1) },
			}},
		{"CustomerPatch", `{"name":null,"location":{"city":null},"reports":null}`,
			map[string]func(map[string]any){
				"entities in a patch": func(m map[string]any) { m["entities"] = []any{} },
				"licenses in a patch": func(m map[string]any) { m["licenses"] = nil },
				"unknown member":      func(m map[string]any) { m["zip"] = "x" },
			}},
		{"Entity", `{"id":"0190b2a4-0000-7000-8000-000000000001","customer_id":"0190b2a4-0000-7000-8000-000000000000","name":"A",
"code":null,"type":"branch","business_email":null,"phone":null,"is_active":true,` + location + `,
"created_at":"2026-01-02T03:04:05.123456Z","updated_at":"2026-01-02T03:04:05.123456Z","version":1}`,
			map[string]func(map[string]any){
				"extra member":    func(m map[string]any) { m["entities_count"] = 0 },
				"missing member":  func(m map[string]any) { delete(m, "customer_id") },
				"unknown type":    func(m map[string]any) { m["type"] = "galaxy" },
				"empty code":      func(m map[string]any) { m["code"] = "" },
				"no location":     func(m map[string]any) { m["location"] = nil },
				"deleted_at sent": func(m map[string]any) { m["deleted_at"] = nil },
			}},
		{"User", `{"id":"0190b2a4-0000-7000-8000-000000000002","email":"ops@jio.example","name":"Ops","kind":"user","role":"customer_user",
"customer_id":"0190b2a4-0000-7000-8000-000000000000","entity_ids":["0190b2a4-0000-7000-8000-000000000001"],"is_active":true,
"created_at":"2026-01-02T03:04:05.123456Z","updated_at":"2026-01-02T03:04:05.123456Z","version":1}`,
			map[string]func(map[string]any){
				"password sent":              func(m map[string]any) { m["password"] = "correct-horse-battery" },
				"password_hash sent":         func(m map[string]any) { m["password_hash"] = "x" },
				"no entity_ids":              func(m map[string]any) { delete(m, "entity_ids") },
				"null entity_ids":            func(m map[string]any) { m["entity_ids"] = nil },
				"organization with entities": func(m map[string]any) { m["customer_id"] = nil },
				"unknown kind":               func(m map[string]any) { m["kind"] = "robot" },
				"absent customer_id":         func(m map[string]any) { delete(m, "customer_id") },
			}},
		{"Asset", `{"id":"0190b2a4-0000-7000-8000-000000000003","name":"Core switch","class":"it","customer_id":"0190b2a4-0000-7000-8000-000000000000",
"entity_id":null,"availability_monitoring":true,"performance_monitoring":false,"serial":null,"ip_address":"10.0.0.1",
"created_at":"2026-01-02T03:04:05.123456Z","updated_at":"2026-01-02T03:04:05.123456Z","version":1}`,
			map[string]func(map[string]any){
				"unknown class":             func(m map[string]any) { m["class"] = "cloud" },
				"entity without customer":   func(m map[string]any) { m["customer_id"], m["entity_id"] = nil, "0190b2a4-0000-7000-8000-000000000001" },
				"not an address":            func(m map[string]any) { m["ip_address"] = "10.0.0" },
				"empty serial":              func(m map[string]any) { m["serial"] = "" },
				"no performance_monitoring": func(m map[string]any) { delete(m, "performance_monitoring") },
				"deleted_at sent":           func(m map[string]any) { m["deleted_at"] = nil },
			}},
		{"Problem", `{"type":"urn:custreg:problem:license-exceeded","title":"Conflict","status":409,"detail":"IT assets: Acme is allocated 0.",
"instance":"/api/v1/assets","license_type":"it_assets","limit_kind":"allocation","limit":0,"would_be":1,"customer_id":"0190b2a4-0000-7000-8000-000000000000"}`,
			map[string]func(map[string]any){
				"no limit":                      func(m map[string]any) { delete(m, "limit") },
				"no would_be":                   func(m map[string]any) { delete(m, "would_be") },
				"allocation without customer":   func(m map[string]any) { delete(m, "customer_id") },
				"pool with a customer":          func(m map[string]any) { m["limit_kind"] = "pool" },
				"license members on a conflict": func(m map[string]any) { m["type"] = "urn:custreg:problem:conflict" },
				"unknown limit_kind":            func(m map[string]any) { m["limit_kind"] = "quota" },
				"unknown license_type":          func(m map[string]any) { m["license_type"] = "robots" },
				"negative limit":                func(m map[string]any) { m["limit"] = -1 },
				"limit as text":                 func(m map[string]any) { m["limit"] = "0" },
			}},
		{"OrgLicense", `{"type":"users","pool":10,"allocated":6,"unallocated":4,"used":5}`,
			map[string]func(map[string]any){
				"unlimited with unallocated": func(m map[string]any) { m["pool"] = nil },
				"pool without unallocated":   func(m map[string]any) { m["unallocated"] = nil },
				"no pool":                    func(m map[string]any) { delete(m, "pool") },
				"unknown type":               func(m map[string]any) { m["type"] = "robots" },
				"negative unallocated":       func(m map[string]any) { m["unallocated"] = -1 },
				"extra member":               func(m map[string]any) { m["available"] = 4 },
			}},
		{"CustomerLicense", `{"type":"it_assets","allocated":4,"used":1,"available":3,"percent_used":25}`,
			map[string]func(map[string]any){
				"over 100 percent":   func(m map[string]any) { m["percent_used"] = 101 },
				"negative available": func(m map[string]any) { m["available"] = -1 },
				"no percent_used":    func(m map[string]any) { delete(m, "percent_used") },
				"pool sent":          func(m map[string]any) { m["pool"] = nil },
			}},
		{"Role", `{"key":"site_lead","name":"Site lead","scope":"customer","permissions":["assets.view","users.view"],"builtin":false}`,
			map[string]func(map[string]any){
				"unknown scope":       func(m map[string]any) { m["scope"] = "global" },
				"unknown permission":  func(m map[string]any) { m["permissions"] = []any{"assets.move"} },
				"repeated permission": func(m map[string]any) { m["permissions"] = []any{"assets.view", "assets.view"} },
				"upper-case key":      func(m map[string]any) { m["key"] = "Site_Lead" },
				"no builtin":          func(m map[string]any) { delete(m, "builtin") },
			}},
	} {
		sch := d.schema(t, oasPointer("components", "schemas", tc.schema))
		if err := sch.Validate(oasUnmarshal(t, []byte(tc.good))); err != nil {
			t.Fatalf("a well-formed %s is refused: %v", tc.schema, err)
		}
		for name, mutate := range tc.mutate {
			var m map[string]any
			if err := json.Unmarshal([]byte(tc.good), &m); err != nil {
				t.Fatal(err)
			}
			mutate(m)
			b, _ := json.Marshal(m)
			if err := sch.Validate(oasUnmarshal(t, b)); err == nil {
				t.Errorf("%s: the %s schema accepts %s", name, tc.schema, b)
			}
		}
	}
}

// TestOpenAPIFilterSchema checks the Filter schema against the parser of the
// filter parameter: every tree the server takes is valid, and trees the
// server refuses for their shape are invalid. The depth and the number of
// conditions, which JSON Schema cannot count, are the description's.
func TestOpenAPIFilterSchema(t *testing.T) {
	d := oasLoad(t)
	sch := d.schema(t, oasPointer("components", "schemas", "Filter"))
	deep := `{"field":"name","op":"eq","value":"x"}`
	for range domain.MaxFilterDepth {
		deep = `{"op":"or","conditions":[` + deep + `]}`
	}
	long := `"` + strings.Repeat("x", domain.MaxFilterValueLen+1) + `"`
	for _, tc := range []struct {
		filter string
		schema bool // the schema accepts it
		server bool // domain.ParseFilter accepts it
	}{
		{`{"field":"name","op":"contains","value":"air"}`, true, true},
		{`{"field":"code","op":"in","values":["AIR001","AIR002"]}`, true, true},
		{`{"field":"code","op":"not_in","values":["", "A"]}`, true, true},
		{`{"op":"and","conditions":[{"field":"name","op":"neq","value":"a"},{"op":"or","conditions":[{"field":"code","op":"eq","value":"JIO"}]}]}`, true, true},
		{`{"op":"or","conditions":[]}`, false, false},
		{`{"op":"or"}`, false, false},
		{`{"op":"and","field":"name","conditions":[{"field":"name","op":"eq","value":"a"}]}`, false, false},
		{`{"field":"name","op":"eq"}`, false, false},
		{`{"field":"name","op":"eq","value":""}`, false, false},
		{`{"field":"name","op":"eq","values":["a"]}`, false, false},
		{`{"field":"name","op":"in","value":"a"}`, false, false},
		{`{"field":"name","op":"in","values":[]}`, false, false},
		{`{"field":"name","op":"in","values":[""]}`, false, false},
		{`{"field":"name","op":"eq","value":"a","conditions":[{"field":"name","op":"eq","value":"a"}]}`, false, false},
		{`{"field":"size","op":"eq","value":"a"}`, false, false},
		{`{"field":"name","op":"like","value":"a"}`, false, false},
		{`{"op":"eq","value":"a"}`, false, false},
		{`{"field":"name","op":"eq","value":"a","colour":"red"}`, false, false},
		{`{"field":"name","op":"eq","value":1}`, false, false},
		{`{"field":"name","op":"eq","value":` + long + `}`, false, false},
		{`{"field":"name","op":"in","values":[` + long + `]}`, false, false},
		{`[{"field":"name","op":"eq","value":"a"}]`, false, false},
		{deep, true, false},
	} {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(tc.filter))
		if err != nil {
			t.Fatal(err)
		}
		if got := sch.Validate(v) == nil; got != tc.schema {
			t.Errorf("%s: the schema accepts = %v, want %v", tc.filter, got, tc.schema)
		}
		if _, err := domain.ParseFilter(tc.filter); (err == nil) != tc.server {
			t.Errorf("%s: the server accepts = %v, want %v (%v)", tc.filter, err == nil, tc.server, err)
		}
	}
}

// oasField is one JSON member of a Go struct.
type oasField struct {
	typ       reflect.Type
	omitempty bool
}

// oasJSONFields returns the JSON members of struct type t as encoding/json
// sees them: the fields of an untagged embedded struct are promoted.
func oasJSONFields(t reflect.Type) map[string]oasField {
	out := map[string]oasField{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range oasJSONFields(f.Type) {
				if _, shadowed := out[k]; !shadowed {
					out[k] = v
				}
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "-" && opts == "" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = oasField{typ: f.Type, omitempty: slices.Contains(strings.Split(opts, ","), "omitempty")}
	}
	return out
}

// oasFlat is a component schema with the component schemas it builds on
// ($ref beside its own members) folded in: what an instance of it must
// satisfy, member by member.
type oasFlat struct {
	// props holds, per member, the pointers of every schema of it along
	// the chain, the schema's own first.
	props    map[string][]string
	required map[string]bool
	// closed: the schema, or one it builds on, admits no other members
	// (additionalProperties or unevaluatedProperties false).
	closed bool
}

func (d *oasDoc) flat(t *testing.T, ptr string) oasFlat {
	t.Helper()
	f := oasFlat{props: map[string][]string{}, required: map[string]bool{}}
	for range 5 {
		v, ok := d.lookup(ptr)
		if !ok {
			t.Fatalf("%s does not exist in the document", ptr)
		}
		m, _ := v.(map[string]any)
		props, _ := m["properties"].(map[string]any)
		for n := range props {
			f.props[n] = append(f.props[n], ptr+"/"+oasPointer("properties", n)[2:])
		}
		if r, ok := m["required"].([]any); ok {
			for _, x := range r {
				f.required[x.(string)] = true
			}
		}
		f.closed = f.closed || m["additionalProperties"] == false || m["unevaluatedProperties"] == false
		ref, ok := m["$ref"].(string)
		if !ok {
			return f
		}
		ptr = ref
	}
	t.Fatalf("%s: too many levels of $ref", ptr)
	return f
}

// member returns the pointer of path ("name/maxLength") within a member of
// the component schema name, in the first schema of the chain that has it
// (the schema's own pointer, which does not exist, when none has).
func (d *oasDoc) member(t *testing.T, name, path string) string {
	t.Helper()
	m, rest, nested := strings.Cut(path, "/")
	ptrs := d.flat(t, oasPointer("components", "schemas", name)).props[m]
	if !nested {
		if len(ptrs) > 0 {
			return ptrs[0]
		}
		return oasPointer("components", "schemas", name, "properties", m)
	}
	for _, p := range ptrs {
		if _, ok := d.lookup(p + "/" + rest); ok {
			return p + "/" + rest
		}
	}
	return oasPointer("components", "schemas", name, "properties", m) + "/" + rest
}

// memberTypes returns the JSON types a member allows: those every schema
// of it along the chain allows (one that names no type allows any).
func (d *oasDoc) memberTypes(t *testing.T, ptrs []string) map[string]bool {
	t.Helper()
	var out map[string]bool
	for _, p := range ptrs {
		ts := d.types(t, p)
		if len(ts) == 0 {
			continue
		}
		if out == nil {
			out = ts
			continue
		}
		for k := range out {
			if !ts[k] {
				delete(out, k)
			}
		}
	}
	return out
}

// types returns the JSON types the schema at ptr allows, following $ref,
// oneOf and anyOf.
func (d *oasDoc) types(t *testing.T, ptr string) map[string]bool {
	t.Helper()
	m, ptr := d.deref(t, ptr)
	out := map[string]bool{}
	switch ty := m["type"].(type) {
	case string:
		out[ty] = true
	case []any:
		for _, x := range ty {
			out[x.(string)] = true
		}
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if alts, ok := m[k].([]any); ok {
			for i := range alts {
				for ty := range d.types(t, ptr+"/"+k+"/"+strconv.Itoa(i)) {
					out[ty] = true
				}
			}
		}
	}
	return out
}

// refs returns the component schema names that the schema at ptr refers to
// directly, through oneOf/anyOf, or (for arrays) through items.
func (d *oasDoc) refs(ptr string) []string {
	v, _ := d.lookup(ptr)
	m, _ := v.(map[string]any)
	var out []string
	if ref, ok := m["$ref"].(string); ok {
		out = append(out, strings.TrimPrefix(ref, "#/components/schemas/"))
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if alts, ok := m[k].([]any); ok {
			for i := range alts {
				out = append(out, d.refs(ptr+"/"+k+"/"+strconv.Itoa(i))...)
			}
		}
	}
	if _, ok := m["items"]; ok {
		out = append(out, d.refs(ptr+"/items")...)
	}
	return out
}

// oasJSONType is the JSON type encoding/json uses for a non-pointer Go type.
func oasJSONType(rt reflect.Type) string {
	if rt == reflect.TypeFor[time.Time]() {
		return "string"
	}
	switch rt.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "object"
}

// oasNeverSent lists omitempty members of a response type that the handler
// never fills for that schema, so that the schema leaves them out.
var oasNeverSent = map[string]bool{
	"Token.token": true, // only POST /api/v1/tokens sets the secret (TokenCreated)
}

// TestOpenAPISchemasMatchGoTypes checks each component schema against the Go
// type behind it: the same members, each of a matching JSON type. For a
// response type, every member encoding/json always writes is required and
// a pointer member is nullable; for a request type, the schema declares
// exactly the members the decoder accepts. This catches drift in members the
// scripted session never happens to see (omitempty ones).
func TestOpenAPISchemasMatchGoTypes(t *testing.T) {
	d := oasLoad(t)
	resp := map[string]reflect.Type{"FieldError": reflect.TypeFor[domain.FieldError]()}
	for k, v := range api.OpenAPIResponseTypes {
		resp[k] = v
	}
	req := map[string]reflect.Type{
		"CustomerPatch":    reflect.TypeFor[domain.CustomerInput](),
		"EntityInput":      reflect.TypeFor[domain.EntityInput](),
		"EntityPatch":      reflect.TypeFor[domain.EntityInput](),
		"Filter":           reflect.TypeFor[domain.Filter](),
		"LocationInput":    reflect.TypeFor[domain.Location](),
		"OrgSettingsPatch": reflect.TypeFor[service.OrgPatch](),
		"Rename":           reflect.TypeFor[service.Rename](),
		"UserCreate":       reflect.TypeFor[domain.UserInput](),
		"UserPatch":        reflect.TypeFor[domain.UserInput](),
		"AssetCreate":      reflect.TypeFor[domain.AssetInput](),
		"AssetPatch":       reflect.TypeFor[domain.AssetInput](),
		"RoleCreate":       reflect.TypeFor[domain.RoleInput](),
		"LicenseCounts":    reflect.TypeFor[domain.LicenseCounts](),
	}
	for k, v := range api.OpenAPIRequestTypes {
		req[k] = v
	}
	check := func(name string, rt reflect.Type, response bool, byName map[string]reflect.Type) {
		ptr := oasPointer("components", "schemas", name)
		if _, ok := d.lookup(ptr); !ok {
			t.Errorf("%s: no such schema", ptr)
			return
		}
		f := d.flat(t, ptr)
		if !f.closed {
			t.Errorf("%s: neither additionalProperties nor unevaluatedProperties is false", name)
		}
		var fields map[string]oasField
		switch {
		case rt == reflect.TypeFor[domain.LicenseCounts]():
			// A map: the members the service accepts are the license
			// types, each a count.
			fields = map[string]oasField{}
			for _, typ := range domain.LicenseTypes {
				fields[typ] = oasField{typ: rt.Elem()}
			}
		case rt.Kind() != reflect.Struct:
			t.Errorf("%s: %v is not a struct", name, rt)
			return
		default:
			fields = oasJSONFields(rt)
		}
		for n, fl := range fields {
			ptrs, ok := f.props[n]
			if !ok {
				if !(response && fl.omitempty && oasNeverSent[name+"."+n]) {
					t.Errorf("%s: member %q of %v is not in the schema", name, n, rt)
				}
				continue
			}
			if response && !fl.omitempty && !f.required[n] {
				t.Errorf("%s: %q is always sent but not required", name, n)
			}
			base, nullable := fl.typ, false
			for base.Kind() == reflect.Pointer {
				base, nullable = base.Elem(), true
			}
			types := d.memberTypes(t, ptrs)
			if want := oasJSONType(base); !types[want] {
				t.Errorf("%s.%s: %v is sent as %s, the schema allows %v", name, n, fl.typ, want, types)
			}
			// encoding/json leaves out a nil pointer member with
			// omitempty: such a member is never null.
			if response && base.Kind() != reflect.Slice && base.Kind() != reflect.Map && (nullable && !fl.omitempty) != types["null"] {
				t.Errorf("%s.%s: %v, but the schema allows null = %v", name, n, fl.typ, types["null"])
			}
			elem := base
			if elem.Kind() == reflect.Slice {
				elem = elem.Elem()
			}
			if elem.Kind() == reflect.Struct && elem != reflect.TypeFor[time.Time]() {
				ok := false
				for _, p := range ptrs {
					for _, r := range d.refs(p) {
						ok = ok || byName[r] == elem
					}
				}
				if !ok {
					t.Errorf("%s.%s: refers to %v, which no schema it references stands for", name, n, ptrs)
				}
			}
		}
		for n := range f.props {
			if _, ok := fields[n]; !ok {
				t.Errorf("%s: member %q is not a member of %v", name, n, rt)
			}
		}
	}
	for name, rt := range resp {
		check(name, rt, true, resp)
	}
	for name, rt := range req {
		check(name, rt, false, req)
	}
	// Every component schema stands for a Go type, so that none escapes
	// this check; TokenList is encoded from a map, ReportRow is a report
	// row's values by column key (its columns are the report's).
	// CustomerInput and CustomerView are the members that Customer,
	// TrashedCustomer, CustomerCreate and CustomerPatch build on, and
	// EntityFields those of EntityInput and EntityPatch: they are checked
	// as part of those.
	schemas, _ := d.root["components"].(map[string]any)["schemas"].(map[string]any)
	for name := range schemas {
		if resp[name] == nil && req[name] == nil && !slices.Contains([]string{"TokenList", "ReportRow", "CustomerInput", "CustomerView", "EntityFields"}, name) {
			t.Errorf("components/schemas/%s is mapped to no Go type", name)
		}
	}
}

// TestOpenAPILimitsMatchDomain checks that the limits the document states
// are the domain's.
func TestOpenAPILimitsMatchDomain(t *testing.T) {
	d := oasLoad(t)
	get := func(ptr string) any {
		t.Helper()
		v, ok := d.lookup(ptr)
		if !ok {
			t.Errorf("%s does not exist", ptr)
		}
		return v
	}
	num := func(ptr string) int {
		t.Helper()
		n, _ := get(ptr).(json.Number)
		i, err := n.Int64()
		if err != nil {
			t.Errorf("%s is not an integer", ptr)
		}
		return int(i)
	}
	strs := func(ptr string) []string {
		t.Helper()
		var out []string
		vs, _ := get(ptr).([]any)
		for _, v := range vs {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		slices.Sort(out)
		return out
	}
	sorted := func(s ...string) []string {
		out := slices.Clone(s)
		slices.Sort(out)
		return out
	}
	sch := func(name, path string) string { return d.member(t, name, path) }
	// param returns the pointer of an operation's query parameter.
	param := func(path, method, name string) string {
		t.Helper()
		p, ok := d.params(t, path, method)["query:"+name]
		if !ok {
			t.Fatalf("%s %s has no query parameter %s", method, path, name)
		}
		return p.ptr
	}
	limits := map[string]int{}
	pattern := map[string]string{}
	code := fmt.Sprintf("^[A-Za-z0-9_-]{%d,%d}$", domain.MinCustomerCode, domain.MaxCustomerCode)
	for _, s := range []string{"CustomerCreate", "CustomerPatch", "Customer"} {
		limits[sch(s, "name/maxLength")] = domain.MaxCustomerName
		limits[sch(s, "subscription_id/maxLength")] = domain.MaxSubscriptionID
		limits[sch(s, "business_email/maxLength")] = domain.MaxEmail
		limits[sch(s, "domain/maxLength")] = domain.MaxDomain
		pattern[sch(s, "code/pattern")] = code
	}
	for _, s := range []string{"CustomerCreate", "CustomerPatch"} {
		limits[sch(s, "website/maxLength")] = domain.MaxWebsite
		limits[sch(s, "phone/maxLength")] = domain.MaxPhoneInputChars
	}
	limits[sch("CustomerCreate", "entities/maxItems")] = domain.MaxEntitiesPerRequest
	for _, s := range []string{"EntityInput", "EntityPatch", "Entity"} {
		limits[sch(s, "name/maxLength")] = domain.MaxEntityName
		limits[sch(s, "business_email/maxLength")] = domain.MaxEmail
	}
	for _, s := range []string{"EntityInput", "EntityPatch"} {
		limits[sch(s, "phone/maxLength")] = domain.MaxPhoneInputChars
		// The code is optional: empty means none.
		pattern[sch(s, "code/pattern")] = fmt.Sprintf("^([A-Za-z0-9_-]{%d,%d})?$", domain.MinEntityCode, domain.MaxEntityCode)
		if got, want := strs(sch(s, "type/enum")), sorted(append([]string{""}, domain.EntityTypes...)...); !slices.Equal(got, want) {
			t.Errorf("%s type enum = %v, want %v (and null)", s, got, want)
		}
	}
	pattern[sch("Entity", "code/pattern")] = fmt.Sprintf("^[A-Za-z0-9_-]{%d,%d}$", domain.MinEntityCode, domain.MaxEntityCode)
	if got, want := strs(sch("Entity", "type/enum")), sorted(domain.EntityTypes...); !slices.Equal(got, want) {
		t.Errorf("Entity type enum = %v, want %v", got, want)
	}
	for _, s := range []string{"LocationInput", "Location"} {
		limits[sch(s, "location_name/maxLength")] = domain.MaxLocationName
		limits[sch(s, "region/maxLength")] = domain.MaxRegion
		limits[sch(s, "state/maxLength")] = domain.MaxState
		limits[sch(s, "district/maxLength")] = domain.MaxDistrict
		limits[sch(s, "city/maxLength")] = domain.MaxCity
		limits[sch(s, "landmark/maxLength")] = domain.MaxLandmark
		limits[sch(s, "address_line1/maxLength")] = domain.MaxAddressLine
		limits[sch(s, "address_line2/maxLength")] = domain.MaxAddressLine
	}
	for _, s := range []string{"TokenRequest", "Token", "TokenCreated"} {
		limits[sch(s, "name/maxLength")] = domain.MaxTokenName
	}
	for _, s := range []string{"OrgSettings", "OrgSettingsPatch"} {
		limits[sch(s, "name/maxLength")] = domain.MaxOrgName
	}
	limits[sch("Principal", "name/maxLength")] = domain.MaxUserName
	limits[sch("Login", "password/maxLength")] = domain.MaxPassword
	limits[sch("CustomerList", "items/maxItems")] = domain.MaxPageSize
	limits[sch("EntityList", "items/maxItems")] = domain.MaxPageSize

	// Users, assets and roles.
	roleKey := "^[a-z][a-z0-9_]*$"
	for _, s := range []string{"Customer", "CustomerCreate", "CustomerPatch"} {
		limits[sch(s, "admin_role/maxLength")] = domain.MaxRoleKey
	}
	pattern[sch("Customer", "admin_role/pattern")] = roleKey
	for _, s := range []string{"User", "UserCreate", "UserPatch"} {
		limits[sch(s, "name/maxLength")] = domain.MaxUserName
		limits[sch(s, "email/maxLength")] = domain.MaxEmail
	}
	limits[sch("User", "role/maxLength")] = domain.MaxRoleKey
	pattern[sch("User", "role/pattern")] = roleKey
	limits[sch("UserCreate", "password/minLength")] = domain.MinPassword
	limits[sch("UserCreate", "password/maxLength")] = domain.MaxPassword
	limits[sch("UserPatch", "password/maxLength")] = domain.MaxPassword
	limits[sch("UserPatch", "password/not/maxLength")] = domain.MinPassword - 1
	for _, s := range []string{"User", "UserCreate", "UserPatch"} {
		want := sorted(domain.KindUser, domain.KindTechnician)
		if s != "User" {
			want = sorted(domain.KindUser, domain.KindTechnician, "")
		}
		if got := strs(sch(s, "kind/enum")); !slices.Equal(got, want) {
			t.Errorf("%s kind enum = %v, want %v", s, got, want)
		}
	}
	for _, s := range []string{"Asset", "AssetCreate", "AssetPatch"} {
		limits[sch(s, "name/maxLength")] = domain.MaxAssetName
		limits[sch(s, "serial/maxLength")] = domain.MaxSerial
		if got, want := strs(sch(s, "class/enum")), sorted(domain.AssetClasses...); !slices.Equal(got, want) {
			t.Errorf("%s class enum = %v, want %v", s, got, want)
		}
	}
	for _, s := range []string{"UserMove", "AssetMove"} {
		limits[sch(s, "ids/maxItems")] = domain.MaxPageSize
		limits[sch(s, "ids/minItems")] = 1
	}
	limits[sch("UserList", "items/maxItems")] = domain.MaxPageSize
	limits[sch("AssetList", "items/maxItems")] = domain.MaxPageSize
	for _, s := range []string{"Role", "RoleCreate"} {
		limits[sch(s, "key/maxLength")] = domain.MaxRoleKey
		limits[sch(s, "name/maxLength")] = domain.MaxRoleName
		pattern[sch(s, "key/pattern")] = roleKey
		if got, want := strs(sch(s, "scope/enum")), sorted(domain.ScopeOrganization, domain.ScopeCustomer); !slices.Equal(got, want) {
			t.Errorf("%s scope enum = %v, want %v", s, got, want)
		}
		var perms []string
		for _, r := range domain.Resources {
			for _, a := range domain.Actions {
				perms = append(perms, domain.Permission(r, a))
			}
		}
		if got := strs(sch(s, "permissions/items/enum")); !slices.Equal(got, sorted(perms...)) {
			t.Errorf("%s permissions enum = %v, want %v", s, got, sorted(perms...))
		}
	}
	// Licenses: the types, in display order, and the counts' bounds.
	types := sorted(domain.LicenseTypes...)
	for _, ptr := range []string{sch("OrgLicense", "type/enum"), sch("CustomerLicense", "type/enum"), sch("Problem", "license_type/enum")} {
		if got := strs(ptr); !slices.Equal(got, types) {
			t.Errorf("%s = %v, want %v", ptr, got, types)
		}
	}
	if got, want := strs(sch("Problem", "limit_kind/enum")), sorted(domain.LimitAllocation, domain.LimitPool, domain.LimitUnallocated); !slices.Equal(got, want) {
		t.Errorf("Problem limit_kind enum = %v, want %v", got, want)
	}
	for _, s := range []string{"OrgLicenseList", "CustomerLicenseList"} {
		limits[sch(s, "items/minItems")] = len(domain.LicenseTypes)
		limits[sch(s, "items/maxItems")] = len(domain.LicenseTypes)
	}
	limits[sch("OrgLicense", "pool/maximum")] = domain.MaxLicenseCount
	limits[sch("CustomerLicense", "allocated/maximum")] = domain.MaxLicenseCount
	for _, counts := range []string{"#/components/schemas/LicenseCounts", sch("PoolPut", "pool")} {
		props, _ := get(counts + "/properties").(map[string]any)
		if got := slices.Sorted(maps.Keys(props)); !slices.Equal(got, types) {
			t.Errorf("%s members = %v, want %v", counts, got, types)
		}
		for _, typ := range domain.LicenseTypes {
			limits[counts+"/properties/"+typ+"/minimum"] = 0
			limits[counts+"/properties/"+typ+"/maximum"] = domain.MaxLicenseCount
		}
		if get(counts+"/additionalProperties") != false {
			t.Errorf("%s takes other members", counts)
		}
	}

	// Every built-in role's key fits the pattern and limit the document
	// states for keys.
	keyRE := regexp.MustCompile(roleKey)
	for _, r := range domain.BuiltinRoles {
		if !keyRE.MatchString(r.Key) || len(r.Key) > domain.MaxRoleKey || domain.Len(r.Name) > domain.MaxRoleName {
			t.Errorf("built-in role %q does not fit the document's key and name limits", r.Key)
		}
	}

	// The lists' query parameters.
	customers, entities := "/api/v1/customers", "/api/v1/customers/{id}/entities"
	for _, path := range []string{customers, entities, "/api/v1/users", "/api/v1/assets"} {
		limits[param(path, "GET", "limit")+"/schema/maximum"] = domain.MaxPageSize
		limits[param(path, "GET", "limit")+"/schema/default"] = domain.DefaultPageSize
	}
	limits[param(customers, "GET", "q")+"/schema/maxLength"] = domain.MaxSearchLen
	for _, field := range domain.FilterFields {
		for _, op := range domain.FilterOps {
			p := param(customers, "GET", field+"."+op)
			if (domain.Filter{Op: op}).Multi() {
				if get(p+"/schema/type") != "array" {
					t.Errorf("%s.%s takes several values, but its schema is not an array", field, op)
				}
				limits[p+"/schema/maxItems"] = domain.MaxFilterValues
				limits[p+"/schema/items/maxLength"] = domain.MaxFilterValueLen
			} else {
				limits[p+"/schema/maxLength"] = domain.MaxFilterValueLen
			}
		}
	}
	limits[sch("Filter", "value/maxLength")] = domain.MaxFilterValueLen
	limits[sch("Filter", "values/maxItems")] = domain.MaxFilterValues
	limits[sch("Filter", "values/items/maxLength")] = domain.MaxFilterValueLen
	if got, want := strs(sch("Customer", "reports/items/enum")), sorted(domain.CatalogKeys(domain.Reports)...); !slices.Equal(got, want) {
		t.Errorf("Customer reports enum = %v, want the report catalog %v", got, want)
	}
	if got, want := strs(sch("Customer", "dashboards/items/enum")), sorted(domain.CatalogKeys(domain.Dashboards)...); !slices.Equal(got, want) {
		t.Errorf("Customer dashboards enum = %v, want the dashboard catalog %v", got, want)
	}
	if got, want := strs(sch("Filter", "field/enum")), sorted(domain.FilterFields...); !slices.Equal(got, want) {
		t.Errorf("Filter field enum = %v, want %v", got, want)
	}
	if got, want := strs(sch("Filter", "op/enum")), sorted(append([]string{domain.OpAnd, domain.OpOr}, domain.FilterOps...)...); !slices.Equal(got, want) {
		t.Errorf("Filter op enum = %v, want %v", got, want)
	}
	for ptr, want := range limits {
		if got := num(ptr); got != want {
			t.Errorf("%s = %d, want %d", ptr, got, want)
		}
	}
	for ptr, want := range pattern {
		if got := get(ptr); got != want {
			t.Errorf("%s = %v, want %s", ptr, got, want)
		}
	}

	sortPtr := param(customers, "GET", "sort") + "/schema"
	var sorts []string
	for _, v := range get(sortPtr + "/enum").([]any) {
		sorts = append(sorts, v.(string))
		if !domain.CustomerSort(v.(string)).Valid() {
			t.Errorf("sort %q is in the document but not valid", v)
		}
	}
	for _, s := range []domain.CustomerSort{domain.SortNameAsc, domain.SortNameDesc, domain.SortCodeAsc, domain.SortCodeDesc,
		domain.SortCreatedAtAsc, domain.SortCreatedAtDesc} {
		if !slices.Contains(sorts, string(s)) {
			t.Errorf("sort %q is not in the document", s)
		}
	}
	if get(sortPtr+"/default") != string(domain.SortNameAsc) {
		t.Errorf("default sort is not %q", domain.SortNameAsc)
	}
	codes := strs(sch("FieldError", "code/enum"))
	want := sorted(domain.FieldRequired, domain.FieldTooLong, domain.FieldTooShort, domain.FieldFormat, domain.FieldTaken,
		domain.FieldUnknown, domain.FieldType, domain.FieldTooLarge)
	if !slices.Equal(codes, want) {
		t.Errorf("FieldError codes = %v, want %v", codes, want)
	}
}

// oasKeys reports members of an OpenAPI object outside allowed (and "x-"
// extensions).
func oasKeys(t *testing.T, ptr string, obj map[string]any, allowed ...string) {
	t.Helper()
	for k := range obj {
		if !slices.Contains(allowed, k) && !strings.HasPrefix(k, "x-") {
			t.Errorf("%s: unknown member %q", ptr, k)
		}
	}
}

// oasSchemaKeywords are the JSON Schema 2020-12 keywords (and OpenAPI's
// schema extensions) a schema in the document may use.
var oasSchemaKeywords = []string{
	"$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$defs", "$comment", "$vocabulary",
	"allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "prefixItems", "items", "contains",
	"properties", "patternProperties", "additionalProperties", "propertyNames", "unevaluatedItems", "unevaluatedProperties",
	"type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
	"maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
	"maxProperties", "minProperties", "required", "dependentRequired", "format", "contentEncoding", "contentMediaType",
	"contentSchema", "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples",
	"discriminator", "xml", "externalDocs", "example",
}

// oasSchemaKeys checks the keywords of the schema v at ptr and of its
// subschemas.
func oasSchemaKeys(t *testing.T, ptr string, v any) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		if _, isBool := v.(bool); !isBool {
			t.Errorf("%s: a schema must be an object or a boolean", ptr)
		}
		return
	}
	oasKeys(t, ptr, m, oasSchemaKeywords...)
	for _, k := range []string{"not", "if", "then", "else", "items", "contains", "additionalProperties", "propertyNames",
		"unevaluatedItems", "unevaluatedProperties", "contentSchema"} {
		if sub, ok := m[k]; ok {
			oasSchemaKeys(t, ptr+"/"+k, sub)
		}
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf", "prefixItems"} {
		if subs, ok := m[k].([]any); ok {
			for i, sub := range subs {
				oasSchemaKeys(t, ptr+"/"+k+"/"+strconv.Itoa(i), sub)
			}
		}
	}
	for _, k := range []string{"properties", "patternProperties", "$defs", "dependentSchemas"} {
		if subs, ok := m[k].(map[string]any); ok {
			for name, sub := range subs {
				oasSchemaKeys(t, ptr+"/"+oasPointer(k, name)[2:], sub)
			}
		}
	}
}
