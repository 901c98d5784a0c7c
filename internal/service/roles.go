package service

import (
	"context"
	"slices"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// MaxCustomRoles bounds the catalog: roles are a short list an
// administrator picks from, not data.
const MaxCustomRoles = 100

// catalogRole finds a role of the catalog: built-in, or custom from the
// store. ENotFound if there is none.
func catalogRole(ctx context.Context, tx store.RoleTx, key string) (domain.Role, error) {
	if r, ok := domain.BuiltinRole(key); ok {
		return r, nil
	}
	return tx.CustomRole(ctx, key)
}

// catalog lists every role: the built-in ones, then the custom ones by name.
func catalog(ctx context.Context, tx store.RoleTx) ([]domain.Role, error) {
	custom, err := tx.CustomRoles(ctx)
	if err != nil {
		return nil, err
	}
	return append(append([]domain.Role(nil), domain.BuiltinRoles...), custom...), nil
}

// Roles returns the role catalog as the caller may use it: every role for
// organization users; for a customer-scoped caller, only the
// customer-scope roles its customer's admin role covers — what can be held
// inside that customer.
func (s *Service) Roles(ctx context.Context) ([]domain.Role, error) {
	ctx, p, err := begin(ctx, "Roles")
	if err != nil {
		return nil, err
	}
	var out []domain.Role
	err = s.store.Read(ctx, func(tx store.Tx) error {
		all, err := catalog(ctx, tx)
		if err != nil {
			return err
		}
		if p.Scope().IsOrg() {
			out = all
			return nil
		}
		top, err := customerAdminRole(ctx, tx, p.Scope(), p.CustomerID)
		if err != nil {
			return err
		}
		for _, r := range all {
			if r.Scope == domain.ScopeCustomer && top.Covers(r) {
				out = append(out, r)
			}
		}
		return nil
	})
	return out, err
}

// customerAdminRole returns the admin role of a live customer in scope.
func customerAdminRole(ctx context.Context, tx store.Tx, scope domain.Scope, customerID string) (domain.Role, error) {
	c, err := tx.Customer(ctx, scope, customerID)
	if err != nil {
		return domain.Role{}, err
	}
	return catalogRole(ctx, tx, c.AdminRole)
}

// Role returns one role of the catalog as Roles would list it for the
// caller; ENotFound otherwise.
func (s *Service) Role(ctx context.Context, key string) (domain.Role, error) {
	ctx, _, err := begin(ctx, "Role")
	if err != nil {
		return domain.Role{}, err
	}
	roles, err := s.Roles(ctx)
	if err != nil {
		return domain.Role{}, err
	}
	for _, r := range roles {
		if r.Key == key {
			return r, nil
		}
	}
	return domain.Role{}, domain.Errorf(domain.ENotFound, "No such role.")
}

// CreateRole adds a custom role to the catalog; organization admins only.
// Its key and name must differ from every other role's.
func (s *Service) CreateRole(ctx context.Context, in domain.RoleInput) (domain.Role, error) {
	ctx, p, err := begin(ctx, "CreateRole")
	if err != nil {
		return domain.Role{}, err
	}
	r, err := in.Normalize()
	if err != nil {
		return domain.Role{}, err
	}
	err = s.store.Write(ctx, func(tx store.Tx) error {
		all, err := catalog(ctx, tx)
		if err != nil {
			return err
		}
		if len(all)-len(domain.BuiltinRoles) >= MaxCustomRoles {
			return domain.Errorf(domain.EConflict, "The catalog holds %d custom roles, the most it takes; delete one first.", MaxCustomRoles)
		}
		var fe domain.FieldErrors
		for _, o := range all {
			if o.Key == r.Key {
				fe.Add("key", domain.FieldTaken, "Another role has this key.")
			}
			if domain.Fold(o.Name) == domain.Fold(r.Name) {
				fe.Add("name", domain.FieldTaken, "Another role has this name.")
			}
		}
		if err := fe.Err(); err != nil {
			return err
		}
		if err := tx.CreateRole(ctx, r, s.clock()); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "role.create", "role", r.Key, "", nil, r)
	})
	return r, err
}

