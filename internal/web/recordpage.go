package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/custreg/custreg/internal/domain"
)

// The Users and Assets pages are one records page, defined here once: the
// list with its customer and entity filter, the sidebar that adds and
// edits a record (shown again with its errors, or beside what someone else
// saved meanwhile), the delete dialog, and the bar that moves the ticked
// records to another customer. A kind of record (userPage, assetPage) says
// only what is its own: its words, its service calls, its form, its rows.

// recordTexts are a records page's words and names.
type recordTexts struct {
	Title  string // "Users"
	Noun   string // "user"
	Plural string // "users"
	One    string // "User": the kind in titles
	Base   string // "/users"
	Icon   string // the menu's and the empty state's icon
	// SubAll and SubOwn are the line under the title, for the whole
	// organization and for one customer's people; {org} and {customer}
	// stand for their names.
	SubAll, SubOwn string
	// EmptyFiltered, EmptyAdd and EmptyNone are the empty state's words:
	// for a filter that matches nothing, for a caller who may add, and
	// for one who may not.
	EmptyFiltered, EmptyAdd, EmptyNone string
	// MoveNone is the move bar's choice of no customer; EntitiesField
	// the field path of the entities a record is placed on ("entity_ids"
	// for users, who may be narrowed to several; "entity_id" for assets).
	MoveNone, EntitiesField string
}

// recordsView is a records page, with the sidebar or the delete dialog
// open over it when Form or Delete is set.
type recordsView struct {
	Shell
	Page     *recordTexts
	Sub      string
	Filter   listFilter
	Rows     any // the kind's rows ([]userRow, []assetRow); nil for none
	Count    string
	URL      string // this view, without the cursor: where forms return
	NextURL  string
	FirstURL string
	Paged    bool
	// What the caller's role allows.
	CanAdd, CanEdit, CanDelete bool
	// ShowCustomer is set for organization users; a customer's people
	// see their own customer only, named in FixedCustomer.
	ShowCustomer  bool
	FixedCustomer string
	Move          *moveBar
	Form          *recordForm
	Delete        *recordDelete
}

// recordPage is one kind of record as the records page shows it.
type recordPage[R, In any] struct {
	texts recordTexts
	order string // the list's order, which its cursors are bound to

	// The service's calls.
	list func(h *Handler, ctx context.Context, q recordQuery) (domain.Page[R], error)
	ops  func(h *Handler) recordOps[R, In]

	// What a record is: its id, version, name in titles, and the words a
	// notice uses for it ("User “Priya Sharma” (priya@…)").
	id      func(R) string
	version func(R) int64
	name    func(R) string
	told    func(R) string

	// The form: values as it shows a record and a new one, the input it
	// posts, where each field path's errors go, and the sidebar itself.
	values   func(R) url.Values
	blank    func(pl placement) url.Values
	input    func(v url.Values, pl placement) In
	refs     map[string]fieldRef
	form     func(h *Handler, ctx context.Context, p domain.Principal, pl placement, edit, self bool, values url.Values, errs formErrors) (*recordForm, error)
	conflict func(h *Handler, ctx context.Context, pl placement, self bool, rec R, values url.Values) (formErrors, error)
	rows     func(h *Handler, ctx context.Context, p domain.Principal, pl placement, items []R, ticked map[string]bool) (any, error)
	moveRefs map[string]fieldRef
	moveTo   func(posted url.Values) []string // the entities a move posts
	deleted  func(rec R) *recordDelete
	// self reports whether rec is the caller's own (a user): it cannot
	// delete itself, nor change what pin keeps.
	self func(rec R, p domain.Principal) bool
	// pin keeps in the posted values what an edit may not change (a
	// user's email; one's own role, customer and activity).
	pin func(rec R, values url.Values, self bool)
}

// recordOps are the service's calls on one kind of record, as the service
// declares them.
type recordOps[R, In any] struct {
	get    func(ctx context.Context, id string) (R, error)
	create func(ctx context.Context, in In) (R, error)
	update func(ctx context.Context, id string, version int64, apply func(In) (In, error)) (R, error)
	remove func(ctx context.Context, id string, version int64) error
	// move moves ids to customerID and entities (an asset takes one).
	move func(ctx context.Context, ids []string, customerID string, entities []string) error
}

func (k *recordPage[R, In]) resource() string { return k.texts.Plural }

// allowed refuses a caller whose role does not allow action on the kind,
// and returns the placement its pages work in.
func (k *recordPage[R, In]) allowed(h *Handler, r *http.Request, action string) (placement, error) {
	if err := requireCan(r, k.resource(), action); err != nil {
		return placement{}, err
	}
	return h.recordsPlacement(r, k.resource())
}

