package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

// The trash: customers deleted (moved to trash) and not purged.

func (t *tx) TrashedCustomers(ctx context.Context, limit int, before string) ([]domain.Customer, error) {
	q := `SELECT ` + customers.columns + ` FROM customers c WHERE c.deleted_at IS NOT NULL`
	args := []any{}
	if before != "" {
		// Newest deletion first; the cursor is the id of the last one shown.
		q += ` AND (c.deleted_at, c.id) < (SELECT deleted_at, id FROM customers WHERE id = ?)`
		args = append(args, before)
	}
	q += ` ORDER BY c.deleted_at DESC, c.id DESC LIMIT ?`
	rows, err := t.query(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Customer
	for rows.Next() {
		c, err := customers.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (t *tx) TrashedCustomer(ctx context.Context, id string) (domain.Customer, error) {
	c, err := customers.scan(t.queryRow(ctx, `SELECT `+customers.columns+` FROM customers c WHERE c.id = ? AND c.deleted_at IS NOT NULL`+t.lockRow("c"), id))
	return c, rowErr(err, "Customer")
}

func (t *tx) RestoreCustomer(ctx context.Context, c domain.Customer, at time.Time) error {
	held, err := t.lockCustomerLicenses(ctx, c.ID, domain.LicenseTypes)
	if err != nil {
		return err
	}
	// Its allocation comes out of the pool again, every type tried so
	// that a refusal names all that lack room.
	used, alloc := domain.Licenses{}, map[string]int64{}
	for _, l := range held {
		used[l.Type] = l.Used
		if l.Allocated != 0 {
			alloc[l.Type] = l.Allocated
		}
	}
	if err := t.takeFromPool(ctx, alloc); err != nil {
		var de *domain.Error
		if errors.As(err, &de) && len(de.Excesses) > 0 {
			return domain.ErrLicenses(de.Excesses, c.Name)
		}
		return err
	}
	if err := t.addCustomersUsed(ctx, c.ID, used, 1); err != nil {
		return err
	}
	res, err := t.exec(ctx, `UPDATE customers SET deleted_at = NULL, name = ?, name_key = ?, code = ?, code_key = ?, updated_at = ?, version = version + 1
WHERE id = ? AND deleted_at IS NOT NULL`, c.Name, c.NameKey(), c.Code, c.CodeKey(), t.time(at), c.ID)
	if err := oneRow(res, err, "Customer"); err != nil {
		return err
	}
	return t.addLiveCustomers(ctx, c.ID, 1)
}

func (t *tx) PurgeCustomer(ctx context.Context, id string) error {
	if _, err := t.TrashedCustomer(ctx, id); err != nil {
		return err
	}
	users := `SELECT id FROM users WHERE customer_id = ?`
	for _, q := range []struct {
		sql  string
		args int // how many times the id is bound
	}{
		// What was recorded of it and its people goes first, while their
		// ids can still be found.
		{`DELETE FROM audit_log WHERE customer_id = ? OR target_id = ? OR actor_id IN (` + users + `) OR target_id IN (` + users + `)`, 4},
		{`DELETE FROM logo_drafts WHERE user_id IN (` + users + `)`, 1},
		{`DELETE FROM idempotency_keys WHERE customer_id = ? OR user_id IN (` + users + `)`, 2},
		{`DELETE FROM assets WHERE customer_id = ?`, 1},
		{`DELETE FROM user_entities WHERE user_id IN (` + users + `) OR entity_id IN (SELECT id FROM entities WHERE customer_id = ?)`, 2},
		{`DELETE FROM sessions WHERE user_id IN (` + users + `)`, 1},
		{`DELETE FROM api_tokens WHERE user_id IN (` + users + `)`, 1},
		{`DELETE FROM users WHERE customer_id = ?`, 1},
		{`DELETE FROM entities WHERE customer_id = ?`, 1},
		{`DELETE FROM customer_licenses WHERE customer_id = ?`, 1},
		{`DELETE FROM customer_logos WHERE customer_id = ?`, 1},
		{`DELETE FROM license_usage_daily WHERE customer_id = ?`, 1},
	} {
		args := make([]any, q.args)
		for i := range args {
			args[i] = id
		}
		if _, err := t.exec(ctx, q.sql, args...); err != nil {
			return err
		}
	}
	return t.deleteTrashed(ctx, "customers", id, "Customer")
}

// Users and assets deleted on their own: in trash while their customer,
// if any, is live (a customer's trash holds the rest).

const trashedUser = ` FROM users u LEFT JOIN customers c ON c.id = u.customer_id
WHERE u.deleted_at IS NOT NULL AND (u.customer_id IS NULL OR c.deleted_at IS NULL)`

const trashedAsset = ` FROM assets a LEFT JOIN customers c ON c.id = a.customer_id
WHERE a.deleted_at IS NOT NULL AND (a.customer_id IS NULL OR c.deleted_at IS NULL)`

// trashPage is the paging of a trash list of table (aliased alias): newest
// deletion first, after the record before.
func trashPage(table, alias, before string, limit int, args []any) (string, []any) {
	q := ""
	if before != "" {
		q += ` AND (` + alias + `.deleted_at, ` + alias + `.id) < (SELECT deleted_at, id FROM ` + table + ` WHERE id = ?)`
		args = append(args, before)
	}
	q += ` ORDER BY ` + alias + `.deleted_at DESC, ` + alias + `.id DESC LIMIT ?`
	return q, append(args, limit)
}

func (t *tx) TrashedUsers(ctx context.Context, scope domain.Scope, limit int, before string) ([]domain.User, error) {
	sc, args := userScope(scope)
	page, args := trashPage("users", "u", before, limit, args)
	rows, err := t.query(ctx, `SELECT `+users.columns+trashedUser+sc+page, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.User
	for rows.Next() {
		u, err := users.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, t.loadEntityIDs(ctx, out)
}

func (t *tx) TrashedUser(ctx context.Context, scope domain.Scope, id string) (domain.User, error) {
	sc, args := userScope(scope)
	u, err := users.scan(t.queryRow(ctx, `SELECT `+users.columns+trashedUser+` AND u.id = ?`+sc+t.lockRow("u"),
		append([]any{id}, args...)...))
	if err != nil {
		return u, rowErr(err, "User")
	}
	users := []domain.User{u}
	err = t.loadEntityIDs(ctx, users)
	return users[0], err
}

func (t *tx) RestoreUser(ctx context.Context, scope domain.Scope, id string, at time.Time) error {
	u, err := t.TrashedUser(ctx, scope, id)
	if err != nil {
		return err
	}
	if err := t.undelete(ctx, "users", id, "User", at); err != nil {
		return err
	}
	return t.addUsersCount(ctx, u.CustomerID, 1)
}

func (t *tx) PurgeUser(ctx context.Context, scope domain.Scope, id string) error {
	if _, err := t.TrashedUser(ctx, scope, id); err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM audit_log WHERE target_id = ?`,
		// What it did stays in the history, under its id alone.
		`UPDATE audit_log SET actor_email = NULL WHERE actor_id = ?`,
		`DELETE FROM logo_drafts WHERE user_id = ?`,
		`DELETE FROM idempotency_keys WHERE user_id = ?`,
		`DELETE FROM user_entities WHERE user_id = ?`,
		`DELETE FROM sessions WHERE user_id = ?`,
		`DELETE FROM api_tokens WHERE user_id = ?`,
	} {
		if _, err := t.exec(ctx, q, id); err != nil {
			return err
		}
	}
	return t.deleteTrashed(ctx, "users", id, "User")
}

func (t *tx) TrashedAssets(ctx context.Context, scope domain.Scope, limit int, before string) ([]domain.Asset, error) {
	sc, args := assetScope(scope)
	page, args := trashPage("assets", "a", before, limit, args)
	rows, err := t.query(ctx, `SELECT `+assets.columns+trashedAsset+sc+page, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Asset
	for rows.Next() {
		a, err := assets.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (t *tx) TrashedAsset(ctx context.Context, scope domain.Scope, id string) (domain.Asset, error) {
	sc, args := assetScope(scope)
	a, err := assets.scan(t.queryRow(ctx, `SELECT `+assets.columns+trashedAsset+` AND a.id = ?`+sc+t.lockRow("a"), append([]any{id}, args...)...))
	return a, rowErr(err, "Asset")
}

func (t *tx) RestoreAsset(ctx context.Context, scope domain.Scope, id string, at time.Time) error {
	a, err := t.TrashedAsset(ctx, scope, id)
	if err != nil {
		return err
	}
	if err := t.undelete(ctx, "assets", id, "Asset", at); err != nil {
		return err
	}
	return t.addAssetsCount(ctx, a.CustomerID, 1)
}

func (t *tx) PurgeAsset(ctx context.Context, scope domain.Scope, id string) error {
	if _, err := t.TrashedAsset(ctx, scope, id); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `DELETE FROM audit_log WHERE target_id = ?`, id); err != nil {
		return err
	}
	return t.deleteTrashed(ctx, "assets", id, "Asset")
}

// undelete brings the row id of table back from trash.
func (t *tx) undelete(ctx context.Context, table, id, noun string, at time.Time) error {
	res, err := t.exec(ctx, `UPDATE `+table+` SET deleted_at = NULL, updated_at = ?, version = version + 1 WHERE id = ? AND deleted_at IS NOT NULL`, t.time(at), id)
	return oneRow(res, err, noun)
}

// deleteTrashed deletes the row id of table, which must be in trash.
func (t *tx) deleteTrashed(ctx context.Context, table, id, noun string) error {
	res, err := t.exec(ctx, `DELETE FROM `+table+` WHERE id = ? AND deleted_at IS NOT NULL`, id)
	return oneRow(res, err, noun)
}

// oneRow turns a statement's result into success when it changed one row,
// ENotFound (of noun) when none.
func oneRow(res sql.Result, err error, noun string) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return notFound(noun)
	}
	return nil
}

func (t *tx) ExpiredTrash(ctx context.Context, kind string, before time.Time, limit int) ([]string, error) {
	var q string
	switch kind {
	case "customer":
		q = `SELECT c.id FROM customers c WHERE c.deleted_at IS NOT NULL AND c.deleted_at < ? ORDER BY c.deleted_at, c.id LIMIT ?`
	case "user":
		q = `SELECT u.id` + trashedUser + ` AND u.deleted_at < ? ORDER BY u.deleted_at, u.id LIMIT ?`
	case "asset":
		q = `SELECT a.id` + trashedAsset + ` AND a.deleted_at < ? ORDER BY a.deleted_at, a.id LIMIT ?`
	default:
		return nil, fmt.Errorf("sqlstore: no trash of %q", kind)
	}
	rows, err := t.query(ctx, q, t.time(before), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