// DeleteRole removes a custom role nobody holds; organization admins only.
// Built-in roles cannot be removed.
func (s *Service) DeleteRole(ctx context.Context, key string) error {
	ctx, p, err := begin(ctx, "DeleteRole")
	if err != nil {
		return err
	}
	if _, ok := domain.BuiltinRole(key); ok {
		return domain.Errorf(domain.EConflict, "%s is a built-in role; built-in roles cannot be removed.", key)
	}
	return s.store.Write(ctx, func(tx store.Tx) error {
		r, err := tx.CustomRole(ctx, key)
		if err != nil {
			return err
		}
		users, customers, err := tx.RoleHolders(ctx, key)
		if err != nil {
			return err
		}
		if users > 0 || customers > 0 {
			return domain.Errorf(domain.EConflict, "The role %q is held by %d users and is the admin role of %d customers; give them another role first.", r.Name, users, customers)
		}
		if err := tx.DeleteRole(ctx, key); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "role.delete", "role", key, "", r, nil)
	})
}

// checkAdminRole checks, in the write transaction, that c's admin role is
// a customer-scope role of the catalog, and, for a customer that exists,
// that it covers every role its users hold.
func checkAdminRole(ctx context.Context, tx store.RoleTx, c domain.Customer, existing bool) (domain.FieldErrors, error) {
	var fe domain.FieldErrors
	top, err := catalogRole(ctx, tx, c.AdminRole)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && top.Scope != domain.ScopeCustomer) {
		fe.Add("admin_role", domain.FieldUnknown, "Choose a customer role of the role catalog.")
		return fe, nil
	}
	if err != nil || !existing {
		return fe, err
	}
	held, err := tx.CustomerUserRoles(ctx, c.ID)
	if err != nil {
		return fe, err
	}
	for _, key := range held {
		r, err := catalogRole(ctx, tx, key)
		if err != nil {
			return fe, err
		}
		if !top.Covers(r) {
			fe.Add("admin_role", domain.FieldUnknown, "Users of this customer hold the role "+r.Name+", which "+top.Name+" does not cover; change their role first.")
			break
		}
	}
	return fe, nil
}

// grantable checks that the caller may give role key to a user of
// customerID ("" for the organization): the role exists and fits the
// user's scope, a customer's users hold nothing wider than the customer's
// admin role, and nobody but an organization admin grants more than they
// hold themselves.
func grantable(ctx context.Context, tx store.Tx, p domain.Principal, key, customerID string) (domain.FieldErrors, error) {
	var fe domain.FieldErrors
	r, err := catalogRole(ctx, tx, key)
	if domain.ErrorCode(err) == domain.ENotFound {
		fe.Add("role", domain.FieldUnknown, "No such role.")
		return fe, nil
	} else if err != nil {
		return fe, err
	}
	if !p.IsOrgAdmin() {
		for _, perm := range r.Permissions {
			if !slices.Contains(p.Permissions, perm) {
				fe.Add("role", domain.FieldUnknown, "You cannot grant a role wider than your own.")
				return fe, nil
			}
		}
	}
	if customerID == "" {
		if r.Scope != domain.ScopeOrganization {
			fe.Add("role", domain.FieldUnknown, "An organization user needs an organization role.")
		}
		return fe, nil
	}
	if r.Scope != domain.ScopeCustomer {
		fe.Add("role", domain.FieldUnknown, "A customer's user needs a customer role.")
		return fe, nil
	}
	top, err := customerAdminRole(ctx, tx, domain.OrgScope, customerID)
	if err != nil {
		return fe, err
	}
	if !top.Covers(r) {
		fe.Add("role", domain.FieldUnknown, "This customer's admin role ("+top.Name+") does not cover "+r.Name+".")
	}
	return fe, nil
}