// view loads a page of the list for q, with the sidebar or dialog to come.
func (k *recordPage[R, In]) view(h *Handler, r *http.Request, title string, pl placement, q recordQuery, ticked map[string]bool) (recordsView, error) {
	ctx := r.Context()
	p := principalOf(r)
	res := k.resource()
	v := recordsView{Shell: h.shell(r, res, title), Page: &k.texts, Sub: k.texts.SubAll, URL: q.url(),
		CanAdd: can(p, res, "add"), CanEdit: can(p, res, "edit"), CanDelete: can(p, res, "delete"), ShowCustomer: pl.Picks()}
	sub := k.texts.SubAll
	if pl.MSP && !pl.OrgScope {
		v.FixedCustomer = pl.customerName(pl.Own)
		sub = k.texts.SubOwn
	}
	v.Sub = strings.NewReplacer("{org}", v.OrgName, "{customer}", v.FixedCustomer).Replace(sub)
	first := q
	first.Cursor = nil
	v.FirstURL = first.url()
	v.Paged = q.Cursor != nil
	var err error
	if v.Filter, err = h.listFilter(ctx, pl, q, "customers"); err != nil {
		return v, err
	}
	page, err := k.list(h, ctx, q)
	if err != nil {
		return v, err
	}
	v.Count = countLabel(page.Total, page.TotalExact, k.texts.Noun, k.texts.Plural)
	if len(page.Items) > 0 {
		if v.Rows, err = k.rows(h, ctx, p, pl, page.Items, ticked); err != nil {
			return v, err
		}
	}
	if page.Next != nil {
		v.NextURL = q.pageURL(k.order, page.Next)
	}
	if v.CanEdit && pl.MSP && len(page.Items) > 0 {
		mb, err := k.moveBar(h, ctx, pl, q.CustomerID, nil, formErrors{})
		if err != nil {
			return v, err
		}
		mb.Return = v.URL
		v.Move = mb
	}
	return v, nil
}

// listRoute is GET /<plural>.
func (k *recordPage[R, In]) listRoute(h *Handler, w http.ResponseWriter, r *http.Request) error {
	pl, err := h.recordsPlacement(r, k.resource())
	if err != nil {
		return err
	}
	q, err := h.readRecordQuery(r.Context(), k.texts.Base, r.URL.Query(), k.order, pl)
	if err != nil {
		return err
	}
	v, err := k.view(h, r, k.texts.Title, pl, q, nil)
	if err != nil {
		return err
	}
	v.Flash = takeFlash(w, r)
	h.render(w, r, http.StatusOK, k.resource(), v)
	return nil
}

// showForm renders the page with the sidebar open over its first page.
func (k *recordPage[R, In]) showForm(h *Handler, w http.ResponseWriter, r *http.Request, status int, title string, pl placement, form *recordForm) error {
	v, err := k.view(h, r, title, pl, recordQuery{Base: k.texts.Base}, nil)
	if err != nil {
		return err
	}
	form.Return = returnTo(r.FormValue("return"), k.texts.Base)
	v.Form = form
	h.render(w, r, status, k.resource(), v)
	return nil
}

// newRoute is GET /<plural>/new: the sidebar, empty, over the list; a
// customer named in the query is picked already.
func (k *recordPage[R, In]) newRoute(h *Handler, w http.ResponseWriter, r *http.Request) error {
	pl, err := k.allowed(h, r, "add")
	if err != nil {
		return err
	}
	values := k.blank(pl)
	if c := r.URL.Query().Get("customer_id"); c != "" && pl.Picks() {
		if known, err := pl.knows(c); err != nil {
			return err
		} else if known {
			values.Set("customer_id", c)
		}
	}
	form, err := k.form(h, r.Context(), principalOf(r), pl, false, false, values, formErrors{})
	if err != nil {
		return err
	}
	form.Action = k.texts.Base + "/new"
	return k.showForm(h, w, r, http.StatusOK, "Add "+k.texts.One, pl, form)
}

// createRoute is POST /<plural>/new. The customer picker's "Show entities"
// (op=customer, without the script) comes here too and only shows the form
// again with that customer's entities.
func (k *recordPage[R, In]) createRoute(h *Handler, w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pl, err := k.allowed(h, r, "add")
	if err != nil {
		return err
	}
	values := r.PostForm
	status := http.StatusOK
	var errs formErrors
	pick, err := h.pickCustomer(r.Context(), pl, values, "customer_id")
	if err != nil {
		return err
	}
	if r.PostFormValue("op") != "customer" && !pick.Searched {
		rec, err := k.ops(h).create(r.Context(), k.input(values, pl))
		if err == nil {
			setFlash(w, k.told(rec)+" was added.")
			return seeOther(w, r, returnTo(r.PostFormValue("return"), k.texts.Base))
		}
		var ferr error
		if status, ferr = formStatus(err); ferr != nil {
			return ferr
		}
		errs = formErrorsFrom(err, fieldResolverFor(k.refs))
	}
	form, err := k.form(h, r.Context(), principalOf(r), pl, false, false, values, errs)
	if err != nil {
		return err
	}
	form.Action, form.Dirty = k.texts.Base+"/new", true
	return k.showForm(h, w, r, status, "Add "+k.texts.One, pl, form)
}

