package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

func (t *tx) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := t.queryRow(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, err
}

// users is the users table (aliased u): one entry a column. The entities
// a user is narrowed to are rows of user_entities; its credentials epoch
// is the sign-in code's alone.
var users = newTable("users", "u", []column[domain.User]{
	str("id", onInsert, func(u *domain.User) *string { return &u.ID }),
	str("email", onInsert, func(u *domain.User) *string { return &u.Email }),
	str("name", always, func(u *domain.User) *string { return &u.Name }),
	str("kind", always, func(u *domain.User) *string { return &u.Kind }),
	str("role", always, func(u *domain.User) *string { return &u.Role }),
	text("customer_id", always, func(u *domain.User) *string { return &u.CustomerID }),
	boolean("is_active", always, func(u *domain.User) *bool { return &u.IsActive }),
	str("password_hash", always, func(u *domain.User) *string { return &u.PasswordHash }),
	timestamp("created_at", onInsert, func(u *domain.User) *time.Time { return &u.CreatedAt }),
	timestamp("updated_at", always, func(u *domain.User) *time.Time { return &u.UpdatedAt }),
	deletedAt(func(u *domain.User) **time.Time { return &u.DeletedAt }),
	integer("version", always, func(u *domain.User) *int64 { return &u.Version }),
})

func (t *tx) CreateUser(ctx context.Context, u domain.User) error {
	var trashed bool
	err := t.queryRow(ctx, `SELECT deleted_at IS NOT NULL FROM users WHERE email = ?`, u.Email).Scan(&trashed)
	if err == nil {
		// A user in trash keeps its email until it is purged, so that it
		// can always be restored.
		msg := "A user with this email already exists."
		if trashed {
			msg = "A user with this email is in trash: restore it, or purge it from the trash first."
		}
		var fe domain.FieldErrors
		fe.Add("email", domain.FieldTaken, msg)
		return fe.Err()
	} else if err != sql.ErrNoRows {
		return err
	}
	if err := t.execAll(ctx, users.insertRows(t, u)); err != nil {
		return err
	}
	if err := t.setUserEntities(ctx, u.ID, u.EntityIDs); err != nil {
		return err
	}
	return t.addUsersCount(ctx, u.CustomerID, 1)
}

// setUserEntities replaces the entities a user is narrowed to.
func (t *tx) setUserEntities(ctx context.Context, userID string, entityIDs []string) error {
	if _, err := t.exec(ctx, `DELETE FROM user_entities WHERE user_id = ?`, userID); err != nil {
		return err
	}
	for _, e := range entityIDs {
		if _, err := t.exec(ctx, `INSERT INTO user_entities (user_id, entity_id) VALUES (?, ?)`, userID, e); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) addUsersCount(ctx context.Context, customerID string, delta int) error {
	if customerID == "" {
		return nil
	}
	_, err := t.exec(ctx, `UPDATE customers SET users_count = users_count + ? WHERE id = ?`, delta, customerID)
	return err
}

// loadUser scans one user and the entities it is narrowed to.
func (t *tx) loadUser(ctx context.Context, row *sql.Row) (domain.User, error) {
	u, err := users.scan(row)
	if err != nil {
		return u, rowErr(err, "User")
	}
	rows, err := t.query(ctx, `SELECT entity_id FROM user_entities WHERE user_id = ? ORDER BY entity_id`, u.ID)
	if err != nil {
		return u, err
	}
	defer rows.Close()
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return u, err
		}
		u.EntityIDs = append(u.EntityIDs, e)
	}
	return u, rows.Err()
}

// Live users only: not in trash themselves.
func (t *tx) UserByEmail(ctx context.Context, email string) (domain.User, error) {
	return t.loadUser(ctx, t.queryRow(ctx, `SELECT `+users.columns+` FROM users u WHERE u.email = ? AND u.deleted_at IS NULL`, email))
}

func (t *tx) User(ctx context.Context, id string) (domain.User, error) {
	return t.loadUser(ctx, t.queryRow(ctx, `SELECT `+users.columns+` FROM users u WHERE u.id = ? AND u.deleted_at IS NULL`+t.lockRow("u"), id))
}

// userScope restricts users (aliased u) to scope: a customer's own users,
// and for a narrowed scope those narrowed to at least one of its entities.
func userScope(scope domain.Scope) (string, []any) {
	if scope.IsOrg() {
		return "", nil
	}
	q := ` AND u.customer_id = ?`
	args := []any{scope.CustomerID}
	if len(scope.EntityIDs) > 0 {
		q += ` AND EXISTS (SELECT 1 FROM user_entities ue WHERE ue.user_id = u.id AND ue.entity_id IN (` + placeholders(len(scope.EntityIDs)) + `))`
		for _, id := range scope.EntityIDs {
			args = append(args, id)
		}
	}
	return q, args
}

// liveUser selects live users (aliased u) whose customer, if any, is live.
const liveUser = ` FROM users u LEFT JOIN customers c ON c.id = u.customer_id
WHERE u.deleted_at IS NULL AND (u.customer_id IS NULL OR c.deleted_at IS NULL)`

