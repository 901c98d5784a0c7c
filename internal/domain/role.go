package domain

import (
	"slices"
	"strings"
)

// Role scopes: an organization role is held by organization users, a
// customer role by users of one customer.
const (
	ScopeOrganization = "organization"
	ScopeCustomer     = "customer"
)

// Resources and actions a role's permissions are made of (issue: users,
// assets and tenant isolation).
var (
	Resources = []string{"customers", "entities", "users", "assets", "licenses", "reports", "dashboards", "audit"}
	Actions   = []string{"view", "add", "edit", "delete"}
)

// Keys of the built-in roles (API.md "Catalogs").
const (
	RoleTechnician         = "technician"
	RoleCustomerAdmin      = "customer_admin"
	RoleCustomerTechnician = "customer_technician"
	RoleCustomerUser       = "customer_user"
)

// Role is a named set of permissions ("assets.edit") for one scope.
type Role struct {
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Scope       string   `json:"scope"`
	Permissions []string `json:"permissions"`
	// Builtin roles are seeded and cannot be changed or removed.
	Builtin bool `json:"builtin"`
}

// Permission names one action on one resource.
func Permission(resource, action string) string { return resource + "." + action }

// Can reports whether the role grants action on resource.
func (r Role) Can(resource, action string) bool {
	return slices.Contains(r.Permissions, Permission(resource, action))
}

// Covers reports whether r grants every permission of other: a customer
// admin may grant only roles its customer's admin role covers.
func (r Role) Covers(other Role) bool {
	for _, p := range other.Permissions {
		if !slices.Contains(r.Permissions, p) {
			return false
		}
	}
	return true
}

// perms builds a permission list from "resource:action,action" items.
func perms(items ...string) []string {
	var out []string
	for _, it := range items {
		res, acts, _ := strings.Cut(it, ":")
		for _, a := range strings.Split(acts, ",") {
			out = append(out, Permission(res, a))
		}
	}
	return out
}

// allPermissions grants every action on every resource.
func allPermissions() []string {
	var out []string
	for _, r := range Resources {
		for _, a := range Actions {
			out = append(out, Permission(r, a))
		}
	}
	return out
}

// BuiltinRoles are the roles every deployment starts with.
var BuiltinRoles = []Role{
	{Key: RoleOrgAdmin, Name: "Organization Admin", Scope: ScopeOrganization, Builtin: true, Permissions: allPermissions()},
	{Key: RoleTechnician, Name: "Technician", Scope: ScopeOrganization, Builtin: true, Permissions: perms(
		"customers:view", "entities:view", "users:view", "assets:view,add,edit,delete", "licenses:view",
		"reports:view", "dashboards:view")},
	{Key: RoleCustomerAdmin, Name: "Customer Admin", Scope: ScopeCustomer, Builtin: true, Permissions: perms(
		"customers:view", "entities:view,add,edit,delete", "users:view,add,edit,delete", "assets:view,add,edit,delete",
		"licenses:view", "reports:view", "dashboards:view", "audit:view")},
	{Key: RoleCustomerTechnician, Name: "Customer Technician", Scope: ScopeCustomer, Builtin: true, Permissions: perms(
		"customers:view", "entities:view", "users:view", "assets:view,add,edit", "licenses:view",
		"reports:view", "dashboards:view")},
	{Key: RoleCustomerUser, Name: "Customer User", Scope: ScopeCustomer, Builtin: true, Permissions: perms(
		"customers:view", "entities:view", "users:view", "assets:view", "licenses:view", "reports:view", "dashboards:view")},
}

// BuiltinRole returns the built-in role with key.
func BuiltinRole(key string) (Role, bool) {
	for _, r := range BuiltinRoles {
		if r.Key == key {
			return r, true
		}
	}
	return Role{}, false
}

// Limits of a custom role.
const (
	MaxRoleKey  = 40
	MaxRoleName = 100
)

// RoleInput is a custom role as an organization admin defines it.
type RoleInput struct {
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Scope       string   `json:"scope"`
	Permissions []string `json:"permissions"`
}

// Normalize checks a custom role: a key of lower-case letters, digits and
// underscores not taken by a built-in role, a name, a scope, and known
// permissions (a customer role may not manage customers or licenses, which
// belong to the organization).
func (in RoleInput) Normalize() (Role, error) {
	var fe FieldErrors
	r := Role{Key: cleanLine(&fe, "key", in.Key), Name: cleanName(&fe, "name", in.Name), Scope: cleanLine(&fe, "scope", in.Scope)}
	switch {
	case fe.Has("key"):
	case r.Key == "":
		fe.Add("key", FieldRequired, "Role key is required.")
	case !roleKeyRE(r.Key):
		fe.Add("key", FieldFormat, "Use lower-case letters, digits and underscores, starting with a letter.")
	case Len(r.Key) > MaxRoleKey:
		fe.Add("key", FieldTooLong, "Must be at most "+itoa(MaxRoleKey)+" characters.")
	default:
		if _, ok := BuiltinRole(r.Key); ok {
			fe.Add("key", FieldTaken, "This key belongs to a built-in role.")
		}
	}
	switch n := Len(r.Name); {
	case fe.Has("name"):
	case n == 0:
		fe.Add("name", FieldRequired, "Role name is required.")
	case n > MaxRoleName:
		fe.Add("name", FieldTooLong, "Must be at most "+itoa(MaxRoleName)+" characters.")
	}
	if !fe.Has("scope") && r.Scope != ScopeOrganization && r.Scope != ScopeCustomer {
		fe.Add("scope", FieldUnknown, "Must be organization or customer.")
	}
	seen := map[string]bool{}
	for i, p := range in.Permissions {
		field := "permissions[" + itoa(i) + "]"
		res, act, ok := strings.Cut(p, ".")
		if !ok || !slices.Contains(Resources, res) || !slices.Contains(Actions, act) {
			fe.Add(field, FieldUnknown, "Not a permission: use resource.action, e.g. assets.edit.")
			continue
		}
		if r.Scope == ScopeCustomer && (res == "customers" || res == "licenses") && act != "view" {
			fe.Add(field, FieldUnknown, "A customer role cannot change customers or licenses.")
			continue
		}
		if !seen[p] {
			seen[p] = true
			r.Permissions = append(r.Permissions, p)
		}
	}
	if err := fe.Err(); err != nil {
		return Role{}, err
	}
	slices.Sort(r.Permissions)
	return r, nil
}

func roleKeyRE(s string) bool {
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z':
		case (c >= '0' && c <= '9') || c == '_':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return s != ""
}
