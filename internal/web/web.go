// Package web serves custreg's HTML user interface: server-rendered pages
// built with html/template, plain HTML forms that work without JavaScript,
// and a small hand-written script (static/app.js) that enhances them. The
// templates and assets are embedded, so the binary needs no build step and no
// files beside it.
//
// Every page handler returns an error; serve turns it into the one right
// answer (a redirect to the sign-in page, a 404 page, or a logged internal
// error shown as a generic page). Forms handle their own validation errors by
// rendering the form again with the typed values and a message beside each
// field.
//
// Routes (all HTML; unauthenticated page requests go to /login?next=…):
//
//	GET  /                       → /customers, or a start page while MSP mode is off
//	GET  /login, POST /login     sign in; POST /logout signs out
//	GET  /setup?token=…, POST    the one-time page that creates the first admin
//	GET  /customers              the Customer Registration page; its query is the API's
//	                             list query (q, name.contains=…, filter=…, sort, cursor:
//	                             package listquery), so a view can be bookmarked; the
//	                             header X-Custreg-Fragment: results answers the results
//	                             alone (list.go)
//	GET  /customers/new          the page with the Add Customer wizard open; POST answers
//	                             its buttons and, on Submit, creates the customer with
//	                             its entities and license allocation in one request
//	                             (wizard.go)
//	GET  /customers/{id}/edit    the sidebar in edit mode (?step=entities or
//	                             ?step=licenses opens that step); POST saves (carries
//	                             the version: the allocation, then the details) or runs
//	                             an entity action (add, edit, delete an entity)
//	GET  /customers/{id}/licenses  the license sidebar: used against allocated per type
//	                             (licenses.go), over the list, or over the customer's
//	                             page for its own people
//	GET  /licenses, POST         the organization's pool, allocated, unallocated and
//	                             used per type, and its spread over customers (?cursor=
//	                             pages them); POST sets the pool (organization admins)
//	GET  /customers/{id}/delete  the page with the delete dialog open; POST deletes
//	GET  /customers/{id}         one customer: details, figures, entities, links to its
//	                             users and assets; a customer's own people start here
//	                             (GET /customers sends them to it)
//	GET  /customers/{id}/archive  the customer's archive, one zip of everything
//	                             custreg holds about it (package archive), streamed
//	GET  /customers/{id}/entities/{eid}  one entity of it
//	GET  /users, /assets         the user and asset tables (users.go, assets.go,
//	                             records.go): ?customer_id=…&entity_id=… filter them,
//	                             cursor pages them (bound to each list's own order)
//	GET  /users/new, POST        the page with the Add User sidebar open; POST creates,
//	                             or with op=customer shows the chosen customer's
//	                             entities (the round trip without the script)
//	GET  /users/{id}/edit, POST  edit (moving to another customer or entities)
//	GET  /users/{id}/delete, POST  the delete dialog; POST deletes
//	POST /users/move             moves the checked users (ids) to move_customer_id and
//	                             move_entity_ids in one request
//	     /assets/…               the same for assets (one move_entity_id)
//	GET  /pickers/entities?kind=…&customer_id=…  the entity picker alone, which the
//	                             script swaps in when a customer is chosen
//	GET  /dashboards?key=…&customer_id=…&q=…  the dashboards the caller may open, the
//	                             chosen one's SVG inline (dashboards.go); q searches a
//	                             customer for organization users (all customers without)
//	GET  /reports                the reports the caller may run, the scope
//	                             (customer_id; customer= searches customers), CSV and
//	                             PDF download links to the API, ?preview=<key> the
//	                             first rows of one (reports.go)
//	GET  /static/…               embedded assets, cached for good when the URL has ?v=<hash>
//
// While MSP mode is off the customer pages answer 404 with a page that says
// so, and the menu has no Customers entry; users and assets are the
// organization's, without customer or entity pickers.
//
// Every edit form carries the version of what it edits (the pool and an
// allocation: the counts it showed); a save over a newer copy answers 409
// with the conflict view (conflict.go): what was typed kept, the stored
// values beside it, and the stored version in the form, so that Save again
// overwrites deliberately.
//
// What a page offers follows the caller: the menu and the add, edit,
// delete and move controls show only what the caller's role allows
// (scope.go). A customer-scoped caller sees only its own customer: no
// customer picker, no customer list, and another customer's pages answer
// 404 like pages that do not exist.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/httpauth"
	"github.com/custreg/custreg/internal/problem"
)

