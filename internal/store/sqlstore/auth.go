package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

func (t *tx) Org(ctx context.Context) (domain.Org, error) {
	var o domain.Org
	var updated dbTime
	err := t.queryRow(ctx, `SELECT name, msp_enabled, updated_at, version FROM org WHERE id = 1`).
		Scan(&o.Name, &o.MSPEnabled, &updated, &o.Version)
	if err != nil {
		return o, rowErr(err, "Organization")
	}
	o.UpdatedAt = updated.T
	return o, nil
}

func (t *tx) UpdateOrg(ctx context.Context, o domain.Org) error {
	_, err := t.exec(ctx, `UPDATE org SET name = ?, msp_enabled = ?, initialized = ?, updated_at = ?, version = version + 1 WHERE id = 1`,
		o.Name, o.MSPEnabled, true, t.time(o.UpdatedAt))
	return err
}

func (t *tx) OrgInitialized(ctx context.Context) (bool, error) {
	var b bool
	err := t.queryRow(ctx, `SELECT initialized FROM org WHERE id = 1`).Scan(&b)
	return b, err
}

func (t *tx) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := t.queryRow(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, err
}

const userColumns = `id, email, name, kind, role, customer_id, is_active, password_hash, created_at, updated_at, version`

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
	_, err = t.exec(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Email, u.Name, u.Kind, u.Role, nullString(u.CustomerID), u.IsActive, u.PasswordHash,
		t.time(u.CreatedAt), t.time(u.UpdatedAt), u.Version)
	if err != nil {
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

// scanUserRow scans userColumns and, with deleted, a deleted_at after them.
func scanUserRow(s scanner, deleted ...*dbTime) (domain.User, error) {
	var u domain.User
	var customerID sql.NullString
	var created, updated dbTime
	dest := []any{&u.ID, &u.Email, &u.Name, &u.Kind, &u.Role, &customerID, &u.IsActive, &u.PasswordHash,
		&created, &updated, &u.Version}
	for _, d := range deleted {
		dest = append(dest, d)
	}
	err := s.Scan(dest...)
	if err != nil {
		return u, err
	}
	u.CustomerID = customerID.String
	u.CreatedAt, u.UpdatedAt = created.T, updated.T
	return u, nil
}

// loadUser scans one user and the entities it is narrowed to.
func (t *tx) loadUser(ctx context.Context, row *sql.Row) (domain.User, error) {
	u, err := scanUserRow(row)
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
	return t.loadUser(ctx, t.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ? AND deleted_at IS NULL`, email))
}

func (t *tx) User(ctx context.Context, id string) (domain.User, error) {
	return t.loadUser(ctx, t.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ? AND deleted_at IS NULL`+t.lockRow("users"), id))
}

// prefixed qualifies each column of a column list with alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
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
	return t.loadUser(ctx, t.queryRow(ctx, `SELECT `+prefixed("u", userColumns)+liveUser+` AND u.id = ?`+sc+t.lockRow("u"), append([]any{id}, sargs...)...))
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
	if err := t.changeRow(ctx, "user", func() error { _, err := t.ScopedUser(ctx, scope, u.ID); return err },
		`UPDATE users AS u SET name = ?, kind = ?, role = ?, customer_id = ?, is_active = ?,
password_hash = ?, updated_at = ?, version = ?`+where,
		append([]any{u.Name, u.Kind, u.Role, nullString(u.CustomerID), u.IsActive, u.PasswordHash, t.time(u.UpdatedAt), u.Version}, wargs...)...); err != nil {
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
	q := `SELECT ` + prefixed("u", userColumns) + where
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
	var users []domain.User
	for rows.Next() {
		u, err := scanUserRow(rows)
		if err != nil {
			rows.Close()
			return page, err
		}
		users = append(users, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return page, err
	}
	users, page.Next = trimPage(users, limit, func(u domain.User) domain.Cursor {
		return domain.Cursor{Key: u.Email, ID: u.ID}
	})
	if err := t.loadEntityIDs(ctx, users); err != nil {
		return page, err
	}
	page.Items = users
	return page, nil
}

func (t *tx) SigninCredentials(ctx context.Context, email string) (domain.Credentials, error) {
	var c domain.Credentials
	var cust sql.NullString
	err := t.queryRow(ctx, `SELECT id, customer_id, password_hash, credentials_epoch FROM users WHERE email = ? AND deleted_at IS NULL`, email).
		Scan(&c.UserID, &cust, &c.PasswordHash, &c.Epoch)
	c.CustomerID = cust.String
	return c, rowErr(err, "User")
}

func (t *tx) EndUserCredentials(ctx context.Context, userID, keepSession string) error {
	if _, err := t.exec(ctx, `UPDATE users SET credentials_epoch = credentials_epoch + 1 WHERE id = ?`, userID); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?`, userID, keepSession); err != nil {
		return err
	}
	if keepSession != "" {
		if _, err := t.exec(ctx, `UPDATE sessions SET user_epoch = (SELECT credentials_epoch FROM users WHERE id = ?)
WHERE id_hash = ? AND user_id = ?`, userID, keepSession, userID); err != nil {
			return err
		}
	}
	_, err := t.exec(ctx, `DELETE FROM api_tokens WHERE user_id = ?`, userID)
	return err
}

// liveCredentials is the guard of every credential issued: the user is
// live, active and still at the epoch the credential carries.
const liveCredentials = ` FROM users WHERE id = ? AND credentials_epoch = ? AND is_active AND deleted_at IS NULL`

// mustInsert fails with ENotFound when a guarded INSERT ... SELECT inserted
// nothing.
func mustInsert(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(what)
	}
	return nil
}

func (t *tx) CreateSession(ctx context.Context, s domain.Session) error {
	res, err := t.exec(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, expires_at, user_epoch)
SELECT ?, id, ?, ?, credentials_epoch`+liveCredentials,
		s.IDHash, t.time(s.CreatedAt), t.time(s.ExpiresAt), s.UserID, s.CredentialsEpoch)
	if err != nil {
		return err
	}
	return mustInsert(res, "User")
}

