package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/custreg/custreg/internal/dashboard"
	"github.com/custreg/custreg/internal/domain"
)

// dashboardJSON is a dashboard's figures, as ?format=json answers them:
// what the SVG draws.
type dashboardJSON struct {
	Key         string           `json:"key"`
	Name        string           `json:"name"`
	Customer    *dashCustomer    `json:"customer"`
	At          time.Time        `json:"at"`
	Overview    *overviewJSON    `json:"overview,omitempty"`
	Utilization *utilizationJSON `json:"utilization,omitempty"`
}

type dashCustomer struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type countJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int64  `json:"count"`
}

type entityFiguresJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	CustomerName string `json:"customer_name"`
	Assets       int64  `json:"assets"`
	Users        int64  `json:"users"`
}

type overviewJSON struct {
	Customers      int64               `json:"customers"`
	Entities       int64               `json:"entities"`
	Assets         int64               `json:"assets"`
	Users          int64               `json:"users"`
	ActiveUsers    int64               `json:"active_users"`
	InactiveUsers  int64               `json:"inactive_users"`
	AssetsByClass  []countJSON         `json:"assets_by_class"`
	AssetsByEntity []countJSON         `json:"assets_by_entity"`
	UsersByKind    []countJSON         `json:"users_by_kind"`
	TopEntities    []entityFiguresJSON `json:"top_entities"`
}

type licenseUseJSON struct {
	Type      string `json:"type"`
	Name      string `json:"name"`
	Allocated int64  `json:"allocated"`
	Used      int64  `json:"used"`
	Percent   int64  `json:"percent"`
	Level     string `json:"level"`
}

type usagePointJSON struct {
	Day       string `json:"day"`
	Type      string `json:"type"`
	Allocated int64  `json:"allocated"`
	Used      int64  `json:"used"`
}

type historyJSON struct {
	From   string           `json:"from"`
	To     string           `json:"to"`
	Points []usagePointJSON `json:"points"`
}

type nearLimitJSON struct {
	CustomerID   string `json:"customer_id"`
	CustomerName string `json:"customer_name"`
	Type         string `json:"type"`
	Allocated    int64  `json:"allocated"`
	Used         int64  `json:"used"`
	Percent      int64  `json:"percent"`
	Level        string `json:"level"`
}

type utilizationJSON struct {
	Licenses  []licenseUseJSON `json:"licenses"`
	History   historyJSON      `json:"history"`
	NearLimit []nearLimitJSON  `json:"near_limit,omitempty"`
}

func countsJSON(cs []domain.Count) []countJSON {
	out := make([]countJSON, len(cs))
	for i, c := range cs {
		out[i] = countJSON{Key: c.Key, Label: c.Label, Count: c.N}
	}
	return out
}

func toDashboardJSON(d domain.Dashboard) dashboardJSON {
	out := dashboardJSON{Key: d.Entry.Key, Name: d.Entry.Name, At: d.At}
	if d.Customer != nil {
		out.Customer = &dashCustomer{ID: d.Customer.ID, Name: d.Customer.Name}
	}
	if o := d.Overview; o != nil {
		j := &overviewJSON{Customers: o.Customers, Entities: o.Entities, Assets: o.Assets, Users: o.Users,
			ActiveUsers: o.ActiveUsers, InactiveUsers: o.InactiveUsers, AssetsByClass: countsJSON(o.AssetsByClass),
			AssetsByEntity: countsJSON(o.AssetsByEntity), UsersByKind: countsJSON(o.UsersByKind), TopEntities: []entityFiguresJSON{}}
		for _, e := range o.TopEntities {
			j.TopEntities = append(j.TopEntities, entityFiguresJSON(e))
		}
		out.Overview = j
	}
	if u := d.Utilization; u != nil {
		j := &utilizationJSON{Licenses: []licenseUseJSON{}, History: historyJSON{From: u.From, To: u.To, Points: []usagePointJSON{}}}
		for _, l := range u.Licenses {
			j.Licenses = append(j.Licenses, licenseUseJSON{Type: l.Type, Name: domain.LicenseName(l.Type), Allocated: l.Allocated, Used: l.Used,
				Percent: domain.UsagePercent(l.Allocated, l.Used), Level: domain.UsageLevel(l.Allocated, l.Used)})
		}
		for _, p := range u.History {
			j.History.Points = append(j.History.Points, usagePointJSON(p))
		}
		if d.Customer == nil {
			j.NearLimit = []nearLimitJSON{}
			for _, n := range u.NearLimit {
				j.NearLimit = append(j.NearLimit, nearLimitJSON{CustomerID: n.CustomerID, CustomerName: n.CustomerName, Type: n.Type,
					Allocated: n.Allocated, Used: n.Used, Percent: domain.UsagePercent(n.Allocated, n.Used), Level: domain.UsageLevel(n.Allocated, n.Used)})
			}
		}
		out.Utilization = j
	}
	return out
}

// dashboardCSP keeps an SVG opened on its own from running anything: it
// draws with presentation attributes and needs nothing else.
const dashboardCSP = "default-src 'none'; style-src 'unsafe-inline'"

// getDashboard runs a dashboard: ?format=svg (the default) answers one
// standalone SVG document, ?format=json the figures it draws.
func (a *API) getDashboard(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	format := q.Get("format")
	switch format {
	case "":
		format = "svg"
	case "svg", "json":
	default:
		return domain.Errorf(domain.EBadRequest, "format must be svg or json, not %s.", strconv.Quote(format))
	}
	d, err := a.svc.reports.Dashboard(r.Context(), r.PathValue("key"), q.Get("customer_id"))
	if err != nil {
		return err
	}
	if format == "json" {
		return writeJSON(w, http.StatusOK, toDashboardJSON(d))
	}
	body := dashboard.SVG(d)
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", dashboardCSP)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return nil
}
