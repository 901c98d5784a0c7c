package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"

	"github.com/custreg/custreg/internal/dashboard"
	"github.com/custreg/custreg/internal/domain"
)

// dashboardMatches is how many customers the Dashboards page's customer
// search shows; a search matching more asks for a narrower one, so no page
// loads every customer.
const dashboardMatches = 10

// dashboardsView is the Dashboards page: the dashboards the caller may
// open, for an organization user a customer search, and the chosen
// dashboard drawn inline (the same SVG as GET /api/v1/dashboards/{key}).
type dashboardsView struct {
	Shell
	Entries []dashboardEntry
	Key     string
	Name    string
	// CanPick is set for organization users who may list customers: they
	// choose one customer or all of them.
	CanPick   bool
	Customer  *domain.Customer // the customer drawn; nil for all customers
	AllHref   string
	Q         string
	Searched  bool
	Matches   []dashboardMatch
	More      int64 // matches beyond those shown
	MoreExact bool
	SVG       template.HTML // drawn dashboard.Wide
	SVGNarrow template.HTML // drawn dashboard.Narrow, for small screens
	SVGHref   string
	JSONHref  string
}

type dashboardEntry struct {
	Key, Name, Description, Href string
	Current                      bool
}

type dashboardMatch struct {
	Name, Code, Href string
	Current          bool
}

// dashboardHref is the page's address for a dashboard over a customer
// ("" for all).
func dashboardHref(key, customerID string) string {
	q := url.Values{"key": {key}}
	if customerID != "" {
		q.Set("customer_id", customerID)
	}
	return "/dashboards?" + q.Encode()
}

func (h *Handler) dashboardsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := principalOf(r)
	entries, err := h.svc.reports.Dashboards(ctx)
	if err != nil {
		return err
	}
	v := dashboardsView{Shell: h.shell(r, "dashboards", "Dashboards")}
	q := r.URL.Query()
	v.Key = q.Get("key")
	customerID := q.Get("customer_id")
	if p.CustomerID != "" {
		customerID = "" // a customer's people see their own, whatever the address says
	}
	if v.Key == "" && len(entries) > 0 {
		v.Key = entries[0].Key
	}
	for _, e := range entries {
		v.Entries = append(v.Entries, dashboardEntry{Key: e.Key, Name: e.Name, Description: e.Description,
			Href: dashboardHref(e.Key, customerID), Current: e.Key == v.Key})
	}
	if len(entries) == 0 {
		h.render(w, r, http.StatusOK, "dashboards", v)
		return nil
	}
	v.CanPick = p.CustomerID == "" && v.MSP && allows(p, "ListCustomers")
	d, err := h.svc.reports.Dashboard(ctx, v.Key, customerID)
	if err != nil {
		return err
	}
	v.Name, v.Customer = d.Entry.Name, d.Customer
	v.AllHref = dashboardHref(v.Key, "")
	// The SVG is this program's own markup, every user's text in it
	// escaped as XML (package dashboard), which HTML parses the same.
	v.SVG = inlineSVG(dashboard.Draw(d, dashboard.Wide, "dash"))
	v.SVGNarrow = inlineSVG(dashboard.Draw(d, dashboard.Narrow, "dash-narrow"))
	api := url.Values{}
	if d.Customer != nil {
		api.Set("customer_id", d.Customer.ID)
	}
	v.SVGHref = "/api/v1/dashboards/" + url.PathEscape(v.Key)
	if len(api) > 0 {
		v.SVGHref += "?" + api.Encode()
	}
	api.Set("format", "json")
	v.JSONHref = "/api/v1/dashboards/" + url.PathEscape(v.Key) + "?" + api.Encode()

	if v.CanPick {
		v.Q = domain.CleanText(q.Get("q"))
		if where := domain.SearchFilter(v.Q); where != nil {
			v.Searched = true
			page, err := h.svc.customers.ListCustomers(ctx, domain.CustomerFilter{Where: where, Limit: dashboardMatches})
			if err != nil {
				return err
			}
			for _, c := range page.Items {
				v.Matches = append(v.Matches, dashboardMatch{Name: c.Name, Code: c.Code, Href: dashboardHref(v.Key, c.ID),
					Current: d.Customer != nil && d.Customer.ID == c.ID})
			}
			v.More, v.MoreExact = page.Total-int64(len(page.Items)), page.TotalExact
		}
	}
	h.render(w, r, http.StatusOK, "dashboards", v)
	return nil
}

// inlineSVG is an SVG document as an element of a page: without the XML
// declaration, which has no place inside HTML.
func inlineSVG(svg []byte) template.HTML {
	if i := bytes.Index(svg, []byte("<svg")); i >= 0 {
		svg = svg[i:]
	}
	return template.HTML(svg) // #nosec: drawn and escaped by package dashboard
}
