package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/custreg/custreg/internal/domain"
)

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
