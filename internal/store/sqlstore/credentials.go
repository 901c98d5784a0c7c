package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

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
