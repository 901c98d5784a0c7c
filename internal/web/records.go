package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/web/webform"
)

// The Users and Assets pages share their shape: a table filtered by
// customer and entity, paged by a cursor bound to the list's own order, a
// bar that moves the checked rows to another customer or entity, and a
// sidebar (add, edit) or dialog (delete) drawn over the first page.

// recordQuery is a user or asset list's query: /users?customer_id=…&entity_id=…&cursor=….
type recordQuery struct {
	Base       string // "/users"
	CustomerID string
	EntityID   string
	Cursor     *domain.Cursor
	cursorRaw  string
}

// url returns the list's URL for q, without the cursor.
func (q recordQuery) url() string {
	v := url.Values{}
	if q.CustomerID != "" {
		v.Set("customer_id", q.CustomerID)
	}
	if q.EntityID != "" {
		v.Set("entity_id", q.EntityID)
	}
	if len(v) == 0 {
		return q.Base
	}
	return q.Base + "?" + v.Encode()
}

// pageURL returns the URL of the page after cursor.
func (q recordQuery) pageURL(order string, next *domain.Cursor) string {
	u := q.url()
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + "cursor=" + url.QueryEscape(*listquery.EncodeCursor(order, next))
}

// readRecordQuery reads a list's query. A customer the caller cannot see
// is a page that does not exist; an entity that is not the customer's (a
// filter left over from another customer) is dropped.
func (h *Handler) readRecordQuery(ctx context.Context, base string, v url.Values, order string, pl placement) (recordQuery, error) {
	q := recordQuery{Base: base, CustomerID: strings.TrimSpace(v.Get("customer_id")), EntityID: strings.TrimSpace(v.Get("entity_id"))}
	if raw := v.Get("cursor"); raw != "" {
		c, err := listquery.DecodeCursor(raw, order)
		if err != nil {
			return q, err
		}
		q.Cursor, q.cursorRaw = c, raw
	}
	if !pl.MSP {
		q.CustomerID, q.EntityID = "", ""
		return q, nil
	}
	if _, err := h.pickCustomer(ctx, pl, v, "customer_id"); err != nil {
		return q, err
	}
	q.CustomerID = strings.TrimSpace(v.Get("customer_id"))
	if known, err := pl.knows(q.CustomerID); err != nil {
		return q, err
	} else if q.CustomerID != "" && !known {
		return q, domain.Errorf(domain.ENotFound, "There is no such customer.")
	}
	if !pl.OrgScope {
		// The caller's own customer is the only one; the filter names it
		// only when it narrows to an entity.
		q.CustomerID = ""
	}
	if q.EntityID != "" {
		cust := pl.fixedCustomer(q.CustomerID)
		if cust == "" {
			q.EntityID = ""
			return q, nil
		}
		es, err := pl.entitiesOf(h, cust)
		if err != nil {
			return q, err
		}
		found := false
		for _, e := range es {
			found = found || e.ID == q.EntityID
		}
		if !found {
			q.EntityID = ""
		}
	}
	return q, nil
}

// listFilter is the customer and entity filter above a table: a GET form
// that the script applies on change.
type listFilter struct {
	Action   string
	Customer *customerPicker // nil for a customer-scoped caller
	Entity   *entityPicker   // nil while MSP mode is off
	Applied  bool
	ClearURL string
}

func (h *Handler) listFilter(ctx context.Context, pl placement, q recordQuery, noun string) (listFilter, error) {
	f := listFilter{Action: q.Base, Applied: q.CustomerID != "" || q.EntityID != "", ClearURL: q.Base}
	if !pl.MSP {
		return f, nil
	}
	if pl.Picks() {
		c, err := pl.customerPicker(customerPicker{ID: "filter-customer", Name: "customer_id", Label: "Customer",
			NoneLabel: "All " + noun, AutoSubmit: true}, q.CustomerID)
		if err != nil {
			return f, err
		}
		f.Customer = c
	}
	e, err := h.entityPicker(ctx, pl, "filter", q.CustomerID, []string{q.EntityID})
	if err != nil {
		return f, err
	}
	for i := range e.Options {
		e.Options[i].Checked = e.Options[i].ID == q.EntityID
	}
	f.Entity = e
	return f, nil
}

// moveBar moves the checked rows of a table to another customer or
// entity in one submit: a plain POST form that the rows' checkboxes join
// with their form attribute.
type moveBar struct {
	Action   string
	Return   string
	Noun     string // "users", "assets"
	Customer *customerPicker
	Entities *entityPicker
	Errors   formErrors
	Selected map[string]bool
}

// recordDelete is the dialog that asks before a user or asset is deleted.
type recordDelete struct {
	Noun    string // "user", "asset"
	Action  string
	Return  string
	Name    string // what is deleted
	Detail  string // where it is
	Version int64
	Alert   string
}

