package web

import (
	"context"
	"net/url"
	"slices"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/web/webform"
)

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
		if err := pl.need(values.Get("customer_id")); err != nil {
			return nil, err
		}
		switch {
		case self:
			f.Fixed = pl.customerName(values.Get("customer_id"))
			if f.Fixed == "" {
				f.Fixed = "None — organization user"
			}
		case pl.Picks():
			c, err := pl.customerPicker(customerPicker{ID: "f-customer-id", Name: "customer_id", Label: "Customer",
				NoneLabel: "None — organization user", Target: "entity-picker", URL: "/pickers/entities?kind=user", Refresh: true,
				Error: errs.Msg("customer_id"), Hint: "The customer whose user this is; none for the organization's own staff."}, values.Get("customer_id"))
			if err != nil {
				return nil, err
			}
			f.Customer = c
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
		ents, err := pl.entityNames(h, []string{u.CustomerID, values.Get("customer_id")})
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
func userDelete(u domain.User) *recordDelete {
	d := &recordDelete{Noun: "user", Action: "/users/" + url.PathEscape(u.ID) + "/delete", Return: "/users",
		Name: u.Name + " (" + u.Email + ")", Version: u.Version,
		Detail: "They can no longer sign in, and their sessions and API tokens stop working at once."}
	return d
}

// moveUserRefs maps the field paths of a refused move to the move bar.
var moveUserRefs = map[string]fieldRef{
	"customer_id": {ID: "move-customer", Label: "To customer"},
	"entity_ids":  {ID: "move-entity-ids", Label: "To entities"},
	"role":        {Label: "Role"},
	"ids":         {Label: "Selection"},
}

// userRows are a page of users as the table shows them.
func (h *Handler) userRows(ctx context.Context, p domain.Principal, pl placement, users []domain.User, ticked map[string]bool) (any, error) {
	var custs []string
	for _, u := range users {
		custs = append(custs, u.CustomerID)
	}
	names, err := pl.entityNames(h, custs)
	if err != nil {
		return nil, err
	}
	roles := h.roleNames(ctx)
	rows := make([]userRow, 0, len(users))
	for _, u := range users {
		row := userRow{ID: u.ID, Email: u.Email, Name: u.Name, Kind: kindLabels[u.Kind], Role: roles[u.Role],
			Customer: pl.customerName(u.CustomerID), Active: u.IsActive, Self: u.ID == p.UserID, Checked: ticked[u.ID]}
		if row.Role == "" {
			row.Role = u.Role
		}
		for _, e := range u.EntityIDs {
			if n, ok := names[e]; ok {
				row.Entities = append(row.Entities, n)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// userPage is the Users page: the records page of users.
var userPage = &recordPage[domain.User, domain.UserInput]{
	texts: recordTexts{Title: "Users", One: "User", Noun: "user", Plural: "users", Base: "/users", Icon: "i-users",
		SubAll:        "The people who sign in: the organization's own staff and its customers' users.",
		SubOwn:        "The people of {customer} who sign in to {org}.",
		EmptyFiltered: "No user belongs to this customer or entity yet.",
		EmptyAdd:      "Add the people who sign in: give each a role, and map a customer's users to the customer and, if you like, to some of its entities.",
		MoveNone:      "None — organization users", EntitiesField: "entity_ids",
		EmptyNone: "An administrator has not added any users yet."},
	ops: func(h *Handler) recordOps[domain.User, domain.UserInput] {
		s := h.svc.users
		return recordOps[domain.User, domain.UserInput]{s.User, s.CreateUser, s.UpdateUser, s.DeleteUser, s.MoveUsers}
	},
	order: listquery.UsersByEmail,
	list: func(h *Handler, ctx context.Context, q recordQuery) (domain.UserPage, error) {
		return h.svc.users.ListUsers(ctx, domain.UserFilter{CustomerID: q.CustomerID, EntityID: q.EntityID, Cursor: q.Cursor})
	},
	id:      func(u domain.User) string { return u.ID },
	version: func(u domain.User) int64 { return u.Version },
	name:    func(u domain.User) string { return u.Name },
	told:    func(u domain.User) string { return "User “" + u.Name + "” (" + u.Email + ")" },
	values:  userValues,
	blank: func(pl placement) url.Values {
		v := url.Values{"is_active": {"on"}, "kind": {domain.KindUser}}
		if !pl.OrgScope {
			v.Set("role", domain.RoleCustomerUser)
		}
		return v
	},
	input:    userInput,
	refs:     userRefs,
	form:     (*Handler).userForm,
	conflict: (*Handler).userConflict,
	rows:     (*Handler).userRows,
	moveRefs: moveUserRefs,
	moveTo:   func(posted url.Values) []string { return posted["move_entity_ids"] },
	deleted:  userDelete,
	self:     func(u domain.User, p domain.Principal) bool { return u.ID == p.UserID },
	pin: func(u domain.User, values url.Values, self bool) {
		values.Set("email", u.Email)
		if self {
			values.Set("role", u.Role)
			values.Set("customer_id", u.CustomerID)
			values.Set("is_active", boolValue(u.IsActive))
		}
	},
}
