package web

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/custreg/custreg/internal/domain"
)

// The UI offers only what the caller's role allows; the service refuses
// everything else anyway. A customer-scoped caller sees its own customer
// only: no customer picker, no other customer's name anywhere.

// callerRole returns the role the principal acts with — its key, scope and
// permissions as resolved from the catalog (built-in or custom) when it
// authenticated — and false when it has none that fits its scope (a
// customer role held by an organization user grants nothing, as the
// service decides).
func callerRole(p domain.Principal) (domain.Role, bool) {
	if p.IsOrgAdmin() {
		r, _ := domain.BuiltinRole(domain.RoleOrgAdmin)
		return r, true
	}
	if p.RoleScope == "" || (p.RoleScope == domain.ScopeCustomer) == (p.CustomerID == "") {
		return domain.Role{}, false
	}
	return domain.Role{Key: p.Role, Scope: p.RoleScope, Permissions: p.Permissions}, true
}

// can reports whether the principal's role allows action on resource.
func can(p domain.Principal, resource, action string) bool { return p.Can(resource, action) }

// principalOf returns the signed-in principal of r.
func principalOf(r *http.Request) domain.Principal {
	p, _ := domain.PrincipalFrom(r.Context())
	return p
}

// requireCan refuses a page whose action the caller's role does not allow.
func requireCan(r *http.Request, resource, action string) error {
	if !can(principalOf(r), resource, action) {
		return domain.Errorf(domain.EForbidden, "Your role does not allow this.")
	}
	return nil
}

