// Package api serves custreg's JSON API under /api/v1 and its OpenAPI 3.1
// document at /api/openapi.json. Handlers decode and check the request's
// shape, call the service, and encode the answer; every error becomes an RFC
// 9457 problem in one place (problem.go).
package api

import (
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/custreg/custreg/internal/auth"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// Options configure the API.
type Options struct {
	Logger *slog.Logger
	// TrustProxy honours X-Forwarded-Proto when deciding whether the session
	// cookie is Secure.
	TrustProxy bool
}

// API is the JSON API.
type API struct {
	svc  *service.Service
	log  *slog.Logger
	opts Options
}

// New returns the API over svc.
func New(svc *service.Service, opts Options) *API {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &API{svc: svc, log: opts.Logger, opts: opts}
}

// Route is one route of the API: the method, the ServeMux pattern path and
// the handler. The OpenAPI document is tested against this table, so a route
// cannot be added without being described.
type Route struct {
	Method string
	Path   string
	// Public routes answer without credentials; every other route answers
	// 401 before it reads anything of the request.
	Public bool
	// Params are the query parameters the route takes; any other is a 400.
	Params  []string
	handler func(*API, http.ResponseWriter, *http.Request) error
}

// BasePath prefixes every API route but the OpenAPI document.
const BasePath = "/api/v1"

// listParams are the customer list's query parameters; field.op conditions
// (name.eq, code.in, ...) are checked by listquery.
var listParams = []string{"q", "filter", "sort", "limit", "cursor", "name.*", "code.*"}

var routes = []Route{
	{Method: "POST", Path: BasePath + "/auth/login", Public: true, handler: (*API).login},
	{Method: "POST", Path: BasePath + "/auth/logout", Public: true, handler: (*API).logout},
	{Method: "GET", Path: BasePath + "/me", handler: (*API).me},
	{Method: "GET", Path: BasePath + "/tokens", handler: (*API).listTokens},
	{Method: "POST", Path: BasePath + "/tokens", handler: (*API).createToken},
	{Method: "DELETE", Path: BasePath + "/tokens/{id}", handler: (*API).revokeToken},
	{Method: "GET", Path: BasePath + "/org/settings", handler: (*API).orgSettings},
	{Method: "PATCH", Path: BasePath + "/org/settings", handler: (*API).patchOrgSettings},
	{Method: "GET", Path: BasePath + "/org/licenses", handler: (*API).orgLicenses},
	{Method: "PUT", Path: BasePath + "/org/licenses", handler: (*API).putOrgLicenses},
	{Method: "GET", Path: BasePath + "/customers", Params: listParams, handler: (*API).listCustomers},
	{Method: "POST", Path: BasePath + "/customers", handler: (*API).createCustomer},
	{Method: "GET", Path: BasePath + "/customers/{id}", handler: (*API).getCustomer},
	{Method: "PATCH", Path: BasePath + "/customers/{id}", handler: (*API).patchCustomer},
	{Method: "DELETE", Path: BasePath + "/customers/{id}", handler: (*API).deleteCustomer},
	{Method: "GET", Path: BasePath + "/customers/{id}/licenses", handler: (*API).customerLicenses},
	{Method: "PUT", Path: BasePath + "/customers/{id}/licenses", handler: (*API).putCustomerLicenses},
	{Method: "GET", Path: BasePath + "/customers/{id}/entities", Params: []string{"limit", "cursor"}, handler: (*API).listEntities},
	{Method: "POST", Path: BasePath + "/customers/{id}/entities", handler: (*API).createEntity},
	{Method: "GET", Path: BasePath + "/customers/{id}/entities/{entity_id}", handler: (*API).getEntity},
	{Method: "PATCH", Path: BasePath + "/customers/{id}/entities/{entity_id}", handler: (*API).patchEntity},
	{Method: "DELETE", Path: BasePath + "/customers/{id}/entities/{entity_id}", handler: (*API).deleteEntity},
	{Method: "GET", Path: BasePath + "/users", Params: placementParams, handler: (*API).listUsers},
	{Method: "POST", Path: BasePath + "/users", handler: (*API).createUser},
	{Method: "POST", Path: BasePath + "/users/move", handler: (*API).moveUsers},
	{Method: "GET", Path: BasePath + "/users/{id}", handler: (*API).getUser},
	{Method: "PATCH", Path: BasePath + "/users/{id}", handler: (*API).patchUser},
	{Method: "DELETE", Path: BasePath + "/users/{id}", handler: (*API).deleteUser},
	{Method: "GET", Path: BasePath + "/assets", Params: placementParams, handler: (*API).listAssets},
	{Method: "POST", Path: BasePath + "/assets", handler: (*API).createAsset},
	{Method: "POST", Path: BasePath + "/assets/move", handler: (*API).moveAssets},
	{Method: "GET", Path: BasePath + "/assets/{id}", handler: (*API).getAsset},
	{Method: "PATCH", Path: BasePath + "/assets/{id}", handler: (*API).patchAsset},
	{Method: "DELETE", Path: BasePath + "/assets/{id}", handler: (*API).deleteAsset},
	{Method: "GET", Path: BasePath + "/roles", handler: (*API).listRoles},
	{Method: "POST", Path: BasePath + "/roles", handler: (*API).createRole},
	{Method: "GET", Path: BasePath + "/roles/{key}", handler: (*API).getRole},
	{Method: "DELETE", Path: BasePath + "/roles/{key}", handler: (*API).deleteRole},
	{Method: "GET", Path: "/api/openapi.json", Public: true, handler: (*API).openAPI},
}

// Routes returns the API's routes.
func Routes() []Route { return append([]Route(nil), routes...) }

// Register adds every route to mux. Any other path under /api/ answers with
// a problem: 405 with Allow when the path exists for other methods, 404
// otherwise.
func (a *API) Register(mux *http.ServeMux) {
	allowed := map[string][]string{}
	paths := http.NewServeMux()
	for _, rt := range routes {
		rt := rt
		mux.HandleFunc(rt.Method+" "+rt.Path, func(w http.ResponseWriter, r *http.Request) {
			if err := rt.check(r); err != nil {
				a.writeError(w, r, err)
				return
			}
			if err := rt.handler(a, w, r); err != nil {
				a.writeError(w, r, err)
			}
		})
		if _, seen := allowed[rt.Path]; !seen {
			paths.Handle(rt.Path, http.NotFoundHandler())
		}
		allowed[rt.Path] = append(allowed[rt.Path], rt.Method)
		if rt.Method == http.MethodGet {
			// ServeMux answers HEAD for every GET route.
			allowed[rt.Path] = append(allowed[rt.Path], http.MethodHead)
		}
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := paths.Handler(r); pattern != "" {
			methods := allowed[pattern]
			w.Header().Set("Allow", strings.Join(methods, ", "))
			a.writeProblem(w, r, problem{Type: typePrefix + "method-not-allowed", Title: "Method Not Allowed",
				Status: http.StatusMethodNotAllowed, Detail: r.Method + " is not allowed here; use " + strings.Join(methods, " or ") + "."})
			return
		}
		a.writeProblem(w, r, problem{Type: typePrefix + "route-not-found", Title: "Not Found", Status: http.StatusNotFound,
			Detail: "No API route " + r.Method + " " + r.URL.Path + "."})
	})
}

// check refuses, before the handler reads anything, a request without
// credentials to a non-public route and query parameters the route does not
// take.
func (rt Route) check(r *http.Request) error {
	if !rt.Public {
		if _, ok := auth.FromContext(r.Context()); !ok {
			return domain.Errorf(domain.EUnauthorized, "Sign in or send an API token (Authorization: Bearer crg_...).")
		}
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return &domain.Error{Code: domain.EBadRequest, Type: "unknown-parameter", Message: "The query string is malformed: " + err.Error() + "."}
	}
	if err := checkURLText(r); err != nil {
		return err
	}
	for k := range query {
		if !paramAllowed(rt.Params, k) {
			return &domain.Error{Code: domain.EBadRequest, Type: "unknown-parameter", Message: "Unknown query parameter " + strconv.Quote(k) + "."}
		}
	}
	return nil
}

// paramAllowed matches k against names, where "name.*" stands for any
// "name." prefix.
func paramAllowed(names []string, k string) bool {
	for _, n := range names {
		if n == k || (strings.HasSuffix(n, ".*") && strings.HasPrefix(k, strings.TrimSuffix(n, "*"))) {
			return true
		}
	}
	return false
}
