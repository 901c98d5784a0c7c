package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

// entities is the entities table (aliased e): one entry a column.
var entities = newTable("entities", "e",
	[]column[domain.Entity]{
		str("id", onInsert, func(e *domain.Entity) *string { return &e.ID }),
		str("customer_id", onInsert, func(e *domain.Entity) *string { return &e.CustomerID }),
		str("name", always, func(e *domain.Entity) *string { return &e.Name }),
		key("name_key", false, func(e *domain.Entity) string { return e.NameKey() }),
		text("code", always, func(e *domain.Entity) *string { return &e.Code }),
		key("code_key", true, func(e *domain.Entity) string { return e.CodeKey() }),
		str("type", always, func(e *domain.Entity) *string { return &e.Type }),
		text("business_email", always, func(e *domain.Entity) *string { return &e.BusinessEmail }),
		text("phone", always, func(e *domain.Entity) *string { return &e.Phone }),
		boolean("is_active", always, func(e *domain.Entity) *bool { return &e.IsActive }),
	},
	location(func(e *domain.Entity) *domain.Location { return &e.Location }),
	[]column[domain.Entity]{
		timestamp("created_at", onInsert, func(e *domain.Entity) *time.Time { return &e.CreatedAt }),
		timestamp("updated_at", always, func(e *domain.Entity) *time.Time { return &e.UpdatedAt }),
		deletedAt(func(e *domain.Entity) **time.Time { return &e.DeletedAt }),
		integer("version", always, func(e *domain.Entity) *int64 { return &e.Version }),
	})