// visibleCustomers returns every live customer the caller can see, by
// name: all of them for organization users, its own for a customer-scoped
// caller, none while MSP mode is off.
func (h *Handler) visibleCustomers(ctx context.Context) ([]domain.Customer, error) {
	if p, _ := domain.PrincipalFrom(ctx); !allows(p, "ListCustomers") {
		return nil, nil // a role without customers.view picks no customer
	}
	var out []domain.Customer
	f := domain.CustomerFilter{Limit: domain.MaxPageSize}
	for {
		page, err := h.svc.customers.ListCustomers(ctx, f)
		if err != nil {
			if de := domainErr(err); de != nil && de.Type == "msp-disabled" {
				return nil, nil
			}
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == nil {
			return out, nil
		}
		f.Cursor = page.Next
	}
}

// entitiesOf returns the live entities of a customer that the caller can
// see (a caller narrowed to some entities sees only those), by name.
func (h *Handler) entitiesOf(ctx context.Context, customerID string) ([]domain.Entity, error) {
	if p, _ := domain.PrincipalFrom(ctx); !allows(p, "ListEntities") {
		return nil, nil // a role without entities.view picks no entity
	}
	var out []domain.Entity
	f := domain.EntityFilter{Limit: domain.MaxPageSize}
	for {
		page, err := h.svc.entities.ListEntities(ctx, customerID, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == nil {
			return out, nil
		}
		f.Cursor = page.Next
	}
}

// placement is what the user and asset pages may offer the caller as
// customers: the visible customers, and whether the caller chooses among
// them at all (organization users with MSP mode on) or is fixed to its own.
type placement struct {
	MSP       bool
	OrgScope  bool
	Own       string // the caller's customer, for a customer-scoped caller
	Customers []domain.Customer
	byID      map[string]domain.Customer
}

func (h *Handler) placement(ctx context.Context, p domain.Principal, msp bool) (placement, error) {
	pl := placement{MSP: msp, OrgScope: p.CustomerID == "", Own: p.CustomerID, byID: map[string]domain.Customer{}}
	if !msp {
		return pl, nil
	}
	cs, err := h.visibleCustomers(ctx)
	if err != nil {
		return pl, err
	}
	pl.Customers = cs
	for _, c := range cs {
		pl.byID[c.ID] = c
	}
	return pl, nil
}

// Picks reports whether the caller picks a customer (an organization user
// with MSP mode on); a customer-scoped caller's customer is fixed.
func (pl placement) Picks() bool { return pl.MSP && pl.OrgScope }

// customerName returns the name of a visible customer, or "".
func (pl placement) customerName(id string) string { return pl.byID[id].Name }

// fixedCustomer returns the customer a form places a record at: the chosen
// one, or for a customer-scoped caller who chose none (its form has no
// picker) its own. A customer-scoped caller's form that names another
// customer is passed on as it is, so the service refuses it exactly as it
// refuses the API ("No such customer"), instead of the record silently
// landing at the caller's own customer.
func (pl placement) fixedCustomer(chosen string) string {
	if !pl.OrgScope && chosen == "" {
		return pl.Own
	}
	return chosen
}

// knows reports whether id is a customer the caller can see.
func (pl placement) knows(id string) bool {
	_, ok := pl.byID[id]
	return ok
}

// customerPicker is a <select> of the visible customers. With the script,
// a change refreshes the entity picker Target from URL; without it, the
// form's "Show entities" button is a round trip.
type customerPicker struct {
	ID, Name, Label string
	NoneLabel       string // the first option, for no customer
	Options         []option
	Error           string
	Hint            string
	Target          string // the id of the entity picker that follows it
	URL             string // where the script asks for that picker
	Refresh         bool   // show the no-script round-trip button
	AutoSubmit      bool   // the list filter: a change applies it
	Autofocus       bool
}

// DescribedBy returns the ids of the elements that describe the select.
func (c customerPicker) DescribedBy() string {
	switch {
	case c.Error != "" && c.Hint != "":
		return c.ID + "-error " + c.ID + "-hint"
	case c.Error != "":
		return c.ID + "-error"
	case c.Hint != "":
		return c.ID + "-hint"
	}
	return ""
}

func (pl placement) customerPicker(base customerPicker, selected string) *customerPicker {
	c := base
	for _, cu := range pl.Customers {
		c.Options = append(c.Options, option{Value: cu.ID, Label: cu.Name + " (" + cu.Code + ")", Selected: cu.ID == selected})
	}
	return &c
}

// entityChoice is one entity a picker offers.
type entityChoice struct {
	ID, Name, Code string
	Checked        bool
}

// entityPicker lists the entities of one customer: checkboxes for a user's
// entities, a <select> for an asset's entity or the list filter.
type entityPicker struct {
	Kind     string // the pickerKinds key
	Wrap     string // the id of the element the script swaps
	ID       string // the select's id, or the checkboxes' fieldset
	Name     string
	Label    string
	Multi    bool
	AllLabel string // the select's first option: no entity
	Customer string // the customer whose entities are listed
	// NoCustomer is set when no customer is chosen: Empty says what to do.
	NoCustomer bool
	Empty      string
	Options    []entityChoice
	Error      string
	Hint       string
	AutoSubmit bool
	Wide       bool
}

// DescribedBy returns the ids of the elements that describe the picker.
func (e entityPicker) DescribedBy() string {
	var ids []string
	if e.Error != "" {
		ids = append(ids, e.ID+"-error")
	}
	if e.Hint != "" || e.NoCustomer {
		ids = append(ids, e.ID+"-hint")
	}
	return strings.Join(ids, " ")
}

// pickerKinds are the entity pickers of the pages, by the kind the script
// asks GET /pickers/entities for.
var pickerKinds = map[string]entityPicker{
	"user": {Wrap: "entity-picker", ID: "f-entity-ids", Name: "entity_ids", Label: "Entities", Multi: true, Wide: true,
		Empty: "Choose a customer first; an organization user belongs to no entity.",
		Hint:  "None checked: the user covers the whole customer."},
	"asset": {Wrap: "entity-picker", ID: "f-entity-id", Name: "entity_id", Label: "Entity",
		AllLabel: "None — the whole customer", Empty: "Choose a customer first"},
	"move-user": {Wrap: "move-entity-picker", ID: "move-entity-ids", Name: "move_entity_ids", Label: "To entities", Multi: true,
		Empty: "Choose a customer first; organization users belong to no entity.",
		Hint:  "None checked: the whole customer."},
	"move-asset": {Wrap: "move-entity-picker", ID: "move-entity-id", Name: "move_entity_id", Label: "To entity",
		AllLabel: "None — the whole customer", Empty: "Choose a customer first"},
	"filter": {Wrap: "filter-entity-picker", ID: "filter-entity", Name: "entity_id", Label: "Entity",
		AllLabel: "All entities", Empty: "Choose a customer first", AutoSubmit: true},
}

// entityPicker builds the picker kind for the entities of customerID, with
// selected checked. A customer the caller cannot see lists nothing.
func (h *Handler) entityPicker(ctx context.Context, pl placement, kind, customerID string, selected []string) (*entityPicker, error) {
	e := pickerKinds[kind]
	e.Kind = kind
	e.Customer = pl.fixedCustomer(customerID)
	if e.Customer == "" {
		e.NoCustomer = true
		return &e, nil
	}
	if pl.OrgScope && !pl.knows(e.Customer) {
		return &e, nil
	}
	es, err := h.entitiesOf(ctx, e.Customer)
	if err != nil {
		if domain.ErrorCode(err) == domain.ENotFound {
			return &e, nil
		}
		return nil, err
	}
	for _, en := range es {
		e.Options = append(e.Options, entityChoice{ID: en.ID, Name: en.Name, Code: en.Code, Checked: slices.Contains(selected, en.ID)})
	}
	return &e, nil
}

// pickerEntities answers the script's GET /pickers/entities?kind=…&customer_id=…
// with the entity picker alone, for the customer just chosen.
func (h *Handler) pickerEntities(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	kind := q.Get("kind")
	if _, ok := pickerKinds[kind]; !ok {
		return domain.Errorf(domain.EBadRequest, "Unknown picker %q.", kind)
	}
	s := h.shell(r, "", "")
	pl, err := h.placement(r.Context(), principalOf(r), s.MSP)
	if err != nil {
		return err
	}
	id := q.Get("customer_id")
	if id != "" && !pl.knows(id) {
		return domain.Errorf(domain.ENotFound, "There is no such customer.")
	}
	e, err := h.entityPicker(r.Context(), pl, kind, id, nil)
	if err != nil {
		return err
	}
	h.renderTemplate(w, r, http.StatusOK, "users", "entity-picker", e)
	return nil
}

// entityNames maps the ids of the entities of the customers in ids to
// their names, as far as the caller can see them.
func (h *Handler) entityNames(ctx context.Context, customerIDs []string) (map[string]string, error) {
	out := map[string]string{}
	seen := map[string]bool{}
	for _, c := range customerIDs {
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		es, err := h.entitiesOf(ctx, c)
		if err != nil {
			if domain.ErrorCode(err) == domain.ENotFound {
				continue
			}
			return nil, err
		}
		for _, e := range es {
			out[e.ID] = e.Name
		}
	}
	return out, nil
}