func (t *tx) EndCustomerSessions(ctx context.Context, customerID string) error {
	if _, err := t.exec(ctx, `UPDATE users SET credentials_epoch = credentials_epoch + 1 WHERE customer_id = ?`, customerID); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE customer_id = ?)`, customerID); err != nil {
		return err
	}
	_, err := t.exec(ctx, `DELETE FROM api_tokens WHERE user_id IN (SELECT id FROM users WHERE customer_id = ?)`, customerID)
	return err
}

func (t *tx) ScopedUser(ctx context.Context, scope domain.Scope, id string) (domain.User, error) {
	sc, sargs := userScope(scope)
	return t.loadUser(ctx, t.queryRow(ctx, `SELECT `+users.columns+liveUser+` AND u.id = ?`+sc+t.lockRow("u"), append([]any{id}, sargs...)...))
}

func (t *tx) UserCustomers(ctx context.Context, ids []string) ([]string, error) {
	return t.recordCustomers(ctx, "users", ids)
}

// userGuard is the WHERE of a write to one user: the row, live, in scope,
// at the version it replaces.
func userGuard(scope domain.Scope, id string, version int64) (string, []any) {
	sc, sargs := userScope(scope)
	return ` WHERE u.id = ? AND u.deleted_at IS NULL AND u.version = ?` + sc, append([]any{id, version}, sargs...)
}

func (t *tx) UpdateUser(ctx context.Context, scope domain.Scope, u domain.User) error {
	before, err := t.ScopedUser(ctx, scope, u.ID)
	if err != nil {
		return err
	}
	where, wargs := userGuard(scope, u.ID, u.Version-1)
	set, args := users.set(t, u)
	if err := t.changeRow(ctx, "user", func() error { _, err := t.ScopedUser(ctx, scope, u.ID); return err },
		set+where, append(args, wargs...)...); err != nil {
		return err
	}
	if err := t.setUserEntities(ctx, u.ID, u.EntityIDs); err != nil {
		return err
	}
	if before.CustomerID != u.CustomerID {
		if err := t.addUsersCount(ctx, before.CustomerID, -1); err != nil {
			return err
		}
		return t.addUsersCount(ctx, u.CustomerID, 1)
	}
	return nil
}

func (t *tx) TrashUser(ctx context.Context, scope domain.Scope, id string, version int64, at time.Time) error {
	before, err := t.ScopedUser(ctx, scope, id)
	if err != nil {
		return err
	}
	where, wargs := userGuard(scope, id, version)
	if err := t.changeRow(ctx, "user", func() error { _, err := t.ScopedUser(ctx, scope, id); return err },
		`UPDATE users AS u SET deleted_at = ?, updated_at = ?, version = version + 1`+where,
		append([]any{t.time(at), t.time(at)}, wargs...)...); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
		return err
	}
	return t.addUsersCount(ctx, before.CustomerID, -1)
}

func (t *tx) Users(ctx context.Context, scope domain.Scope, f domain.UserFilter) (domain.UserPage, error) {
	var page domain.UserPage
	limit := f.Limit
	if limit <= 0 || limit > domain.MaxPageSize {
		limit = domain.DefaultPageSize
	}
	sc, args := userScope(scope)
	where := liveUser + sc
	if f.CustomerID != "" {
		where += ` AND u.customer_id = ?`
		args = append(args, f.CustomerID)
	}
	if f.EntityID != "" {
		where += ` AND EXISTS (SELECT 1 FROM user_entities ue WHERE ue.user_id = u.id AND ue.entity_id = ?)`
		args = append(args, f.EntityID)
	}
	var err error
	if page.Total, page.TotalExact, err = t.listTotal(ctx, "users_count", scope, f.CustomerID, f.EntityID, where, args); err != nil {
		return page, err
	}
	q := `SELECT ` + users.columns + where
	if f.Cursor != nil {
		q += ` AND u.email > ?`
		args = append(args, f.Cursor.Key)
	}
	q += ` ORDER BY u.email LIMIT ?`
	args = append(args, limit+1)
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return page, err
	}
	var list []domain.User
	for rows.Next() {
		u, err := users.scan(rows)
		if err != nil {
			rows.Close()
			return page, err
		}
		list = append(list, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return page, err
	}
	list, page.Next = trimPage(list, limit, func(u domain.User) domain.Cursor {
		return domain.Cursor{Key: u.Email, ID: u.ID}
	})
	if err := t.loadEntityIDs(ctx, list); err != nil {
		return page, err
	}
	page.Items = list
	return page, nil
}

// loadEntityIDs fills the entities each of users is narrowed to, in one
// query for the page.
func (t *tx) loadEntityIDs(ctx context.Context, users []domain.User) error {
	if len(users) == 0 {
		return nil
	}
	at := make(map[string]int, len(users))
	args := make([]any, len(users))
	for i, u := range users {
		at[u.ID], args[i] = i, u.ID
	}
	rows, err := t.query(ctx, `SELECT user_id, entity_id FROM user_entities WHERE user_id IN (`+placeholders(len(users))+`) ORDER BY user_id, entity_id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var u, e string
		if err := rows.Scan(&u, &e); err != nil {
			return err
		}
		users[at[u]].EntityIDs = append(users[at[u]].EntityIDs, e)
	}
	return rows.Err()
}
