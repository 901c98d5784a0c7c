package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/custreg/custreg/internal/domain"
)

// The reports' reads (store.Tx ReportLicenses ... ReportEntities). Each is
// one statement whose rows are handed on as the cursor yields them, so a
// report of a million assets never sits in memory. Records of no customer
// sort first (their customer key is ''); folded keys order names the same
// way on both dialects (PostgreSQL keeps them under the "C" collation).

// classOrder sorts assets (aliased a) by class in domain.AssetClasses order.
const classOrder = `CASE a.class WHEN 'it' THEN 0 WHEN 'non_it' THEN 1 ELSE 2 END`

// nameSep joins the names of a user's entities in one column; names are
// single-line text (domain text hygiene), so it never occurs in one.
const nameSep = "\x1f"

// each runs q and calls row for every row until one fails.
func (t *tx) each(ctx context.Context, q string, args []any, row func(*sql.Rows) error) error {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ofCustomer adds "column = customerID" when customerID is given.
func ofCustomer(column, customerID string, q string, args []any) (string, []any) {
	if customerID == "" {
		return q, args
	}
	return q + ` AND ` + column + ` = ?`, append(args, customerID)
}

func (t *tx) ReportLicenses(ctx context.Context, scope domain.Scope, customerID string, fn func(domain.LicenseLine) error) error {
	q, args := scopeClause(scope)
	q = `SELECT c.id, c.name, c.code, cl.type, cl.allocated, cl.used FROM customer_licenses cl
JOIN customers c ON c.id = cl.customer_id JOIN license_types lt ON lt.type = cl.type
WHERE c.deleted_at IS NULL` + q
	q, args = ofCustomer("c.id", customerID, q, args)
	q += ` ORDER BY c.name_key, c.id, lt.position`
	return t.each(ctx, q, args, func(rows *sql.Rows) error {
		var l domain.LicenseLine
		if err := rows.Scan(&l.CustomerID, &l.CustomerName, &l.CustomerCode, &l.Type, &l.Allocated, &l.Used); err != nil {
			return err
		}
		return fn(l)
	})
}

// reportAssets is the FROM and WHERE of the asset reports: live assets
// whose customer, if any, is live, in scope.
func reportAssets(scope domain.Scope, customerID string) (string, []any) {
	sc, args := assetScope(scope)
	q := ` FROM assets a LEFT JOIN customers c ON c.id = a.customer_id
WHERE a.deleted_at IS NULL AND (a.customer_id IS NULL OR c.deleted_at IS NULL)` + sc
	return ofCustomer("a.customer_id", customerID, q, args)
}

// entityOf reads a column of an asset's (aliased a) live entity, ” for
// none. A scalar subquery on the primary key: joining entities instead
// lets PostgreSQL's planner, misled by the row-level security filter's
// estimate, scan every entity for each asset.
func entityOf(column string) string {
	return `coalesce((SELECT ` + column + ` FROM entities e WHERE e.id = a.entity_id AND e.deleted_at IS NULL), '')`
}

// assetOrder is the asset reports' order up to class.
var assetOrder = `coalesce(c.name_key, ''), coalesce(a.customer_id, ''), ` + entityOf("e.name_key") + `, ` + entityOf("e.id") + `, ` + classOrder

func (t *tx) ReportAssets(ctx context.Context, scope domain.Scope, customerID string, fn func(domain.AssetLine) error) error {
	from, args := reportAssets(scope, customerID)
	q := `SELECT ` + assets.columns + `, coalesce(c.name, ''), ` + entityOf("e.name") + from + ` ORDER BY ` + assetOrder + `, a.name_key, a.id`
	return t.each(ctx, q, args, func(rows *sql.Rows) error {
		var l domain.AssetLine
		a, err := assets.scan(rows, &l.CustomerName, &l.EntityName)
		if err != nil {
			return err
		}
		if l.EntityName == "" {
			a.EntityID = "" // mapped to an entity no longer live
		}
		l.Asset = a
		return fn(l)
	})
}

func (t *tx) ReportAssetTally(ctx context.Context, scope domain.Scope, customerID string, fn func(domain.AssetTally) error) error {
	from, args := reportAssets(scope, customerID)
	// Counted first, then named: the names are read once per group.
	q := `SELECT t.customer_ref, coalesce(c.name, ''), t.entity_ref, coalesce(e.name, ''), t.class, t.n FROM (
SELECT coalesce(a.customer_id, '') AS customer_ref, ` + entityOf("e.id") + ` AS entity_ref, a.class, count(*) AS n` + from + `
GROUP BY 1, 2, 3) t
LEFT JOIN customers c ON c.id = t.customer_ref LEFT JOIN entities e ON e.id = t.entity_ref
ORDER BY coalesce(c.name_key, ''), t.customer_ref, coalesce(e.name_key, ''), t.entity_ref, CASE t.class WHEN 'it' THEN 0 WHEN 'non_it' THEN 1 ELSE 2 END`
	return t.each(ctx, q, args, func(rows *sql.Rows) error {
		var n domain.AssetTally
		if err := rows.Scan(&n.CustomerID, &n.CustomerName, &n.EntityID, &n.EntityName, &n.Class, &n.Assets); err != nil {
			return err
		}
		return fn(n)
	})
}

func (t *tx) ReportUsers(ctx context.Context, scope domain.Scope, customerID string, fn func(domain.UserLine) error) error {
	sc, sargs := userScope(scope)
	// A caller narrowed to some entities sees a user's entities among
	// those only: the names of the others are not its to read.
	inScope, scopeArgs := "", []any{}
	if len(scope.EntityIDs) > 0 {
		inScope = ` AND e.id IN (` + placeholders(len(scope.EntityIDs)) + `)`
		for _, id := range scope.EntityIDs {
			scopeArgs = append(scopeArgs, id)
		}
	}
	entities := func(col string) string {
		return `coalesce((SELECT string_agg(` + col + `, ? ORDER BY e.name_key, e.id) FROM user_entities ue
JOIN entities e ON e.id = ue.entity_id WHERE ue.user_id = u.id AND e.deleted_at IS NULL` + inScope + `), '')`
	}
	args := append([]any{nameSep}, scopeArgs...)
	args = append(append(args, nameSep), scopeArgs...)
	args = append(args, sargs...)
	q := `SELECT u.id, u.email, u.name, u.kind, u.role, coalesce(u.customer_id, ''), u.is_active, coalesce(c.name, ''),
` + entities("e.name") + ` AS entity_names, ` + entities("e.name_key") + ` AS entity_keys` + liveUser + sc
	q, args = ofCustomer("u.customer_id", customerID, q, args)
	q += ` ORDER BY coalesce(c.name_key, ''), coalesce(u.customer_id, ''), entity_keys, u.kind, u.role, u.email, u.id`
	return t.each(ctx, q, args, func(rows *sql.Rows) error {
		var l domain.UserLine
		var names, keys string
		if err := rows.Scan(&l.ID, &l.Email, &l.Name, &l.Kind, &l.Role, &l.CustomerID, &l.IsActive, &l.CustomerName, &names, &keys); err != nil {
			return err
		}
		if names != "" {
			l.EntityNames = strings.Split(names, nameSep)
		}
		return fn(l)
	})
}

func (t *tx) ReportEntities(ctx context.Context, scope domain.Scope, customerID string, fn func(domain.EntityLine) error) error {
	sc, args := entityScope(scope)
	q := `SELECT ` + entities.columns + `, c.name FROM entities e JOIN customers c ON c.id = e.customer_id
WHERE e.deleted_at IS NULL AND c.deleted_at IS NULL` + sc
	q, args = ofCustomer("e.customer_id", customerID, q, args)
	q += ` ORDER BY c.name_key, c.id, e.name_key, e.id`
	return t.each(ctx, q, args, func(rows *sql.Rows) error {
		var l domain.EntityLine
		e, err := entities.scan(rows, &l.CustomerName)
		if err != nil {
			return err
		}
		l.Entity = e
		return fn(l)
	})
}