//go:embed templates static
var files embed.FS

// Options configure the UI.
type Options struct {
	Logger *slog.Logger
	// TrustProxy honours X-Forwarded-Proto when deciding whether cookies are
	// Secure, and X-Forwarded-For for the client address sign-in throttling
	// counts.
	TrustProxy bool
}

// Handler serves the UI pages and their static assets.
type Handler struct {
	svc    services
	opts   Options
	log    *slog.Logger
	pages  map[string]*template.Template
	static fs.FS
	// assetVersion maps a static file name to a hash of its content, which
	// asset URLs carry so that browsers may cache them for good.
	assetVersion map[string]string
}

// New returns the UI handler. It panics if the embedded templates do not
// parse, which the tests catch before any release.
func New(svc Service, opts Options) *Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	h := &Handler{svc: newServices(svc), opts: opts, log: opts.Logger}
	static, err := fs.Sub(files, "static")
	if err != nil {
		panic(err)
	}
	h.static = static
	h.assetVersion = map[string]string{}
	err = fs.WalkDir(static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		h.assetVersion[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		panic(err)
	}
	h.pages, err = h.parsePages()
	if err != nil {
		panic(err)
	}
	return h
}

// Route is one page of the UI: the ServeMux pattern, the service use case
// it runs (whose declared need, service.UseCases, decides who may open it:
// refused with 403 before the page reads anything, like the API) and the
// handler. UseCase "" is a page any signed-in person may open. The
// permission test calls every route as every role and holds the answers to
// the table.
type Route struct {
	Pattern string
	UseCase string
	handler func(*Handler, http.ResponseWriter, *http.Request) error
}

var routes = []Route{
	{"GET /{$}", "", (*Handler).home},
	{"GET /customers", "ListCustomers", (*Handler).customers},
	{"GET /customers/new", "RegisterCustomer", (*Handler).newCustomer},
	{"POST /customers/new", "RegisterCustomer", (*Handler).createCustomer},
	{"GET /customers/{id}/edit", "UpdateCustomerWithLicenses", (*Handler).editCustomer},
	{"POST /customers/{id}/edit", "UpdateCustomerWithLicenses", (*Handler).updateCustomer},
	{"GET /customers/{id}/delete", "DeleteCustomer", (*Handler).confirmDelete},
	{"POST /customers/{id}/delete", "DeleteCustomer", (*Handler).deleteCustomer},
	{"POST /customers/{id}/restore", "RestoreCustomer", (*Handler).restoreCustomer},
	{"GET /customers/{id}", "Customer", (*Handler).showCustomer},
	{"GET /customers/{id}/entities/{eid}", "Entity", (*Handler).showEntity},
	{"GET /customers/{id}/licenses", "CustomerLicenses", (*Handler).showLicenses},
	{"GET /customers/{id}/archive", "ArchiveCustomer", (*Handler).downloadArchive},
	{"POST /logo-drafts", "StageLogo", (*Handler).stageLogoDraft},
	{"GET /logo-drafts/{id}", "LogoDraft", (*Handler).logoDraftImage},
	{"POST /customers/{id}/logos/{kind}", "SetCustomerLogo", (*Handler).uploadLogo},
	{"POST /customers/{id}/logos/{kind}/delete", "DeleteCustomerLogo", (*Handler).removeLogo},

	{"GET /licenses", "OrgLicenses", (*Handler).licensesPage},
	{"POST /licenses", "SetOrgPool", (*Handler).setPool},

	{"GET /users", "ListUsers", userPage.listRoute},
	{"GET /users/new", "CreateUser", userPage.newRoute},
	{"POST /users/new", "CreateUser", userPage.createRoute},
	{"POST /users/move", "MoveUsers", userPage.moveRoute},
	{"GET /users/{id}/edit", "UpdateUser", userPage.editRoute},
	{"POST /users/{id}/edit", "UpdateUser", userPage.updateRoute},
	{"GET /users/{id}/delete", "DeleteUser", userPage.confirmDeleteRoute},
	{"POST /users/{id}/delete", "DeleteUser", userPage.deleteRoute},

	{"GET /assets", "ListAssets", assetPage.listRoute},
	{"GET /assets/new", "CreateAsset", assetPage.newRoute},
	{"POST /assets/new", "CreateAsset", assetPage.createRoute},
	{"POST /assets/move", "MoveAssets", assetPage.moveRoute},
	{"GET /assets/{id}/edit", "UpdateAsset", assetPage.editRoute},
	{"POST /assets/{id}/edit", "UpdateAsset", assetPage.updateRoute},
	{"GET /assets/{id}/delete", "DeleteAsset", assetPage.confirmDeleteRoute},
	{"POST /assets/{id}/delete", "DeleteAsset", assetPage.deleteRoute},

	{"GET /pickers/entities", "ListEntities", (*Handler).pickerEntities},
	{"GET /pickers/customers", "ListCustomers", (*Handler).pickerCustomers},

	{"GET /dashboards", "Dashboards", (*Handler).dashboardsPage},
	{"GET /reports", "Reports", (*Handler).reportsPage},
	{"GET /audit", "Audit", (*Handler).auditPage},

	{"GET /trash", "", (*Handler).trashPage},
	{"GET /trash/customers", "Trash", (*Handler).customerTrash},
	{"POST /trash/customers/{id}/restore", "RestoreCustomer", restoreFromTrash("customers")},
	{"POST /trash/customers/{id}/purge", "PurgeCustomer", purgeFromTrash("customers")},
	{"GET /trash/users", "UserTrash", (*Handler).userTrash},
	{"POST /trash/users/{id}/restore", "RestoreUser", restoreFromTrash("users")},
	{"POST /trash/users/{id}/purge", "PurgeUser", purgeFromTrash("users")},
	{"GET /trash/assets", "AssetTrash", (*Handler).assetTrash},
	{"POST /trash/assets/{id}/restore", "RestoreAsset", restoreFromTrash("assets")},
	{"POST /trash/assets/{id}/purge", "PurgeAsset", purgeFromTrash("assets")},

	{"GET /settings", "UpdateOrgSettings", (*Handler).orgSettingsPage},
	{"POST /settings", "UpdateOrgSettings", (*Handler).saveOrgSettings},
	{"POST /settings/logos/{kind}", "SetOrgLogo", (*Handler).uploadOrgLogo},
	{"POST /settings/logos/{kind}/delete", "DeleteOrgLogo", (*Handler).removeOrgLogoRoute},
}

