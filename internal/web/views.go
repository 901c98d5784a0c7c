package web

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Shell is what the frame around every page shows: where you are, who you
// are, and the menu of what exists.
type Shell struct {
	Title     string // the page's own title; the <title> adds the product
	OrgName   string
	User      string // the signed-in person's name ("" when signed out)
	UserEmail string
	SignedIn  bool
	// Nav lists the side menu's entries; only what exists and the person
	// may use is in it.
	Nav    []NavItem
	Active string
	// ListTitle names the list a page's sidebar or dialog opens over, for
	// the script's tab title once it closes.
	ListTitle string
	// MSP is set while MSP mode is on: customers exist.
	MSP bool
	// FullLogo and Logomark are the addresses of the logos the header
	// shows ("" for none): the person's customer's, or the organization's.
	// BrandName is whose they are.
	FullLogo, Logomark, BrandName string
	Flash                         string // a one-time notice from the previous request
	// Undo is the customer the notice's Undo restores from trash.
	Undo string
	// asset gives a static file's cache-busting URL.
	asset func(name string) string
}

// NavItem is one entry of the side menu.
type NavItem struct {
	Key, Label, Href, Icon string
}

// Asset returns the cache-busting URL of a static file.
func (s Shell) Asset(name string) string { return s.asset(name) }

// shell builds the frame for r (newShell), with the caller's branding.
// Reading it decides whether the Customers menu exists; if it cannot be
// read (a store failure on an error page) the frame is shown without it.
func (h *Handler) shell(r *http.Request, active, title string) Shell {
	p, signedIn := domain.PrincipalFrom(r.Context())
	var brand *service.Branding
	if signedIn {
		if b, err := h.svc.org.Branding(r.Context()); err == nil {
			brand = &b
		}
	}
	return newShell(p, signedIn, brand, active, title, h.asset)
}

// newShell is the frame around a page for the person p (signedIn false:
// nobody), with the branding b (nil when it could not be read), the menu
// entry active and the page's title: what exists for p to use, and whose
// logos the header shows. It is the view layer's alone: no request, no
// handler.
func newShell(p domain.Principal, signedIn bool, b *service.Branding, active, title string, asset func(string) string) Shell {
	s := Shell{Title: title, Active: active, asset: asset, OrgName: "custreg"}
	if !signedIn {
		return s
	}
	s.SignedIn, s.User, s.UserEmail = true, p.Name, p.Email
	if s.User == "" {
		s.User = p.Email
	}
	if b != nil {
		org := b.Org
		if org.Name != "" {
			s.OrgName = org.Name
		}
		s.BrandName = s.OrgName
		for _, li := range b.OrgLogos {
			s.setLogo(li.Kind, "/api/v1/org/"+li.Kind)
		}
		if len(b.CustomerLogos) > 0 {
			// A customer's own logos replace the organization's, both of
			// them, so the header never mixes two brands.
			s.FullLogo, s.Logomark = "", ""
			for _, li := range b.CustomerLogos {
				s.setLogo(li.Kind, "/api/v1/customers/"+url.PathEscape(p.CustomerID)+"/"+li.Kind)
			}
			s.BrandName = ""
		}
		s.MSP = org.MSPEnabled
		if org.MSPEnabled && can(p, "customers", "view") {
			label := "Customers"
			if p.CustomerID != "" {
				// A customer's people see their own customer only.
				label = "Customer"
			}
			s.Nav = append(s.Nav, NavItem{Key: "customers", Label: label, Href: "/customers", Icon: "i-customers"})
		}
	}
	if can(p, "users", "view") {
		s.Nav = append(s.Nav, NavItem{Key: "users", Label: "Users", Href: "/users", Icon: "i-users"})
	}
	if can(p, "assets", "view") {
		s.Nav = append(s.Nav, NavItem{Key: "assets", Label: "Assets", Href: "/assets", Icon: "i-assets"})
	}
	if p.CustomerID == "" && can(p, "licenses", "view") {
		// The pool is the organization's; a customer's people see their
		// own allocation in its license sidebar.
		s.Nav = append(s.Nav, NavItem{Key: "licenses", Label: "Licenses", Href: "/licenses", Icon: "i-license"})
	}
	if allows(p, "Reports") {
		s.Nav = append(s.Nav, NavItem{Key: "reports", Label: "Reports", Href: "/reports", Icon: "i-report"})
	}
	if allows(p, "Dashboards") {
		s.Nav = append(s.Nav, NavItem{Key: "dashboards", Label: "Dashboards", Href: "/dashboards", Icon: "i-dashboard"})
	}
	if allows(p, "Audit") {
		s.Nav = append(s.Nav, NavItem{Key: "audit", Label: "Audit", Href: "/audit", Icon: "i-audit"})
	}
	if allows(p, "Trash") || allows(p, "UserTrash") || allows(p, "AssetTrash") {
		s.Nav = append(s.Nav, NavItem{Key: "trash", Label: "Trash", Href: "/trash", Icon: "i-trash"})
	}
	if allows(p, "UpdateOrgSettings") {
		s.Nav = append(s.Nav, NavItem{Key: "settings", Label: "Settings", Href: "/settings", Icon: "i-settings"})
	}
	for _, n := range s.Nav {
		if n.Key == active {
			s.ListTitle = n.Label
		}
	}
	return s
}