// editPath is where a record's sidebar posts.
func (k *recordPage[R, In]) editPath(rec R) string {
	return k.texts.Base + "/" + url.PathEscape(k.id(rec)) + "/edit"
}

// editTitle is the page title of a record's sidebar: "Edit User Priya".
func (k *recordPage[R, In]) editTitle(rec R) string {
	return "Edit " + k.texts.One + " " + k.name(rec)
}

// editRoute is GET /<plural>/{id}/edit.
func (k *recordPage[R, In]) editRoute(h *Handler, w http.ResponseWriter, r *http.Request) error {
	rec, err := recordFor(r, k.ops(h).get, k.resource(), "edit")
	if err != nil {
		return err
	}
	pl, err := h.recordsPlacement(r, k.resource())
	if err != nil {
		return err
	}
	p := principalOf(r)
	form, err := k.form(h, r.Context(), p, pl, true, k.self(rec, p), k.values(rec), formErrors{})
	if err != nil {
		return err
	}
	form.Action, form.Version = k.editPath(rec), k.version(rec)
	return k.showForm(h, w, r, http.StatusOK, k.editTitle(rec), pl, form)
}

// updateRoute is POST /<plural>/{id}/edit: the record saved at the version
// the form was opened at, or the form again with its errors, or, when
// someone else saved it meanwhile, beside what they saved.
func (k *recordPage[R, In]) updateRoute(h *Handler, w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	rec, err := k.ops(h).get(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := requireCan(r, k.resource(), "edit"); err != nil {
		return err
	}
	version, err := versionOf(r, k.texts.Noun)
	if err != nil {
		return err
	}
	pl, err := h.recordsPlacement(r, k.resource())
	if err != nil {
		return err
	}
	p := principalOf(r)
	self := k.self(rec, p)
	values := r.PostForm
	k.pin(rec, values, self)
	status := http.StatusOK
	var errs formErrors
	pick, err := h.pickCustomer(ctx, pl, values, "customer_id")
	if err != nil {
		return err
	}
	if r.PostFormValue("op") != "customer" && !pick.Searched {
		saved, err := k.ops(h).update(ctx, k.id(rec), version, func(In) (In, error) { return k.input(values, pl), nil })
		if err == nil {
			setFlash(w, k.told(saved)+" was saved.")
			return seeOther(w, r, returnTo(r.PostFormValue("return"), k.texts.Base))
		}
		var ferr error
		if status, ferr = formStatus(err); ferr != nil {
			return ferr
		}
		errs = formErrorsFrom(err, fieldResolverFor(k.refs))
		if domain.ErrorCode(err) == domain.EPrecondition {
			if rec, err = k.ops(h).get(ctx, k.id(rec)); err != nil {
				return err
			}
			version = k.version(rec)
			if errs, err = k.conflict(h, ctx, pl, self, rec, values); err != nil {
				return err
			}
		}
	}
	form, err := k.form(h, ctx, p, pl, true, self, values, errs)
	if err != nil {
		return err
	}
	form.Action, form.Version, form.Dirty = k.editPath(rec), version, true
	return k.showForm(h, w, r, status, k.editTitle(rec), pl, form)
}

// deleteView is the list with the delete dialog of rec open over it.
func (k *recordPage[R, In]) deleteView(h *Handler, r *http.Request, rec R) (recordsView, error) {
	pl, err := h.recordsPlacement(r, k.resource())
	if err != nil {
		return recordsView{}, err
	}
	v, err := k.view(h, r, "Delete "+k.texts.One+" "+k.name(rec), pl, recordQuery{Base: k.texts.Base}, nil)
	if err != nil {
		return v, err
	}
	v.Delete = k.deleted(rec)
	if k.self(rec, principalOf(r)) {
		v.Delete.Alert = "You cannot delete yourself; another administrator can."
	}
	return v, nil
}

// confirmDeleteRoute is GET /<plural>/{id}/delete: the dialog.
func (k *recordPage[R, In]) confirmDeleteRoute(h *Handler, w http.ResponseWriter, r *http.Request) error {
	rec, err := recordFor(r, k.ops(h).get, k.resource(), "delete")
	if err != nil {
		return err
	}
	v, err := k.deleteView(h, r, rec)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, k.resource(), v)
	return nil
}