// Routes returns the UI's signed-in pages.
func Routes() []Route { return append([]Route(nil), routes...) }

// Register adds the UI's routes to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /static/", h.serveStatic)
	mux.Handle("GET /login", h.public(h.loginForm))
	mux.Handle("POST /login", h.public(h.login))
	mux.Handle("POST /logout", h.public(h.logout))
	mux.Handle("GET /setup", h.public(h.setupForm))
	mux.Handle("POST /setup", h.public(h.setup))
	for _, rt := range routes {
		mux.Handle(rt.Pattern, h.page(func(w http.ResponseWriter, r *http.Request) error {
			if rt.UseCase != "" {
				if err := h.svc.access.Allowed(r.Context(), rt.UseCase); err != nil {
					return err
				}
			}
			return rt.handler(h, w, r)
		}))
	}

	// Everything else that no other handler claims is a page that does not
	// exist; answer with a page, not the mux's plain text.
	mux.Handle("/", h.public(func(w http.ResponseWriter, r *http.Request) error {
		return domain.Errorf(domain.ENotFound, "There is no page at this address.")
	}))
}

// handlerFunc is a page handler. It writes a response, or returns an error
// for serve to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// public serves a page that needs no signed-in user.
func (h *Handler) public(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		if err := checkURLText(r); err != nil {
			h.fail(w, r, err)
			return
		}
		if err := fn(w, r); err != nil {
			h.fail(w, r, err)
		}
	})
}

// page serves a page for a signed-in user; anyone else is sent to the
// sign-in page, which brings them back here afterwards.
func (h *Handler) page(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		if _, ok := domain.PrincipalFrom(r.Context()); !ok {
			h.redirectToLogin(w, r)
			return
		}
		if err := checkURLText(r); err != nil {
			h.fail(w, r, err)
			return
		}
		if err := fn(w, r); err != nil {
			h.fail(w, r, err)
		}
	})
}

// setPageHeaders sets the headers every HTML answer carries. Pages show
// tenant data, so no cache keeps them; the policy allows only this origin's
// scripts and styles, so injected markup cannot run.
func setPageHeaders(w http.ResponseWriter) {
	hd := w.Header()
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("X-Frame-Options", "DENY")
}

