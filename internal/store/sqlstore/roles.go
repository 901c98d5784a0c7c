package sqlstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

const roleColumns = `key, name, scope, permissions`

func scanRole(s scanner) (domain.Role, error) {
	var r domain.Role
	var perms string
	if err := s.Scan(&r.Key, &r.Name, &r.Scope, &perms); err != nil {
		return r, err
	}
	return r, json.Unmarshal([]byte(perms), &r.Permissions)
}

func (t *tx) CustomRoles(ctx context.Context) ([]domain.Role, error) {
	rows, err := t.query(ctx, `SELECT `+roleColumns+` FROM roles ORDER BY name_key, key`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Role
	for rows.Next() {
		r, err := scanRole(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (t *tx) CustomRole(ctx context.Context, key string) (domain.Role, error) {
	r, err := scanRole(t.queryRow(ctx, `SELECT `+roleColumns+` FROM roles WHERE key = ?`, key))
	return r, rowErr(err, "Role")
}

func (t *tx) CreateRole(ctx context.Context, r domain.Role, now time.Time) error {
	perms, err := json.Marshal(r.Permissions)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO roles (key, name, name_key, scope, permissions, created_at, updated_at, version)
VALUES (?, ?, ?, ?, ?, ?, ?, 1)`, r.Key, r.Name, domain.Fold(r.Name), r.Scope, string(perms), t.time(now), t.time(now))
	return err
}

func (t *tx) DeleteRole(ctx context.Context, key string) error {
	res, err := t.exec(ctx, `DELETE FROM roles WHERE key = ?`, key)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return notFound("Role")
	}
	return nil
}

func (t *tx) RoleHolders(ctx context.Context, key string) (users, customers int64, err error) {
	if err := t.queryRow(ctx, `SELECT count(*) FROM users WHERE role = ? AND deleted_at IS NULL`, key).Scan(&users); err != nil {
		return 0, 0, err
	}
	err = t.queryRow(ctx, `SELECT count(*) FROM customers WHERE admin_role = ? AND deleted_at IS NULL`, key).Scan(&customers)
	return users, customers, err
}

func (t *tx) CustomerUserRoles(ctx context.Context, customerID string) ([]string, error) {
	rows, err := t.query(ctx, `SELECT DISTINCT role FROM users WHERE customer_id = ? AND deleted_at IS NULL ORDER BY role`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