// deleteRoute is POST /<plural>/{id}/delete: the record to trash at the
// version the dialog showed, or the dialog again with why not.
func (k *recordPage[R, In]) deleteRoute(h *Handler, w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	rec, err := recordFor(r, k.ops(h).get, k.resource(), "delete")
	if err != nil {
		return err
	}
	version, err := versionOf(r, k.texts.Noun)
	if err != nil {
		return err
	}
	err = k.ops(h).remove(r.Context(), k.id(rec), version)
	if err == nil {
		setFlash(w, k.told(rec)+" was deleted.")
		return seeOther(w, r, k.texts.Base)
	}
	de := domainErr(err)
	if de == nil || (de.Code != domain.EPrecondition && de.Code != domain.EConflict) {
		return err
	}
	v, lerr := k.deleteView(h, r, rec)
	if lerr != nil {
		return lerr
	}
	v.Delete.Alert = de.Message
	if de.Code == domain.EPrecondition {
		v.Delete.Alert = "Someone else changed this " + k.texts.Noun + " after you opened this dialog, so it was not deleted. " +
			"Check the " + k.texts.Noun + ", then confirm again."
		v.Delete.Version = 0
		if fresh, ferr := k.ops(h).get(r.Context(), k.id(rec)); ferr == nil {
			v.Delete.Version = k.version(fresh)
		}
	}
	h.render(w, r, http.StatusConflict, k.resource(), v)
	return nil
}

// moveRoute is POST /<plural>/move: the ticked records to a customer (and
// entities), all or none. Without the script, "Show entities" comes here
// too and shows the target customer's entities with the ticks kept.
func (k *recordPage[R, In]) moveRoute(h *Handler, w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pl, err := k.allowed(h, r, "edit")
	if err != nil {
		return err
	}
	ret := returnTo(r.PostFormValue("return"), k.texts.Base)
	ids := r.PostForm["ids"]
	pick, err := h.pickCustomer(r.Context(), pl, r.PostForm, "move_customer_id")
	if err != nil {
		return err
	}
	target := pl.fixedCustomer(r.PostFormValue("move_customer_id"))
	entities := k.moveTo(r.PostForm)
	status := http.StatusOK
	var errs formErrors
	if r.PostFormValue("op") != "customer" && !pick.Searched {
		err := k.ops(h).move(r.Context(), ids, target, entities)
		if err == nil {
			if err := pl.need(target); err != nil {
				return err
			}
			where := "the organization"
			if target != "" {
				where = "“" + pl.customerName(target) + "”"
			}
			setFlash(w, "Moved "+pluralize(int64(len(ids)), k.texts.Noun, k.texts.Plural)+" to "+where+".")
			return seeOther(w, r, ret)
		}
		var ferr error
		if status, ferr = moveStatus(err); ferr != nil {
			return ferr
		}
		errs = formErrorsFrom(err, fieldResolverFor(k.moveRefs))
	}
	u, _ := url.Parse(ret)
	q, err := h.readRecordQuery(r.Context(), k.texts.Base, u.Query(), k.order, pl)
	if err != nil {
		return err
	}
	ticked := map[string]bool{}
	for _, id := range ids {
		ticked[id] = true
	}
	v, err := k.view(h, r, k.texts.Title, pl, q, ticked)
	if err != nil {
		return err
	}
	if v.Move != nil {
		mb, err := k.moveBar(h, r.Context(), pl, target, entities, errs)
		if err != nil {
			return err
		}
		mb.Return = v.URL
		mb.Selected = ticked
		v.Move = mb
	}
	h.render(w, r, status, k.resource(), v)
	return nil
}

// moveBar builds the bar that moves the ticked records to customerID and
// entities.
func (k *recordPage[R, In]) moveBar(h *Handler, ctx context.Context, pl placement, customerID string, entities []string, errs formErrors) (*moveBar, error) {
	mb := &moveBar{Action: k.texts.Base + "/move", Noun: k.texts.Plural, Errors: errs, Selected: map[string]bool{}}
	kind := "move-" + k.texts.Noun
	if pl.Picks() {
		c, err := pl.customerPicker(customerPicker{ID: "move-customer", Name: "move_customer_id", Label: "To customer",
			NoneLabel: k.texts.MoveNone, Target: "move-entity-picker", URL: "/pickers/entities?kind=" + kind, Refresh: true,
			Error: errs.Msg("customer_id")}, customerID)
		if err != nil {
			return nil, err
		}
		mb.Customer = c
	}
	e, err := h.entityPicker(ctx, pl, kind, customerID, entities)
	if err != nil {
		return nil, err
	}
	e.Error = errs.Msg(k.texts.EntitiesField)
	mb.Entities = e
	return mb, nil
}