func (h *Handler) redirectToLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if next := r.URL.RequestURI(); r.Method == http.MethodGet && next != "/" {
		target += "?next=" + url.QueryEscape(next)
	} else if r.Method != http.MethodGet {
		// A form posted after the session ended cannot be replayed; bring
		// the user back to the page it came from instead.
		if next := localPath(strings.TrimSuffix(r.URL.Path, "/")); next != "" {
			target += "?next=" + url.QueryEscape(next)
		}
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// fail is the one place where a page's error becomes a response.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var de *domain.Error
	if !errors.As(err, &de) {
		h.log.ErrorContext(r.Context(), "web: internal error", "method", r.Method, "path", r.URL.Path,
			"request_id", domain.RequestFrom(r.Context()).ID, "err", err)
		de = &domain.Error{Code: domain.EInternal}
	}
	// The status is the one every edge gives the code (internal/problem);
	// the page says what it means for the person reading it.
	v := errorView{RequestID: domain.RequestFrom(r.Context()).ID}
	status := problem.Status(de.Code)
	switch de.Code {
	case domain.EUnauthorized:
		httpauth.ClearSessionCookie(w, r, h.opts.TrustProxy)
		h.redirectToLogin(w, r)
		return
	case domain.ENotFound:
		v.Title = "Page not found"
		v.Message = de.Message
		if de.Type == "msp-disabled" {
			v.Title = "Customers are not available"
			v.MSPDisabled = true
		}
	case domain.EForbidden:
		v.Title = "Not allowed"
		v.Message = de.Message
	case domain.EBadRequest, domain.EInvalid, domain.ETooLarge, domain.EUnsupportedMedia, domain.ETooManyRequests:
		v.Title = "That request could not be handled"
		v.Message = de.Message
		if de.RetryAfter > 0 {
			w.Header().Set("Retry-After", problem.RetryAfter(de.RetryAfter))
		}
	case domain.EConflict, domain.EPrecondition:
		v.Title = "That change could not be made"
		v.Message = de.Message
	default:
		if de.Code != domain.EInternal {
			h.log.ErrorContext(r.Context(), "web: unexpected error code", "code", de.Code, "err", err)
		}
		status = http.StatusInternalServerError
		v.Title = "Something went wrong"
		v.Message = "" // the template shows a generic message and the request id
	}
	v.Shell = h.shell(r, "", v.Title)
	h.render(w, r, status, "error", v)
}

// render executes page into a buffer first, so that a template failure
// becomes a clean 500 instead of half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	h.renderTemplate(w, r, status, page, "layout", data)
}

// renderTemplate executes the template name of page: "layout" for the whole
// page, or a part of it that the script swaps in.
func (h *Handler) renderTemplate(w http.ResponseWriter, r *http.Request, status int, page, name string, data any) {
	t, ok := h.pages[page]
	if !ok {
		h.log.ErrorContext(r.Context(), "web: unknown template", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		h.log.ErrorContext(r.Context(), "web: rendering template", "page", page, "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// seeOther redirects after a successful POST, so that reloading the page
// does not send the form again.
func seeOther(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// localPath returns p if it is a path on this site ("/customers?x=1") and ""
// otherwise, so that ?next= cannot send anyone to another site.
func localPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t") {
		return ""
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	if strings.HasPrefix(u.Path, "/api/") || strings.HasPrefix(u.Path, "/static/") ||
		u.Path == "/login" || u.Path == "/logout" || u.Path == "/setup" {
		return ""
	}
	return u.RequestURI()
}

// serveStatic serves the embedded assets. A URL that carries the current
// content hash (as asset() writes them) may be cached for a year; any other
// is revalidated.
func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/static/")
	ver, ok := h.assetVersion[name]
	if !ok {
		setPageHeaders(w)
		h.fail(w, r, domain.Errorf(domain.ENotFound, "There is no file at this address."))
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("ETag", `"`+ver+`"`)
	if r.URL.Query().Get("v") == ver {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, no-cache")
	}
	http.ServeFileFS(w, r, h.static, name)
}

// asset returns the URL of a static file with its content hash.
func (h *Handler) asset(name string) string {
	return "/static/" + name + "?v=" + h.assetVersion[name]
}
