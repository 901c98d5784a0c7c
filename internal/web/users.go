package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/web/webform"
)

// usersView is the Users page, with the sidebar or the delete dialog open
// over it when Form or Delete is set.
type usersView struct {
	Shell
	Filter   listFilter
	Rows     []userRow
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

// userRow is one row of the user table.
type userRow struct {
	ID, Email, Name, Kind, Role string
	Customer                    string // "" for an organization user
	Entities                    []string
	Active                      bool
	Self                        bool
	Checked                     bool
}

var kindLabels = map[string]string{domain.KindUser: "User", domain.KindTechnician: "Technician"}

// userTopFields are the user's own fields (SPEC §2 "User").
var userTopFields = []webform.Field{
	{Path: "email", Label: "Email", Placeholder: "priya.sharma@airtel.com", Max: domain.MaxEmail, Type: "email", Required: true, Code: true,
		Autocomplete: "off"},
	{Path: "name", Label: "Name", Placeholder: "Priya Sharma", Max: domain.MaxUserName, Type: "text", Required: true},
	{Path: "kind", Label: "Kind", Kind: webform.Select},
	{Path: "role", Label: "Role", Kind: webform.Select, Required: true},
	{Path: "is_active", Label: "Is Active", Kind: webform.Toggle, Hint: "An inactive user cannot sign in."},
}

// userRefs maps the user's field paths to the inputs of the form.
var userRefs = map[string]fieldRef{
	"email":       {ID: "f-email", Label: "Email"},
	"name":        {ID: "f-name", Label: "Name"},
	"kind":        {ID: "f-kind", Label: "Kind"},
	"role":        {ID: "f-role", Label: "Role"},
	"is_active":   {ID: "f-is-active", Label: "Is Active"},
	"customer_id": {ID: "f-customer-id", Label: "Customer"},
	"entity_ids":  {ID: "f-entity-ids", Label: "Entities"},
	"password":    {ID: "f-password", Label: "Password"},
}

// userValues is a stored user as the form shows it.
func userValues(u domain.User) url.Values {
	return url.Values{"email": {u.Email}, "name": {u.Name}, "kind": {u.Kind}, "role": {u.Role},
		"customer_id": {u.CustomerID}, "entity_ids": slices.Clone(u.EntityIDs), "is_active": {boolValue(u.IsActive)}}
}

// userInput reads the form. A customer-scoped caller's users are always of
// its own customer; while MSP mode is off every user is the organization's.
func userInput(v url.Values, pl placement) domain.UserInput {
	in := domain.UserInput{Email: v.Get("email"), Name: v.Get("name"), Kind: v.Get("kind"), Role: v.Get("role"),
		IsActive: checked(v.Get("is_active")), Password: v.Get("password")}
	if pl.MSP {
		in.CustomerID = pl.fixedCustomer(v.Get("customer_id"))
		in.EntityIDs = v["entity_ids"]
	}
	return in
}

// roleOptions lists the roles the caller may grant: the catalog as the
// service gives it to the caller, narrowed to what the caller's own role
// covers (as the service checks).
func (h *Handler) roleOptions(ctx context.Context, p domain.Principal, pl placement, selected string) ([]option, error) {
	roles, err := h.svc.roles.Roles(ctx)
	if err != nil {
		return nil, err
	}
	mine, _ := callerRole(p)
	out := []option{{Value: "", Label: "Choose a role", Selected: selected == ""}}
	for _, r := range roles {
		if !p.IsOrgAdmin() && !mine.Covers(r) {
			continue
		}
		if !pl.MSP && r.Scope == domain.ScopeCustomer {
			continue
		}
		label := r.Name
		if pl.Picks() {
			if r.Scope == domain.ScopeCustomer {
				label += " — for a customer's users"
			} else {
				label += " — for organization users"
			}
		}
		out = append(out, option{Value: r.Key, Label: label, Selected: r.Key == selected})
	}
	return out, nil
}

// roleNames maps role keys to names, for the table.
func (h *Handler) roleNames(ctx context.Context) map[string]string {
	out := map[string]string{}
	for _, r := range domain.BuiltinRoles {
		out[r.Key] = r.Name
	}
	if roles, err := h.svc.roles.Roles(ctx); err == nil {
		for _, r := range roles {
			out[r.Key] = r.Name
		}
	}
	return out
}

// userForm builds the add / edit sidebar from values as typed.
func (h *Handler) userForm(ctx context.Context, p domain.Principal, pl placement, edit bool, self bool, values url.Values, errs formErrors) (*recordForm, error) {
	f := &recordForm{Edit: edit, Errors: errs, Title: "Add User", Submit: "Add user", PlacementLegend: "Customer and entities"}
	top := slices.Clone(userTopFields)
	if edit {
		f.Title, f.Submit = "Edit User", "Save"
		top[0].ReadOnly, top[0].Required = true, false
		top[0].Hint = "The email is the sign-in name and cannot change."
	}
	if self {
		// The service refuses these for oneself; do not offer them.
		top[3].Disabled, top[4].Disabled = true, true
		f.Note = "This is your own account: another administrator can change your role, customer or activity."
	}
	fields := fieldsView(top, values, errs)
	var kinds []option
	for _, k := range []string{domain.KindUser, domain.KindTechnician} {
		kinds = append(kinds, option{Value: k, Label: kindLabels[k], Selected: k == values.Get("kind") || (k == domain.KindUser && values.Get("kind") == "")})
	}
	withOptions(fields, "kind", kinds)
	roles, err := h.roleOptions(ctx, p, pl, values.Get("role"))
	if err != nil {
		return nil, err
	}
	withOptions(fields, "role", roles)
	f.Top = []sectionView{{Legend: "User", Fields: fields}}
	pw := webform.Field{Path: "password", Label: "Password", Max: domain.MaxPassword, Type: "password", Autocomplete: "new-password",
		Required: !edit, Hint: "At least 12 characters."}
	if edit {
		pw.Label = "New password"
		pw.Hint = "Leave empty to keep the current password."
	}
	pwv := fieldsView([]webform.Field{pw}, url.Values{}, errs) // a password is never sent back
	f.Bottom = []sectionView{{Legend: "Sign-in", Fields: pwv}}
	if pl.MSP {
		switch {
		case self:
			f.Fixed = pl.customerName(values.Get("customer_id"))
			if f.Fixed == "" {
				f.Fixed = "None — organization user"
			}
		case pl.Picks():
			f.Customer = pl.customerPicker(customerPicker{ID: "f-customer-id", Name: "customer_id", Label: "Customer",
				NoneLabel: "None — organization user", Target: "entity-picker", URL: "/pickers/entities?kind=user", Refresh: true,
				Error: errs.Msg("customer_id"), Hint: "The customer whose user this is; none for the organization's own staff."}, values.Get("customer_id"))
		default:
			f.Fixed = pl.customerName(pl.Own)
		}
		if !self || values.Get("customer_id") != "" {
			e, err := h.entityPicker(ctx, pl, "user", values.Get("customer_id"), values["entity_ids"])
			if err != nil {
				return nil, err
			}
			e.Error = errs.Msg("entity_ids")
			f.Entities = e
		}
	}
	f.focusFirst()
	return f, nil
}

// usersList loads a page of the user table for q.
func (h *Handler) usersList(r *http.Request, title string, pl placement, q recordQuery) (usersView, error) {
	ctx := r.Context()
	p := principalOf(r)
	v := usersView{Shell: h.shell(r, "users", title), URL: q.url(), CanAdd: can(p, "users", "add"),
		CanEdit: can(p, "users", "edit"), CanDelete: can(p, "users", "delete"), ShowCustomer: pl.Picks()}
	if pl.MSP && !pl.OrgScope {
		v.FixedCustomer = pl.customerName(pl.Own)
	}
	first := q
	first.Cursor = nil
	v.FirstURL = first.url()
	v.Paged = q.Cursor != nil
	var err error
	if v.Filter, err = h.listFilter(ctx, pl, q, "customers"); err != nil {
		return v, err
	}
	page, err := h.svc.users.ListUsers(ctx, domain.UserFilter{CustomerID: q.CustomerID, EntityID: q.EntityID, Cursor: q.Cursor})
	if err != nil {
		return v, err
	}
	v.Count = pluralize(page.Total, "user", "users")
	var custs []string
	for _, u := range page.Items {
		custs = append(custs, u.CustomerID)
	}
	names, err := h.entityNames(ctx, custs)
	if err != nil {
		return v, err
	}
	roles := h.roleNames(ctx)
	for _, u := range page.Items {
		row := userRow{ID: u.ID, Email: u.Email, Name: u.Name, Kind: kindLabels[u.Kind], Role: roles[u.Role],
			Customer: pl.customerName(u.CustomerID), Active: u.IsActive, Self: u.ID == p.UserID}
		if row.Role == "" {
			row.Role = u.Role
		}
		for _, e := range u.EntityIDs {
			if n, ok := names[e]; ok {
				row.Entities = append(row.Entities, n)
			}
		}
		v.Rows = append(v.Rows, row)
	}
	if page.Next != nil {
		v.NextURL = q.pageURL(listquery.UsersByEmail, page.Next)
	}
	if v.CanEdit && pl.MSP && len(v.Rows) > 0 {
		mb, err := h.userMoveBar(ctx, pl, q.CustomerID, nil, formErrors{})
		if err != nil {
			return v, err
		}
		mb.Return = v.URL
		v.Move = mb
	}
	return v, nil
}

// userMoveBar builds the bar that moves checked users.
func (h *Handler) userMoveBar(ctx context.Context, pl placement, customerID string, entityIDs []string, errs formErrors) (*moveBar, error) {
	mb := &moveBar{Action: "/users/move", Noun: "users", Errors: errs, Selected: map[string]bool{}}
	if pl.Picks() {
		mb.Customer = pl.customerPicker(customerPicker{ID: "move-customer", Name: "move_customer_id", Label: "To customer",
			NoneLabel: "None — organization users", Target: "move-entity-picker", URL: "/pickers/entities?kind=move-user", Refresh: true,
			Error: errs.Msg("customer_id")}, customerID)
	}
	e, err := h.entityPicker(ctx, pl, "move-user", customerID, entityIDs)
	if err != nil {
		return nil, err
	}
	e.Error = errs.Msg("entity_ids")
	mb.Entities = e
	return mb, nil
}

func (h *Handler) users(w http.ResponseWriter, r *http.Request) error {
	pl, err := h.recordsPlacement(r, "users")
	if err != nil {
		return err
	}
	q, err := h.readRecordQuery(r.Context(), "/users", r.URL.Query(), listquery.UsersByEmail, pl)
	if err != nil {
		return err
	}
	v, err := h.usersList(r, "Users", pl, q)
	if err != nil {
		return err
	}
	v.Flash = takeFlash(w, r)
	h.render(w, r, http.StatusOK, "users", v)
	return nil
}

// showUserForm renders the Users page with the sidebar open over its
// first page.
func (h *Handler) showUserForm(w http.ResponseWriter, r *http.Request, status int, title string, pl placement, form *recordForm) error {
	v, err := h.usersList(r, title, pl, recordQuery{Base: "/users"})
	if err != nil {
		return err
	}
	form.Return = returnTo(r.FormValue("return"), "/users")
	v.Form = form
	h.render(w, r, status, "users", v)
	return nil
}

func (h *Handler) newUser(w http.ResponseWriter, r *http.Request) error {
	if err := requireCan(r, "users", "add"); err != nil {
		return err
	}
	pl, err := h.recordsPlacement(r, "users")
	if err != nil {
		return err
	}
	p := principalOf(r)
	values := url.Values{"is_active": {"on"}, "kind": {domain.KindUser}}
	if c := r.URL.Query().Get("customer_id"); c != "" && pl.Picks() && pl.knows(c) {
		values.Set("customer_id", c)
	}
	if !pl.OrgScope {
		values.Set("role", domain.RoleCustomerUser)
	}
	form, err := h.userForm(r.Context(), p, pl, false, false, values, formErrors{})
	if err != nil {
		return err
	}
	form.Action = "/users/new"
	return h.showUserForm(w, r, http.StatusOK, "Add User", pl, form)
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := requireCan(r, "users", "add"); err != nil {
		return err
	}
	pl, err := h.recordsPlacement(r, "users")
	if err != nil {
		return err
	}
	p := principalOf(r)
	values := r.PostForm
	status := http.StatusOK
	var errs formErrors
	if r.PostFormValue("op") != "customer" {
		u, err := h.svc.users.CreateUser(r.Context(), userInput(values, pl))
		if err == nil {
			setFlash(w, "User “"+u.Name+"” ("+u.Email+") was added.")
			return seeOther(w, r, returnTo(r.PostFormValue("return"), "/users"))
		}
		var ferr error
		if status, ferr = formStatus(err); ferr != nil {
			return ferr
		}
		errs = formErrorsFrom(err, fieldResolverFor(userRefs))
	}
	form, err := h.userForm(r.Context(), p, pl, false, false, values, errs)
	if err != nil {
		return err
	}
	form.Action, form.Dirty = "/users/new", true
	return h.showUserForm(w, r, status, "Add User", pl, form)
}

func (h *Handler) editUser(w http.ResponseWriter, r *http.Request) error {
	u, err := recordFor(r, h.svc.users.User, "users", "edit")
	if err != nil {
		return err
	}
	pl, err := h.recordsPlacement(r, "users")
	if err != nil {
		return err
	}
	p := principalOf(r)
	form, err := h.userForm(r.Context(), p, pl, true, u.ID == p.UserID, userValues(u), formErrors{})
	if err != nil {
		return err
	}
	form.Action, form.Version = "/users/"+url.PathEscape(u.ID)+"/edit", u.Version
	return h.showUserForm(w, r, http.StatusOK, "Edit User "+u.Name, pl, form)
}

func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	u, err := h.svc.users.User(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := requireCan(r, "users", "edit"); err != nil {
		return err
	}
	version, err := versionOf(r, "user")
	if err != nil {
		return err
	}
	pl, err := h.recordsPlacement(r, "users")
	if err != nil {
		return err
	}
	p := principalOf(r)
	self := u.ID == p.UserID
	values := r.PostForm
	values.Set("email", u.Email)
	if self {
		values.Set("role", u.Role)
		values.Set("customer_id", u.CustomerID)
		values.Set("is_active", boolValue(u.IsActive))
	}
	status := http.StatusOK
	var errs formErrors
	if r.PostFormValue("op") != "customer" {
		in := userInput(values, pl)
		saved, err := h.svc.users.UpdateUser(ctx, u.ID, version, func(domain.UserInput) (domain.UserInput, error) { return in, nil })
		if err == nil {
			setFlash(w, "User “"+saved.Name+"” ("+saved.Email+") was saved.")
			return seeOther(w, r, returnTo(r.PostFormValue("return"), "/users"))
		}
		var ferr error
		if status, ferr = formStatus(err); ferr != nil {
			return ferr
		}
		errs = formErrorsFrom(err, fieldResolverFor(userRefs))
		if domain.ErrorCode(err) == domain.EPrecondition {
			if u, err = h.svc.users.User(ctx, u.ID); err != nil {
				return err
			}
			version = u.Version
			if errs, err = h.userConflict(ctx, pl, self, u, values); err != nil {
				return err
			}
		}
	}
	form, err := h.userForm(ctx, p, pl, true, self, values, errs)
	if err != nil {
		return err
	}
	form.Action, form.Version, form.Dirty = "/users/"+url.PathEscape(u.ID)+"/edit", version, true
	return h.showUserForm(w, r, status, "Edit User "+u.Name, pl, form)
}

// userConflict is the conflict view of an edit of u refused because u
// changed since the form was opened: u as stored now beside values as typed.
func (h *Handler) userConflict(ctx context.Context, pl placement, self bool, u domain.User, values url.Values) (formErrors, error) {
	names := map[string]map[string]string{"kind": kindLabels, "role": h.roleNames(ctx)}
	top := slices.Clone(userTopFields)
	top[0].ReadOnly = true
	if self {
		top[3].Disabled, top[4].Disabled = true, true
	}
	fields := fieldConflicts(top, names)
	if pl.MSP && !self {
		ents, err := h.entityNames(ctx, []string{u.CustomerID, values.Get("customer_id")})
		if err != nil {
			return formErrors{}, err
		}
		fields = append(fields,
			conflictField{Label: "Customer", Say: func(v url.Values) string {
				return pl.customerNames("None — organization user")[pl.fixedCustomer(v.Get("customer_id"))]
			}},
			listConflict("Entities", "entity_ids", ents, "None"))
	}
	typed := url.Values{}
	for k, v := range values {
		typed[k] = v
	}
	if typed.Get("kind") == "" {
		typed.Set("kind", domain.KindUser)
	}
	c := newConflict("user", u.UpdatedAt, "/users/"+url.PathEscape(u.ID)+"/edit", fields, userValues(u), typed)
	return c.errors(), nil
}

// userDelete builds the delete dialog of u.
func userDelete(u domain.User, pl placement) *recordDelete {
	d := &recordDelete{Noun: "user", Action: "/users/" + url.PathEscape(u.ID) + "/delete", Return: "/users",
		Name: u.Name + " (" + u.Email + ")", Version: u.Version,
		Detail: "They can no longer sign in, and their sessions and API tokens stop working at once."}
	return d
}

func (h *Handler) confirmDeleteUser(w http.ResponseWriter, r *http.Request) error {
	u, err := recordFor(r, h.svc.users.User, "users", "delete")
	if err != nil {
		return err
	}
	pl, err := h.recordsPlacement(r, "users")
	if err != nil {
		return err
	}
	v, err := h.usersList(r, "Delete User "+u.Name, pl, recordQuery{Base: "/users"})
	if err != nil {
		return err
	}
	v.Delete = userDelete(u, pl)
	if u.ID == principalOf(r).UserID {
		v.Delete.Alert = "You cannot delete yourself; another administrator can."
	}
	h.render(w, r, http.StatusOK, "users", v)
	return nil
}

func (h *Handler) deleteUser(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	u, err := recordFor(r, h.svc.users.User, "users", "delete")
	if err != nil {
		return err
	}
	version, err := versionOf(r, "user")
	if err != nil {
		return err
	}
	err = h.svc.users.DeleteUser(r.Context(), u.ID, version)
	if err == nil {
		setFlash(w, "User “"+u.Name+"” ("+u.Email+") was deleted.")
		return seeOther(w, r, "/users")
	}
	de := domainErr(err)
	if de == nil || (de.Code != domain.EPrecondition && de.Code != domain.EConflict) {
		return err
	}
	pl, perr := h.recordsPlacement(r, "users")
	if perr != nil {
		return perr
	}
	v, lerr := h.usersList(r, "Delete User "+u.Name, pl, recordQuery{Base: "/users"})
	if lerr != nil {
		return lerr
	}
	v.Delete = userDelete(u, pl)
	v.Delete.Alert = de.Message
	if de.Code == domain.EPrecondition {
		v.Delete.Alert = "Someone else changed this user after you opened this dialog, so it was not deleted. Check the user, then confirm again."
		v.Delete.Version = 0
		if fresh, ferr := h.svc.users.User(r.Context(), u.ID); ferr == nil {
			v.Delete.Version = fresh.Version
		}
	}
	h.render(w, r, http.StatusConflict, "users", v)
	return nil
}

// moveUserRefs maps the field paths of a refused move to the move bar.
var moveUserRefs = map[string]fieldRef{
	"customer_id": {ID: "move-customer", Label: "To customer"},
	"entity_ids":  {ID: "move-entity-ids", Label: "To entities"},
	"role":        {Label: "Role"},
	"ids":         {Label: "Selection"},
}

// moveUsers moves the checked users to a customer and entities. Without
// the script, "Show entities" comes here too and shows the target
// customer's entities with the checked rows kept.
func (h *Handler) moveUsers(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := requireCan(r, "users", "edit"); err != nil {
		return err
	}
	pl, err := h.recordsPlacement(r, "users")
	if err != nil {
		return err
	}
	ret := returnTo(r.PostFormValue("return"), "/users")
	ids := r.PostForm["ids"]
	target := pl.fixedCustomer(r.PostFormValue("move_customer_id"))
	entities := r.PostForm["move_entity_ids"]
	status := http.StatusOK
	var errs formErrors
	if r.PostFormValue("op") != "customer" {
		err := h.svc.users.MoveUsers(r.Context(), ids, target, entities)
		if err == nil {
			where := "the organization"
			if target != "" {
				where = "“" + pl.customerName(target) + "”"
			}
			setFlash(w, "Moved "+pluralize(int64(len(ids)), "user", "users")+" to "+where+".")
			return seeOther(w, r, ret)
		}
		var ferr error
		if status, ferr = moveStatus(err); ferr != nil {
			return ferr
		}
		errs = formErrorsFrom(err, fieldResolverFor(moveUserRefs))
	}
	u, _ := url.Parse(ret)
	q, err := h.readRecordQuery(r.Context(), "/users", u.Query(), listquery.UsersByEmail, pl)
	if err != nil {
		return err
	}
	v, err := h.usersList(r, "Users", pl, q)
	if err != nil {
		return err
	}
	if v.Move != nil {
		mb, err := h.userMoveBar(r.Context(), pl, target, entities, errs)
		if err != nil {
			return err
		}
		mb.Return = v.URL
		for _, id := range ids {
			mb.Selected[id] = true
		}
		v.Move = mb
		for i := range v.Rows {
			v.Rows[i].Checked = mb.Selected[v.Rows[i].ID]
		}
	}
	h.render(w, r, status, "users", v)
	return nil
}