// recordForm is the add / edit sidebar of a user or asset.
type recordForm struct {
	Edit    bool
	Action  string
	Return  string
	Version int64
	Title   string
	Submit  string // the submit button's words
	Errors  formErrors
	Top     []sectionView
	// Placement is the customer and entity section.
	PlacementLegend string
	Customer        *customerPicker
	Entities        *entityPicker
	// Fixed names the caller's customer when it cannot choose one.
	Fixed  string
	Bottom []sectionView
	Dirty  bool
	Note   string // a remark above the fields
}

// focusFirst marks the first invalid field of f, or its first field, to
// have focus when the page loads.
func (f *recordForm) focusFirst() {
	var first *fieldView
	for _, list := range [][]sectionView{f.Top, f.Bottom} {
		for i := range list {
			for j := range list[i].Fields {
				fv := &list[i].Fields[j]
				if fv.Error != "" {
					fv.Autofocus = true
					return
				}
				if first == nil && fv.Kind != webform.Toggle && fv.ID != "" {
					first = fv
				}
			}
		}
	}
	if f.Customer != nil && f.Customer.Error != "" {
		f.Customer.Autofocus = true
		return
	}
	if f.Entities != nil && f.Entities.Error != "" {
		return
	}
	if first != nil && !f.Errors.Any() {
		first.Autofocus = true
	}
}

// fieldResolverFor maps the service's field paths to a record form: each
// path to the input of refs, and every entity_ids[i] to the entity picker.
func fieldResolverFor(refs map[string]fieldRef) fieldResolver {
	return func(field string) (string, fieldRef, bool) {
		if strings.HasPrefix(field, "entity_ids[") {
			field = "entity_ids"
		}
		ref, ok := refs[field]
		return field, ref, ok
	}
}

// fieldsView builds the fields of defs from values and errs, under no
// prefix.
func fieldsView(defs []webform.Field, values url.Values, errs formErrors) []fieldView {
	out := make([]fieldView, 0, len(defs))
	for _, d := range defs {
		fv := fieldView{Field: d, ID: webform.ID(d.Path), Name: d.Path, Value: values.Get(d.Path), Error: errs.Msg(d.Path)}
		if d.Kind == webform.Toggle {
			fv.Checked = fv.Value == "on"
		}
		out = append(out, fv)
	}
	return out
}

// withOptions sets the options of the select field path.
func withOptions(fields []fieldView, path string, opts []option) {
	for i := range fields {
		if fields[i].Path == path {
			fields[i].Options = opts
		}
	}
}

// versionOf reads the version a form carries.
func versionOf(r *http.Request, noun string) (int64, error) {
	v, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || v < 1 {
		return 0, domain.Errorf(domain.EBadRequest, "The form is missing the %s's version; open it again.", noun)
	}
	return v, nil
}

// returnTo reads where a form goes back to: a list URL under base, or base.
func returnTo(v string, base string) string {
	if p := localPath(v); p != "" && (p == base || strings.HasPrefix(p, base+"?")) {
		return p
	}
	return base
}

// checked reads a toggle or checkbox.
func checked(v string) *bool {
	b := v == "on"
	return &b
}

// boolValue writes a bool as a toggle's form value.
func boolValue(b bool) string {
	if b {
		return "on"
	}
	return ""
}

// moveStatus sorts a refused bulk move: field errors and conflicts are
// shown in the move bar (422, 409); a row gone from the caller's sight is
// shown there too, as nothing moved. Anything else fails the page.
func moveStatus(err error) (int, error) {
	de := domainErr(err)
	switch {
	case de == nil:
		return 0, err
	case de.Code == domain.EInvalid:
		return http.StatusUnprocessableEntity, nil
	case de.Code == domain.EConflict, de.Code == domain.EPrecondition, de.Code == domain.ENotFound:
		return http.StatusConflict, nil
	}
	return 0, err
}

// recordFor reads the user or asset the request's path names and checks
// that the caller's role allows action on it. The read comes first, so a
// record outside the caller's scope is a 404 whatever its role.
func recordFor[T any](r *http.Request, get func(context.Context, string) (T, error), resource, action string) (T, error) {
	rec, err := get(r.Context(), r.PathValue("id"))
	if err != nil {
		return rec, err
	}
	return rec, requireCan(r, resource, action)
}

// recordsPlacement reads what the caller may pick customers from on a
// Users or Assets page.
func (h *Handler) recordsPlacement(r *http.Request, page string) (placement, error) {
	s := h.shell(r, page, "")
	return h.placement(r.Context(), principalOf(r), s.MSP)
}