func (t *tx) Session(ctx context.Context, idHash string, now time.Time) (domain.Session, error) {
	var s domain.Session
	var created, expires dbTime
	err := t.queryRow(ctx, `SELECT s.id_hash, s.user_id, s.created_at, s.expires_at, s.user_epoch
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.id_hash = ? AND s.expires_at > ? AND s.user_epoch = u.credentials_epoch`,
		idHash, t.time(now)).Scan(&s.IDHash, &s.UserID, &created, &expires, &s.CredentialsEpoch)
	if err != nil {
		return s, rowErr(err, "Session")
	}
	s.CreatedAt, s.ExpiresAt = created.T, expires.T
	return s, nil
}

func (t *tx) DeleteSession(ctx context.Context, idHash string) error {
	_, err := t.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
	return err
}

func (t *tx) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := t.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, t.time(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

const tokenColumns = `id, user_id, name, hash, prefix, created_at, last_used_at, user_epoch`

func (t *tx) CreateToken(ctx context.Context, k domain.Token) error {
	res, err := t.exec(ctx, `INSERT INTO api_tokens (`+tokenColumns+`)
SELECT ?, id, ?, ?, ?, ?, ?, credentials_epoch`+liveCredentials,
		k.ID, k.Name, k.Hash, k.Prefix, t.time(k.CreatedAt), t.timePtr(k.LastUsedAt), k.UserID, k.CredentialsEpoch)
	if err != nil {
		return err
	}
	return mustInsert(res, "User")
}

type scanner interface{ Scan(...any) error }

func scanToken(s scanner) (domain.Token, error) {
	var k domain.Token
	var created, used dbTime
	if err := s.Scan(&k.ID, &k.UserID, &k.Name, &k.Hash, &k.Prefix, &created, &used, &k.CredentialsEpoch); err != nil {
		return k, err
	}
	k.CreatedAt = created.T
	k.LastUsedAt = used.ptr()
	return k, nil
}

func (t *tx) Tokens(ctx context.Context, userID string) ([]domain.Token, error) {
	rows, err := t.query(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Token{}
	for rows.Next() {
		k, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func (t *tx) TokenByHash(ctx context.Context, hash string) (domain.Token, error) {
	k, err := scanToken(t.queryRow(ctx, `SELECT `+prefixed("k", tokenColumns)+`
FROM api_tokens k JOIN users u ON u.id = k.user_id WHERE k.hash = ? AND k.user_epoch = u.credentials_epoch`, hash))
	return k, rowErr(err, "Token")
}

func (t *tx) TouchToken(ctx context.Context, id string, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, t.time(at), id)
	return err
}

func (t *tx) DeleteToken(ctx context.Context, userID, id string) error {
	res, err := t.exec(ctx, `DELETE FROM api_tokens WHERE user_id = ? AND id = ?`, userID, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return notFound("Token")
	}
	return nil
}

func (t *tx) CreateSetupToken(ctx context.Context, s domain.SetupToken) error {
	if err := t.DeleteSetupTokens(ctx); err != nil {
		return err
	}
	_, err := t.exec(ctx, `INSERT INTO setup_tokens (hash, created_at) VALUES (?, ?)`, s.Hash, t.time(s.CreatedAt))
	return err
}

func (t *tx) LockOrg(ctx context.Context) error {
	var one int
	return t.queryRow(ctx, `SELECT 1 FROM org WHERE id = 1`+t.db.d.ForUpdate).Scan(&one)
}

func (t *tx) SetupTokenExists(ctx context.Context, hash string, createdAfter time.Time) (bool, error) {
	var one int
	err := t.queryRow(ctx, `SELECT 1 FROM setup_tokens WHERE hash = ? AND created_at > ?`, hash, t.time(createdAfter)).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

func (t *tx) ConsumeSetupToken(ctx context.Context, hash string, createdAfter time.Time) error {
	res, err := t.exec(ctx, `DELETE FROM setup_tokens WHERE hash = ? AND created_at > ?`, hash, t.time(createdAfter))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return notFound("Setup token")
	}
	return nil
}

func (t *tx) DeleteSetupTokens(ctx context.Context) error {
	_, err := t.exec(ctx, `DELETE FROM setup_tokens`)
	return err
}

func (t *tx) SigninCounter(ctx context.Context, key string) (domain.SigninCounter, error) {
	c := domain.SigninCounter{Key: key}
	if _, err := t.exec(ctx, `INSERT INTO signin_throttle (key_hash, window_start, failures) VALUES (?, ?, 0) ON CONFLICT (key_hash) DO NOTHING`,
		key, t.time(time.Time{})); err != nil {
		return c, err
	}
	var start, blocked dbTime
	err := t.queryRow(ctx, `SELECT window_start, failures, blocked_until FROM signin_throttle WHERE key_hash = ?`+t.db.d.ForUpdate, key).
		Scan(&start, &c.Failures, &blocked)
	if err != nil {
		return c, rowErr(err, "Sign-in counter")
	}
	c.WindowStart, c.BlockedUntil = start.T, blocked.T
	return c, nil
}

func (t *tx) PutSigninCounter(ctx context.Context, c domain.SigninCounter) error {
	var blocked *time.Time
	if !c.BlockedUntil.IsZero() {
		blocked = &c.BlockedUntil
	}
	_, err := t.exec(ctx, `UPDATE signin_throttle SET window_start = ?, failures = ?, blocked_until = ? WHERE key_hash = ?`,
		t.time(c.WindowStart), c.Failures, t.timePtr(blocked), c.Key)
	return err
}

func (t *tx) DeleteSigninCounter(ctx context.Context, key string) error {
	_, err := t.exec(ctx, `DELETE FROM signin_throttle WHERE key_hash = ?`, key)
	return err
}

func (t *tx) DeleteStaleSigninCounters(ctx context.Context, before time.Time) (int64, error) {
	res, err := t.exec(ctx, `DELETE FROM signin_throttle WHERE window_start < ? AND (blocked_until IS NULL OR blocked_until < ?)`,
		t.time(before), t.time(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// auditColumns are the columns of audit_log, in the order AppendAudit
// writes and ListAudit scans them.
const auditColumns = `id, at, actor_id, actor_email, action, target_type, target_id, customer_id, before, after, request_id, client_addr`

func (t *tx) AppendAudit(ctx context.Context, es ...domain.AuditEntry) error {
	if len(es) == 0 {
		return nil
	}
	return t.execAll(ctx, t.auditRows(es))
}

// auditRows inserts es in one multi-row INSERT.
func (t *tx) auditRows(es []domain.AuditEntry) statement {
	var b strings.Builder
	b.WriteString(`INSERT INTO audit_log (` + auditColumns + `) VALUES `)
	args := make([]any, 0, len(es)*12)
	for i, e := range es {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(" + placeholders(12) + ")")
		args = append(args, e.ID, t.time(e.At), nullString(e.ActorID), nullString(e.ActorEmail), e.Action, e.TargetType,
			nullString(e.TargetID), nullString(e.CustomerID), jsonArg(e.Before), jsonArg(e.After),
			nullString(e.RequestID), nullString(e.ClientAddr))
	}
	return statement{b.String(), args}
}

func jsonArg(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

func (t *tx) Audit(ctx context.Context, customerID string, limit int) ([]domain.AuditEntry, error) {
	return t.ListAudit(ctx, domain.OrgScope, domain.AuditFilter{CustomerID: customerID, Limit: limit})
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

func (t *tx) ListAudit(ctx context.Context, scope domain.Scope, f domain.AuditFilter) ([]domain.AuditEntry, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if !scope.IsOrg() {
		add("customer_id = ?", scope.CustomerID)
	}
	if f.CustomerID != "" {
		add("customer_id = ?", f.CustomerID)
	}
	if f.ActorID != "" {
		add("actor_id = ?", f.ActorID)
	}
	if f.TargetType != "" {
		add("target_type = ?", f.TargetType)
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		add("at >= ?", t.time(f.From))
	}
	if !f.To.IsZero() {
		add("at < ?", t.time(f.To))
	}
	if f.Before != "" {
		add("id < ?", f.Before)
	}
	q := `SELECT ` + auditColumns + ` FROM audit_log`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	// Ids are UUIDv7: their order is the order the entries were written.
	q += ` ORDER BY id DESC LIMIT ?`
	rows, err := t.query(ctx, q, append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.AuditEntry{}
	for rows.Next() {
		var e domain.AuditEntry
		var at dbTime
		var actorID, actorEmail, targetID, custID, before, after, reqID, addr sql.NullString
		if err := rows.Scan(&e.ID, &at, &actorID, &actorEmail, &e.Action, &e.TargetType, &targetID, &custID, &before, &after, &reqID, &addr); err != nil {
			return nil, err
		}
		e.At = at.T
		e.ActorID, e.ActorEmail, e.TargetID, e.CustomerID = actorID.String, actorEmail.String, targetID.String, custID.String
		e.RequestID, e.ClientAddr = reqID.String, addr.String
		if before.Valid {
			e.Before = []byte(before.String)
		}
		if after.Valid {
			e.After = []byte(after.String)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
