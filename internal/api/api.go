// Package api serves custreg's JSON API under /api/v1 and its OpenAPI 3.1
// document at /api/openapi.json. Handlers decode and check the request's
// shape, call the service, and encode the answer; every error becomes an RFC
// 9457 problem in one place (problem.go).
package api

import (
	"log/slog"
	"net/http"

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
	Method  string
	Path    string
	handler func(*API, http.ResponseWriter, *http.Request) error
}

// BasePath prefixes every API route but the OpenAPI document.
const BasePath = "/api/v1"

var routes = []Route{
	{"POST", BasePath + "/auth/login", (*API).login},
	{"POST", BasePath + "/auth/logout", (*API).logout},
	{"GET", BasePath + "/me", (*API).me},
	{"GET", BasePath + "/tokens", (*API).listTokens},
	{"POST", BasePath + "/tokens", (*API).createToken},
	{"DELETE", BasePath + "/tokens/{id}", (*API).revokeToken},
	{"GET", BasePath + "/org/settings", (*API).orgSettings},
	{"PATCH", BasePath + "/org/settings", (*API).patchOrgSettings},
	{"GET", BasePath + "/customers", (*API).listCustomers},
	{"POST", BasePath + "/customers", (*API).createCustomer},
	{"GET", BasePath + "/customers/{id}", (*API).getCustomer},
	{"PATCH", BasePath + "/customers/{id}", (*API).patchCustomer},
	{"DELETE", BasePath + "/customers/{id}", (*API).deleteCustomer},
	{"GET", "/api/openapi.json", (*API).openAPI},
}

// Routes returns the API's routes.
func Routes() []Route { return append([]Route(nil), routes...) }

// Register adds every route to mux, and a problem-shaped 404 for any other
// path under /api/.
func (a *API) Register(mux *http.ServeMux) {
	for _, rt := range routes {
		h := rt.handler
		mux.HandleFunc(rt.Method+" "+rt.Path, func(w http.ResponseWriter, r *http.Request) {
			if err := h(a, w, r); err != nil {
				a.writeError(w, r, err)
			}
		})
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		a.writeProblem(w, r, problem{Type: typePrefix + "route-not-found", Title: "Not Found", Status: http.StatusNotFound,
			Detail: "No API route " + r.Method + " " + r.URL.Path + "."})
	})
}
