package service

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// Need is what a use case requires of its caller, declared once in
// UseCases and checked by Service.begin before the use case touches the
// store. The route tables of the API and the web UI name the use case each
// route runs, and the permission test calls every route as every role and
// compares the answer with the catalog through this table.
type Need struct {
	// Permission is the role permission ("customers.view") the caller
	// must hold; "" asks only that the caller is signed in.
	Permission string
	// Organization restricts the use case to organization users: writes
	// over several customers or the organization's own settings, which no
	// customer's role can grant however its permissions are set.
	Organization bool
	// Admin restricts it to organization admins (organization settings,
	// the role catalog), which no permission grants.
	Admin bool
	// Also lists further permissions the caller must hold as well as
	// Permission: a use case that hands over several kinds of record.
	Also []string
	// Whole restricts it to callers who see the whole of a customer (or
	// the organization), not narrowed to some of its entities: a use case
	// that claims to hand over all of a customer.
	Whole bool
	// KeepsPrincipals declares that the use case's writes change nothing a
	// signed-in caller's principal is made of — no existing user, role,
	// token or session, no customer's state — so the credential cache
	// (credcache.go) survives them. Every other write empties it.
	KeepsPrincipals bool
}

// Allows reports whether the caller meets the need.
func (n Need) Allows(p domain.Principal) bool {
	switch {
	case p.UserID == "":
		return false
	case n.Admin && !p.IsOrgAdmin():
		return false
	case n.Organization && !p.Scope().IsOrg():
		return false
	case n.Whole && len(p.EntityIDs) > 0:
		return false
	}
	return n.missing(p) == ""
}

// missing returns the first permission of the need the caller lacks, ""
// when it holds them all.
func (n Need) missing(p domain.Principal) string {
	for _, perm := range append([]string{n.Permission}, n.Also...) {
		if perm == "" {
			continue
		}
		if res, act, _ := strings.Cut(perm, "."); !p.Can(res, act) {
			return perm
		}
	}
	return ""
}

// useCases declares the need of every use case that acts for a caller.
var useCases = map[string]Need{
	// Signing in and out, the caller's own tokens.
	"Me":          {},
	"Logout":      {},
	"CreateToken": {KeepsPrincipals: true},
	"Tokens":      {},
	"RevokeToken": {},
	// Keeping the first answer to a POST sent with an Idempotency-Key.
	"Idempotency": {KeepsPrincipals: true},

	// The organization.
	"OrgSettings":       {},
	"UpdateOrgSettings": {Admin: true},
	"OrgLicenses":       {Permission: "licenses.view", Organization: true},
	"SetOrgPool":        {Permission: "licenses.edit", Organization: true, KeepsPrincipals: true},
	// The organization's logos: an organization admin sets them; everyone
	// signed in sees the branding meant for them.
	"OrgLogo":       {},
	"SetOrgLogo":    {Admin: true},
	"DeleteOrgLogo": {Admin: true},
	"Branding":      {},

	// Customers: organization users manage them; a customer's own people
	// may view their customer.
	"ListCustomers": {Permission: "customers.view"},
	"Customer":      {Permission: "customers.view"},
	// The names a page of users or assets shows beside its records.
	"CustomerRefs":               {Permission: "customers.view"},
	"RegisterCustomer":           {Permission: "customers.add", Organization: true, KeepsPrincipals: true},
	"UpdateCustomerWithLicenses": {Permission: "customers.edit", Organization: true},
	"DeleteCustomer":             {Permission: "customers.delete", Organization: true},
	"DeletePreview":              {Permission: "customers.delete", Organization: true},
	// The trash: who may delete a customer may see it there and undo it.
	"Trash":           {Permission: "customers.delete", Organization: true},
	"RestoreCustomer": {Permission: "customers.delete", Organization: true},
	"PurgeCustomer":   {Permission: "customers.delete", Organization: true},
	// A customer's archive: everything custreg holds about it, so the
	// caller must be able to read every kind of record in it, and see the
	// whole customer (an organization user, or the customer's own people
	// not narrowed to entities). The built-in roles that qualify are the
	// Organization Admin (any customer) and the Customer Admin (its own).
	"ArchiveCustomer": {Permission: "customers.view",
		Also: []string{"entities.view", "users.view", "assets.view", "licenses.view", "audit.view"}, Whole: true},
	// The wizard's Next: a customer's fields checked without writing.
	"CheckCustomer":       {Permission: "customers.view", Organization: true},
	"CustomerLicenses":    {Permission: "licenses.view"},
	"SetCustomerLicenses": {Permission: "licenses.edit", Organization: true, KeepsPrincipals: true},
	// A customer's logos: organization users brand customers; a
	// customer's own people see their customer's.
	"CustomerLogo":       {Permission: "customers.view"},
	"SetCustomerLogo":    {Permission: "customers.edit", Organization: true},
	"DeleteCustomerLogo": {Permission: "customers.edit", Organization: true},
	// Logos chosen in the Add Customer wizard before the customer exists.
	"StageLogo": {Permission: "customers.add", Organization: true, KeepsPrincipals: true},
	"LogoDraft": {Permission: "customers.add", Organization: true},

	// Entities, within the caller's scope: a customer admin manages its
	// own customer's.
	"ListEntities": {Permission: "entities.view"},
	"Entity":       {Permission: "entities.view"},
	"CreateEntity": {Permission: "entities.add", KeepsPrincipals: true},
	"UpdateEntity": {Permission: "entities.edit", KeepsPrincipals: true},
	"DeleteEntity": {Permission: "entities.delete"},

	// Users and assets, within the caller's scope.
	"ListUsers":  {Permission: "users.view"},
	"User":       {Permission: "users.view"},
	"CreateUser": {Permission: "users.add", KeepsPrincipals: true},
	"UpdateUser": {Permission: "users.edit"},
	"MoveUsers":  {Permission: "users.edit"},
	"DeleteUser": {Permission: "users.delete"},
	// Who may delete users or assets may see them in trash and undo it.
	"UserTrash":    {Permission: "users.delete"},
	"RestoreUser":  {Permission: "users.delete"},
	"PurgeUser":    {Permission: "users.delete"},
	"ListAssets":   {Permission: "assets.view"},
	"Asset":        {Permission: "assets.view"},
	"CreateAsset":  {Permission: "assets.add", KeepsPrincipals: true},
	"UpdateAsset":  {Permission: "assets.edit", KeepsPrincipals: true},
	"MoveAssets":   {Permission: "assets.edit", KeepsPrincipals: true},
	"DeleteAsset":  {Permission: "assets.delete", KeepsPrincipals: true},
	"AssetTrash":   {Permission: "assets.delete"},
	"RestoreAsset": {Permission: "assets.delete", KeepsPrincipals: true},
	"PurgeAsset":   {Permission: "assets.delete", KeepsPrincipals: true},

	// Reports and dashboards: the catalogs as the caller may use them, and
	// running one, over the caller's scope (a customer's people, only what
	// their customer supports).
	"Reports":    {Permission: "reports.view"},
	"RunReport":  {Permission: "reports.view"},
	"Dashboards": {Permission: "dashboards.view"},
	"Dashboard":  {Permission: "dashboards.view"},

	// The audit history: organization admins all of it, a customer's
	// admins their customer's.
	"Audit": {Permission: "audit.view"},

	// The role catalog: everyone reads what they may grant; organization
	// admins define roles.
	"Roles":      {},
	"Role":       {},
	"CreateRole": {Admin: true},
	"DeleteRole": {Admin: true},
}

