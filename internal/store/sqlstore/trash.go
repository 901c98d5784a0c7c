package sqlstore

import (
	"context"
	"errors"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

// The trash: customers deleted (moved to trash) and not purged.

func (t *tx) TrashedCustomers(ctx context.Context, limit int, before string) ([]domain.Customer, error) {
	q := `SELECT ` + customerColumns + ` FROM customers c WHERE c.deleted_at IS NOT NULL`
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
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (t *tx) TrashedCustomer(ctx context.Context, id string) (domain.Customer, error) {
	c, err := scanCustomer(t.queryRow(ctx, `SELECT `+customerColumns+` FROM customers c WHERE c.id = ? AND c.deleted_at IS NOT NULL`+t.lockRow("c"), id))
	return c, rowErr(err, "Customer")
}

func (t *tx) RestoreCustomer(ctx context.Context, c domain.Customer, at time.Time) error {
	held, err := t.lockCustomerLicenses(ctx, c.ID, domain.LicenseTypes)
	if err != nil {
		return err
	}
	// Its allocation comes out of the pool again, every type tried so
	// that a refusal names all that lack room.
	var over []domain.LicenseExcess
	used := domain.Licenses{}
	for _, l := range held {
		used[l.Type] = l.Used
		if l.Allocated == 0 {
			continue
		}
		a := l.Allocated
		err := t.guarded(ctx, func() (domain.LicenseExcess, error) {
			o, err := t.orgLicense(ctx, l.Type)
			return domain.LicenseExcess{Type: l.Type, Limit: domain.LimitPool, LimitValue: deref(o.Pool), Result: o.Allocated + a + o.OrgUsed}, err
		}, `UPDATE org_licenses SET allocated = allocated + ? WHERE type = ? AND (pool IS NULL OR allocated + ? + org_used <= pool)`, a, l.Type, a)
		var de *domain.Error
		switch {
		case errors.As(err, &de) && de.License != nil:
			over = append(over, *de.License)
		case err != nil:
			return err
		}
	}
	if len(over) > 0 {
		return domain.ErrLicenses(over, c.Name)
	}
	if err := t.addCustomersUsed(ctx, c.ID, used, 1); err != nil {
		return err
	}
	res, err := t.exec(ctx, `UPDATE customers SET deleted_at = NULL, name = ?, name_key = ?, code = ?, code_key = ?, updated_at = ?, version = version + 1
WHERE id = ? AND deleted_at IS NOT NULL`, c.Name, c.NameKey(), c.Code, c.CodeKey(), t.time(at), c.ID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return notFound("Customer")
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
	res, err := t.exec(ctx, `DELETE FROM customers WHERE id = ? AND deleted_at IS NOT NULL`, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return notFound("Customer")
	}
	return nil
}
