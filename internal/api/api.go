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

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/problem"
)

// Options configure the API.
type Options struct {
	Logger *slog.Logger
	// TrustProxy honours X-Forwarded-Proto when deciding whether the session
	// cookie is Secure, and X-Forwarded-For for the client address sign-in
	// throttling counts.
	TrustProxy bool
}

// API is the JSON API.
type API struct {
	svc  services
	log  *slog.Logger
	opts Options
}

// New returns the API over svc.
func New(svc Service, opts Options) *API {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &API{svc: newServices(svc), log: opts.Logger, opts: opts}
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
	Params []string
	// UseCase names the service use case the route runs, whose declared
	// need (service.UseCases) decides who may call it; "" for public
	// routes. The permission test calls every route as every role and
	// holds the answers to that table.
	UseCase string
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
	{Method: "GET", Path: BasePath + "/me", UseCase: "Me", handler: (*API).me},
	{Method: "GET", Path: BasePath + "/tokens", UseCase: "Tokens", handler: (*API).listTokens},
	{Method: "POST", Path: BasePath + "/tokens", UseCase: "CreateToken", handler: (*API).createToken},
	{Method: "DELETE", Path: BasePath + "/tokens/{id}", UseCase: "RevokeToken", handler: (*API).revokeToken},
	{Method: "GET", Path: BasePath + "/org/settings", UseCase: "OrgSettings", handler: (*API).orgSettings},
	{Method: "PATCH", Path: BasePath + "/org/settings", UseCase: "UpdateOrgSettings", handler: (*API).patchOrgSettings},
	{Method: "GET", Path: BasePath + "/org/licenses", UseCase: "OrgLicenses", handler: (*API).orgLicenses},
	{Method: "PUT", Path: BasePath + "/org/licenses", UseCase: "SetOrgPool", handler: (*API).putOrgLicenses},
	{Method: "GET", Path: BasePath + "/org/full_logo", Params: []string{"original", "v"}, UseCase: "OrgLogo", handler: logoHandler(domain.LogoFull, (*API).getOrgLogo)},
	{Method: "PUT", Path: BasePath + "/org/full_logo", UseCase: "SetOrgLogo", handler: logoHandler(domain.LogoFull, (*API).putOrgLogo)},
	{Method: "DELETE", Path: BasePath + "/org/full_logo", UseCase: "DeleteOrgLogo", handler: logoHandler(domain.LogoFull, (*API).deleteOrgLogo)},
	{Method: "GET", Path: BasePath + "/org/logomark", Params: []string{"original", "v"}, UseCase: "OrgLogo", handler: logoHandler(domain.LogoMark, (*API).getOrgLogo)},
	{Method: "PUT", Path: BasePath + "/org/logomark", UseCase: "SetOrgLogo", handler: logoHandler(domain.LogoMark, (*API).putOrgLogo)},
	{Method: "DELETE", Path: BasePath + "/org/logomark", UseCase: "DeleteOrgLogo", handler: logoHandler(domain.LogoMark, (*API).deleteOrgLogo)},
	{Method: "GET", Path: BasePath + "/customers", Params: listParams, UseCase: "ListCustomers", handler: (*API).listCustomers},
	{Method: "POST", Path: BasePath + "/customers", UseCase: "RegisterCustomer", handler: (*API).createCustomer},
	{Method: "GET", Path: BasePath + "/customers/{id}", UseCase: "Customer", handler: (*API).getCustomer},
	{Method: "PATCH", Path: BasePath + "/customers/{id}", UseCase: "UpdateCustomerWithLicenses", handler: (*API).patchCustomer},
	{Method: "DELETE", Path: BasePath + "/customers/{id}", UseCase: "DeleteCustomer", handler: (*API).deleteCustomer},
	{Method: "GET", Path: BasePath + "/customers/{id}/delete-preview", UseCase: "DeletePreview", handler: (*API).deletePreview},
	{Method: "GET", Path: BasePath + "/customers/{id}/archive", UseCase: "ArchiveCustomer", handler: (*API).archiveCustomer},
	{Method: "GET", Path: BasePath + "/trash/customers", Params: []string{"limit", "cursor"}, UseCase: "Trash", handler: (*API).listTrash},
	{Method: "POST", Path: BasePath + "/trash/customers/{id}/restore", UseCase: "RestoreCustomer", handler: (*API).restoreCustomer},
	{Method: "DELETE", Path: BasePath + "/trash/customers/{id}", UseCase: "PurgeCustomer", handler: (*API).purgeCustomer},
	{Method: "GET", Path: BasePath + "/trash/users", Params: []string{"limit", "cursor"}, UseCase: "UserTrash", handler: (*API).listUserTrash},
	{Method: "POST", Path: BasePath + "/trash/users/{id}/restore", UseCase: "RestoreUser", handler: (*API).restoreUser},
	{Method: "DELETE", Path: BasePath + "/trash/users/{id}", UseCase: "PurgeUser", handler: (*API).purgeUser},
	{Method: "GET", Path: BasePath + "/trash/assets", Params: []string{"limit", "cursor"}, UseCase: "AssetTrash", handler: (*API).listAssetTrash},
	{Method: "POST", Path: BasePath + "/trash/assets/{id}/restore", UseCase: "RestoreAsset", handler: (*API).restoreAsset},
	{Method: "DELETE", Path: BasePath + "/trash/assets/{id}", UseCase: "PurgeAsset", handler: (*API).purgeAsset},
	{Method: "GET", Path: BasePath + "/customers/{id}/licenses", UseCase: "CustomerLicenses", handler: (*API).customerLicenses},
	{Method: "PUT", Path: BasePath + "/customers/{id}/licenses", UseCase: "SetCustomerLicenses", handler: (*API).putCustomerLicenses},
	{Method: "GET", Path: BasePath + "/customers/{id}/full_logo", Params: []string{"original", "v"}, UseCase: "CustomerLogo", handler: logoHandler(domain.LogoFull, (*API).getLogo)},
	{Method: "PUT", Path: BasePath + "/customers/{id}/full_logo", UseCase: "SetCustomerLogo", handler: logoHandler(domain.LogoFull, (*API).putLogo)},
	{Method: "DELETE", Path: BasePath + "/customers/{id}/full_logo", UseCase: "DeleteCustomerLogo", handler: logoHandler(domain.LogoFull, (*API).deleteLogo)},
	{Method: "GET", Path: BasePath + "/customers/{id}/logomark", Params: []string{"original", "v"}, UseCase: "CustomerLogo", handler: logoHandler(domain.LogoMark, (*API).getLogo)},
	{Method: "PUT", Path: BasePath + "/customers/{id}/logomark", UseCase: "SetCustomerLogo", handler: logoHandler(domain.LogoMark, (*API).putLogo)},
	{Method: "DELETE", Path: BasePath + "/customers/{id}/logomark", UseCase: "DeleteCustomerLogo", handler: logoHandler(domain.LogoMark, (*API).deleteLogo)},
	{Method: "GET", Path: BasePath + "/customers/{id}/entities", Params: []string{"limit", "cursor"}, UseCase: "ListEntities", handler: (*API).listEntities},
	{Method: "POST", Path: BasePath + "/customers/{id}/entities", UseCase: "CreateEntity", handler: (*API).createEntity},
	{Method: "GET", Path: BasePath + "/customers/{id}/entities/{entity_id}", UseCase: "Entity", handler: (*API).getEntity},
	{Method: "PATCH", Path: BasePath + "/customers/{id}/entities/{entity_id}", UseCase: "UpdateEntity", handler: (*API).patchEntity},
	{Method: "DELETE", Path: BasePath + "/customers/{id}/entities/{entity_id}", UseCase: "DeleteEntity", handler: (*API).deleteEntity},
	{Method: "GET", Path: BasePath + "/users", Params: placementParams, UseCase: "ListUsers", handler: users.listRoute},
	{Method: "POST", Path: BasePath + "/users", UseCase: "CreateUser", handler: users.createRoute},
	{Method: "POST", Path: BasePath + "/users/move", UseCase: "MoveUsers", handler: (*API).moveUsers},
	{Method: "GET", Path: BasePath + "/users/{id}", UseCase: "User", handler: users.getRoute},
	{Method: "PATCH", Path: BasePath + "/users/{id}", UseCase: "UpdateUser", handler: users.patchRoute},
	{Method: "DELETE", Path: BasePath + "/users/{id}", UseCase: "DeleteUser", handler: users.deleteRoute},
	{Method: "GET", Path: BasePath + "/assets", Params: placementParams, UseCase: "ListAssets", handler: assets.listRoute},
	{Method: "POST", Path: BasePath + "/assets", UseCase: "CreateAsset", handler: assets.createRoute},
	{Method: "POST", Path: BasePath + "/assets/move", UseCase: "MoveAssets", handler: (*API).moveAssets},
	{Method: "GET", Path: BasePath + "/assets/{id}", UseCase: "Asset", handler: assets.getRoute},
	{Method: "PATCH", Path: BasePath + "/assets/{id}", UseCase: "UpdateAsset", handler: assets.patchRoute},
	{Method: "DELETE", Path: BasePath + "/assets/{id}", UseCase: "DeleteAsset", handler: assets.deleteRoute},
	{Method: "GET", Path: BasePath + "/audit", Params: auditParams, UseCase: "Audit", handler: (*API).listAudit},
	{Method: "GET", Path: BasePath + "/reports", UseCase: "Reports", handler: (*API).listReports},
	{Method: "GET", Path: BasePath + "/reports/{key}", Params: reportParams, UseCase: "RunReport", handler: (*API).runReport},
	{Method: "GET", Path: BasePath + "/dashboards", UseCase: "Dashboards", handler: (*API).listDashboards},
	{Method: "GET", Path: BasePath + "/dashboards/{key}", Params: []string{"customer_id", "format"}, UseCase: "Dashboard", handler: (*API).getDashboard},
	{Method: "GET", Path: BasePath + "/roles", UseCase: "Roles", handler: (*API).listRoles},
	{Method: "POST", Path: BasePath + "/roles", UseCase: "CreateRole", handler: (*API).createRole},
	{Method: "GET", Path: BasePath + "/roles/{key}", UseCase: "Role", handler: (*API).getRole},
	{Method: "DELETE", Path: BasePath + "/roles/{key}", UseCase: "DeleteRole", handler: (*API).deleteRole},
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
			// The caller's role is checked against the use case's need
			// before anything of the request is read, so a refusal is the
			// same 403 whatever the request says. The service checks it
			// again for every other way in.
			if rt.UseCase != "" {
				if err := a.svc.access.Allowed(r.Context(), rt.UseCase); err != nil {
					a.writeError(w, r, err)
					return
				}
			}
			if err := a.idempotent(rt, w, r); err != nil {
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
			problem.Write(w, r, problem.New(http.StatusMethodNotAllowed, "method-not-allowed",
				r.Method+" is not allowed here; use "+strings.Join(methods, " or ")+"."))
			return
		}
		problem.Write(w, r, problem.New(http.StatusNotFound, "route-not-found", "No API route "+r.Method+" "+r.URL.Path+"."))
	})
}

// check refuses, before the handler reads anything, a request without
// credentials to a non-public route and query parameters the route does not
// take.
func (rt Route) check(r *http.Request) error {
	if !rt.Public {
		if _, ok := domain.PrincipalFrom(r.Context()); !ok {
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
