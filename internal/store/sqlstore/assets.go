package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

// assets is the assets table (aliased a): one entry a column.
var assets = newTable("assets", "a", []column[domain.Asset]{
	str("id", onInsert, func(a *domain.Asset) *string { return &a.ID }),
	str("name", always, func(a *domain.Asset) *string { return &a.Name }),
	key("name_key", false, func(a *domain.Asset) string { return a.NameKey() }),
	str("class", always, func(a *domain.Asset) *string { return &a.Class }),
	text("customer_id", always, func(a *domain.Asset) *string { return &a.CustomerID }),
	text("entity_id", always, func(a *domain.Asset) *string { return &a.EntityID }),
	boolean("availability_monitoring", always, func(a *domain.Asset) *bool { return &a.AvailabilityMonitoring }),
	boolean("performance_monitoring", always, func(a *domain.Asset) *bool { return &a.PerformanceMonitoring }),
	text("serial", always, func(a *domain.Asset) *string { return &a.Serial }),
	text("ip_address", always, func(a *domain.Asset) *string { return &a.IPAddress }),
	timestamp("created_at", onInsert, func(a *domain.Asset) *time.Time { return &a.CreatedAt }),
	timestamp("updated_at", always, func(a *domain.Asset) *time.Time { return &a.UpdatedAt }),
	deletedAt(func(a *domain.Asset) **time.Time { return &a.DeletedAt }),
	integer("version", always, func(a *domain.Asset) *int64 { return &a.Version }),
})

// liveAsset selects live assets (aliased a) whose customer, if any, is live.
const liveAsset = ` FROM assets a LEFT JOIN customers c ON c.id = a.customer_id
WHERE a.deleted_at IS NULL AND (a.customer_id IS NULL OR c.deleted_at IS NULL)`

// assetScope restricts assets to scope: a customer's own, and of those
// only the listed entities' when the scope is narrowed. Organization assets
// (no customer) are outside every customer scope.
func assetScope(scope domain.Scope) (string, []any) {
	if scope.IsOrg() {
		return "", nil
	}
	q := ` AND a.customer_id = ?`
	args := []any{scope.CustomerID}
	if len(scope.EntityIDs) > 0 {
		q += ` AND a.entity_id IN (` + placeholders(len(scope.EntityIDs)) + `)`
		for _, id := range scope.EntityIDs {
			args = append(args, id)
		}
	}
	return q, args
}

func (t *tx) addAssetsCount(ctx context.Context, customerID string, delta int) error {
	if customerID == "" {
		return nil
	}
	_, err := t.exec(ctx, `UPDATE customers SET assets_count = assets_count + ? WHERE id = ?`, delta, customerID)
	return err
}

func (t *tx) CreateAsset(ctx context.Context, a domain.Asset) error {
	if err := t.execAll(ctx, assets.insertRows(t, a)); err != nil {
		return err
	}
	return t.addAssetsCount(ctx, a.CustomerID, 1)
}

func (t *tx) Asset(ctx context.Context, scope domain.Scope, id string) (domain.Asset, error) {
	sc, sargs := assetScope(scope)
	a, err := assets.scan(t.queryRow(ctx, `SELECT `+assets.columns+liveAsset+` AND a.id = ?`+sc+t.lockRow("a"), append([]any{id}, sargs...)...))
	return a, rowErr(err, "Asset")
}

func (t *tx) AssetCustomers(ctx context.Context, ids []string) ([]string, error) {
	return t.recordCustomers(ctx, "assets", ids)
}

