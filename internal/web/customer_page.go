package web

import (
	"net/http"
	"net/url"

	"github.com/custreg/custreg/internal/domain"
)

// customerView is the page of one customer: its details, its figures and
// its entities, with links to its users and assets. It is the start page of
// a customer's own people. With Entity set it is the page of one entity.
type customerView struct {
	Shell
	ID, Name, Code string
	// IsActive is the customer's; Shell.Active is the menu's.
	IsActive      bool
	Domain        string
	Email, Phone  string
	Website       string
	Place         string
	Assets, Users int64
	EntitiesCount int64
	Entities      []entityRow
	EntitiesCut   bool
	// Own is set for a customer-scoped caller: its own customer.
	Own       bool
	CanEdit   bool
	CanUsers  bool
	CanAssets bool
	// CanLicenses offers the Customer License sidebar.
	CanLicenses bool
	// CanArchive offers the download of the customer's archive.
	CanArchive bool
	Entity     *entityDetail
	// Licenses is the license sidebar open over the page.
	Licenses *licenseSidebar
	// History is the customer's latest audit entries, for those who may
	// read them (CanAudit); HistoryMore links to all of them.
	CanAudit    bool
	History     []auditRow
	HistoryMore string
}

// entityDetail is the page of one entity.
type entityDetail struct {
	ID, Name, Code, Type string
	Active               bool
	Email, Phone         string
	Place                string
}

// customerPage builds the page of customer id; a customer the caller
// cannot see is a page that does not exist.
func (h *Handler) customerPage(r *http.Request, id string) (customerView, error) {
	ctx := r.Context()
	c, err := h.svc.customers.Customer(ctx, id)
	if err != nil {
		return customerView{}, err
	}
	p := principalOf(r)
	v := customerView{Shell: h.shell(r, "customers", c.Name), ID: c.ID, Name: c.Name, Code: c.Code, IsActive: c.IsActive,
		Domain: c.Domain, Email: c.BusinessEmail, Phone: c.Phone, Website: c.Website, Place: place(c.Location),
		Assets: c.AssetsCount, Users: c.UsersCount, EntitiesCount: c.EntitiesCount, Own: p.CustomerID == c.ID,
		CanEdit: allows(p, "UpdateCustomerWithLicenses"), CanUsers: can(p, "users", "view"), CanAssets: can(p, "assets", "view"),
		CanLicenses: can(p, "licenses", "view"), CanArchive: allows(p, "ArchiveCustomer")}
	page, err := h.svc.entities.ListEntities(ctx, c.ID, domain.EntityFilter{Limit: domain.MaxPageSize})
	if err != nil {
		return v, err
	}
	for i, e := range page.Items {
		v.Entities = append(v.Entities, entityRow{Key: e.ID, Num: i + 1, Name: e.Name, Code: e.Code, Type: entityTypeLabel(e.Type),
			Place: place(e.Location), Active: e.IsActive})
	}
	v.EntitiesCut = page.Next != nil
	if v.CanAudit = allows(p, "Audit"); v.CanAudit {
		hist, err := h.svc.audit.AuditLog(ctx, domain.AuditFilter{CustomerID: c.ID, Limit: 10})
		if err != nil {
			return v, err
		}
		v.History = auditRows(hist.Items)
		if hist.Next != "" {
			v.HistoryMore = "/audit?" + url.Values{"customer_id": {c.ID}}.Encode()
		}
	}
	return v, nil
}

func (h *Handler) showCustomer(w http.ResponseWriter, r *http.Request) error {
	v, err := h.customerPage(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	v.Flash = takeFlash(w, r)
	h.render(w, r, http.StatusOK, "customer", v)
	return nil
}

func (h *Handler) showEntity(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cid, eid := r.PathValue("id"), r.PathValue("eid")
	e, err := h.svc.entities.Entity(ctx, cid, eid)
	if err != nil {
		return err
	}
	v, err := h.customerPage(r, cid)
	if err != nil {
		return err
	}
	v.Shell = h.shell(r, "customers", e.Name+" · "+v.Name)
	v.Entity = &entityDetail{ID: e.ID, Name: e.Name, Code: e.Code, Type: entityTypeLabel(e.Type), Active: e.IsActive,
		Email: e.BusinessEmail, Phone: e.Phone, Place: place(e.Location)}
	h.render(w, r, http.StatusOK, "customer", v)
	return nil
}

// listLink returns the URL of a user or asset list narrowed to a customer
// and, optionally, an entity.
func listLink(base, customerID, entityID string) string {
	v := url.Values{"customer_id": {customerID}}
	if entityID != "" {
		v.Set("entity_id", entityID)
	}
	return base + "?" + v.Encode()
}
