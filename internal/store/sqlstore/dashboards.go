package sqlstore

import (
	"context"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

// SnapshotUsage is one set-based INSERT … SELECT over every live
// customer's license rows, and one DELETE of the days past retention. The
// primary key (customer_id, type, day) with ON CONFLICT DO NOTHING makes a
// second run of the same day — on this node or another sharing the
// database — write nothing: on PostgreSQL a concurrent run waits on the
// first's uncommitted keys and then skips them, so every row is written
// once, by whichever run commits first.
func (t *tx) SnapshotUsage(ctx context.Context, day string, takenAt time.Time, keepFrom string) (written, pruned int64, err error) {
	res, err := t.exec(ctx, `INSERT INTO license_usage_daily (customer_id, type, day, allocated, used, taken_at)
SELECT cl.customer_id, cl.type, ?, cl.allocated, cl.used, ?
FROM customer_licenses cl JOIN customers c ON c.id = cl.customer_id
WHERE c.deleted_at IS NULL
ON CONFLICT (customer_id, type, day) DO NOTHING`, day, t.time(takenAt))
	if err != nil {
		return 0, 0, err
	}
	if written, err = res.RowsAffected(); err != nil {
		return 0, 0, err
	}
	res, err = t.exec(ctx, `DELETE FROM license_usage_daily WHERE day < ?`, keepFrom)
	if err != nil {
		return 0, 0, err
	}
	pruned, err = res.RowsAffected()
	return written, pruned, err
}

// customerFilter restricts a table aliased alias to one customer, or to
// records of some customer when customerID is "".
func customerFilter(alias, customerID string) (string, []any) {
	if customerID == "" {
		return ` AND ` + alias + `.customer_id IS NOT NULL`, nil
	}
	return ` AND ` + alias + `.customer_id = ?`, []any{customerID}
}

func (t *tx) DashboardOverview(ctx context.Context, scope domain.Scope, customerID string, top int) (domain.Overview, error) {
	var o domain.Overview
	es, eargs := entityScope(scope)
	ef, efargs := customerFilter("e", customerID)
	as, aargs := assetScope(scope)
	af, afargs := customerFilter("a", customerID)
	us, uargs := userScope(scope)
	uf, ufargs := customerFilter("u", customerID)
	entityWhere, entityArgs := liveEntity+ef+es, append(efargs, eargs...)
	assetWhere, assetArgs := liveAsset+af+as, append(afargs, aargs...)
	userWhere, userArgs := liveUser+uf+us, append(ufargs, uargs...)

	sc, sargs := scopeClause(scope)
	cq, cargs := ` FROM customers c WHERE c.deleted_at IS NULL`+sc, sargs
	if customerID != "" {
		cq += ` AND c.id = ?`
		cargs = append(cargs, customerID)
	}
	args := append(append([]any{}, cargs...), entityArgs...)
	if err := t.queryRow(ctx, `SELECT (SELECT count(*)`+cq+`), (SELECT count(*)`+entityWhere+`)`, args...).Scan(&o.Customers, &o.Entities); err != nil {
		return o, err
	}

	byClass := map[string]int64{}
	rows, err := t.query(ctx, `SELECT a.class, count(*)`+assetWhere+` GROUP BY a.class`, assetArgs...)
	if err != nil {
		return o, err
	}
	for rows.Next() {
		var class string
		var n int64
		if err := rows.Scan(&class, &n); err != nil {
			rows.Close()
			return o, err
		}
		byClass[class] = n
		o.Assets += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return o, err
	}
	for _, class := range domain.AssetClasses {
		o.AssetsByClass = append(o.AssetsByClass, domain.Count{Key: class, Label: domain.AssetClassName(class), N: byClass[class]})
	}

	byKind := map[string]int64{}
	rows, err = t.query(ctx, `SELECT u.kind, u.is_active, count(*)`+userWhere+` GROUP BY u.kind, u.is_active`, userArgs...)
	if err != nil {
		return o, err
	}
	for rows.Next() {
		var kind string
		var active bool
		var n int64
		if err := rows.Scan(&kind, &active, &n); err != nil {
			rows.Close()
			return o, err
		}
		byKind[kind] += n
		o.Users += n
		if active {
			o.ActiveUsers += n
		} else {
			o.InactiveUsers += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return o, err
	}
	for _, kind := range []string{domain.KindUser, domain.KindTechnician} {
		o.UsersByKind = append(o.UsersByKind, domain.Count{Key: kind, Label: domain.UserKindName(kind), N: byKind[kind]})
	}

	// The entities with the most assets (in scope), with their users.
	q := `SELECT e.id, e.name, c.name,
  (SELECT count(*) FROM assets a WHERE a.entity_id = e.id AND a.deleted_at IS NULL` + as + `) AS n_assets,
  (SELECT count(*) FROM user_entities ue JOIN users u ON u.id = ue.user_id WHERE ue.entity_id = e.id AND u.deleted_at IS NULL` + us + `)` +
		entityWhere + ` ORDER BY n_assets DESC, e.name_key, e.id LIMIT ?`
	args = append(append(append(append([]any{}, aargs...), uargs...), entityArgs...), top)
	rows, err = t.query(ctx, q, args...)
	if err != nil {
		return o, err
	}
	defer rows.Close()
	var placed int64
	for rows.Next() {
		var e domain.EntityFigures
		if err := rows.Scan(&e.ID, &e.Name, &e.CustomerName, &e.Assets, &e.Users); err != nil {
			return o, err
		}
		o.TopEntities = append(o.TopEntities, e)
		if e.Assets > 0 {
			label := e.Name
			if customerID == "" {
				label += " · " + e.CustomerName // over every customer, names repeat
			}
			o.AssetsByEntity = append(o.AssetsByEntity, domain.Count{Key: e.ID, Label: label, N: e.Assets})
			placed += e.Assets
		}
	}
	if err := rows.Err(); err != nil {
		return o, err
	}
	if rest := o.Assets - placed; rest > 0 {
		// The rest: assets of the whole customer (no entity) and, when not
		// every entity is listed, those of the entities left out.
		label := "No entity"
		if int64(len(o.TopEntities)) < o.Entities {
			label = "Other entities, or none"
		}
		o.AssetsByEntity = append(o.AssetsByEntity, domain.Count{Key: "other", Label: label, N: rest})
	}
	return o, nil
}

func (t *tx) LicenseUse(ctx context.Context, scope domain.Scope, customerID string) ([]domain.LicenseUse, error) {
	sc, sargs := scopeClause(scope)
	cf, cfargs := customerFilter("cl", customerID)
	args := append(cfargs, sargs...)
	rows, err := t.query(ctx, `SELECT lt.type, coalesce(s.allocated, 0), coalesce(s.used, 0)
FROM license_types lt LEFT JOIN (
  SELECT cl.type, sum(cl.allocated) AS allocated, sum(cl.used) AS used
  FROM customer_licenses cl JOIN customers c ON c.id = cl.customer_id
  WHERE c.deleted_at IS NULL`+cf+sc+` GROUP BY cl.type
) s ON s.type = lt.type ORDER BY lt.position`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.LicenseUse
	for rows.Next() {
		var l domain.LicenseUse
		if err := rows.Scan(&l.Type, &l.Allocated, &l.Used); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func (t *tx) UsageHistory(ctx context.Context, scope domain.Scope, customerID, from, to string) ([]domain.UsagePoint, error) {
	q := `SELECT CAST(h.day AS TEXT), h.type, sum(h.allocated), sum(h.used)
FROM license_usage_daily h JOIN license_types lt ON lt.type = h.type
WHERE h.day >= ? AND h.day <= ?`
	args := []any{from, to}
	cf, cfargs := customerFilter("h", customerID)
	q += cf
	args = append(args, cfargs...)
	if !scope.IsOrg() {
		q += ` AND h.customer_id = ?`
		args = append(args, scope.CustomerID)
	}
	q += ` GROUP BY h.day, h.type, lt.position ORDER BY h.day, lt.position`
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.UsagePoint
	for rows.Next() {
		var p domain.UsagePoint
		if err := rows.Scan(&p.Day, &p.Type, &p.Allocated, &p.Used); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (t *tx) NearLimit(ctx context.Context, limit int) ([]domain.NearLimit, error) {
	rows, err := t.query(ctx, `SELECT customer_id, name, type, allocated, used FROM (
  SELECT cl.customer_id, c.name, c.name_key, cl.type, cl.allocated, cl.used,
    ROW_NUMBER() OVER (PARTITION BY cl.customer_id ORDER BY cl.used * 1.0 / cl.allocated DESC, lt.position) AS rn
  FROM customer_licenses cl JOIN customers c ON c.id = cl.customer_id JOIN license_types lt ON lt.type = cl.type
  WHERE c.deleted_at IS NULL AND cl.allocated > 0
) x WHERE rn = 1 ORDER BY used * 1.0 / allocated DESC, name_key, customer_id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.NearLimit
	for rows.Next() {
		var n domain.NearLimit
		if err := rows.Scan(&n.CustomerID, &n.CustomerName, &n.Type, &n.Allocated, &n.Used); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
