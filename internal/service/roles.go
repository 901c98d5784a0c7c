package service

import (
	"context"

	"github.com/custreg/custreg/internal/domain"
)

// Roles returns the role catalog as the caller may use it: everything for
// organization users; for a customer-scoped caller, the customer-scope
// roles its customer's admin role covers (what can be granted inside it).
func (s *Service) Roles(ctx context.Context) ([]domain.Role, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if p.Scope().IsOrg() {
		return append([]domain.Role(nil), domain.BuiltinRoles...), nil
	}
	top, _ := domain.BuiltinRole(domain.RoleCustomerAdmin)
	var out []domain.Role
	for _, r := range domain.BuiltinRoles {
		if r.Scope == domain.ScopeCustomer && top.Covers(r) {
			out = append(out, r)
		}
	}
	return out, nil
}