// entityScope restricts entities (aliased e) of a live customer (aliased c)
// to scope: its customer, and its entities when the scope names some.
func entityScope(scope domain.Scope) (string, []any) {
	if scope.IsOrg() {
		return "", nil
	}
	q := ` AND e.customer_id = ?`
	args := []any{scope.CustomerID}
	if len(scope.EntityIDs) > 0 {
		q += ` AND e.id IN (` + placeholders(len(scope.EntityIDs)) + `)`
		for _, id := range scope.EntityIDs {
			args = append(args, id)
		}
	}
	return q, args
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func (t *tx) CreateEntities(ctx context.Context, customerID string, es []domain.Entity) error {
	if len(es) == 0 {
		return nil
	}
	if err := entitiesOf(customerID, es); err != nil {
		return err
	}
	if err := t.execAll(ctx, t.entityRows(es)); err != nil {
		return err
	}
	return t.addEntitiesCount(ctx, customerID, len(es))
}

// entitiesOf refuses entities that name another customer than customerID:
// a caller's mistake, never a user's.
func entitiesOf(customerID string, es []domain.Entity) error {
	for _, e := range es {
		if e.CustomerID != customerID {
			return fmt.Errorf("sqlstore: entity %s belongs to customer %s, not %s", e.ID, e.CustomerID, customerID)
		}
	}
	return nil
}

// entityRows inserts es in one multi-row INSERT, whatever their number:
// the Add Customer wizard submits them all at once.
func (t *tx) entityRows(es []domain.Entity) statement { return entities.insertRows(t, es...) }

func (t *tx) addEntitiesCount(ctx context.Context, customerID string, delta int) error {
	_, err := t.exec(ctx, `UPDATE customers SET entities_count = entities_count + ? WHERE id = ?`, delta, customerID)
	return err
}

const liveEntity = ` FROM entities e JOIN customers c ON c.id = e.customer_id
WHERE e.deleted_at IS NULL AND c.deleted_at IS NULL`

func (t *tx) NarrowedCounts(ctx context.Context, scope domain.Scope) (entities, assets, users int64, err error) {
	es, eargs := entityScope(scope)
	as, aargs := assetScope(scope)
	us, uargs := userScope(scope)
	args := append(append(eargs, aargs...), uargs...)
	err = t.queryRow(ctx, `SELECT
  (SELECT count(*)`+liveEntity+es+`),
  (SELECT count(*)`+liveAsset+as+`),
  (SELECT count(*)`+liveUser+us+`)`, args...).Scan(&entities, &assets, &users)
	return entities, assets, users, err
}

func (t *tx) Entity(ctx context.Context, scope domain.Scope, customerID, id string) (domain.Entity, error) {
	sc, sargs := entityScope(scope)
	args := append([]any{customerID, id}, sargs...)
	e, err := entities.scan(t.queryRow(ctx, `SELECT `+entities.columns+liveEntity+` AND e.customer_id = ? AND e.id = ?`+sc+t.lockRow("e"), args...))
	return e, rowErr(err, "Entity")
}

func (t *tx) EntityTaken(ctx context.Context, customerID, nameKey, codeKey, exceptID string) (bool, bool, error) {
	var nameTaken, codeTaken bool
	err := t.queryRow(ctx, `SELECT
  EXISTS (SELECT 1 FROM entities WHERE customer_id = ? AND name_key = ? AND deleted_at IS NULL AND id <> ?),
  EXISTS (SELECT 1 FROM entities WHERE customer_id = ? AND code_key = ? AND deleted_at IS NULL AND id <> ?)`,
		customerID, nameKey, exceptID, customerID, codeKey, exceptID).Scan(&nameTaken, &codeTaken)
	return nameTaken, codeTaken && codeKey != "", err
}

func (t *tx) UpdateEntity(ctx context.Context, scope domain.Scope, e domain.Entity) error {
	sc, sargs := entityScope(scope)
	set, args := entities.set(t, e)
	args = append(append(args, e.CustomerID, e.ID, e.Version-1), sargs...)
	res, err := t.exec(ctx, set+` WHERE e.customer_id = ? AND e.id = ? AND e.version = ? AND e.deleted_at IS NULL`+sc, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 1 {
		return nil
	}
	if _, err := t.Entity(ctx, scope, e.CustomerID, e.ID); err != nil {
		return err
	}
	return domain.Errorf(domain.EPrecondition, "The entity was changed by someone else; reload it and try again.")
}

func (t *tx) TrashEntity(ctx context.Context, scope domain.Scope, customerID, id string, at time.Time) error {
	sc, sargs := entityScope(scope)
	args := append([]any{t.time(at), t.time(at), customerID, id}, sargs...)
	res, err := t.exec(ctx, `UPDATE entities AS e SET deleted_at = ?, updated_at = ?, version = version + 1
WHERE e.customer_id = ? AND e.id = ? AND e.deleted_at IS NULL`+sc, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return notFound("Entity")
	}
	return t.addEntitiesCount(ctx, customerID, -1)
}

func (t *tx) Entities(ctx context.Context, scope domain.Scope, customerID string, f domain.EntityFilter) (domain.EntityPage, error) {
	var page domain.EntityPage
	limit := f.Limit
	if limit <= 0 || limit > domain.MaxPageSize {
		limit = domain.DefaultPageSize
	}
	sc, sargs := entityScope(scope)
	where := liveEntity + ` AND e.customer_id = ?` + sc
	args := append([]any{customerID}, sargs...)
	if err := t.queryRow(ctx, `SELECT count(*)`+where, args...).Scan(&page.Total); err != nil {
		return page, err
	}
	q := `SELECT ` + entities.columns + where
	if f.Cursor != nil {
		q += ` AND (e.name_key > ? OR (e.name_key = ? AND e.id > ?))`
		args = append(args, f.Cursor.Key, f.Cursor.Key, f.Cursor.ID)
	}
	q += ` ORDER BY e.name_key, e.id LIMIT ?`
	args = append(args, limit+1)
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	page.Items = make([]domain.Entity, 0, min(limit, 16))
	for rows.Next() {
		e, err := entities.scan(rows)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, e)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	page.Items, page.Next = trimPage(page.Items, limit, func(e domain.Entity) domain.Cursor {
		return domain.Cursor{Key: e.NameKey(), ID: e.ID}
	})
	return page, nil
}

func (t *tx) EntityHolders(ctx context.Context, entityID string) (assets, users int64, err error) {
	err = t.queryRow(ctx, `SELECT
  (SELECT count(*) FROM assets WHERE entity_id = ? AND deleted_at IS NULL),
  (SELECT count(*) FROM user_entities ue JOIN users u ON u.id = ue.user_id WHERE ue.entity_id = ? AND u.deleted_at IS NULL)`,
		entityID, entityID).Scan(&assets, &users)
	return assets, users, err
}