func (s *Shell) setLogo(kind, href string) {
	switch kind {
	case domain.LogoFull:
		s.FullLogo = href
	case domain.LogoMark:
		s.Logomark = href
	}
}

// HasNav reports whether the side menu has the entry key.
func (s Shell) HasNav(key string) bool {
	for _, n := range s.Nav {
		if n.Key == key {
			return true
		}
	}
	return false
}

// flashCookie carries a one-time notice ("Customer Airtel was added.") across
// the redirect after a successful form.
const flashCookie = "custreg_flash"

func setFlash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)),
		Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// takeFlash returns the pending notice, if any, and clears it.
func takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || !utf8.Valid(b) || len(b) > 300 {
		return ""
	}
	return string(b)
}

// undoCookie carries, with the flash after a delete, the customer the
// notice's Undo restores.
const undoCookie = "custreg_undo"

func setUndo(w http.ResponseWriter, customerID string) {
	http.SetCookie(w, &http.Cookie{Name: undoCookie, Value: customerID, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// takeUndo returns the customer the notice may restore, if any, and
// clears it.
func takeUndo(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(undoCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: undoCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	if domain.TextProblem(c.Value) != "" || len(c.Value) > 64 {
		return ""
	}
	return c.Value
}

// errorView is the data of the error page.
type errorView struct {
	Shell
	Message     string
	MSPDisabled bool
	RequestID   string
}

// pageFiles lists each page template; every page is parsed together with
// the layout and the partials.
var pageFiles = map[string]string{
	"login":      "templates/login.html",
	"setup":      "templates/setup.html",
	"customers":  "templates/customers.html",
	"home":       "templates/home.html",
	"users":      "templates/users.html",
	"assets":     "templates/assets.html",
	"customer":   "templates/customer.html",
	"error":      "templates/error.html",
	"licenses":   "templates/licenses.html",
	"dashboards": "templates/dashboards.html",
	"reports":    "templates/reports.html",
	"settings":   "templates/settings.html",
	"audit":      "templates/audit.html",
	"trash":      "templates/trash.html",
}

func (h *Handler) parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"plural":   pluralize,
		"num":      num,
		"initials": initials,
		"step":     func(i int) int { return i + 1 },
		"listLink": listLink,
		"join":     strings.Join,
		"checkGroup": func(id, legend, hint string, opts []checkOption, name, errMsg string) checkGroupView {
			return checkGroupView{ID: id, Legend: legend, Hint: hint, Options: opts, Name: name, Error: errMsg}
		},
		"problems": func(n int) string {
			if n == 1 {
				return "There is a problem with 1 field"
			}
			return "There are problems with " + strconv.Itoa(n) + " fields"
		},
	}
	partials, err := fs.Glob(files, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	base, err := template.New("layout").Funcs(funcs).ParseFS(files, append([]string{"templates/layout.html"}, partials...)...)
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for name, file := range pageFiles {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(files, file); err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// countLabel is the count line of a list: "128 customers", or, when the
// list counted a broad filter only up to its limit, "1,000+ customers"
// (domain.TotalCountLimit): a lower bound is never shown as a total.
func countLabel(total int64, exact bool, one, many string) string {
	if !exact {
		return figure(total) + "+ " + many
	}
	return pluralize(total, one, many)
}

func pluralize(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return figure(n) + " " + many
}

// figures writes the UI's figures. Digits are grouped the English way
// ("12,500") for everyone until the UI follows the reader's language. A
// Printer is only read when it formats, so one serves every request.
var figures = message.NewPrinter(language.English)

// figure is n as the UI writes a figure: "12,500".
func figure(n int64) string { return figures.Sprintf("%d", n) }

// num is figure for the templates: a count of any integer type, or a
// figure already written (a string), shown as it is.
func num(v any) string {
	switch n := v.(type) {
	case int:
		return figure(int64(n))
	case int64:
		return figure(n)
	case string:
		return n
	}
	return fmt.Sprint(v)
}

// initials returns up to two letters standing for a name, for the avatar
// beside the signed-in person's name.
func initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(w)
		out = append(out, r)
		if len(out) == 2 {
			break
		}
	}
	return strings.ToUpper(string(out))
}