// UseCases returns the need of every use case, by name.
func UseCases() map[string]Need { return maps.Clone(useCases) }

// NeedOf returns the need use case name declares; it panics for a name
// that declares none, so a caller cannot ask about a use case that does
// not exist.
func NeedOf(name string) Need {
	need, ok := useCases[name]
	if !ok {
		panic(fmt.Sprintf("service: use case %q declares no need", name))
	}
	return need
}

// UseCaseNames returns the names of the use cases, sorted.
func UseCaseNames() []string { return slices.Sorted(maps.Keys(useCases)) }

// Allowed reports, as the error begin would return, whether the caller in
// ctx may run use case name: for an edge that wants to refuse before it
// reads a request.
func (s *Service) Allowed(ctx context.Context, name string) error {
	_, _, err := begin(ctx, name)
	return err
}

// begin starts use case name for the caller in ctx: it checks the caller
// against the use case's declared need and returns the caller and a
// context that confines the store to the caller's customer (PostgreSQL
// row-level security), so that every path into the service — HTTP, the
// CLI, a background job — gets the same wall. A refused need is 403 with
// the same words whatever the object, so it tells nothing of other
// customers.
func begin(ctx context.Context, name string) (context.Context, domain.Principal, error) {
	need := NeedOf(name)
	p, err := principal(ctx)
	if err != nil {
		return ctx, p, err
	}
	if !need.Allows(p) {
		switch {
		case need.Admin:
			return ctx, p, domain.Errorf(domain.EForbidden, "Only an organization admin can do this.")
		case need.Organization && !p.Scope().IsOrg():
			return ctx, p, domain.Errorf(domain.EForbidden, "Only organization users can do this.")
		case need.Whole && len(p.EntityIDs) > 0:
			return ctx, p, domain.Errorf(domain.EForbidden, "Only someone who sees the whole customer, not some of its entities, can do this.")
		default:
			return ctx, p, domain.Errorf(domain.EForbidden, "Your role does not allow this (%s).", need.missing(p))
		}
	}
	ctx = context.WithValue(ctx, useCaseKey{}, name)
	if p.CustomerID != "" {
		ctx = store.WithTenant(ctx, p.CustomerID)
	}
	return ctx, p, nil
}

// readAs runs the read-only use case name: it begins it (the caller's
// permission checked) and runs fn in one read transaction with the
// caller, for what fn reads in the caller's scope.
func readAs[T any](s *Service, ctx context.Context, name string, fn func(ctx context.Context, tx store.Tx, p domain.Principal) (T, error)) (T, error) {
	var out T
	ctx, p, err := begin(ctx, name)
	if err != nil {
		return out, err
	}
	err = s.store.Read(ctx, func(tx store.Tx) (err error) {
		out, err = fn(ctx, tx, p)
		return err
	})
	return out, err
}
