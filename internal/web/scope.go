package web

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
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
// customers: whether the caller chooses among them at all (organization
// users with MSP mode on) or is fixed to its own, and the customers the
// page names (refs). No page loads every customer: a page asks for the
// customers it shows (need), in one service call, and the customer picker
// searches the server as the caller types.
type placement struct {
	MSP      bool
	OrgScope bool
	Own      string // the caller's customer, for a customer-scoped caller
	refs     *pageRefs
}

// pageRefs are the customers (with their entities) a page has asked for.
type pageRefs struct {
	ctx       context.Context
	load      func(ctx context.Context, ids []string, entities bool) (service.Refs, error)
	asked     map[string]bool
	customers map[string]domain.Customer
	entities  map[string][]domain.Entity
	picks     map[string]picked // the searches forms sent, by picker name
}

func (h *Handler) placement(ctx context.Context, p domain.Principal, msp bool) (placement, error) {
	pl := placement{MSP: msp, OrgScope: p.CustomerID == "", Own: p.CustomerID,
		refs: &pageRefs{ctx: ctx, load: h.svc.customers.CustomerRefs, asked: map[string]bool{},
			customers: map[string]domain.Customer{}, entities: map[string][]domain.Entity{}, picks: map[string]picked{}}}
	return pl, pl.need(pl.Own)
}

// need reads, in one call, those of ids the page has not asked for yet,
// with their entities. A customer the caller cannot see is left out.
func (pl placement) need(ids ...string) error {
	if !pl.MSP || pl.refs == nil {
		return nil
	}
	if p, _ := domain.PrincipalFrom(pl.refs.ctx); !allows(p, "CustomerRefs") {
		return nil // a role without customers.view names no customer
	}
	var ask []string
	for _, id := range ids {
		if id != "" && !pl.refs.asked[id] {
			pl.refs.asked[id] = true
			ask = append(ask, id)
		}
	}
	if len(ask) == 0 {
		return nil
	}
	got, err := pl.refs.load(pl.refs.ctx, ask, true)
	if err != nil {
		if de := domainErr(err); de != nil && de.Type == "msp-disabled" {
			return nil
		}
		return err
	}
	maps.Copy(pl.refs.customers, got.Customers)
	maps.Copy(pl.refs.entities, got.Entities)
	return nil
}

// Picks reports whether the caller picks a customer (an organization user
// with MSP mode on); a customer-scoped caller's customer is fixed.
func (pl placement) Picks() bool { return pl.MSP && pl.OrgScope }

// customerName returns the name of a customer the page asked for (need),
// or "".
func (pl placement) customerName(id string) string { return pl.refs.customers[id].Name }

// customerLabel is how a picker shows a customer: "Airtel (AIR001)".
func (pl placement) customerLabel(id string) string {
	c, ok := pl.refs.customers[id]
	if !ok {
		return ""
	}
	return c.Name + " (" + c.Code + ")"
}

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

// knows reports whether id is a customer the caller can see, reading it
// if the page has not yet.
func (pl placement) knows(id string) (bool, error) {
	if err := pl.need(id); err != nil {
		return false, err
	}
	_, ok := pl.refs.customers[id]
	return ok, nil
}

// entitiesOf returns the entities of a customer the caller can see, as
// need read them; a caller whose role names no customer (no
// customers.view) may still view its own customer's entities, which the
// service then lists alone.
func (pl placement) entitiesOf(h *Handler, id string) ([]domain.Entity, error) {
	if err := pl.need(id); err != nil {
		return nil, err
	}
	if _, named := pl.refs.customers[id]; named || !pl.MSP {
		return pl.refs.entities[id], nil
	}
	es, err := h.entitiesOf(pl.refs.ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, nil
	}
	return es, err
}

// customerPicker chooses one customer by searching for it, so that no
// page lists every customer: a text box that the script makes a combobox
// over GET /pickers/customers (a page of matches as the caller types,
// chosen by arrow keys and Enter or by pointer). The chosen customer's id
// is the hidden input Name; the box is Name_q, and Name_shown is what it
// showed, so that the server can tell a new search from the choice left
// as it was. Without the script the text is looked up when the form is
// sent (pickCustomer): one match is chosen, several come back as choices.
type customerPicker struct {
	ID, Name, Label string
	NoneLabel       string // what no customer means ("All users", "None — …")
	Value           string // the chosen customer's id
	Text            string // what the box shows: the chosen customer, or the search typed
	Shown           string // the chosen customer as the box showed it
	Matches         []option
	More            bool // more customers match than Matches holds
	Error           string
	Hint            string
	Target          string // the id of the entity picker that follows it
	URL             string // where the script asks for that picker
	Refresh         bool   // show the no-script round-trip button
	AutoSubmit      bool   // the list filter: a choice applies it
	Autofocus       bool
}

// DescribedBy returns the ids of the elements that describe the box.
func (c customerPicker) DescribedBy() string {
	ids := []string{c.ID + "-help"}
	if c.Error != "" {
		ids = append(ids, c.ID+"-error")
	}
	if c.Hint != "" {
		ids = append(ids, c.ID+"-hint")
	}
	return strings.Join(ids, " ")
}