// recordCustomers returns the distinct customers of live records of table.
func (t *tx) recordCustomers(ctx context.Context, table string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := t.query(ctx, `SELECT DISTINCT coalesce(customer_id, '') FROM `+table+` WHERE deleted_at IS NULL AND id IN (`+placeholders(len(ids))+`)`, anys(ids)...)
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

// assetGuard is the WHERE of a write to one asset: the row, live, in scope,
// at the version it replaces.
func assetGuard(scope domain.Scope, id string, version int64) (string, []any) {
	sc, sargs := assetScope(scope)
	return ` WHERE a.id = ? AND a.deleted_at IS NULL AND a.version = ?` + sc, append([]any{id, version}, sargs...)
}

func (t *tx) UpdateAsset(ctx context.Context, scope domain.Scope, a domain.Asset) error {
	before, err := t.Asset(ctx, scope, a.ID)
	if err != nil {
		return err
	}
	where, wargs := assetGuard(scope, a.ID, a.Version-1)
	set, args := assets.set(t, a)
	if err := t.changeRow(ctx, "asset", func() error { _, err := t.Asset(ctx, scope, a.ID); return err },
		set+where, append(args, wargs...)...); err != nil {
		return err
	}
	if before.CustomerID != a.CustomerID {
		if err := t.addAssetsCount(ctx, before.CustomerID, -1); err != nil {
			return err
		}
		return t.addAssetsCount(ctx, a.CustomerID, 1)
	}
	return nil
}

func (t *tx) TrashAsset(ctx context.Context, scope domain.Scope, id string, version int64, at time.Time) error {
	before, err := t.Asset(ctx, scope, id)
	if err != nil {
		return err
	}
	where, wargs := assetGuard(scope, id, version)
	if err := t.changeRow(ctx, "asset", func() error { _, err := t.Asset(ctx, scope, id); return err },
		`UPDATE assets AS a SET deleted_at = ?, updated_at = ?, version = version + 1`+where,
		append([]any{t.time(at), t.time(at)}, wargs...)...); err != nil {
		return err
	}
	return t.addAssetsCount(ctx, before.CustomerID, -1)
}

func (t *tx) Assets(ctx context.Context, scope domain.Scope, f domain.AssetFilter) (domain.AssetPage, error) {
	var page domain.AssetPage
	limit := f.Limit
	if limit <= 0 || limit > domain.MaxPageSize {
		limit = domain.DefaultPageSize
	}
	sc, args := assetScope(scope)
	where := liveAsset + sc
	if f.CustomerID != "" {
		where += ` AND a.customer_id = ?`
		args = append(args, f.CustomerID)
	}
	if f.EntityID != "" {
		where += ` AND a.entity_id = ?`
		args = append(args, f.EntityID)
	}
	var err error
	if page.Total, page.TotalExact, err = t.listTotal(ctx, "assets_count", scope, f.CustomerID, f.EntityID, where, args); err != nil {
		return page, err
	}
	q := `SELECT ` + assets.columns + where
	if f.Cursor != nil {
		q += ` AND (a.name_key, a.id) > (?, ?)`
		args = append(args, f.Cursor.Key, f.Cursor.ID)
	}
	q += ` ORDER BY a.name_key, a.id LIMIT ?`
	args = append(args, limit+1)
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		a, err := assets.scan(rows)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, a)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	page.Items, page.Next = trimPage(page.Items, limit, func(a domain.Asset) domain.Cursor {
		return domain.Cursor{Key: a.NameKey(), ID: a.ID}
	})
	return page, nil
}

// listTotal counts a user or asset list (from where, with args): exactly
// from the customer's maintained count (column) when the list is all of one
// customer's, otherwise up to domain.TotalCountLimit, so that a broad list
// over a million rows does not count them all.
func (t *tx) listTotal(ctx context.Context, column string, scope domain.Scope, customerID, entityID, where string, args []any) (int64, bool, error) {
	whole := customerID
	if !scope.IsOrg() {
		if customerID != "" && customerID != scope.CustomerID {
			whole = ""
		} else {
			whole = scope.CustomerID
		}
	}
	if whole != "" && entityID == "" && len(scope.EntityIDs) == 0 && (customerID == "" || customerID == whole) {
		var n int64
		err := t.queryRow(ctx, `SELECT `+column+` FROM customers WHERE id = ? AND deleted_at IS NULL`, whole).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, true, nil
		}
		return n, true, err
	}
	var n int64
	if err := t.queryRow(ctx, `SELECT count(*) FROM (SELECT 1`+where+` LIMIT ?) m`,
		append(append([]any{}, args...), domain.TotalCountLimit+1)...).Scan(&n); err != nil {
		return 0, false, err
	}
	return min(n, domain.TotalCountLimit), n <= domain.TotalCountLimit, nil
}