// customerPicker is base with selected chosen, or with the search the
// form sent for it (pickCustomer) and its matches.
func (pl placement) customerPicker(base customerPicker, selected string) (*customerPicker, error) {
	c := base
	pick := pl.refs.picks[base.Name]
	if err := pl.need(selected); err != nil {
		return nil, err
	}
	c.Value = selected
	c.Text = pl.customerLabel(selected)
	c.Shown = c.Text
	if pick.Searched {
		c.Value, c.Shown, c.Text = "", "", pick.Text
		c.Matches, c.More = pick.Matches, pick.More
		if c.Error == "" {
			c.Error = pick.Message
		}
	}
	return &c, nil
}

// picked is what pickCustomer made of a picker's search.
type picked struct {
	Searched bool // the text was a new search that chose no one
	Text     string
	Matches  []option
	More     bool
	Message  string
}

// pickCustomer reads the customer picker name of a sent form (its box
// Name_q) into
// values[name]: the choice as it was when its box still shows it, none
// when the box was emptied, and otherwise the customer the text finds —
// its code, its name, its label, or the only customer it matches. A text
// that finds several (or none) chooses no one and comes back as a search
// with its matches.
func (h *Handler) pickCustomer(ctx context.Context, pl placement, values url.Values, name string) (picked, error) {
	if !pl.Picks() || !values.Has(name+"_q") {
		return picked{}, nil
	}
	p, err := h.lookUpCustomer(ctx, pl, values, name)
	pl.refs.picks[name] = p
	return p, err
}

func (h *Handler) lookUpCustomer(ctx context.Context, pl placement, values url.Values, name string) (picked, error) {
	text := strings.TrimSpace(values.Get(name + "_q"))
	if text == strings.TrimSpace(values.Get(name+"_shown")) {
		return picked{}, nil // the choice as it was (the script keeps the two equal)
	}
	values.Set(name, "")
	if text == "" {
		return picked{}, nil
	}
	page, err := h.svc.customers.ListCustomers(ctx, domain.CustomerFilter{Where: domain.SearchFilter(text), Limit: pickerMatches})
	if de := domainErr(err); de != nil && (de.Code == domain.EInvalid || de.Code == domain.EBadRequest) {
		return picked{Searched: true, Text: text, Message: de.Message}, nil
	} else if err != nil {
		return picked{}, err
	}
	key := domain.Fold(text)
	for _, c := range page.Items {
		if key == domain.Fold(c.Code) || key == domain.Fold(c.Name) || key == domain.Fold(c.Name+" ("+c.Code+")") || len(page.Items) == 1 {
			values.Set(name, c.ID)
			return picked{}, nil
		}
	}
	p := picked{Searched: true, Text: text, More: page.Next != nil}
	for _, c := range page.Items {
		p.Matches = append(p.Matches, option{Value: c.ID, Label: c.Name + " (" + c.Code + ")"})
	}
	switch {
	case len(p.Matches) == 0:
		p.Message = "No customer matches “" + text + "”. Try part of its name or code."
	case p.More:
		p.Message = "More than " + figure(int64(len(p.Matches))) + " customers match “" + text + "”: choose one, or type more of its name."
	default:
		p.Message = figure(int64(len(p.Matches))) + " customers match “" + text + "”: choose one."
	}
	return p, nil
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
	if pl.OrgScope {
		known, err := pl.knows(e.Customer)
		if err != nil {
			return nil, err
		}
		if !known {
			return &e, nil
		}
	}
	es, err := pl.entitiesOf(h, e.Customer)
	if err != nil {
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
	if known, err := pl.knows(id); err != nil {
		return err
	} else if id != "" && !known {
		return domain.Errorf(domain.ENotFound, "There is no such customer.")
	}
	e, err := h.entityPicker(r.Context(), pl, kind, id, nil)
	if err != nil {
		return err
	}
	h.renderTemplate(w, r, http.StatusOK, "users", "entity-picker", e)
	return nil
}

// customerMatches is the answer of GET /pickers/customers.
type customerMatches struct {
	Matches []option
	More    bool
	Empty   string
}

// pickerCustomers answers the script's GET /pickers/customers?q=… with the
// customers whose name or code holds q (at most pickerMatches, in name
// order): the options of a customer box, searched on the server so that
// no page holds every customer.
func (h *Handler) pickerCustomers(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	v := customerMatches{Empty: "No customer matches “" + q + "”."}
	if q == "" {
		v.Empty = "There are no customers yet."
	}
	f := domain.CustomerFilter{Limit: pickerMatches}
	if q != "" {
		f.Where = domain.SearchFilter(q)
	}
	page, err := h.svc.customers.ListCustomers(r.Context(), f)
	if de := domainErr(err); de != nil && (de.Code == domain.EInvalid || de.Code == domain.EBadRequest) {
		v.Empty = de.Message
	} else if err != nil {
		return err
	}
	for _, c := range page.Items {
		v.Matches = append(v.Matches, option{Value: c.ID, Label: c.Name + " (" + c.Code + ")"})
	}
	v.More = page.Next != nil
	h.renderTemplate(w, r, http.StatusOK, "users", "customer-matches", v)
	return nil
}

// entityNames maps the ids of the entities of the customers in ids to
// their names, as far as the caller can see them, in the page's one read
// of its customers (need).
func (pl placement) entityNames(h *Handler, customerIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if err := pl.need(customerIDs...); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, c := range customerIDs {
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		es, err := pl.entitiesOf(h, c)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			out[e.ID] = e.Name
		}
	}
	return out, nil
}
